// The rules of IvsRecordingReady read back from the synthesized template and judged by
// event-ruler, the engine behind EventBridge: in a shared account, each construct takes only
// its own recordings and its own derived events.
import { CfnElement } from 'aws-cdk-lib';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IvsEvent, IvsRecordingReady, IvsStageStateTracker, RecordingReadiness } from '../../src';
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
      // A failed S3 destination's recording is announced too (FAILED once recording-failed.json is written).
      { name: 'Destination Failure', event: fixtureEvent(IvsEvent.COMPOSITION_DESTINATION_FAILURE), expected: true },
      { name: 'Destination Start', event: fixtureEvent(IvsEvent.COMPOSITION_DESTINATION_START), expected: false },
    ];
    const results = eventRulerMatches(cases.map(c => ({ pattern, event: c.event })));

    // THEN
    expect(cases.filter((c, i) => results[i] !== c.expected).map(c => c.name)).toEqual([]);
  });

  test('given two constructs on one bus, when each puts its derived events, then each one\'s rules take only its own (resources: its state machine)', () => {
    // GIVEN
    const stack = testStack();
    const topic = new sns.Topic(stack, 'Mail', { enforceSSL: true });
    const [a, b] = ['A', 'B'].map(env => new IvsRecordingReady(stack, env, { buckets: [s3.Bucket.fromBucketName(stack, `${env}Bucket`, `env-${env}`)] }));
    const aRules = [a.onRecordingReady('Ready', new targets.SnsTopic(topic)), ...a.notify('Notify', topic)];
    const arnOf = (ready: IvsRecordingReady) => `arn:aws:states:us-east-1:123456789012:stateMachine:${ready.node.id}`;
    const idOf = (ready: IvsRecordingReady) => stack.getLogicalId(ready.stateMachine.node.defaultChild as CfnElement);
    const patterns = deployedPatterns(stack, { [idOf(a)]: arnOf(a), [idOf(b)]: arnOf(b) });
    const derived = (readiness: RecordingReadiness, from: IvsRecordingReady) => ({
      'version': '0',
      'id': `${readiness.detailType}-${from.node.id}`,
      'detail-type': readiness.detailType,
      'source': readiness.source,
      'account': '123456789012',
      'time': '2026-12-06T12:00:00Z',
      'region': 'us-east-1',
      'resources': [arnOf(from)],
      'detail': { kind: 'INDIVIDUAL', stageArn: STAGE, sourceEventId: 'e', bucket: 'b', prefix: 'p' },
    });

    // WHEN
    const cases = aRules.flatMap(rule => {
      const pattern = patterns[stack.getLogicalId(rule.node.defaultChild as CfnElement)];
      const readiness = pattern['detail-type'][0] === RecordingReadiness.RECORDING_READY.detailType
        ? RecordingReadiness.RECORDING_READY : RecordingReadiness.RECORDING_NOT_READY;
      return [
        { name: `${rule.node.path}: A's ${readiness.detailType}`, pattern, event: derived(readiness, a), expected: true },
        { name: `${rule.node.path}: B's ${readiness.detailType}`, pattern, event: derived(readiness, b), expected: false },
      ];
    });
    const results = eventRulerMatches(cases.map(c => ({ pattern: c.pattern, event: c.event })));

    // THEN
    expect(cases).toHaveLength(6);
    expect(cases.filter((c, i) => results[i] !== c.expected).map(c => c.name)).toEqual([]);
  });
});
