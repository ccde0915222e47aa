#!/usr/bin/env bash
# cfn-lint every committed integ snapshot template. cfn-lint is installed into a private
# virtual environment so the check does not depend on what the machine happens to have.
set -euo pipefail
CFN_LINT_VERSION=1.58.0
cd "$(dirname "$0")/.."

venv=.tools/cfn-lint-${CFN_LINT_VERSION}
if [ ! -x "$venv/bin/cfn-lint" ]; then
  command -v python3 >/dev/null || { echo "cfn-lint: python3 (3.9+) is required" >&2; exit 1; }
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "cfn-lint==${CFN_LINT_VERSION}"
fi

shopt -s nullglob
templates=(test/*.snapshot/*.template.json)
if [ ${#templates[@]} -eq 0 ]; then
  echo "cfn-lint: no integ snapshot templates found under test/" >&2
  exit 1
fi
# Errors fail the build; warnings are printed for the reviewer.
"$venv/bin/cfn-lint" --non-zero-exit-code error -- "${templates[@]}"
echo "cfn-lint: ${#templates[@]} templates, no errors"
