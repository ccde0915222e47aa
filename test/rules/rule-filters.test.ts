import { Template } from 'aws-cdk-lib/assertions';
import { IvsDetailType, IvsEvent, IvsStageEventRule, IvsStageEventRuleProps, StageLocation } from '../../src';
import { eventRulerMatches } from '../conformance/event-ruler';
import { loadFixture, withDetail } from '../util/fixtures';
import { testStack } from '../util/stack';

function patternOf(props: IvsStageEventRuleProps): any {
  const stack = testStack();
  new IvsStageEventRule(stack, 'Rule', props);
  const rules = Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule'));
  expect(rules).toHaveLength(1);
  return rules[0].Properties.EventPattern;
}

describe('detail field filters (exists matchers)', () => {
  test('detailFieldsPresent and detailFieldsAbsent render `exists` matchers beside the other filters', () => {
    // WHEN
    const pattern = patternOf({
      events: [IvsEvent.RECORDING_END],
      participantIds: ['p1'],
      detailFieldsPresent: ['recording_duration_ms'],
      detailFieldsAbsent: ['reason'],
    });

    // THEN
    expect(pattern.detail).toEqual({
      event_name: ['Recording End'],
      participant_id: ['p1'],
      recording_duration_ms: [{ exists: true }],
      reason: [{ exists: false }],
    });
  });

  test('event-ruler matches exactly the events that have (or lack) the field', () => {
    // GIVEN
    const withDuration = loadFixture('realtime/recording-end.json').event;
    const { recording_duration_ms: _duration, ...rest } = withDuration.detail as Record<string, unknown>;
    const withoutDuration = { ...withDuration, detail: rest };
    const present = patternOf({ events: [IvsEvent.RECORDING_END], detailFieldsPresent: ['recording_duration_ms'] });
    const absent = patternOf({ events: [IvsEvent.RECORDING_END], detailFieldsAbsent: ['recording_duration_ms'] });

    // WHEN
    const results = eventRulerMatches([
      { pattern: present, event: withDuration },
      { pattern: present, event: withoutDuration },
      { pattern: absent, event: withDuration },
      { pattern: absent, event: withoutDuration },
      { pattern: present, event: withDetail(withDuration, { recording_duration_ms: 0 }) },
    ]);

    // THEN
    expect(results).toEqual([true, false, false, true, true]);
  });

  test('without `events`, a required field keeps only the events that can carry it', () => {
    const pattern = patternOf({ detailFieldsPresent: ['recording_s3_key_prefix'] });
    expect(pattern['detail-type']).toEqual(['IVS Participant Recording State Change']);
  });

  test.each<[string, IvsStageEventRuleProps, string]>([
    ['the same field present and absent', { detailFieldsPresent: ['reason'], detailFieldsAbsent: ['reason'] },
      "`detailFieldsPresent` and `detailFieldsAbsent` both name 'reason': no event can match"],
    ['an absent field that an id filter needs', { participantIds: ['p1'], detailFieldsAbsent: ['participant_id'] },
      "`detailFieldsAbsent` names 'participant_id', which another filter requires a value for: no event can match"],
    ['a present field the events never carry', { events: [IvsEvent.COMPOSITION_SESSION_FAILURE], detailFieldsPresent: ['recording_duration_ms'] },
      "`detailFieldsPresent` filters on detail.recording_duration_ms, which 'IVS Composition State Change/Session Failure' never carries: "
      + 'remove it from `events` or drop the filter'],
    ['an empty field name', { detailFieldsPresent: [''] }, '`detailFieldsPresent` must not contain empty strings, got [""]'],
  ])('%s is refused', (_name, props, message) => {
    expect(() => new IvsStageEventRule(testStack(), 'Rule', props)).toThrow(message);
  });
});

describe('a custom definition of a catalog detail-type', () => {
  const custom = IvsEvent.of(IvsDetailType.of('IVS Stage Update', { stageLocation: StageLocation.DETAIL_STAGE_ARN }), 'Participant Moved');
  const STAGE = 'arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij';

  test.each([
    ['custom first', [custom, IvsEvent.PARTICIPANT_PUBLISHED]],
    ['catalog first', [IvsEvent.PARTICIPANT_PUBLISHED, custom]],
  ])('each event filters its stage where its definition says, whatever the order (%s)', (_name, selected) => {
    // GIVEN
    const pattern = patternOf({ events: selected, stageArns: [STAGE] });
    const published = loadFixture('realtime/participant-published.json').event;
    const moved = (stageIn: 'resources' | 'detail') => ({
      ...published,
      resources: stageIn === 'resources' ? [STAGE] : ['arn:aws:ivs:us-west-2:123456789012:stage/SomewhereElse'],
      detail: { ...published.detail, event_name: 'Participant Moved', ...(stageIn === 'detail' ? { stage_arn: STAGE } : {}) },
    });

    // WHEN
    const results = eventRulerMatches([
      { pattern, event: { ...published, resources: [STAGE] } },
      { pattern, event: moved('detail') },
      { pattern, event: moved('resources') },
    ]);

    // THEN
    expect(results).toEqual([true, true, false]);
  });
});

describe('recordingBucketNames (the participant-recording branch only)', () => {
  test('given Participant Recording and Composition events, then the bucket filters the recording branch and not the composition one (event-ruler)', () => {
    // GIVEN
    const pattern = patternOf({ events: [IvsEvent.RECORDING_END, IvsEvent.COMPOSITION_DESTINATION_END], recordingBucketNames: ['a-bucket'] });
    const recordingEnd = loadFixture('realtime/recording-end.json').event;

    // WHEN
    const results = eventRulerMatches([
      { pattern, event: withDetail(recordingEnd, { recording_s3_bucket_name: 'a-bucket' }) },
      { pattern, event: withDetail(recordingEnd, { recording_s3_bucket_name: 'b-bucket' }) },
      { pattern, event: loadFixture('realtime/composition-destination-end.json').event },
    ]);

    // THEN
    expect(results).toEqual([true, false, true]);
  });

  test('without `events`, only the events that carry a bucket are taken', () => {
    const pattern = patternOf({ recordingBucketNames: ['a-bucket'] });
    expect(pattern['detail-type']).toEqual(['IVS Participant Recording State Change']);
    expect(pattern.detail.recording_s3_bucket_name).toEqual(['a-bucket']);
  });

  test.each<[string, IvsStageEventRuleProps, string]>([
    ['no selected event carries a bucket', { events: [IvsEvent.COMPOSITION_DESTINATION_END, IvsEvent.PARTICIPANT_PUBLISHED], recordingBucketNames: ['a-bucket'] },
      "`recordingBucketNames` filters on detail.recording_s3_bucket_name, which none of 'IVS Composition State Change/Destination End', "
      + "'IVS Stage Update/Participant Published' carries: add Participant Recording events to `events` or drop the filter"],
    ['an empty bucket name', { recordingBucketNames: [''] }, '`recordingBucketNames` must not contain empty strings, got [""]'],
  ])('%s is refused', (_name, props, message) => {
    expect(() => new IvsStageEventRule(testStack(), 'Rule', props)).toThrow(message);
  });
});
