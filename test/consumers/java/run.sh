#!/usr/bin/env bash
# Java consumer: a fresh Maven project with the README's pom.xml as written, its Java quick start as
# the main class and its run commands exactly as written; then the consumer tests (JUnit 5),
# compiled against the classpath those commands wrote and run by the JUnit console launcher.
#
# Hermetic: the README's pom pins every dependency and plugin its commands use, and fixes the one
# version range among its dependencies with dependencyManagement, so Maven has no version to look
# up: a run that fetched any maven-metadata (a range or a plugin prefix resolved against the
# repository) fails. Maven checks every download against its published checksum (-C).
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
start_record java
cd "$project"
snippet java-pom > pom.xml
mkdir -p src/main/java
snippet java-quickstart > src/main/java/IvsMonitoringApp.java
# A private local repository, emptied of the library (Maven would otherwise take the copy it
# cached from an earlier build over dist/java) and of any metadata (see above); strict checksums,
# quiet and colourless. Project settings Maven reads itself, so the README's commands run as written.
m2="$root/.tools/consumers/m2"
rm -rf "$m2/io/github/cdk-ivs-realtime-events"
find "$m2" \( -name 'maven-metadata*.xml' -o -name 'resolver-status.properties' \) -delete 2>/dev/null || true
mkdir -p .mvn
printf -- '-B\n--no-transfer-progress\n--strict-checksums\n-Dstyle.color=never\n-Dmaven.repo.local=%s\n' "$m2" > .mvn/maven.config
# Maven 3.8's jansi prints terminal reset codes even in batch mode, as stray blank lines.
echo '-Djansi.noreset=true' > .mvn/jvm.config

run_snippet java-run
record_file java-pom pom.xml
record_file java-quickstart src/main/java/IvsMonitoringApp.java
check_quickstart java cdk.out

# The consumer tests: JUnit's console launcher (one jar, pinned), by the pinned dependency plugin.
junit="org.junit.platform:junit-platform-console-standalone:$(pinned "consumers.maven['org.junit.platform:junit-platform-console-standalone']")"
dependency_plugin="org.apache.maven.plugins:maven-dependency-plugin:$(pinned "consumers.maven['org.apache.maven.plugins:maven-dependency-plugin']")"
mvn -q "$dependency_plugin:copy" -Dartifact="$junit" -DoutputDirectory=target/junit
launcher=(target/junit/*.jar)
classpath="target/classes:$(cat target/classpath.txt)"
mkdir -p target/test-classes
javac --release "$(minimum java)" -d target/test-classes -cp "$classpath:${launcher[0]}" \
  $(find "$here/src/test/java" -name '*.java')
TRACKER_OUTDIR="$project/tracker.out" java -jar "${launcher[0]}" execute --disable-banner --details=summary \
  --fail-if-no-tests -cp "target/test-classes:$classpath" --select-package consumer 2>&1 | grep -v '^!!'
[ "${PIPESTATUS[0]}" -eq 0 ]
node "$root/test/consumers/check-tracker.js" java tracker.out

fetched=$(find "$m2" \( -name 'maven-metadata*.xml' -o -name 'resolver-status.properties' \) | sed "s|^$m2/||")
[ -z "$fetched" ] || { echo "consumers/java: Maven looked up versions (a range or a plugin prefix) that the README's pom does not pin:" >&2; echo "$fetched" >&2; exit 1; }
echo "consumers/java: Maven resolved no version range and no plugin prefix"
check_ran java-pom java-quickstart java-run
