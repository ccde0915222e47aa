#!/usr/bin/env node
// The state tracker's Lambda handler is bundled at build time into assets/tracker-handler/index.js
// and must travel inside every package: the synthesized asset of the tracker's function must be
// that very file. Usage: node check-tracker.js LANGUAGE CDK_OUT_DIR
'use strict';
const fs = require('fs');
const path = require('path');

const [language, outdir] = process.argv.slice(2);
const fail = (message) => {
  process.stderr.write(`consumers/${language}: tracker handler: ${message}\n`);
  process.exit(1);
};
const bundle = fs.readFileSync(path.join(__dirname, '..', '..', 'assets', 'tracker-handler', 'index.js'));
if (bundle.length === 0) fail('assets/tracker-handler/index.js is empty: run npx projen bundle:tracker');

const templates = fs.existsSync(outdir) ? fs.readdirSync(outdir).filter(f => f.endsWith('.template.json')) : [];
const functions = templates.flatMap(f => Object.values(JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf8')).Resources))
  .filter(r => r.Type === 'AWS::Lambda::Function' && ['index.handler', 'index.reconcileHandler'].includes(r.Properties.Handler));
if (functions.length !== 2) fail(`expected the tracker's event and reconciler functions in ${outdir}, found ${functions.length}`);
for (const fn of functions) {
  const key = fn.Properties.Code.S3Key;
  const file = path.join(outdir, `asset.${String(key).replace(/\.zip$/, '')}`, 'index.js');
  if (!fs.existsSync(file)) fail(`${fn.Properties.Handler}: ${file} is missing`);
  if (!fs.readFileSync(file).equals(bundle)) fail(`${fn.Properties.Handler}: ${file} is not the bundled handler`);
}
process.stdout.write(`consumers/${language}: the tracker's functions run the bundled handler (${bundle.length} bytes)\n`);
