import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IvsStageStateTracker } from '../../src';
import { PUT_EVENTS_CONDITION_KEYS } from '../../src/private/aws-facts';
import { testStack } from '../util/stack';

describe('who may put the tracker\'s activity events', () => {
  test('the pipes and the grace machine may put events on the one activity bus, with only the conditions PutEvents takes', () => {
    // GIVEN
    const stack = testStack();
    const bus = new events.EventBus(stack, 'Activity');
    const tracker = new IvsStageStateTracker(stack, 'Tracker', { activityEventBus: bus });
    const queue = new sqs.Queue(stack, 'Stops', { enforceSSL: true });

    // WHEN
    tracker.onStageIdle('Stop', new targets.SqsQueue(queue), { gracePeriod: Duration.minutes(2) });

    // THEN
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .flatMap(policy => policy.Properties.PolicyDocument.Statement)
      .filter((st: any) => [st.Action].flat().includes('events:PutEvents'));
    // the pipes' one role (active and idle) and the grace machine's
    expect(statements).toHaveLength(2);
    for (const st of statements) {
      expect(st.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Activity/), 'Arn'] });
      const keys = Object.values<Record<string, unknown>>(st.Condition ?? {}).flatMap(Object.keys);
      expect(keys.filter(key => key.startsWith('events:') && !PUT_EVENTS_CONDITION_KEYS.includes(key))).toEqual([]);
    }
  });
});
