#!/usr/bin/env bash
# Python consumer: a fresh project runs the README's install command, its Python quick start and
# its run command exactly as written, then pytest runs the consumer tests in the same venv.
set -euo pipefail
source "$(dirname "$0")/../readme.sh"
here="$root/test/consumers/python"
PYTEST_VERSION=9.2.0

command -v python3 >/dev/null || { echo "consumers/python: python3 ($(minimum python)+) is required" >&2; exit 1; }
python3 -c "import sys; sys.exit(sys.version_info < tuple(map(int, '$(minimum python)'.split('.'))))" \
  || { echo "consumers/python: python3 is $(python3 -V), the README promises $(minimum python)+" >&2; exit 1; }
shopt -s nullglob
wheels=("$IVS_EVENTS_DIST"/python/*.whl)
[ ${#wheels[@]} -eq 1 ] || { echo "consumers/python: expected one wheel in dist/python, found ${#wheels[@]}: run npx projen package:python" >&2; exit 1; }
dep() { node -p "require('$root/package.json').devDependencies['$1']"; }

project=$(fresh_project python)
cd "$project"
# pip resolves aws-cdk-lib and constructs as the wheel allows; the constraint pins them to the
# versions the library is built against, so the command runs as written and the run repeats.
printf 'aws-cdk-lib==%s\nconstructs==%s\n' "$(dep aws-cdk-lib)" "$(dep constructs)" > constraints.txt
PIP_CONSTRAINT="$project/constraints.txt" PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_QUIET=1 run_snippet python-install
snippet python-quickstart > app.py
run_snippet python-run
check_quickstart python cdk.out

.venv/bin/pip install --quiet --disable-pip-version-check "pytest==$PYTEST_VERSION"
TRACKER_OUTDIR="$project/tracker.out" .venv/bin/python -m pytest -p no:cacheprovider -q --rootdir "$here" \
  "$here/test_consumer.py" "$here/test_metadata.py"
node "$root/test/consumers/check-tracker.js" python tracker.out
