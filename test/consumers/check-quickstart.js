#!/usr/bin/env node
// What every language's README quick start must synthesize: the stack IvsMonitoring with the
// production alarms paging the Oncall topic (critical) and the Chat topic (warning), and the
// dashboard. Usage: node check-quickstart.js LANGUAGE CDK_OUT_DIR
'use strict';
const fs = require('fs');
const path = require('path');

const [language, outdir] = process.argv.slice(2);
const file = path.join(outdir, 'IvsMonitoring.template.json');
const fail = (message) => {
  process.stderr.write(`consumers/${language}: README quick start: ${message}\n`);
  process.exit(1);
};
if (!fs.existsSync(file)) fail(`${file} was not written`);

const resources = Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')).Resources);
const topic = (prefix) => {
  const ids = resources.filter(([id, r]) => r.Type === 'AWS::SNS::Topic' && id.startsWith(prefix)).map(([id]) => id);
  if (ids.length !== 1) fail(`expected one ${prefix} topic, found ${JSON.stringify(ids)}`);
  return ids[0];
};
const alarm = (name) => {
  const found = resources.find(([, r]) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.AlarmName === name);
  if (!found) fail(`no alarm named ${name}`);
  return found[1].Properties;
};
const notifies = (name, topicId) => {
  const actions = JSON.stringify(alarm(name).AlarmActions ?? []);
  if (!actions.includes(JSON.stringify({ Ref: topicId }))) fail(`${name} does not notify ${topicId}: ${actions}`);
};

const oncall = topic('Oncall');
const chat = topic('Chat');
notifies('ivs-realtime-prod-composition-failures', oncall);
notifies('ivs-realtime-prod-recording-failures', oncall);
notifies('ivs-realtime-prod-publish-errors', chat);
if (alarm('ivs-realtime-prod-composition-failures').Threshold !== 1) fail('the production profile alarms on the first composition failure');
if (!resources.some(([, r]) => r.Type === 'AWS::CloudWatch::Dashboard' && r.Properties.DashboardName === 'ivs-realtime-prod')) {
  fail('no dashboard ivs-realtime-prod');
}
process.stdout.write(`consumers/${language}: README quick start synthesized IvsMonitoring (${resources.length} resources) as expected\n`);
