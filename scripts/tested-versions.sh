#!/usr/bin/env bash
# Usage: scripts/tested-versions.sh NODE_MAJOR...
# The last step of the test task: everything before it passed, so this records the exact
# versions it passed with in dist/tested-versions.md (build output) and prints them. A build
# never changes a tracked file (a release checks that its build leaves the tree as it was):
# docs/tested-versions.md, which the README links, is the record a maintainer commits with
# `npx projen tested-versions:record` after a build; this says when it is behind.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: scripts/tested-versions.sh NODE_MAJOR..." >&2; exit 2; }
cd "$(dirname "$0")/.."
file=dist/tested-versions.md
record=docs/tested-versions.md

node_rows=""
node_versions=()
for major in "$@"; do
  version=$(".tools/node$major/node_modules/.bin/node" -p 'process.versions.node' 2>/dev/null) \
    || { echo "tested-versions: no Node.js $major in .tools/node$major: the jest suite did not run on it" >&2; exit 1; }
  node_rows+="| Node.js $major | $version | the jest suite |"$'\n'
  node_versions+=("$version")
done
newest=$(node -p "require('./.tools/newest-cdk/node_modules/aws-cdk-lib/package.json').version" 2>/dev/null) \
  || { echo "tested-versions: no aws-cdk-lib in .tools/newest-cdk: the newest-cdk tests did not run" >&2; exit 1; }
pinned=$(node -p "require('./package.json').devDependencies['aws-cdk-lib']")
constructs=$(node -p "require('./package.json').devDependencies.constructs")

content="# Tested versions

The exact versions a passing run of the test command used, written by its last step
(\`scripts/tested-versions.sh\`) and recorded here with \`npx projen tested-versions:record\`. What each one runs: the README's
[Supported versions](../README.md#supported-versions).

| Tested with | Version | What ran |
|---|---|---|
${node_rows}| aws-cdk-lib, the pinned version (the lowest the peer range allows) | $pinned | every test |
| aws-cdk-lib, the newest 2.x on the npm registry | $newest | the jest suite, template snapshots compared by their resources |
| constructs | $constructs | every test |"

mkdir -p "$(dirname "$file")"
printf '%s\n' "$content" > "$file"
if [ "$(cat "$record" 2>/dev/null)" = "$content" ]; then
  state="$record is up to date"
else
  state="$record differs: npx projen tested-versions:record, then commit it"
fi
echo "tested-versions: Node.js ${node_versions[*]}; aws-cdk-lib $pinned and $newest; constructs $constructs ($state)"
