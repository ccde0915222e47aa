#!/usr/bin/env bash
# The tracker's tests run against a real DynamoDB API: moto's server mode (Apache-2.0).
# Installs it where it is missing; it never reaches a network beyond PyPI.
set -euo pipefail
if command -v moto_server >/dev/null 2>&1 && python3 -c 'import moto.server, flask' >/dev/null 2>&1; then
  exit 0
fi
python3 -m pip install --quiet --disable-pip-version-check 'moto[server]>=5.1,<6'
