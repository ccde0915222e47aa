#!/usr/bin/env bash
# Java consumer: Maven resolves the library from dist/java and aws-cdk-lib, constructs
# and JUnit from Maven Central, at the versions of package.json.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../../.. && pwd)

command -v java >/dev/null || { echo "consumers/java: a JDK (11+) is required" >&2; exit 1; }
command -v mvn >/dev/null || { echo "consumers/java: Maven (mvn) is required" >&2; exit 1; }
version=$(node -p "require('$root/package.json').version")
[ -d "$root/dist/java/io/github/cdk-ivs-realtime-events/cdk-ivs-realtime-events/$version" ] \
  || { echo "consumers/java: no $version jar in dist/java: run npx projen package:java" >&2; exit 1; }
dep() { node -p "require('$root/package.json').devDependencies['$1']"; }

# A private local repository keeps a stale copy of the library from shadowing dist/java.
# No colours, and no terminal reset codes: Maven 3.8's jansi prints them even in batch mode.
MAVEN_OPTS="${MAVEN_OPTS:-} -Djansi.noreset=true" mvn -B -Dstyle.color=never --no-transfer-progress -Dmaven.repo.local="$root/.tools/consumers/m2" -Dsurefire.printSummary=true \
  -Dlibrary.version="$version" -Dcdk.version="$(dep aws-cdk-lib)" -Dconstructs.version="$(dep constructs)" test
