// The tracker's state model, free of AWS SDK and CDK code so that the Lambda handler, the
// reconciler and the property tests share one definition of "the latest event wins".
// IVS delivers events best effort: late, twice, out of order or not at all
// (RealTimeUserGuide, eventbridge.html). Every state below is therefore that of the latest
// event applied, by event time, with a fixed rank breaking ties at equal times.

import { STAGE_ARN, compositionSk, destinationSk } from '../../src/tracker/table-keys';

/** Each state set in the order that breaks ties at equal event times: a later entry wins. */
export const PUBLISH_STATES = ['PUBLISHED', 'PUBLISH_ERROR', 'UNPUBLISHED'] as const;
export const RECORDING_STATES = ['STARTED', 'START_FAILED', 'ENDED', 'END_FAILED'] as const;
export const COMPOSITION_STATES = ['STARTED', 'ENDED', 'FAILED'] as const;
export const DESTINATION_STATES = ['STARTED', 'RECONNECTING', 'ENDED', 'FAILED'] as const;

export type StateKind = 'publish' | 'recording' | 'composition' | 'destination';

/**
 * Attributes that belong to the state they came with: a new state of that kind removes those
 * its own change does not carry (a Start Failure keeps no End's duration, a restarted
 * destination no failure's reason). Ids (`sessionId`, `participantId`, `userId`) are not here.
 */
export const STATE_ATTRIBUTES: Record<StateKind, readonly string[]> = {
  publish: ['repairedAt'],
  recording: ['recordingBucket', 'recordingPrefix', 'recordingDurationMs'],
  composition: ['reason'],
  // Not the recording prefix and bucket IvsAutoComposition keeps (DESTINATION_RECORDING_ATTRIBUTES):
  // no Destination event carries them, so a new state would erase what only StartComposition answered.
  destination: ['reason'],
};

const ORDER: Record<StateKind, readonly string[]> = {
  publish: PUBLISH_STATES,
  recording: RECORDING_STATES,
  composition: COMPOSITION_STATES,
  destination: DESTINATION_STATES,
};

/** Which state an IVS `event_name` sets, per detail-type. Names IVS adds later set none. */
const TRANSITIONS: Record<string, Record<string, [StateKind, string]>> = {
  'IVS Stage Update': {
    'Participant Published': ['publish', 'PUBLISHED'],
    'Participant Unpublished': ['publish', 'UNPUBLISHED'],
    'Participant Publish Error': ['publish', 'PUBLISH_ERROR'],
  },
  'IVS Participant Recording State Change': {
    'Recording Start': ['recording', 'STARTED'],
    'Recording Start Failure': ['recording', 'START_FAILED'],
    'Recording End': ['recording', 'ENDED'],
    'Recording End Failure': ['recording', 'END_FAILED'],
  },
  'IVS Composition State Change': {
    'Session Start': ['composition', 'STARTED'],
    'Session End': ['composition', 'ENDED'],
    'Session Failure': ['composition', 'FAILED'],
    'Destination Start': ['destination', 'STARTED'],
    'Destination Reconnecting': ['destination', 'RECONNECTING'],
    'Destination End': ['destination', 'ENDED'],
    'Destination Failure': ['destination', 'FAILED'],
  },
};

/** When a state was set: the event time in milliseconds, and the state's rank for ties. */
export interface Stamp {
  readonly time: number;
  readonly rank: number;
}

/** Whether a change stamped `candidate` replaces the state stamped `current`. */
export function supersedes(candidate: Stamp, current: Stamp | undefined): boolean {
  return current === undefined || candidate.time > current.time || (candidate.time === current.time && candidate.rank > current.rank);
}

/** The part of an EventBridge event the tracker reads. */
export interface IvsEventEnvelope {
  readonly 'id': string;
  readonly 'detail-type': string;
  readonly 'time': string;
  readonly 'resources': readonly string[];
  readonly 'detail': Readonly<Record<string, unknown>>;
}

/** What one event says about one item of the table (see the README's table contract). */
export interface TrackedChange {
  /** The stage ARN. */
  readonly pk: string;
  readonly sk: string;
  readonly kind: StateKind;
  readonly state: string;
  readonly stamp: Stamp;
  readonly eventId: string;
  /** Attributes stored with the state: ids, user id, recording location, reason. */
  readonly attributes: Readonly<Record<string, string | number>>;
  /**
   * Set by the reconciler for what IVS says now: a state stamped up to this time that the change
   * does not supersede is still replaced, stamped just after it (the table's stamp may be an
   * envelope time later than the real event). States stamped later are newer events: kept.
   */
  readonly replacesUpTo?: number;
}

/** What the handler makes of one record: the change it applies, or why it refuses it; and what it should log. */
export interface ReadEvent {
  readonly change?: TrackedChange;
  /** Set when the record is not what IVS sends: it is logged and not applied (retrying could not make it right). */
  readonly refused?: string;
  /** Set when the record is applied with a fallback (an unparsable `event_time`: the envelope's `time`). */
  readonly warning?: string;
}

/**
 * The change an IVS event makes, or undefined for events that set no tracked state (event
 * names the model does not know, events without the ids an item needs, records refused).
 */
export function changeOf(event: IvsEventEnvelope): TrackedChange | undefined {
  return readEvent(event).change;
}

/**
 * Reads an IVS event. The stage of a composition event is `detail.stage_arn`: its
 * `resources[0]` is the composition. A record whose stage is not a stage ARN (or whose
 * `resources` is not a list) is refused: applying it would write under a key no reader
 * looks for. An `event_time` that is present but not a time falls back to the envelope's
 * `time`, as events without one do (AWS's own examples carry none), with a warning.
 */
export function readEvent(event: IvsEventEnvelope): ReadEvent {
  const transition = TRANSITIONS[event['detail-type']]?.[String(event.detail?.event_name)];
  if (!transition) {
    return {};
  }
  const given = event.detail.event_time;
  const eventTime = typeof given === 'string' ? Date.parse(given) : NaN;
  const warning = given !== undefined && Number.isNaN(eventTime)
    ? `event_time ${JSON.stringify(given)} is not a time: the envelope's time is used` : undefined;
  const time = Number.isNaN(eventTime) ? Date.parse(event.time) : eventTime;
  if (Number.isNaN(time)) {
    return { refused: `neither event_time nor time is a time (${JSON.stringify(event.time)})` };
  }
  if (!Array.isArray(event.resources)) {
    return { refused: `resources is not a list (${JSON.stringify(event.resources)})` };
  }
  const [kind, state] = transition;
  const detail = event.detail;
  const stamp = { time, rank: ORDER[kind].indexOf(state) };
  const text = (key: string) => (typeof detail[key] === 'string' ? detail[key] as string : undefined);
  const stageArn = kind === 'publish' || kind === 'recording' ? event.resources[0] : text('stage_arn');
  if (stageArn !== undefined && !STAGE_ARN.test(String(stageArn))) {
    return { refused: `the stage ${JSON.stringify(stageArn)} is not an IVS stage ARN` };
  }
  return { change: changeFor(event, kind, state, stamp, text), warning };
}

function changeFor(event: IvsEventEnvelope, kind: StateKind, state: string, stamp: Stamp, text: (key: string) => string | undefined)
  : TrackedChange | undefined {
  const detail = event.detail;
  if (kind === 'publish' || kind === 'recording') {
    const [stageArn] = event.resources;
    const sessionId = text('session_id');
    const participantId = text('participant_id');
    if (!stageArn || !sessionId || !participantId) {
      return undefined;
    }
    const attributes: Record<string, string | number> = { sessionId, participantId };
    const optional: [string, string][] = kind === 'publish'
      ? [['userId', 'user_id']]
      : [['recordingBucket', 'recording_s3_bucket_name'], ['recordingPrefix', 'recording_s3_key_prefix']];
    for (const [name, key] of optional) {
      if (text(key) !== undefined) {
        attributes[name] = text(key)!;
      }
    }
    if (kind === 'recording' && typeof detail.recording_duration_ms === 'number') {
      attributes.recordingDurationMs = detail.recording_duration_ms;
    }
    return { pk: stageArn, sk: participantKey(sessionId, participantId), kind, state, stamp, eventId: event.id, attributes };
  }
  const stageArn = text('stage_arn');
  const [compositionArn] = event.resources;
  const destinationId = text('id');
  if (!stageArn || !compositionArn || (kind === 'destination' && !destinationId)) {
    return undefined;
  }
  const sk = kind === 'composition' ? compositionSk(compositionArn) : destinationSk(compositionArn, destinationId!);
  const attributes: Record<string, string | number> = { compositionArn, ...(destinationId && kind === 'destination' ? { destinationId } : {}) };
  if (text('reason') !== undefined) {
    attributes.reason = text('reason')!;
  }
  return { pk: stageArn, sk, kind, state, stamp, eventId: event.id, attributes };
}

export function participantKey(sessionId: string, participantId: string): string {
  return `PARTICIPANT#${sessionId}#${participantId}`;
}

/** One item as the model holds it: the latest state of each kind it has, with its stamp. */
export interface ModelItem {
  readonly pk: string;
  readonly sk: string;
  readonly states: Readonly<Partial<Record<StateKind, { readonly state: string; readonly stamp: Stamp }>>>;
}

/**
 * Applies a change to the items, returning the new items (the argument is not modified):
 * the change's state replaces the item's state of that kind only if it supersedes it, so
 * an older or repeated event changes nothing.
 */
export function applyToModel(items: ReadonlyMap<string, ModelItem>, change: TrackedChange): Map<string, ModelItem> {
  const key = `${change.pk}\n${change.sk}`;
  const item = items.get(key) ?? { pk: change.pk, sk: change.sk, states: {} };
  const next = new Map(items);
  if (supersedes(change.stamp, item.states[change.kind]?.stamp)) {
    next.set(key, { ...item, states: { ...item.states, [change.kind]: { state: change.state, stamp: change.stamp } } });
  }
  return next;
}

/** The publishers of a stage: its participant items whose publish state is PUBLISHED. */
export function publishersOf(items: ReadonlyMap<string, ModelItem>, stageArn: string): number {
  return [...items.values()].filter(i => i.pk === stageArn && i.sk.startsWith('PARTICIPANT#') && i.states.publish?.state === 'PUBLISHED').length;
}
