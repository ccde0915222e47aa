#!/usr/bin/env bash
# Go bindings. jsii-pacmak builds them with `go mod tidy` against the aws-cdk-go module of
# the pinned aws-cdk-lib version; where the Go module proxy does not serve that version
# (it serves only some releases on this project's machines), the build cannot succeed for
# reasons outside this project, so the sources are generated without building, and the
# run says so; the Go consumer test (test/consumers/go) then builds and runs them against a
# served aws-cdk-go release. A missing Go toolchain is an error, never a skip.
set -euo pipefail
cd "$(dirname "$0")/.."

go_minimum=$(node -p "require('./toolchain/versions.json').minimums.go")
command -v go >/dev/null || { echo "package:go: the Go toolchain (go ${go_minimum}+) is required" >&2; exit 1; }
cdk_version=$(node -p "require('./package.json').devDependencies['aws-cdk-lib'].replace(/^[^0-9]*/, '')")
module="github.com/aws/aws-cdk-go/awscdk/v2@v${cdk_version}"

if go mod download "$module" >/dev/null 2>&1; then
  jsii-pacmak -v --target go
else
  echo "package:go: $module is not served by the Go module proxy here:" \
    "generating the Go sources into dist/go without building them here (test/consumers/go builds them)" >&2
  jsii-pacmak -v --target go --code-only
fi
