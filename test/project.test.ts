import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildExampleApp } from '../examples/app';
import { summarize } from '../examples/summarize';

const ROOT = path.join(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

describe('README', () => {
  const tryIt = read('README.md').split(/^## /m).find(section => section.startsWith('Try it')) ?? '';
  const commands = [...tryIt.matchAll(/^\| (.+?) \| `([^`]+)` \|$/gm)].map(m => ({ what: m[1], command: m[2] }));

  test('names exactly two commands: the main job and every test', () => {
    expect(commands.map(c => c.command)).toEqual(['npm ci && npx projen example', 'npm ci && npx projen build']);
  });

  test('.ci/run runs the README test command and nothing else', () => {
    const steps = read('.ci/run').split('\n').filter(l => l.trim() && !l.startsWith('#') && !l.startsWith('set ') && !l.startsWith('cd '));
    expect(steps).toEqual([commands[1].command]);
  });
});

describe('example app', () => {
  test('the summary lists every rule with its pattern and the dead-letter queue of every target', () => {
    // GIVEN
    const assembly = buildExampleApp(fs.mkdtempSync(path.join(os.tmpdir(), 'example-'))).synth();

    // WHEN
    const summary = summarize(assembly);

    // THEN
    const template = assembly.getStackByName('IvsEventsExample').template;
    const rules = Object.values<any>(template.Resources).filter(r => r.Type === 'AWS::Events::Rule');
    expect(rules).toHaveLength(2);
    expect(summary).toContain('Stack IvsEventsExample (123456789012/us-east-1): 2 rule(s)');
    expect(summary).toContain('Rule /IvsEventsExample/AllEvents/Rule [ENABLED]');
    expect(summary).toContain('Rule /IvsEventsExample/MainStageFailures/Rule [ENABLED]');
    expect(summary).toContain('- /IvsEventsExample/Alerts (AWS::SNS::Topic)');
    expect(summary).toContain('dead-letter queue: /IvsEventsExample/MainStageFailures/DeadLetterQueue (AWS::SQS::Queue)');
    expect(summary).toContain('"</IvsEventsExample/Stage (AWS::IVS::Stage)>"');
    expect(summary).not.toContain('dead-letter queue: NONE');
    for (const rule of rules) {
      for (const name of rule.Properties.EventPattern.$or.flatMap((b: any) => b.detail.event_name)) {
        expect(summary).toContain(`"${name}"`);
      }
    }
  });
});
