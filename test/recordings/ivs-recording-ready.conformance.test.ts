// The rules of IvsRecordingReady read back from the synthesized template and judged by
// event-ruler, the engine behind EventBridge: in a shared account, each construct takes only
// its own recordings and its own derived events.
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IvsEvent, IvsRecordingReady, IvsStageStateTracker } from '../../src';
import { eventRulerMatches } from '../conformance/event-ruler';
import { catalogEventOf, realtimeFixtures, withDetail, withStage } from '../util/fixtures';
import { testStack } from '../util/stack';
import { deployedPatterns } from '../util/template';

const STAGE = 'arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij';

function fixtureEvent(event: IvsEvent) {
  const fixture = realtimeFixtures().find(f => catalogEventOf(f) === event)!;
  return withStage(fixture, STAGE);
}

describe('IvsRecordingReady conformance (event-ruler)', () => {
  test('given two environments in one account, when a recording ends in one\'s bucket, then only that one\'s rule starts a check; Destination End is not filtered by bucket', () => {
    // GIVEN
    const stack = testStack();
    const mine = s3.Bucket.fromBucketName(stack, 'Mine', 'env-a-recordings');
    const tracker = new IvsStageStateTracker(stack, 'Tracker');
    const ready = new IvsRecordingReady(stack, 'Ready', { buckets: [mine], tracker });
    const ruleId = stack.getLogicalId(ready.rule.rule.node.defaultChild as any);
    const pattern = deployedPatterns(stack)[ruleId];

    // WHEN
    const cases = [
      { name: 'Recording End, my bucket', event: withDetail(fixtureEvent(IvsEvent.RECORDING_END), { recording_s3_bucket_name: 'env-a-recordings' }), expected: true },
      { name: 'Recording End, another environment\'s bucket', event: withDetail(fixtureEvent(IvsEvent.RECORDING_END), { recording_s3_bucket_name: 'env-b-recordings' }), expected: false },
      { name: 'Recording End Failure, my bucket', event: withDetail(fixtureEvent(IvsEvent.RECORDING_END_FAILURE), { recording_s3_bucket_name: 'env-a-recordings' }), expected: true },
      { name: 'Recording End Failure, another bucket', event: withDetail(fixtureEvent(IvsEvent.RECORDING_END_FAILURE), { recording_s3_bucket_name: 'env-b-recordings' }), expected: false },
      // Destination End names no bucket: the destination item decides (its absence ends the run quietly).
      { name: 'Destination End', event: fixtureEvent(IvsEvent.COMPOSITION_DESTINATION_END), expected: true },
    ];
    const results = eventRulerMatches(cases.map(c => ({ pattern, event: c.event })));

    // THEN
    expect(cases.filter((c, i) => results[i] !== c.expected).map(c => c.name)).toEqual([]);
  });
});
