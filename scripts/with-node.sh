#!/usr/bin/env bash
# Usage: scripts/with-node.sh MAJOR COMMAND [ARGS...]
# Runs COMMAND on Node.js MAJOR (a supported release: see `engines` in package.json),
# whatever Node the machine has. The binary comes from the npm registry (the `node` package
# installs the official build for this platform) into .tools/nodeMAJOR, one folder per major
# so two releases never share a node_modules/.bin/node. A folder holding another major, or
# none, is installed anew, with the newest release of that major.
set -euo pipefail
major=${1:?usage: scripts/with-node.sh MAJOR COMMAND [ARGS...]}
shift
[ $# -gt 0 ] || { echo "usage: scripts/with-node.sh MAJOR COMMAND [ARGS...]" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/.tools/node$major"
bin="$dir/node_modules/.bin"

installed_major() { "$bin/node" -p 'process.versions.node.split(".")[0]' 2>/dev/null || true; }

if [ "$(installed_major)" != "$major" ]; then
  rm -rf "$dir"
  mkdir -p "$dir"
  # The package's install script fetches the platform binary, from the npm registry too.
  printf '{\n  "private": true,\n  "allowScripts": { "node": true }\n}\n' > "$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "node@$major" >&2
  [ "$(installed_major)" = "$major" ] || { echo "with-node: no working Node.js $major in $dir" >&2; exit 1; }
fi

export PATH="$bin:$PATH"
echo "with-node: Node.js $(node --version)" >&2
exec "$@"
