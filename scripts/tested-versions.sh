#!/usr/bin/env bash
# Usage: scripts/tested-versions.sh [--record] NODE_MAJOR...
# The last step of the gate: everything before it passed. It checks that the tools which ran are
# the ones toolchain/versions.json pins (the Node.js releases in .tools/, the newest aws-cdk-lib
# recorded), writes them to dist/tested-versions.md (build output), and fails when
# docs/tested-versions.md, the record the README links, says otherwise. A build never changes a
# tracked file; `--record` (run by `npx projen upgrade:toolchain`) writes the record.
set -euo pipefail
record_mode=false
[ "${1:-}" = --record ] && { record_mode=true; shift; }
[ $# -gt 0 ] || { echo "usage: scripts/tested-versions.sh [--record] NODE_MAJOR..." >&2; exit 2; }
cd "$(dirname "$0")/.."
file=dist/tested-versions.md
record=docs/tested-versions.md
pin() { node -p "require('./toolchain/versions.json')$1"; }

node_rows=""
for major in "$@"; do
  pinned=$(pin ".node['$major']")
  if ! $record_mode; then
    ran=$(".tools/node$major/node_modules/.bin/node" -p 'process.versions.node' 2>/dev/null) \
      || { echo "tested-versions: no Node.js $major in .tools/node$major: the jest suite did not run on it" >&2; exit 1; }
    [ "$ran" = "$pinned" ] || { echo "tested-versions: the jest suite ran on Node.js $ran, toolchain/versions.json pins $pinned" >&2; exit 1; }
  fi
  node_rows+="| Node.js $major | $pinned | the jest suite |"$'\n'
done
newest=$(pin .awsCdkLibNewest)
if ! $record_mode; then
  ran=$(node -p "require('./.tools/newest-cdk/node_modules/aws-cdk-lib/package.json').version" 2>/dev/null) \
    || { echo "tested-versions: no aws-cdk-lib in .tools/newest-cdk: the newest-cdk tests did not run" >&2; exit 1; }
  [ "$ran" = "$newest" ] || { echo "tested-versions: the newest-cdk tests ran on aws-cdk-lib $ran, toolchain/versions.json records $newest" >&2; exit 1; }
fi

content="# Tested versions

The exact versions a passing run of the test command used: \`toolchain/versions.json\` pins them,
every build checks that they are what ran (\`scripts/tested-versions.sh\`), and
\`npx projen upgrade:toolchain\` moves them. What each one runs: the README's
[Supported versions](../README.md#supported-versions).

| Tested with | Version | What ran |
|---|---|---|
${node_rows}| aws-cdk-lib, the pinned version (the lowest the peer range allows) | $(pin .awsCdkLib) | every test |
| aws-cdk-lib, the newest 2.x recorded | $newest | the jest suite, template snapshots compared by their resources |
| constructs | $(pin .constructs) | every test |
| moto (DynamoDB, SQS for the tracker's tests) | $(pin ".pip.moto") | the jest suite |
| cfn-lint | $(pin ".pip['cfn-lint']") | every integ snapshot template |"

if $record_mode; then
  printf '%s\n' "$content" > "$record"
  echo "tested-versions: wrote $record"
  exit 0
fi
mkdir -p "$(dirname "$file")"
printf '%s\n' "$content" > "$file"
[ "$(cat "$record" 2>/dev/null)" = "$content" ] \
  || { echo "tested-versions: $record differs from what ran (dist/tested-versions.md): npx projen upgrade:toolchain writes it" >&2; exit 1; }
echo "tested-versions: Node.js $(for m in "$@"; do printf '%s ' "$(pin ".node['$m']")"; done)aws-cdk-lib $(pin .awsCdkLib) and $newest; constructs $(pin .constructs) ($record is up to date)"
