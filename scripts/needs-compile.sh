#!/usr/bin/env bash
# Condition of the compile step of `npx projen test`: the tests read the jsii assembly (.jsii),
# so the inner loop compiles first, unless .jsii is newer than every source file (as in
# `npx projen build`, whose compile phase has just run): then it says so and skips.
cd "$(dirname "$0")/.."
if [ -f .jsii ] && [ -z "$(find src -name '*.ts' -newer .jsii -print -quit)" ]; then
  echo "test: .jsii is newer than every file of src/: not compiling again"
  exit 1
fi
exit 0
