#!/usr/bin/env bash
# Usage: scripts/newest-cdk.sh NODE_MAJOR [JEST_ARGS...]
# Users install the newest aws-cdk-lib their peer range allows, not the 2.245.0 this project
# develops against. This installs the newest aws-cdk-lib this repository has recorded
# (`awsCdkLibNewest` in toolchain/versions.json, locked in toolchain/npm/newest-cdk; moved by
# `npx projen upgrade:toolchain`, never by the registry) into .tools/newest-cdk, without
# @aws-cdk/integ-tests-alpha (which pins aws-cdk-lib 2.245), then runs the jest suite on
# Node.js NODE_MAJOR with every `aws-cdk-lib` and `constructs` import resolved there: ours,
# the tests' and cdk-nag's alike. Template snapshots record what 2.245.0 synthesizes, so they
# are not compared there (test/util/newest-cdk-setup.ts says how); every other assertion is.
set -euo pipefail
major=${1:?usage: scripts/newest-cdk.sh NODE_MAJOR [JEST_ARGS...]}
shift
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
dir="$root/.tools/newest-cdk"

newest=$(node -p "require('./toolchain/versions.json').awsCdkLibNewest")
bash scripts/install-tool.sh newest-cdk
installed=$(node -p "require('$dir/node_modules/aws-cdk-lib/package.json').version")
[ "$installed" = "$newest" ] || { echo "newest-cdk: .tools/newest-cdk holds aws-cdk-lib $installed, toolchain/versions.json records $newest" >&2; exit 1; }

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
