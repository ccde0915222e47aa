#!/usr/bin/env bash
# Usage: scripts/with-node.sh MAJOR COMMAND [ARGS...]
# Runs COMMAND on the Node.js release of MAJOR that toolchain/versions.json pins (a supported
# major: see `engines` in package.json), whatever Node the machine has. The binary comes from
# the npm registry: the `node` package at that exact version (toolchain/npm/nodeMAJOR, locked
# with its integrity), whose install script fetches the official build for this platform, at
# the same version, from the npm registry too.
set -euo pipefail
major=${1:?usage: scripts/with-node.sh MAJOR COMMAND [ARGS...]}
shift
[ $# -gt 0 ] || { echo "usage: scripts/with-node.sh MAJOR COMMAND [ARGS...]" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
pinned=$(node -p "require('$root/toolchain/versions.json').node['$major'] ?? ''")
[ -n "$pinned" ] || { echo "with-node: toolchain/versions.json pins no Node.js $major" >&2; exit 2; }

bash "$root/scripts/install-tool.sh" "node$major"
bin="$root/.tools/node$major/node_modules/.bin"
actual=$("$bin/node" -p 'process.versions.node' 2>/dev/null || true)
[ "$actual" = "$pinned" ] || { echo "with-node: .tools/node$major runs Node.js '$actual', toolchain/versions.json pins $pinned" >&2; exit 1; }

export PATH="$bin:$PATH"
echo "with-node: Node.js $(node --version)" >&2
exec "$@"
