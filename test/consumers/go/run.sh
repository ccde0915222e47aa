#!/usr/bin/env bash
# Go consumer: in a fresh folder, the README's commands (a new module, aws-cdk-go at the release
# the README names, the library pointed at dist/go), its Go quick start as main.go and its run
# commands, exactly as written; then go test runs the consumer tests in the module they made.
#
# Hermetic: every module version follows from the README's `go get` of an exact aws-cdk-go release
# (toolchain/versions.json's awsCdkGo, which the README names) and the go.mod files it reaches;
# every module download is checked against the checksum database (GOSUMDB on, nothing exempt) and
# recorded in go.sum, and the go command may not fetch a toolchain (GOTOOLCHAIN=local). These are
# environment settings of this run, not commands a user types.
set -euo pipefail
source "$(dirname "$0")/../readme.sh"
here="$root/test/consumers/go"

command -v go >/dev/null || { echo "consumers/go: the Go toolchain ($(minimum go)+) is required" >&2; exit 1; }
[ -f "$IVS_EVENTS_DIST/go/cdkivsrealtimeevents/go.mod" ] \
  || { echo "consumers/go: no Go module in dist/go: run npx projen package:go" >&2; exit 1; }

project=$(fresh_project go)
start_record go
cd "$project"

# No user go env file (GOENV=off) that could exempt modules from the checksum database.
export GOENV=off GOTOOLCHAIN=local GOSUMDB=sum.golang.org GONOSUMDB= GOPRIVATE= GONOPROXY= GOINSECURE= \
  GOFLAGS=-buildvcs=false
[ "$(go env GOSUMDB GONOSUMDB GOPRIVATE GOINSECURE GOTOOLCHAIN | tr '\n' ' ')" = "sum.golang.org    local " ] \
  || { echo "consumers/go: checksum database or toolchain settings not as required: $(go env GOSUMDB GONOSUMDB GOPRIVATE GOINSECURE GOTOOLCHAIN | tr '\n' ' ')" >&2; exit 1; }
run_snippet go-install
snippet go-quickstart > main.go
run_snippet go-run
record_file go-quickstart main.go
check_quickstart go cdk.out
echo "consumers/go: $(go list -m github.com/aws/aws-cdk-go/awscdk/v2 github.com/aws/jsii-runtime-go | tr '\n' ' ')"

mkdir consumer && cp "$here/consumer_test.go" consumer/
TRACKER_OUTDIR="$project/tracker.out" go test -count=1 -v ./consumer/ 2>&1 | grep -v '^!!' | grep -v '^\s*$'
[ "${PIPESTATUS[0]}" -eq 0 ]
node "$root/test/consumers/check-tracker.js" go tracker.out
check_ran go-install go-quickstart go-run
