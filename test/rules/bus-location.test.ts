// A rule lives on a bus of its own account and region: given a bus imported from elsewhere,
// CloudFormation would create the rule on a local bus of the same name, which IVS never fills.
import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { IvsStageEventRule, IvsStageStateTracker } from '../../src';
import { testStack } from '../util/stack';

const ELSEWHERE: [string, string][] = [
  ['another account', 'arn:aws:events:us-east-1:999999999999:event-bus/central'],
  ['another region', 'arn:aws:events:eu-west-1:123456789012:event-bus/central'],
];

const builders: [string, string, (stack: Stack, bus: events.IEventBus) => void][] = [
  ['IvsStageEventRule', 'eventBus', (stack, bus) => new IvsStageEventRule(stack, 'Rule', { eventBus: bus })],
  ['IvsStageStateTracker', 'activityEventBus', (stack, bus) => new IvsStageStateTracker(stack, 'Tracker', { activityEventBus: bus })],
];

describe.each(builders)('%s', (_construct, prop, build) => {
  test.each(ELSEWHERE)(`\`${prop}\` in %s is refused, naming the prop and the bus`, (_where, arn) => {
    // GIVEN
    const stack = testStack();
    const bus = events.EventBus.fromEventBusArn(stack, 'Bus', arn);
    // WHEN / THEN
    expect(() => build(stack, bus)).toThrow(`\`${prop}\` must be an event bus in this stack's account and region (123456789012, us-east-1): `
      + `a rule can only be created on a bus of its own account and region, got ${arn}`);
  });

  test(`\`${prop}\` in the stack's own account and region is accepted`, () => {
    const stack = testStack();
    const bus = events.EventBus.fromEventBusArn(stack, 'Bus', 'arn:aws:events:us-east-1:123456789012:event-bus/local');
    expect(() => build(stack, bus)).not.toThrow();
  });
});
