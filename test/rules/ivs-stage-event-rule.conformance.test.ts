// Every pattern here is read back from the synthesized template (what would deploy) and
// judged by event-ruler, the engine behind EventBridge: no expectation rests on our own
// reading of the pattern syntax.
import * as ivs from 'aws-cdk-lib/aws-ivs';
import { IvsEvent, IvsStageEventRule, IvsStageEventRuleProps } from '../../src';
import { eventRulerMatches } from '../conformance/event-ruler';
import { Fixture, IvsEventJson, catalogEventOf, nonRealtimeFixtures, realtimeFixtures, withDetail, withStage } from '../util/fixtures';
import { testStack } from '../util/stack';
import { deployedPattern } from '../util/template';

// Neither is the stage of any documented example, so a documented event matches only once moved to one.
const STAGE_A = 'arn:aws:ivs:us-east-1:123456789012:stage/StageAaaaaaa';
const STAGE_B = 'arn:aws:ivs:us-east-1:123456789012:stage/StageBbbbbbb';

interface Expectation {
  readonly name: string;
  readonly event: IvsEventJson;
  readonly expected: boolean;
}

function synthPattern(props: IvsStageEventRuleProps): unknown {
  const stack = testStack();
  new IvsStageEventRule(stack, 'Rule', props);
  return deployedPattern(stack);
}

/** Runs all expectations of one pattern through event-ruler in one call and reports mismatches by name. */
function mismatches(pattern: unknown, expectations: Expectation[]): string[] {
  const results = eventRulerMatches(expectations.map(e => ({ pattern, event: e.event })));
  return expectations
    .filter((e, i) => results[i] !== e.expected)
    .map(e => `${e.name}: expected ${e.expected ? 'match' : 'no match'}`);
}

const realtime = realtimeFixtures();
const nonRealtime = nonRealtimeFixtures();

/** The first fixture of a catalog event: the documented example where there is one. */
function fixtureOf(event: IvsEvent): Fixture {
  const found = realtime.find(f => catalogEventOf(f) === event);
  if (!found) {
    throw new Error(`no fixture for ${event}`);
  }
  return found;
}

describe('IvsStageEventRule conformance (event-ruler)', () => {
  test('the fixtures cover every catalog event', () => {
    const covered = new Set(realtime.map(catalogEventOf));
    expect(IvsEvent.all().filter(e => !covered.has(e)).map(String)).toEqual([]);
  });

  test.each(IvsEvent.all().map(e => [e.toString(), e] as const))('unfiltered rule on %s matches that event only', (_name, event) => {
    // GIVEN
    const pattern = synthPattern({ events: [event] });

    // WHEN
    const expectations: Expectation[] = [
      ...realtime.map(f => ({ name: f.file, event: f.event, expected: catalogEventOf(f) === event })),
      ...nonRealtime.map(f => ({ name: f.file, event: f.event, expected: false })),
    ];

    // THEN
    expect(mismatches(pattern, expectations)).toEqual([]);
  });

  test.each(IvsEvent.all().map(e => [e.toString(), e] as const))('stage-filtered rule on %s matches that event of that stage only', (_name, event) => {
    // GIVEN
    const pattern = synthPattern({ events: [event], stageArns: [STAGE_A] });
    const fixture = fixtureOf(event);

    // WHEN
    const expectations: Expectation[] = [
      { name: 'this event, stage A', event: withStage(fixture, STAGE_A), expected: true },
      { name: 'this event, stage B', event: withStage(fixture, STAGE_B), expected: false },
      { name: 'this event as documented (placeholder stage)', event: fixture.event, expected: false },
      ...realtime.filter(f => catalogEventOf(f) !== event)
        .map(f => ({ name: `${f.file}, stage A`, event: withStage(f, STAGE_A), expected: false })),
      ...nonRealtime.map(f => ({ name: f.file, event: f.event, expected: false })),
    ];

    // THEN
    expect(mismatches(pattern, expectations)).toEqual([]);
  });

  test('the default rule matches every catalog event and nothing else', () => {
    // GIVEN
    const pattern = synthPattern({});

    // WHEN
    const expectations: Expectation[] = [
      ...realtime.map(f => ({ name: f.file, event: f.event, expected: true })),
      ...nonRealtime.map(f => ({ name: f.file, event: f.event, expected: false })),
    ];

    // THEN
    expect(mismatches(pattern, expectations)).toEqual([]);
  });

  test('a stage-filtered rule on every event matches exactly the events of its stages', () => {
    // GIVEN
    const pattern = synthPattern({ stageArns: [STAGE_A, STAGE_B] });
    const STAGE_C = 'arn:aws:ivs:us-west-2:123456789012:stage/CcCcCcCcCcCc';

    // WHEN
    const expectations: Expectation[] = [
      ...realtime.map(f => ({ name: `${f.file}, stage A`, event: withStage(f, STAGE_A), expected: true })),
      ...realtime.map(f => ({ name: `${f.file}, stage B`, event: withStage(f, STAGE_B), expected: true })),
      ...realtime.map(f => ({ name: `${f.file}, stage C`, event: withStage(f, STAGE_C), expected: false })),
      ...nonRealtime.map(f => ({ name: f.file, event: f.event, expected: false })),
    ];

    // THEN
    expect(mismatches(pattern, expectations)).toEqual([]);
  });

  test('a composition event is selected by detail.stage_arn, never by the composition ARN in resources', () => {
    // GIVEN
    const pattern = synthPattern({ events: IvsEvent.compositionEvents(), stageArns: [STAGE_A] });
    const failure = fixtureOf(IvsEvent.COMPOSITION_SESSION_FAILURE);

    // WHEN
    const inStageB = withStage(failure, STAGE_B);
    const expectations: Expectation[] = [
      { name: 'stage A in detail.stage_arn', event: withStage(failure, STAGE_A), expected: true },
      { name: 'stage A only in resources', event: { ...inStageB, resources: [STAGE_A] }, expected: false },
    ];

    // THEN
    expect(mismatches(pattern, expectations)).toEqual([]);
  });

  test('a stage given as CfnStage matches the events of its deployed ARN', () => {
    // GIVEN
    const stack = testStack();
    const stage = new ivs.CfnStage(stack, 'Stage', {});
    new IvsStageEventRule(stack, 'Rule', { stages: [stage] });
    const pattern = deployedPattern(stack, { Stage: STAGE_A });

    // WHEN
    const expectations: Expectation[] = [
      ...realtime.map(f => ({ name: `${f.file}, stage A`, event: withStage(f, STAGE_A), expected: true })),
      ...realtime.map(f => ({ name: `${f.file}, stage B`, event: withStage(f, STAGE_B), expected: false })),
    ];

    // THEN
    expect(mismatches(pattern, expectations)).toEqual([]);
  });

  test('session, participant and user filters match exact values and prefixes', () => {
    // GIVEN
    const published = fixtureOf(IvsEvent.PARTICIPANT_PUBLISHED).event;
    const recorded = fixtureOf(IvsEvent.RECORDING_END).event;
    const pattern = synthPattern({
      sessionIds: ['st-ZyXwvu1T2s'],
      sessionIdPrefixes: ['st-Prefix'],
      participantIdPrefixes: ['xYz'],
    });

    // WHEN
    const expectations: Expectation[] = [
      { name: 'published, documented ids', event: published, expected: true },
      { name: 'recorded, documented ids', event: recorded, expected: true },
      { name: 'published, session by prefix', event: withDetail(published, { session_id: 'st-Prefix123' }), expected: true },
      { name: 'published, other session', event: withDetail(published, { session_id: 'st-Other' }), expected: false },
      { name: 'recorded, other participant', event: withDetail(recorded, { participant_id: 'aBc1' }), expected: false },
      { name: 'composition failure (no ids)', event: fixtureOf(IvsEvent.COMPOSITION_SESSION_FAILURE).event, expected: false },
    ];

    // THEN
    expect(mismatches(pattern, expectations)).toEqual([]);
  });

  test('a user filter matches the documented user id, an empty one when asked, and nothing else', () => {
    // GIVEN
    const published = fixtureOf(IvsEvent.PARTICIPANT_PUBLISHED).event;
    const pattern = synthPattern({ userIds: ['Your User Id', ''] });

    // WHEN
    const expectations: Expectation[] = [
      { name: 'documented user', event: published, expected: true },
      { name: 'empty user id', event: withDetail(published, { user_id: '' }), expected: true },
      { name: 'other user', event: withDetail(published, { user_id: 'mallory' }), expected: false },
    ];

    // THEN
    expect(mismatches(pattern, expectations)).toEqual([]);
  });
});
