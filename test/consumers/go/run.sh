#!/usr/bin/env bash
# Go consumer: go test against the generated Go module in dist/go (replace directive) and
# aws-cdk-go from the Go module proxy.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../../.. && pwd)

command -v go >/dev/null || { echo "consumers/go: the Go toolchain (1.21+) is required" >&2; exit 1; }
[ -f "$root/dist/go/cdkivsrealtimeevents/go.mod" ] \
  || { echo "consumers/go: no Go module in dist/go: run npx projen package:go" >&2; exit 1; }

# The proxy serves no checksum database here; go.sum (committed) pins every module hash.
# -mod=mod lets go resolve the generated module's requirements, which change with it.
export GOSUMDB=off GOFLAGS="-mod=mod -buildvcs=false"
go test -count=1 -v ./... 2>&1 | grep -v '^!!' | grep -v '^\s*$'
exit "${PIPESTATUS[0]}"
