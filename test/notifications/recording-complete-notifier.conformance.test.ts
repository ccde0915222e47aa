// What a subscriber receives: for every fixture, the notifier's rules are judged by
// event-ruler (which rule fires) and the firing rule's input transformer is rendered as
// EventBridge documents it (what the message says).
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RecordingCompleteNotifier, RecordingCompleteNotifierProps } from '../../src';
import { eventRulerMatches } from '../conformance/event-ruler';
import { IvsEventJson, loadFixture, nonRealtimeFixtures, realtimeFixtures, withDetail, withStage } from '../util/fixtures';
import { renderInputJson } from '../util/input-transformer';
import { testStack } from '../util/stack';

interface DeployedRule {
  readonly id: string;
  readonly pattern: unknown;
  readonly targets: any[];
}

function synthRules(props: RecordingCompleteNotifierProps = {}): DeployedRule[] {
  const stack: Stack = testStack();
  new RecordingCompleteNotifier(stack, 'Notifier', props);
  return Object.entries(Template.fromStack(stack).findResources('AWS::Events::Rule'))
    .map(([id, r]) => ({ id, pattern: r.Properties.EventPattern, targets: r.Properties.Targets }));
}

/** The rules that fire for each event, in one event-ruler run. */
function firingEach(rules: DeployedRule[], events: IvsEventJson[]): DeployedRule[][] {
  const results = eventRulerMatches(events.flatMap(event => rules.map(r => ({ pattern: r.pattern, event }))));
  return events.map((_, e) => rules.filter((__, r) => results[e * rules.length + r]));
}

function firing(rules: DeployedRule[], event: IvsEventJson): DeployedRule[] {
  return firingEach(rules, [event])[0];
}

/** The one message a subscriber of the topic receives for `event`. */
function messageFor(rules: DeployedRule[], event: IvsEventJson): any {
  const fired = firing(rules, event);
  expect(fired).toHaveLength(1);
  return renderInputJson(fired[0].targets[0].InputTransformer, event);
}

const rules = synthRules();
const recordingEnd = loadFixture('realtime/recording-end.json').event;

describe('RecordingCompleteNotifier messages', () => {
  test('every fixture fires exactly the rules of its kind: one for recording events, none otherwise', () => {
    // GIVEN
    const fixtures = [...realtimeFixtures(), ...nonRealtimeFixtures()];

    // WHEN
    const firedEach = firingEach(rules, fixtures.map(f => f.event));
    const fired = Object.fromEntries(fixtures.map((f, i) => [f.file, firedEach[i].map(r => r.id.replace(/Rule[0-9A-F]{8}$/, ''))]));

    // THEN
    expect(fired).toEqual({
      'realtime/recording-end.json': ['NotifierCompletedWithDuration'],
      'derived/recording-end-without-duration.json': ['NotifierCompletedWithoutDuration'],
      'realtime/recording-start-failure.json': ['NotifierFailedWithoutDuration'],
      'realtime/recording-end-failure.json': ['NotifierFailedWithDuration'],
      ...Object.fromEntries(fixtures
        .filter(f => !['recording-end', 'recording-end-without-duration', 'recording-start-failure', 'recording-end-failure']
          .some(n => f.file.endsWith(`/${n}.json`)))
        .map(f => [f.file, []])),
    });
  });

  test('Recording End: the documented message, field by field', () => {
    expect(messageFor(rules, recordingEnd)).toEqual({
      version: '1',
      stageArn: 'arn:aws:ivs:us-west-2:aws_account_id:stage/AbCdef1G2hij',
      sessionId: 'st-ZyXwvu1T2s',
      participantId: 'xYz1c2d3e4f',
      bucket: 'bucket-name',
      keyPrefix: '<stage_id>/<session_id>/<participant_id>/2024-01-01T12-00-55Z',
      s3Uri: 's3://bucket-name/<stage_id>/<session_id>/<participant_id>/2024-01-01T12-00-55Z/',
      eventId: '12345678-1a23-4567-a1bc-1a2b34567890',
      eventTime: '2024-03-13T22:19:04Z',
      region: 'us-east-1',
      account: '123456789012',
      durationMs: 547327,
    });
  });

  test('Recording End without recording_duration_ms: valid JSON without durationMs', () => {
    const message = messageFor(rules, loadFixture('derived/recording-end-without-duration.json').event);
    expect(message).not.toHaveProperty('durationMs');
    expect(message).toMatchObject({ version: '1', sessionId: 'st-ZyXwvu1T2s', eventId: '32345678-1a23-4567-a1bc-1a2b34567890' });
  });

  test.each([
    ['realtime/recording-start-failure.json', 'Recording Start Failure', undefined],
    ['realtime/recording-end-failure.json', 'Recording End Failure', 547327],
  ])('%s: the failure message adds eventName', (file, eventName, durationMs) => {
    const message = messageFor(rules, loadFixture(file).event);
    expect(message.eventName).toEqual(eventName);
    expect(message.durationMs).toEqual(durationMs);
    expect(message).toMatchObject({ version: '1', bucket: 'bucket-name', participantId: 'xYz1c2d3e4f' });
  });

  test('a recording_duration_ms of null: one message, valid JSON, durationMs null as the README says', () => {
    // EventBridge treats a null field as present (exists: true matches it), and a
    // CloudFormation template cannot hold a null matcher: the with-duration rule takes it.
    const message = messageFor(rules, withDetail(recordingEnd, { recording_duration_ms: null }));
    expect(message.durationMs).toBeNull();
    expect(message.keyPrefix).toEqual(recordingEnd.detail.recording_s3_key_prefix);
  });

  test('a key prefix with characters JSON must escape keeps them exactly in keyPrefix', () => {
    // GIVEN: keyPrefix is substituted outside quotes, where EventBridge encodes the string
    const prefix = 'stage "A"\\b/é ü/+&=%/2024-01-01T12-00-55Z';
    const event = withDetail(recordingEnd, { recording_s3_key_prefix: prefix });
    const fired = firing(rules, event);

    // WHEN
    const template = fired[0].targets[0].InputTransformer.InputTemplate as string;

    // THEN: the keyPrefix field survives any content; s3Uri is composed inside a string,
    // where EventBridge does not escape. IVS builds prefixes from ids and a timestamp
    // ([A-Za-z0-9-], '/'), so s3Uri is valid for every prefix IVS can produce.
    expect(template).toContain('"keyPrefix":<detail-recording_s3_key_prefix>');
    const withoutUri = { ...fired[0].targets[0].InputTransformer, InputTemplate: template.replace(/,"s3Uri":"[^"]*"/, '') };
    expect(renderInputJson(withoutUri, event).keyPrefix).toEqual(prefix);
    const ivsLike = 'AbCdef1G2hij/st-ZyXwvu1T2s/xYz1c2d3e4f/2024-01-01T12-00-55Z';
    expect(messageFor(rules, withDetail(recordingEnd, { recording_s3_key_prefix: ivsLike })).s3Uri).toEqual(`s3://bucket-name/${ivsLike}/`);
  });

  test('stage, participant and session filters apply to every rule', () => {
    // GIVEN
    const stage = 'arn:aws:ivs:us-east-1:123456789012:stage/StageAaaaaaa';
    const filtered = synthRules({ stageArns: [stage], participantIds: ['xYz1c2d3e4f'], sessionIds: ['st-ZyXwvu1T2s'] });
    const fixtures = realtimeFixtures().filter(f => f.event['detail-type'] === 'IVS Participant Recording State Change');

    // WHEN
    const onStage = firingEach(filtered, fixtures.map(f => withStage(f, stage))).map(r => r.length);
    const elsewhere = firingEach(filtered, fixtures.map(f => f.event)).map(r => r.length);
    const otherParticipant = firingEach(filtered, fixtures.map(f => withDetail(withStage(f, stage), { participant_id: 'other' }))).map(r => r.length);

    // THEN: on the stage, Recording Start is not notified and every other recording event
    // fires once; on another stage or of another participant, nothing fires
    const byFile = (counts: number[]) => Object.fromEntries(fixtures.map((f, i) => [f.file, counts[i]]));
    expect(byFile(onStage)).toEqual({
      'realtime/recording-end-failure.json': 1,
      'realtime/recording-end.json': 1,
      'realtime/recording-start-failure.json': 1,
      'realtime/recording-start.json': 0,
      'derived/recording-end-without-duration.json': 1,
    });
    expect(byFile(elsewhere)).toEqual(byFile(fixtures.map(() => 0)));
    expect(byFile(otherParticipant)).toEqual(byFile(fixtures.map(() => 0)));
  });

  test('without failure notifications only Recording End fires', () => {
    const completionOnly = synthRules({ notifyFailures: false });
    expect(completionOnly).toHaveLength(2);
    expect(firing(completionOnly, loadFixture('realtime/recording-end-failure.json').event)).toEqual([]);
  });
});
