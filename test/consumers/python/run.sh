#!/usr/bin/env bash
# Python consumer: a fresh project runs the README's install command, its Python quick start and
# its run command exactly as written, then pytest runs the consumer tests in the same venv.
#
# Hermetic: constraints.txt (committed, written by scripts/lock-consumers.sh) names every
# distribution at an exact version with its sha256. The files are downloaded hash-checked into a
# wheelhouse first; the README's commands then run with pip limited to that wheelhouse and held to
# those versions (PIP_NO_INDEX, PIP_FIND_LINKS, PIP_CONSTRAINT: settings, not commands), and what
# the venv holds afterwards must be exactly the locked set and the library.
set -euo pipefail
source "$(dirname "$0")/../readme.sh"
here="$root/test/consumers/python"

command -v python3 >/dev/null || { echo "consumers/python: python3 ($(minimum python)+) is required" >&2; exit 1; }
python3 -c "import sys; sys.exit(sys.version_info < tuple(map(int, '$(minimum python)'.split('.'))))" \
  || { echo "consumers/python: python3 is $(python3 -V), the README promises $(minimum python)+" >&2; exit 1; }
shopt -s nullglob
wheels=("$IVS_EVENTS_DIST"/python/*.whl)
[ ${#wheels[@]} -eq 1 ] || { echo "consumers/python: expected one wheel in dist/python, found ${#wheels[@]}: run npx projen package:python" >&2; exit 1; }

project=$(fresh_project python)
start_record python
cd "$project"

locked="$here/constraints.txt"
wheelhouse="$root/.tools/consumers/python-wheelhouse"
rm -rf "$wheelhouse" && mkdir -p "$wheelhouse"
unset PIP_FIND_LINKS PIP_CONSTRAINT PIP_NO_INDEX PIP_REQUIRE_HASHES
export PIP_DISABLE_PIP_VERSION_CHECK=1
python3 -m pip download --quiet --no-deps --require-hashes --only-binary=:all: -r "$locked" -d "$wheelhouse"
sed 's/ --hash=.*//' "$locked" > "$wheelhouse/constraints.txt"

(
  export PIP_NO_INDEX=1 PIP_FIND_LINKS="$wheelhouse" PIP_CONSTRAINT="$wheelhouse/constraints.txt" PIP_QUIET=1
  run_snippet python-install
  snippet python-quickstart > app.py
  run_snippet python-run
  record_file python-quickstart app.py
  .venv/bin/pip install "pytest==$(pinned "pip.pytest")"
)
check_quickstart python cdk.out

# The venv holds the locked distributions and the library, nothing else: constraints.txt is complete.
.venv/bin/python - "$locked" <<'PY'
import re, sys
from importlib import metadata
norm = lambda n: re.sub(r"[-_.]+", "-", n).lower()
locked = {}
for line in open(sys.argv[1]):
    if line.strip() and not line.startswith("#"):
        name, version = line.split()[0].split("==")
        locked[norm(name)] = version
installed = {norm(d.metadata["Name"]): d.version for d in metadata.distributions()}
installed.pop("cdk-ivs-realtime-events")
for tool in ("pip", "setuptools"):  # the venv's own
    installed.pop(tool, None)
if installed != locked:
    extra = {n: v for n, v in installed.items() if locked.get(n) != v}
    missing = {n: v for n, v in locked.items() if installed.get(n) != v}
    sys.exit(f"consumers/python: the venv differs from constraints.txt: not locked {extra}, locked but not installed {missing}")
print(f"consumers/python: the venv holds exactly the {len(locked)} locked distributions and the library")
PY

TRACKER_OUTDIR="$project/tracker.out" .venv/bin/python -m pytest -p no:cacheprovider -q --rootdir "$here" \
  "$here/test_consumer.py" "$here/test_metadata.py"
node "$root/test/consumers/check-tracker.js" python tracker.out
check_ran python-install python-quickstart python-run
