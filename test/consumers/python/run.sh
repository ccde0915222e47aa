#!/usr/bin/env bash
# Python consumer: a fresh virtual environment with the built wheel, aws-cdk-lib and
# constructs at the versions the library is built against, then pytest.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../../.. && pwd)
PYTEST_VERSION=9.2.0

command -v python3 >/dev/null || { echo "consumers/python: python3 (3.9+) is required" >&2; exit 1; }
shopt -s nullglob
wheels=("$root"/dist/python/*.whl)
[ ${#wheels[@]} -eq 1 ] || { echo "consumers/python: expected one wheel in dist/python, found ${#wheels[@]}: run npx projen package:python" >&2; exit 1; }
dep() { node -p "require('$root/package.json').devDependencies['$1']"; }

venv="$root/.tools/consumers/python-venv"
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check \
  "${wheels[0]}" "aws-cdk-lib==$(dep aws-cdk-lib)" "constructs==$(dep constructs)" "pytest==$PYTEST_VERSION"
"$venv/bin/python" -m pytest -p no:cacheprovider -q test_consumer.py test_metadata.py
