#!/usr/bin/env bash
# Go consumer: a fresh module (go.mod and go.sum of this folder) runs the README's commands and its
# Go quick start exactly as written, then go test runs the consumer tests in the same module.
set -euo pipefail
source "$(dirname "$0")/../readme.sh"
here="$root/test/consumers/go"

command -v go >/dev/null || { echo "consumers/go: the Go toolchain ($(minimum go)+) is required" >&2; exit 1; }
[ -f "$IVS_EVENTS_DIST/go/cdkivsrealtimeevents/go.mod" ] \
  || { echo "consumers/go: no Go module in dist/go: run npx projen package:go" >&2; exit 1; }

project=$(fresh_project go)
cd "$project"
cp "$here/go.mod" "$here/go.sum" .
mkdir consumer && cp "$here/consumer_test.go" consumer/

# The proxy serves no checksum database here; go.sum (committed) pins every module hash.
export GOSUMDB=off GOFLAGS=-buildvcs=false
run_snippet go-install
snippet go-quickstart > main.go
run_snippet go-run
check_quickstart go cdk.out

TRACKER_OUTDIR="$project/tracker.out" go test -count=1 -v ./consumer/ 2>&1 | grep -v '^!!' | grep -v '^\s*$'
[ "${PIPESTATUS[0]}" -eq 0 ]
node "$root/test/consumers/check-tracker.js" go tracker.out
