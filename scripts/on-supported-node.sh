#!/usr/bin/env bash
# Usage: scripts/on-supported-node.sh COMMAND [ARGS...]
# Runs COMMAND on the machine's Node.js when the project supports it (scripts/require-node.js);
# otherwise says so in one line and runs it on the newest Node.js toolchain/versions.json pins
# (scripts/with-node.sh), instead of failing later in a confusing way on an unsupported release.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: scripts/on-supported-node.sh COMMAND [ARGS...]" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
if node "$root/scripts/require-node.js"; then
  exec "$@"
fi
newest=$(node -e "var v=require('$root/toolchain/versions.json').node; console.log(Object.keys(v).map(Number).sort(function(a,b){return b-a})[0])")
echo "on-supported-node: running on the pinned Node.js $newest instead (scripts/with-node.sh)" >&2
exec bash "$root/scripts/with-node.sh" "$newest" "$@"
