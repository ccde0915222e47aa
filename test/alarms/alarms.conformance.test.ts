// The alarm presets' deployed patterns, judged by event-ruler against every fixture.
import { Stack } from 'aws-cdk-lib';
import { CompositionFailureAlarm, IvsEvent, IvsEventAlarmOptions, PublishErrorAlarm, RecordingFailureAlarm } from '../../src';
import { eventRulerMatches } from '../conformance/event-ruler';
import { catalogEventOf, nonRealtimeFixtures, realtimeFixtures, withStage } from '../util/fixtures';
import { testStack } from '../util/stack';
import { deployedPattern } from '../util/template';

const STAGE_A = 'arn:aws:ivs:us-east-1:123456789012:stage/StageAaaaaaa';
const STAGE_B = 'arn:aws:ivs:us-east-1:123456789012:stage/StageBbbbbbb';

const CASES: Array<[string, (stack: Stack, props: IvsEventAlarmOptions) => void, IvsEvent[]]> = [
  ['CompositionFailureAlarm', (s, p) => new CompositionFailureAlarm(s, 'A', p), IvsEvent.compositionFailures()],
  ['CompositionFailureAlarm with reconnecting', (s, p) => new CompositionFailureAlarm(s, 'A', { ...p, includeReconnecting: true }),
    [...IvsEvent.compositionFailures(), IvsEvent.COMPOSITION_DESTINATION_RECONNECTING]],
  ['RecordingFailureAlarm', (s, p) => new RecordingFailureAlarm(s, 'A', p), IvsEvent.recordingFailures()],
  ['PublishErrorAlarm', (s, p) => new PublishErrorAlarm(s, 'A', p), [IvsEvent.PARTICIPANT_PUBLISH_ERROR]],
];

describe('alarm presets conformance (event-ruler)', () => {
  test.each(CASES)('%s counts exactly its events, of its stages', (_name, create, expected) => {
    // GIVEN
    const unfiltered = testStack();
    create(unfiltered, {});
    const filtered = testStack();
    create(filtered, { stageArns: [STAGE_A] });
    const realtime = realtimeFixtures();
    const nonRealtime = nonRealtimeFixtures();

    // WHEN
    const cases = [
      ...realtime.map(f => ({ name: `${f.file} (unfiltered)`, pattern: deployedPattern(unfiltered), event: f.event, expected: expected.includes(catalogEventOf(f)) })),
      ...nonRealtime.map(f => ({ name: `${f.file} (unfiltered)`, pattern: deployedPattern(unfiltered), event: f.event, expected: false })),
      ...realtime.map(f => ({ name: `${f.file} on stage A`, pattern: deployedPattern(filtered), event: withStage(f, STAGE_A), expected: expected.includes(catalogEventOf(f)) })),
      ...realtime.map(f => ({ name: `${f.file} on stage B`, pattern: deployedPattern(filtered), event: withStage(f, STAGE_B), expected: false })),
    ];
    const results = eventRulerMatches(cases);

    // THEN
    expect(cases.filter((c, i) => results[i] !== c.expected).map(c => c.name)).toEqual([]);
  });
});
