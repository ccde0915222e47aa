#!/usr/bin/env node
// The README's fenced code blocks, so that the consumer projects run the README's commands and
// programs exactly as written instead of copies that could drift from it.
//
//   node test/consumers/readme-snippets.js NAME   prints the block that follows `<!-- snippet:NAME -->`
//   node test/consumers/readme-snippets.js --list prints every fenced block as JSON: line, language, name
//
// Plain JavaScript: it runs in every consumer's run.sh, where ts-node would cost seconds per call.
'use strict';
const fs = require('fs');
const path = require('path');

const README = path.join(__dirname, '..', '..', 'README.md');
const MARKER = /^<!-- snippet:([a-z0-9:-]+) -->$/;

function blocks(text) {
  const lines = text.split('\n');
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,})(\S*)(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, language] = open;
    const end = lines.findIndex((l, j) => j > i && l === indent + fence);
    if (end < 0) throw new Error(`README.md:${i + 1}: unclosed code block`);
    const marker = i > 0 ? MARKER.exec(lines[i - 1].trim()) : null;
    found.push({
      line: i + 1,
      language,
      name: marker ? marker[1] : null,
      code: lines.slice(i + 1, end).map(l => l.startsWith(indent) ? l.slice(indent.length) : l).join('\n') + '\n',
    });
    i = end;
  }
  const names = found.filter(b => b.name).map(b => b.name);
  const twice = names.filter((n, k) => names.indexOf(n) !== k);
  if (twice.length) throw new Error(`README.md: snippet names used twice: ${twice.join(', ')}`);
  const stray = lines.map((l, k) => [l.trim(), k]).filter(([l, k]) => MARKER.test(l) && !found.some(b => b.line === k + 2));
  if (stray.length) throw new Error(`README.md:${stray[0][1] + 1}: a snippet marker must stand on the line before a code block`);
  return found;
}

/** The code of the README block marked `<!-- snippet:NAME -->`, or undefined. */
function snippetCode(name) {
  const block = blocks(fs.readFileSync(README, 'utf8')).find(b => b.name === name);
  return block && block.code;
}

module.exports = { blocks, snippetCode };

if (require.main === module) {
  const [arg] = process.argv.slice(2);
  if (arg === '--list') {
    const all = blocks(fs.readFileSync(README, 'utf8'));
    process.stdout.write(JSON.stringify(all.map(({ line, language, name }) => ({ line, language, name }))) + '\n');
  } else {
    const code = snippetCode(arg);
    if (code === undefined) {
      process.stderr.write(`README.md has no code block marked <!-- snippet:${arg} -->\n`);
      process.exit(1);
    }
    process.stdout.write(code);
  }
}
