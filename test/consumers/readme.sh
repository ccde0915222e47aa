# Sourced by each consumer's run.sh: the README's code blocks, run exactly as written.
# shellcheck shell=bash
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# The body of the README code block marked `<!-- snippet:NAME -->`.
snippet() { node "$root/test/consumers/readme-snippets.js" "$1"; }

# Runs a README shell block in the current directory, as a user pastes it.
run_snippet() {
  echo "consumers: README snippet $1 in $PWD" >&2
  bash -euo pipefail -c "$(snippet "$1")"
}

# The oldest toolchain release the README promises (toolchain/versions.json).
minimum() { node -p "require('$root/toolchain/versions.json').minimums['$1']"; }

# IVS_EVENTS_DIST as the README's build block sets it, in the clone's root.
IVS_EVENTS_DIST=$(cd "$root" && eval "$(snippet build | grep '^export IVS_EVENTS_DIST=')" && echo "$IVS_EVENTS_DIST")
export IVS_EVENTS_DIST

# A fresh folder under .tools/consumers: the user's own project.
fresh_project() {
  local dir="$root/.tools/consumers/$1"
  rm -rf "$dir" && mkdir -p "$dir" && echo "$dir"
}

# Checks what a README quick start synthesized (test/consumers/check-quickstart.js).
check_quickstart() { node "$root/test/consumers/check-quickstart.js" "$1" "$2"; }
