#!/usr/bin/env node
// Fails when a consumer ran something other than the README: compares what a run.sh recorded for
// each README block (the shell text bash executed, or a file as the toolchain read it) with that
// block in the README, byte for byte, and shows the first lines that differ.
//
//   node test/consumers/check-ran.js RECORD_DIR NAME...   (every NAME must have a record)
'use strict';
const fs = require('fs');
const path = require('path');
const { snippetCode } = require('./readme-snippets');

const [dir, ...names] = process.argv.slice(2);
if (!dir || names.length === 0) {
  process.stderr.write('usage: check-ran.js RECORD_DIR NAME...\n');
  process.exit(2);
}
const problems = [];
for (const name of names) {
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) {
    problems.push(`README block ${name}: the consumer did not run it`);
    continue;
  }
  const ran = fs.readFileSync(file, 'utf8');
  const readme = snippetCode(name);
  if (ran === readme) continue;
  const a = readme.split('\n');
  const b = ran.split('\n');
  const line = a.findIndex((l, i) => l !== b[i]);
  const at = line < 0 ? a.length : line;
  problems.push([
    `README block ${name}: the consumer ran something else (first difference at line ${at + 1} of the block)`,
    `  README: ${JSON.stringify(a[at] ?? '(end of block)')}`,
    `  ran:    ${JSON.stringify(b[at] ?? '(end of block)')}`,
  ].join('\n'));
}
if (problems.length) {
  process.stderr.write(`consumers: what ran differs from the README (${dir}):\n${problems.join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`consumers: ran exactly the README's ${names.join(', ')}\n`);
