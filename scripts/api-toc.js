#!/usr/bin/env node
// A table of contents for API.md, which jsii-docgen writes without one: every construct with its
// props struct and each of its props, then every other struct, class and enum, each linked to the
// anchor jsii-docgen wrote. Run after jsii-docgen by the docgen task (.projenrc.ts); plain
// JavaScript, as it runs in the compile step on the machine's Node.js.
//
//   node scripts/api-toc.js API.md
'use strict';
const fs = require('fs');

const TITLE = '## Contents';

/** The table of contents for the API.md text `markdown` (without a contents section of its own). */
function tableOfContents(markdown) {
  // `### Name <a name="Name" id="pkg.Name"></a>` under `## Constructs`, `## Structs`, ...
  const sections = {};
  let section = null;
  for (const line of markdown.split('\n')) {
    const top = /^## (\w+) <a name=/.exec(line);
    if (top) { section = top[1]; sections[section] = []; continue; }
    const entry = /^### (\w+) <a name="[^"]*" id="([^"]+)"><\/a>$/.exec(line);
    if (entry && section) sections[section].push({ name: entry[1], id: entry[2] });
  }
  const props = (struct) => [...markdown.matchAll(new RegExp(`^##### \`(\\w+)\`<sup>(Required|Optional)</sup> <a name="[^"]*" id="(${struct.id.replace(/\./g, '\\.')}\\.property\\.\\w+)"></a>$`, 'gm'))]
    .sort((a, b) => a[1].localeCompare(b[1])).map(m => `[\`${m[1]}\`](#${m[3]})`);
  const link = (entry) => `[\`${entry.name}\`](#${entry.id})`;
  const structs = sections.Structs || [];
  const lines = [TITLE, '', '### Constructs and their props', ''];
  const described = new Set();
  for (const construct of sections.Constructs || []) {
    const struct = structs.find(s => s.name === `${construct.name}Props`);
    if (!struct) { lines.push(`- ${link(construct)}`); continue; }
    described.add(struct.name);
    lines.push(`- ${link(construct)}: ${link(struct)}: ${props(struct).join(', ')}`);
  }
  for (const [title, entries] of [['Other structs', structs.filter(s => !described.has(s.name))], ['Classes', sections.Classes || []], ['Enums', sections.Enums || []]]) {
    if (entries.length) lines.push('', `### ${title}`, '', entries.map(link).join(', '));
  }
  return lines.join('\n') + '\n';
}

/** API.md with its table of contents after the title, replacing one written before. */
function withTableOfContents(markdown) {
  const withoutOld = markdown.replace(new RegExp(`^${TITLE}\\n[\\s\\S]*?(?=^## )`, 'm'), '');
  const title = withoutOld.indexOf('\n## ');
  if (title < 0) throw new Error('API.md: no section after the title');
  return `${withoutOld.slice(0, title + 1)}${tableOfContents(withoutOld)}\n${withoutOld.slice(title + 1)}`;
}

module.exports = { tableOfContents, withTableOfContents };

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: api-toc.js API.md\n');
    process.exit(2);
  }
  fs.writeFileSync(file, withTableOfContents(fs.readFileSync(file, 'utf8')));
}
