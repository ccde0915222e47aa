# Sourced by each consumer's run.sh: the README's code blocks, run exactly as written, and a record
# of each one as it ran, compared with the README at the end of the run (check_ran).
# shellcheck shell=bash
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# The body of the README code block marked `<!-- snippet:NAME -->`.
snippet() { node "$root/test/consumers/readme-snippets.js" "$1"; }

# A version pinned in toolchain/versions.json, by its path there: `pinned consumers.npm.typescript`.
pinned() { node -p "require('$root/toolchain/versions.json').$1"; }

# The oldest toolchain release the README promises (toolchain/versions.json).
minimum() { pinned "minimums['$1']"; }

# IVS_EVENTS_DIST as the README's build block sets it, in the clone's root.
IVS_EVENTS_DIST=$(cd "$root" && eval "$(snippet build | grep '^export IVS_EVENTS_DIST=')" && echo "$IVS_EVENTS_DIST")
export IVS_EVENTS_DIST

# A fresh folder under .tools/consumers: the user's own project.
fresh_project() {
  local dir="$root/.tools/consumers/$1"
  rm -rf "$dir" && mkdir -p "$dir" && echo "$dir"
}

# What this consumer ran: one file per README block, exactly the text that bash executed or the
# file as the toolchain read it, in a folder per consumer that start_record empties.
ran_dir="$root/.tools/consumers/ran/$(basename "$(cd "$(dirname "$0")" && pwd)")"
start_record() {
  ran_dir="$root/.tools/consumers/ran/$1"
  rm -rf "$ran_dir" && mkdir -p "$ran_dir"
}

# Runs a README shell block in the current directory, as a user pastes it: the block is written to
# the record first, and bash runs that very file.
run_snippet() {
  echo "consumers: README snippet $1 in $PWD" >&2
  mkdir -p "$ran_dir"
  snippet "$1" > "$ran_dir/$1"
  bash -euo pipefail "$ran_dir/$1"
}

# Records FILE, as the toolchain read it, as what ran for the README block NAME.
record_file() { mkdir -p "$ran_dir" && cp "$2" "$ran_dir/$1"; }

# Fails unless every named README block ran exactly as the README has it (check-ran.js).
check_ran() { node "$root/test/consumers/check-ran.js" "$ran_dir" "$@"; }

# Checks what a README quick start synthesized (test/consumers/check-quickstart.js).
check_quickstart() { node "$root/test/consumers/check-quickstart.js" "$1" "$2"; }
