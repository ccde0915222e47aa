#!/usr/bin/env bash
# Usage: scripts/install-pip-tool.sh NAME
# Installs toolchain/pip/NAME.txt (every package of the tool and of its dependencies at an exact
# version, with the hashes PyPI publishes for it) into a virtual environment of its own,
# .tools/NAME, in pip's hash-checking mode: what the build runs is what the repository names,
# whatever the machine or the registry has that day. Reinstalls only when the file changed.
# `npx projen upgrade:toolchain` regenerates the files from toolchain/versions.json.
set -euo pipefail
name=${1:?usage: scripts/install-pip-tool.sh NAME}
root=$(cd "$(dirname "$0")/.." && pwd)
requirements="$root/toolchain/pip/$name.txt"
venv="$root/.tools/$name"
[ -f "$requirements" ] || { echo "install-pip-tool: no toolchain/pip/$name.txt" >&2; exit 1; }

if ! cmp -s "$requirements" "$venv/.installed-requirements.txt"; then
  command -v python3 >/dev/null \
    || { echo "install-pip-tool: python3 ($(node -p "require('$root/toolchain/versions.json').minimums.python")+) is required for $name" >&2; exit 1; }
  rm -rf "$venv"
  python3 -m venv "$venv"
  # --isolated: no pip configuration of the machine's (extra indexes, find-links) takes part.
  "$venv/bin/pip" install --isolated --quiet --disable-pip-version-check --require-hashes --no-deps -r "$requirements" >&2
  cp "$requirements" "$venv/.installed-requirements.txt"
fi
