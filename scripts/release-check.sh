#!/usr/bin/env bash
# A release rehearsed in a temporary copy of the working tree, never in the tree itself:
# the copy gets a git history of its own (a previous release tag, a docs commit, then a fix and
# a breaking feature), then runs what `npx projen release` runs, with the release task's own environment:
# bump (version and changelog from the conventional commits), compile, every package this
# machine can build, and unbump, and checks that each package carries the new version.
# Only the `test` step of the release's build is left out: this script runs inside it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

previous=0.3.0
# 0.x: a breaking change bumps the minor version (MAJOR=0 in the release task's environment).
expected=0.4.0

work=$(mktemp -d "${TMPDIR:-/tmp}/release-check-XXXXXX")
trap 'rm -rf "$work"' EXIT

# Tracked and new files as they are on disk (uncommitted changes included), no ignored ones.
git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
  | tar --null -T - -cf - | tar -xf - -C "$work"
ln -s "$root/node_modules" "$work/node_modules"
# rosetta's translations of the README examples, if compiled already: a cache, not an input.
[ -f .jsii.tabl.json ] && cp .jsii.tabl.json "$work/"

cd "$work"
git() { command git -c user.name=release-check -c user.email=release-check@localhost "$@"; }
git init -q -b main
git add -A
git commit -q -m "chore: the tree under test"
git tag "v$previous"
git commit -q --allow-empty -m "docs: a change that is no release"

# The release task's environment (RELEASE, MAJOR), read from the generated task, not copied here.
release_env=$(node -e '
  const env = require("./.projen/tasks.json").tasks.release.env ?? {};
  console.log(Object.entries(env).map(([k, v]) => `${k}=${v}`).join(" "));')
run() { echo "release-check: npx projen $*"; env -u CI $release_env npx projen "$@"; }

fail() { echo "release-check: FAILED: $*" >&2; exit 1; }
check() { # what, actual
  [ "$2" = "$expected" ] || fail "$1 is '$2', expected $expected"
  echo "release-check: $1: $2"
}

# Only feat and fix commits make a release: after a docs commit the version stays.
run bump
[ "$(cat dist/version.txt)" = "$previous" ] || fail "a docs commit alone bumped v$previous to $(cat dist/version.txt)"
echo "release-check: docs commit alone: stays $previous"

git commit -q --allow-empty -m "fix(rules): a fix since v$previous"
git commit -q --allow-empty -m "feat(alarms)!: a breaking change since v$previous"
run bump
check "dist/version.txt" "$(cat dist/version.txt)"
check "package.json version" "$(node -p 'require("./package.json").version')"
grep -q "BREAKING CHANGES" dist/changelog.md || fail "dist/changelog.md has no BREAKING CHANGES section"
grep -q "a fix since v$previous" dist/changelog.md || fail "dist/changelog.md does not list the fix"

run pre-compile
run compile
run post-compile
check ".jsii assembly version" "$(node -p 'JSON.parse(require("fs").readFileSync(".jsii", "utf8")).version')"
# package-all: js, java, python, dotnet (skipped without the dotnet SDK), go.
run package-all

tgz=dist/js/cdk-ivs-realtime-events@$expected.jsii.tgz
[ -f "$tgz" ] || fail "no $tgz in dist/js: $(ls dist/js)"
check "npm tarball package.json" "$(tar -xzOf "$tgz" package/package.json | node -p 'JSON.parse(require("fs").readFileSync(0)).version')"

wheel=dist/python/cdk_ivs_realtime_events-$expected-py3-none-any.whl
[ -f "$wheel" ] || fail "no $wheel in dist/python: $(ls dist/python)"
check "wheel METADATA" "$(python3 -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())' \
  "$wheel" "cdk_ivs_realtime_events-$expected.dist-info/METADATA" | sed -n 's/^Version: //p')"
[ -f "dist/python/cdk_ivs_realtime_events-$expected.tar.gz" ] || fail "no sdist $expected in dist/python: $(ls dist/python)"

maven=dist/java/io/github/cdk-ivs-realtime-events/cdk-ivs-realtime-events/$expected
[ -f "$maven/cdk-ivs-realtime-events-$expected.jar" ] || fail "no jar $expected in dist/java"
check "pom version" "$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$maven/cdk-ivs-realtime-events-$expected.pom")"

check "Go module version file" "$(cat dist/go/cdkivsrealtimeevents/version)"
grep -q "^module github.com/cdk-ivs-realtime-events/cdk-ivs-realtime-events-go/cdkivsrealtimeevents$" dist/go/cdkivsrealtimeevents/go.mod \
  || fail "dist/go/cdkivsrealtimeevents/go.mod names another module"
# package:go generates without building where the Go module proxy lacks the pinned aws-cdk-go;
# the Go consumer (the README's install commands, against this copy's dist/go) compiles it either way.
bash test/consumers/go/run.sh >/dev/null 2>&1 || fail "the Go module $expected does not compile with the Go consumer"
echo "release-check: Go module compiles"

if command -v dotnet >/dev/null 2>&1; then
  [ -f "dist/dotnet/CdkIvsRealtimeEvents.$expected.nupkg" ] || fail "no CdkIvsRealtimeEvents.$expected.nupkg in dist/dotnet"
  echo "release-check: NuGet package: $expected"
else
  echo "release-check: NuGet package: not built here (no dotnet SDK); the release workflow's NuGet job builds it"
fi

# The release's last steps: back to 0.0.0, and the build left no tracked file changed.
run unbump
[ "$(node -p 'require("./package.json").version')" = 0.0.0 ] || fail "unbump did not restore version 0.0.0"
git diff --ignore-space-at-eol --exit-code || fail "the release build changed tracked files (above)"
echo "release-check: OK: v$previous + fix + breaking feat -> $expected in npm, PyPI, Maven and Go packages"
