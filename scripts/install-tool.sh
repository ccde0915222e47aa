#!/usr/bin/env bash
# Usage: scripts/install-tool.sh NAME
# Installs toolchain/npm/NAME (a package.json of exact versions, and its package-lock.json with
# each package's integrity) into .tools/NAME with `npm ci`, so a tool the build downloads is
# the one the repository names, whatever the registry serves that day. Reinstalls only when the
# committed lock differs from the one installed. `npx projen upgrade:toolchain` moves the locks.
set -euo pipefail
name=${1:?usage: scripts/install-tool.sh NAME}
root=$(cd "$(dirname "$0")/.." && pwd)
src="$root/toolchain/npm/$name"
dir="$root/.tools/$name"
[ -f "$src/package-lock.json" ] || { echo "install-tool: no toolchain/npm/$name/package-lock.json" >&2; exit 1; }

if ! cmp -s "$src/package-lock.json" "$dir/.installed-lock.json"; then
  rm -rf "$dir"
  mkdir -p "$dir"
  cp "$src/package.json" "$src/package-lock.json" "$dir/"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >&2
  # Last, so an interrupted install is redone next time.
  cp "$src/package-lock.json" "$dir/.installed-lock.json"
fi
