#!/usr/bin/env bash
# The README's build block (`<!-- snippet:build -->`), exactly as written, in this clone. Its first
# three lines (clone, cd, npm ci) are the ones the test command itself already ran
# (`npm ci && npx projen build` in a clone): they are checked, then left out.
set -euo pipefail
source "$(dirname "$0")/readme.sh"
cd "$root"
start_record build

snippet build > "$ran_dir/build"
head=$(head -n 3 "$ran_dir/build")
expected="git clone https://github.com/cdk-ivs-realtime-events/cdk-ivs-realtime-events.git
cd cdk-ivs-realtime-events
npm ci"
[ "$head" = "$expected" ] || { echo "consumers: the README build block must start with the clone, cd and npm ci lines, got:" >&2; echo "$head" >&2; exit 1; }
echo "consumers: README snippet build (after npm ci) in $root" >&2
bash -euo pipefail -c "$(tail -n +4 "$ran_dir/build")"
check_ran build
