#!/usr/bin/env bash
# Usage: scripts/newest-cdk.sh NODE_MAJOR [JEST_ARGS...]
# Users install the newest aws-cdk-lib their peer range allows, not the 2.245.0 this project
# develops against. This installs the newest aws-cdk-lib 2.x the npm registry serves into
# .tools/newest-cdk (with the constructs version of package.json, and without
# @aws-cdk/integ-tests-alpha, which pins aws-cdk-lib 2.245), then runs the jest suite on
# Node.js NODE_MAJOR with every `aws-cdk-lib` and `constructs` import resolved there: ours,
# the tests' and cdk-nag's alike. Template snapshots record what 2.245.0 synthesizes, so they
# are not compared there (test/util/newest-cdk-setup.ts says how); every other assertion is.
set -euo pipefail
major=${1:?usage: scripts/newest-cdk.sh NODE_MAJOR [JEST_ARGS...]}
shift
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
dir="$root/.tools/newest-cdk"

# `npm view` lists every 2.x release; the newest is the highest, not the last published.
newest=$(npm view 'aws-cdk-lib@2' version --json | node -e '
  const versions = [].concat(JSON.parse(require("fs").readFileSync(0, "utf8")));
  const key = v => v.split(".").map(Number);
  versions.sort((a, b) => { const [x, y] = [key(a), key(b)]; return x[0] - y[0] || x[1] - y[1] || x[2] - y[2]; });
  console.log(versions[versions.length - 1]);')
constructs=$(node -p "require('./package.json').devDependencies.constructs")
installed() { node -p "require('$dir/node_modules/$1/package.json').version" 2>/dev/null || true; }

if [ "$(installed aws-cdk-lib)" != "$newest" ] || [ "$(installed constructs)" != "$constructs" ]; then
  rm -rf "$dir"
  mkdir -p "$dir"
  printf '{\n  "private": true,\n  "dependencies": { "aws-cdk-lib": "%s", "constructs": "%s" }\n}\n' "$newest" "$constructs" > "$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error >&2
fi
[ "$(installed aws-cdk-lib)" = "$newest" ] || { echo "newest-cdk: aws-cdk-lib $newest did not install into $dir" >&2; exit 1; }

# The project's jest configuration, with the two packages resolved from the newest install.
ROOT="$root" DIR="$dir" node -e '
  const config = { ...require(process.env.ROOT + "/package.json").jest, rootDir: process.env.ROOT };
  const lib = process.env.DIR + "/node_modules";
  config.moduleNameMapper = {
    ...config.moduleNameMapper,
    "^aws-cdk-lib$": lib + "/aws-cdk-lib",
    "^aws-cdk-lib/(.*)$": lib + "/aws-cdk-lib/$1",
    "^constructs$": lib + "/constructs",
  };
  config.setupFilesAfterEnv = [...(config.setupFilesAfterEnv ?? []), "<rootDir>/test/util/newest-cdk-setup.ts"];
  config.reporters = ["default"];
  config.collectCoverage = false;
  require("fs").writeFileSync(process.env.DIR + "/jest.config.json", JSON.stringify(config, null, 2) + "\n");'

echo "newest-cdk: the jest suite against aws-cdk-lib $newest (pinned: $(node -p "require('./package.json').devDependencies['aws-cdk-lib']"))" >&2
NEWEST_CDK_VERSION="$newest" bash scripts/with-node.sh "$major" jest --ci --config "$dir/jest.config.json" "$@"
