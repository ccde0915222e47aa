// The state tracker's guide (docs/state-tracker.md) says what the code does: the ranks at equal times are the
// state model's, and the table's stream has no more readers than DynamoDB Streams serves unthrottled.
import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { COMPOSITION_STATES, DESTINATION_STATES, PUBLISH_STATES, RECORDING_STATES } from '../../runtime/tracker/state-model';
import { IvsStageStateTracker } from '../../src';
import { testStack } from '../util/stack';

const guide = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'state-tracker.md'), 'utf8');
const tracking = guide.split(/^## /m).find(section => section.startsWith('Tracking stage state')) ?? '';

describe('the tracker guide\'s contract', () => {
  test.each([
    ['publish', PUBLISH_STATES],
    ['recording', RECORDING_STATES],
    ['composition', COMPOSITION_STATES],
    ['destination', DESTINATION_STATES],
  ])('the %s rank at equal times is written out, as the state model has it', (kind, states) => {
    expect(tracking).toContain(`| ${kind} | ${states.map(s => `\`${s}\``).join(' < ')} |`);
  });

  test('the stream\'s readers are the tracker\'s two pipes, and the table contract says no third should be added', () => {
    // DynamoDB Streams: more than 2 simultaneous readers of one shard may be throttled.
    const stack = testStack();
    new IvsStageStateTracker(stack, 'Tracker');
    const template = Template.fromStack(stack);
    const readers = Object.values(template.findResources('AWS::Pipes::Pipe'))
      .filter(pipe => JSON.stringify(pipe.Properties.Source).includes('StreamArn'));
    expect(readers).toHaveLength(2);
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1); // the SQS queue's, not the stream's
    expect(tracking).toMatch(/two readers, the\s+tracker's Active and Idle pipes/);
    expect(tracking).toMatch(/more than 2 simultaneous\s+readers of one shard may be throttled/);
  });
});
