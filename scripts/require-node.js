#!/usr/bin/env node
// One clear line instead of a confusing failure later: exits 3 with
// "Node.js 22 or newer is required, found 20.x; see CONTRIBUTING" when the Node.js running it (or
// the VERSION given, for tests) is older than the oldest the project supports (`engines` in
// package.json). Written for any Node.js, however old: no syntax newer than ES5.
//
//   node scripts/require-node.js [VERSION]
'use strict';
var fs = require('fs');
var path = require('path');

var engines = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).engines.node;
var oldest = Number(/(\d+)/.exec(engines)[1]);
var version = process.argv[2] || process.versions.node;
var major = Number(version.replace(/^v/, '').split('.')[0]);
if (!(major >= oldest)) {
  process.stderr.write('Node.js ' + oldest + ' or newer is required, found ' + major + '.x; see CONTRIBUTING\n');
  process.exit(3);
}
