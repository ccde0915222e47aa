#!/usr/bin/env bash
# Usage: scripts/upgrade-toolchain.sh [--node-major N]   (npx projen upgrade:toolchain [-- --node-major N])
# Moves what toolchain/versions.json pins, on purpose and never inside the gate:
#   - `awsCdkLibNewest` to the newest aws-cdk-lib 2.x on the npm registry, and each pinned Node.js
#     major to its newest release; with --node-major N, adds Node.js N;
#   - regenerates the locks of toolchain/npm/ (npm, with integrity) and toolchain/pip/ (pip-compile
#     --generate-hashes, for the moto and cfn-lint versions versions.json names: edit those there);
#   - re-runs what depends on them: jest on every pinned Node.js, jest against the newest
#     aws-cdk-lib, cfn-lint; then records docs/tested-versions.md.
# It needs a clean working tree and puts every file back if a re-run fails. With --node-major N,
# once jest passes on Node.js N, it also moves the functions' tested runtime (TESTED_RUNTIME) to
# nodejsN.x and re-records the snapshots; the README's supported versions are then the
# maintainer's to update before `npx projen build` passes and the change is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
add_major=""
[ "${1:-}" = --node-major ] && add_major=${2:?usage: upgrade-toolchain.sh [--node-major N]}

[ -z "$(git status --porcelain)" ] || { echo "upgrade:toolchain: needs a clean working tree (it restores its files on failure)" >&2; exit 1; }
restore() { echo "upgrade:toolchain: FAILED: restoring the files it changed" >&2; git checkout -- . && git clean -fdq -- toolchain docs src test; }
trap restore ERR

highest() { # the highest of the versions `npm view ... version --json` prints
  node -e 'const v = [].concat(JSON.parse(require("fs").readFileSync(0, "utf8")));
    const key = s => s.split(".").map(Number);
    v.sort((a, b) => { const [x, y] = [key(a), key(b)]; return x[0] - y[0] || x[1] - y[1] || x[2] - y[2]; });
    console.log(v[v.length - 1]);'
}
versions=toolchain/versions.json
set_version() { # jsonpath-ish key, value
  KEY="$1" VALUE="$2" node -e 'const fs = require("fs"); const f = process.argv[1]; const v = JSON.parse(fs.readFileSync(f));
    const keys = process.env.KEY.split("."); const last = keys.pop(); keys.reduce((o, k) => o[k] ??= {}, v)[last] = process.env.VALUE;
    fs.writeFileSync(f, JSON.stringify(v, null, 2) + "\n");' "$versions"
}

set_version awsCdkLibNewest "$(npm view 'aws-cdk-lib@2' version --json | highest)"
majors=$(node -p "Object.keys(require('./$versions').node).join(' ')")
[ -n "$add_major" ] && majors="$majors $add_major"
for major in $majors; do
  set_version "node.$major" "$(npm view "node@$major" version --json | highest)"
done

# npm locks: package.json from versions.json, then the lock npm resolves for exactly those versions.
write_npm_tool() { # name, dependencies JSON, extra package.json fields JSON
  mkdir -p "toolchain/npm/$1"
  DEPS="$2" EXTRA="$3" node -e 'const fs = require("fs");
    fs.writeFileSync(process.argv[1], JSON.stringify({ private: true, ...JSON.parse(process.env.EXTRA), dependencies: JSON.parse(process.env.DEPS) }, null, 2) + "\n");' \
    "toolchain/npm/$1/package.json"
  rm -f "toolchain/npm/$1/package-lock.json"
  (cd "toolchain/npm/$1" && npm install --package-lock-only --no-audit --no-fund --loglevel=error)
}
pin() { node -p "require('./$versions')$1"; }
for major in $majors; do
  write_npm_tool "node$major" "{\"node\": \"$(pin ".node['$major']")\"}" '{"allowScripts": {"node": true}}'
done
write_npm_tool newest-cdk "{\"aws-cdk-lib\": \"$(pin .awsCdkLibNewest)\", \"constructs\": \"$(pin .constructs)\"}" '{}'

# pip locks, by the pinned pip-tools in a virtual environment of its own.
piptools=.tools/pip-tools
[ -x "$piptools/bin/pip-compile" ] && [ "$("$piptools/bin/pip-compile" --version | awk '{print $NF}')" = "$(pin ".pip['pip-tools']")" ] || {
  rm -rf "$piptools"; python3 -m venv "$piptools"
  "$piptools/bin/pip" install --isolated --quiet "pip-tools==$(pin ".pip['pip-tools']")"
}
lock_pip() { # name, requirement
  echo "$2" > "$piptools/$1.in"
  "$piptools/bin/pip-compile" --quiet --isolated --generate-hashes --allow-unsafe --strip-extras --no-header --annotation-style=line \
    --output-file "toolchain/pip/$1.txt" "$piptools/$1.in"
}
lock_pip moto "moto[server]==$(pin .pip.moto)"
lock_pip cfn-lint "cfn-lint==$(pin ".pip['cfn-lint']")"
# The constraints of jsii-pacmak's wheel build: its own requirements file, every package exact.
sed -e 's/#.*//' -e '/^[[:space:]]*$/d' node_modules/jsii-pacmak/lib/targets/python/requirements-dev.txt > "$piptools/jsii-pacmak-python.in"
"$piptools/bin/pip-compile" --quiet --isolated --allow-unsafe --strip-extras --no-header --annotation-style=line \
  --output-file toolchain/pip/jsii-pacmak-python.txt "$piptools/jsii-pacmak-python.in"

# What depends on them.
for major in $majors; do
  bash scripts/with-node.sh "$major" jest --ci --coverage=false --maxWorkers=2
done
if [ -n "$add_major" ]; then
  sed -i -E "s/^export const TESTED_RUNTIME = lambda\.Runtime\.NODEJS_[0-9]+_X;/export const TESTED_RUNTIME = lambda.Runtime.NODEJS_${add_major}_X;/" \
    src/tracker/function-runtime.ts
  npx projen
  npx projen bundle:tracker
  bash scripts/with-node.sh "$add_major" jest --ci --coverage=false --maxWorkers=2 --updateSnapshot
  npx projen integ:snapshot
fi
bash scripts/newest-cdk.sh "$(echo "$majors" | tr ' ' '\n' | sort -n | tail -1)" --maxWorkers=2
bash scripts/cfn-lint.sh
bash scripts/tested-versions.sh --record $majors
trap - ERR
git status --short
echo "upgrade:toolchain: done; review the change (git diff), then run npx projen build and commit it"
