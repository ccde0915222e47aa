import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IvsStageStateTracker, StageActivity } from '../../src';
import { PUT_EVENTS_CONDITION_KEYS } from '../../src/private/aws-facts';
import { testStack } from '../util/stack';

describe('who may put the tracker\'s activity events', () => {
  test('the pipes and the grace machine may put on the one activity bus only the events they publish: their source and detail-types', () => {
    // GIVEN
    const stack = testStack();
    const bus = new events.EventBus(stack, 'Activity');
    const tracker = new IvsStageStateTracker(stack, 'Tracker', { activityEventBus: bus });
    const queue = new sqs.Queue(stack, 'Stops', { enforceSSL: true });

    // WHEN
    tracker.onStageIdle('Stop', new targets.SqsQueue(queue), { gracePeriod: Duration.minutes(2) });

    // THEN
    const TRACKER_EVENT_SOURCE = StageActivity.STAGE_ACTIVE.source;
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .flatMap(policy => policy.Properties.PolicyDocument.Statement)
      .filter((st: any) => [st.Action].flat().includes('events:PutEvents'));
    // the pipes' one role (active and idle) and the grace machine's, each narrowed by the keys PutEvents takes
    // (events:source and events:detail-type are multivalued, one value per entry: ForAllValues)
    expect(statements).toEqual([
      expect.objectContaining({
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Activity/), 'Arn'] },
        Condition: { 'ForAllValues:StringEquals': { 'events:source': [TRACKER_EVENT_SOURCE], 'events:detail-type': ['IVS Stage Active', 'IVS Stage Idle'] } },
      }),
      expect.objectContaining({
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Activity/), 'Arn'] },
        Condition: { 'ForAllValues:StringEquals': { 'events:source': [TRACKER_EVENT_SOURCE], 'events:detail-type': ['IVS Stage Idle Confirmed'] } },
      }),
    ]);
    for (const st of statements) {
      const keys = Object.values<Record<string, unknown>>(st.Condition).flatMap(Object.keys);
      expect(keys.filter(key => !(PUT_EVENTS_CONDITION_KEYS as readonly string[]).includes(key))).toEqual([]);
    }
  });
});
