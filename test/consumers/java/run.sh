#!/usr/bin/env bash
# Java consumer: a fresh Maven project with the README's repository and dependency blocks, its
# Java quick start as the main class and its run commands exactly as written, then the consumer
# tests (JUnit 5) in the same project.
set -euo pipefail
source "$(dirname "$0")/../readme.sh"
here="$root/test/consumers/java"

command -v java >/dev/null || { echo "consumers/java: a JDK ($(minimum java)+) is required" >&2; exit 1; }
command -v mvn >/dev/null || { echo "consumers/java: Maven (mvn) is required" >&2; exit 1; }
java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
[ "${java_major#1.}" -ge "$(minimum java)" ] \
  || { echo "consumers/java: java is $java_major, the README promises $(minimum java)+" >&2; exit 1; }
version=$(node -p "require('$root/package.json').version")
[ -d "$IVS_EVENTS_DIST/java/io/github/cdk-ivs-realtime-events/cdk-ivs-realtime-events/$version" ] \
  || { echo "consumers/java: no $version jar in dist/java: run npx projen package:java" >&2; exit 1; }

project=$(fresh_project java)
cd "$project"
# The pom with the README's blocks in place of its two README comments.
REPOSITORY=$(snippet java-repository) DEPENDENCY=$(snippet java-dependency) node -e '
  const fs = require("fs");
  let pom = fs.readFileSync(process.argv[1], "utf8");
  for (const [name, block] of [["java-repository", process.env.REPOSITORY], ["java-dependency", process.env.DEPENDENCY]]) {
    const marker = new RegExp(`^( *)<!-- README: snippet:${name} -->$`, "m");
    const indent = marker.exec(pom)[1];
    pom = pom.replace(marker, block.trimEnd().split("\n").map(l => indent + l).join("\n"));
  }
  fs.writeFileSync("pom.xml", pom);' "$here/pom.xml"
mkdir -p src/main/java
snippet java-quickstart > src/main/java/IvsMonitoringApp.java
cp -R "$here/src/test" src/
# A private local repository, emptied of the library: Maven would otherwise take the copy it
# cached from an earlier build over dist/java. Quiet, colourless Maven. Both are project settings
# Maven reads itself, so the README's commands run as written.
m2="$root/.tools/consumers/m2"
rm -rf "$m2/io/github/cdk-ivs-realtime-events"
mkdir -p .mvn
printf -- '-B\n--no-transfer-progress\n-Dstyle.color=never\n-Dmaven.repo.local=%s\n' "$m2" > .mvn/maven.config
# Maven 3.8's jansi prints terminal reset codes even in batch mode, as stray blank lines.
echo '-Djansi.noreset=true' > .mvn/jvm.config

run_snippet java-run
check_quickstart java cdk.out

TRACKER_OUTDIR="$project/tracker.out" mvn -Dsurefire.printSummary=true test
node "$root/test/consumers/check-tracker.js" java tracker.out
