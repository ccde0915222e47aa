import { eventRulerMatches } from './event-ruler';

// Proves the harness really runs event-ruler and can say "no": every positive
// check below has a negative twin.

const STAGE_ARN = 'arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij';
const OTHER_STAGE_ARN = 'arn:aws:ivs:us-west-2:123456789012:stage/ZyXwvu9T8srq';

function stageUpdate(stageArn: string): Record<string, unknown> {
  return {
    'version': '0',
    'id': '12345678-1a23-4567-a1bc-1a2b34567890',
    'detail-type': 'IVS Stage Update',
    'source': 'aws.ivs',
    'account': '123456789012',
    'time': '2024-03-18T09:20:55Z',
    'region': 'us-west-2',
    'resources': [stageArn],
    'detail': {
      session_id: 'st-ZyXwvu1T2s',
      event_name: 'Participant Published',
      user_id: 'user-1',
      participant_id: 'xYz1c2d3e4f',
    },
  };
}

function compositionStateChange(stageArn: string): Record<string, unknown> {
  return {
    'version': '0',
    'id': '12345678-1a23-4567-a1bc-1a2b34567891',
    'detail-type': 'IVS Composition State Change',
    'source': 'aws.ivs',
    'account': '123456789012',
    'time': '2024-03-18T09:21:55Z',
    'region': 'us-west-2',
    'resources': ['arn:aws:ivs:us-west-2:123456789012:composition/Ab1cDeFgHiJk'],
    'detail': {
      stage_arn: stageArn,
      event_name: 'Session Start',
    },
  };
}

describe('eventRulerMatches (AWS event-ruler)', () => {
  test('matches on source and detail-type', () => {
    // GIVEN
    const pattern = { 'source': ['aws.ivs'], 'detail-type': ['IVS Stage Update'] };

    // WHEN
    const results = eventRulerMatches([
      { pattern, event: stageUpdate(STAGE_ARN) },
      { pattern, event: compositionStateChange(STAGE_ARN) },
    ]);

    // THEN
    expect(results).toEqual([true, false]);
  });

  test('top-level $or selects stage updates and compositions of one stage only', () => {
    // GIVEN
    const pattern = {
      $or: [
        { 'detail-type': ['IVS Stage Update'], 'resources': [STAGE_ARN] },
        { 'detail-type': ['IVS Composition State Change'], 'detail': { stage_arn: [STAGE_ARN] } },
      ],
    };
    // `resources` is an array: like EventBridge, it matches if any element matches.
    const multiResourceUpdate = { ...stageUpdate(STAGE_ARN), resources: [OTHER_STAGE_ARN, STAGE_ARN] };

    // WHEN
    const results = eventRulerMatches([
      { pattern, event: stageUpdate(STAGE_ARN) },
      { pattern, event: compositionStateChange(STAGE_ARN) },
      { pattern, event: stageUpdate(OTHER_STAGE_ARN) },
      { pattern, event: compositionStateChange(OTHER_STAGE_ARN) },
      { pattern, event: multiResourceUpdate },
    ]);

    // THEN
    expect(results).toEqual([true, true, false, false, true]);
  });

  test('prefix matches string values and array elements', () => {
    // GIVEN
    const stagePrefix = { resources: [{ prefix: 'arn:aws:ivs:us-west-2:123456789012:stage/' }] };
    const participantPrefix = { detail: { event_name: [{ prefix: 'Participant ' }] } };

    // WHEN
    const results = eventRulerMatches([
      { pattern: stagePrefix, event: stageUpdate(STAGE_ARN) },
      { pattern: stagePrefix, event: compositionStateChange(STAGE_ARN) },
      { pattern: participantPrefix, event: stageUpdate(STAGE_ARN) },
      { pattern: participantPrefix, event: compositionStateChange(STAGE_ARN) },
    ]);

    // THEN
    expect(results).toEqual([true, false, true, false]);
  });

  test('nested $or, anything-but, exists and numeric are understood', () => {
    // GIVEN
    const pattern = {
      source: ['aws.ivs'],
      detail: {
        $or: [{ event_name: [{ 'anything-but': ['Session Start', 'Session End'] }] }, { stage_arn: [{ exists: false }] }],
      },
    };
    const numeric = { detail: { duration: [{ numeric: ['>=', 10, '<', 20] }] } };
    const withDuration = (d: number) => ({ ...stageUpdate(STAGE_ARN), detail: { duration: d } });

    // WHEN
    const results = eventRulerMatches([
      { pattern, event: stageUpdate(STAGE_ARN) },
      { pattern, event: compositionStateChange(STAGE_ARN) },
      { pattern: numeric, event: withDuration(10) },
      { pattern: numeric, event: withDuration(20) },
    ]);

    // THEN
    expect(results).toEqual([true, false, true, false]);
  });

  test('runs a large batch in one call, keeping the order', () => {
    // GIVEN
    const pattern = { 'source': ['aws.ivs'], 'detail-type': ['IVS Stage Update'] };
    const cases = Array.from({ length: 200 }, (_, i) => ({
      pattern,
      event: i % 2 === 0 ? stageUpdate(STAGE_ARN) : compositionStateChange(STAGE_ARN),
    }));

    // WHEN
    const results = eventRulerMatches(cases);

    // THEN
    expect(results).toEqual(cases.map((_, i) => i % 2 === 0));
  });

  test('a malformed pattern throws instead of reporting a non-match', () => {
    // GIVEN
    const valid = { source: ['aws.ivs'] };
    const malformed = { source: 'aws.ivs' }; // values must be arrays

    // WHEN
    const run = () =>
      eventRulerMatches([
        { pattern: valid, event: stageUpdate(STAGE_ARN) },
        { pattern: malformed, event: stageUpdate(STAGE_ARN) },
      ]);

    // THEN
    expect(run).toThrow(/case 1: invalid pattern/);
  });
});
