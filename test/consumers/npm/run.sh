#!/usr/bin/env bash
# npm consumer: a fresh project installs the tarball from dist/js with the README's command,
# compiles and runs the README's TypeScript quick start, and synthesizes the state tracker, on each
# Node.js release the README names (22 and 24, toolchain/versions.json, through
# scripts/with-node.sh), or on the Node.js on PATH with `run.sh --this-node`.
#
# Hermetic: the project starts with package-lock.json of this folder (written by
# scripts/lock-consumers.sh; no dependency of the project's own), so npm installs the README's
# exact versions and, for the ranges aws-cdk-lib asks for, the locked versions, each checked
# against its locked integrity; afterwards the project's lock must hold exactly those and the library.
set -euo pipefail
source "$(dirname "$0")/../readme.sh"

if [ "${1:-}" != --this-node ]; then
  for major in $(node -p "Object.keys(require('$root/toolchain/versions.json').node).join(' ')"); do
    bash "$root/scripts/with-node.sh" "$major" bash "$0" --this-node
  done
  exit 0
fi

shopt -s nullglob
tarballs=("$IVS_EVENTS_DIST"/js/*.tgz)
[ ${#tarballs[@]} -eq 1 ] || { echo "consumers/npm: expected one tarball in dist/js, found ${#tarballs[@]}: run npx projen package:js" >&2; exit 1; }
tar -tzf "${tarballs[0]}" | grep -x 'package/assets/tracker-handler/index.js' >/dev/null \
  || { echo "consumers/npm: ${tarballs[0]} lacks package/assets/tracker-handler/index.js" >&2; exit 1; }

node_major=$(node -p 'process.versions.node.split(".")[0]')
project=$(fresh_project "npm-node$node_major")
start_record "npm-node$node_major"
cd "$project"
npm init -y >/dev/null
cp "$root/test/consumers/npm/package-lock.json" .
run_snippet npm-install
echo "consumers/npm: Node.js $(node --version), installed $(node -p "'aws-cdk-lib ' + require('aws-cdk-lib/package.json').version + ', constructs ' + require('constructs/package.json').version")"

snippet ts-quickstart > app.ts
run_snippet ts-run
record_file ts-quickstart app.ts
check_quickstart npm cdk.out
node - "$root/test/consumers/npm/package-lock.json" package-lock.json <<'JS'
const fs = require('fs');
const [locked, installed] = process.argv.slice(2).map(f => JSON.parse(fs.readFileSync(f, 'utf8')).packages);
const key = p => JSON.stringify([p.version, p.integrity ?? null]);
const differ = [...new Set([...Object.keys(locked), ...Object.keys(installed)])]
  .filter(k => k && k !== 'node_modules/cdk-ivs-realtime-events')
  .filter(k => !locked[k] || !installed[k] || key(locked[k]) !== key(installed[k]));
if (differ.length) {
  process.stderr.write(`consumers/npm: installed packages differ from test/consumers/npm/package-lock.json (run scripts/lock-consumers.sh?): ${differ.join(', ')}\n`);
  process.exit(1);
}
process.stdout.write(`consumers/npm: installed exactly the ${Object.keys(locked).length - 1} locked packages and the library\n`);
JS

cat > tracker.js <<'JS'
const { App, Stack } = require('aws-cdk-lib');
const { IvsStageStateTracker } = require('cdk-ivs-realtime-events');
const app = new App({ outdir: 'tracker.out' });
new IvsStageStateTracker(new Stack(app, 'Consumer'), 'Tracker', { stageArns: ['arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij'] });
app.synth();
JS
node tracker.js
node "$root/test/consumers/check-tracker.js" npm tracker.out
check_ran npm-install ts-quickstart ts-run
