// Repairs what IVS never delivered: asks IVS which participants of each tracked stage are
// publishing now, and writes the difference through the same conditional writes as events,
// with the times IVS gives (ListParticipantEvents), so that a late real event still wins
// when it is newer. IVS has no local stand-in: tests stub it with aws-sdk-client-mock.
// The Lambda runtime provides AWS SDK v3; the library itself never loads this module.
/* eslint-disable import/no-extraneous-dependencies */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetStageCommand, IVSRealTimeClient, ListParticipantEventsCommand, ListParticipantsCommand, ListStagesCommand,
} from '@aws-sdk/client-ivs-realtime';
/* eslint-enable import/no-extraneous-dependencies */
import { publishingItems } from './active-participants';
import { applyChange, clearTie } from './apply-change';
import { recountStage } from './recount';
import { PUBLISH_STATES, Stamp, TrackedChange, participantKey } from '../state-model';

/** The ListParticipantEvents names that set a participant's publish state (RealTimeAPIReference, Event.name). */
const PUBLISH_EVENT_STATES: Record<string, string> = {
  PUBLISH_STARTED: 'PUBLISHED',
  PUBLISH_STOPPED: 'UNPUBLISHED',
  PUBLISH_ERROR: 'PUBLISH_ERROR',
  LEFT: 'UNPUBLISHED',
};

export interface ReconcileOptions {
  readonly ivs: IVSRealTimeClient;
  readonly dynamodb: DynamoDBClient;
  readonly tableName: string;
  /** The stages to check; every stage of the account (ListStages) when empty. */
  readonly stageArns: readonly string[];
  /** IVS API calls one run may make; the rest waits for the next run. */
  readonly maxApiCalls: number;
  readonly retentionSeconds: number;
  /** The time corrections without an IVS event time are stamped with. */
  readonly now: Date;
}

export interface ReconcileResult {
  /** Changes written because IVS failed to deliver an event (corrected ties are counted by `tiesConfirmed`). */
  readonly repairs: number;
  readonly apiCalls: number;
  /** Stages left for the next run when the API budget ran out. */
  readonly stagesLeft: number;
  /** Stages whose check failed (logged); the next run tries them again. */
  readonly failures: number;
  /** Same-second ties checked against IVS's event times (corrected or confirmed), their marks cleared. */
  readonly tiesConfirmed: number;
  /** Stage counts set back to the number of their publishing participants (the table was changed outside the tracker). */
  readonly countsCorrected: number;
}

export async function reconcile(options: ReconcileOptions): Promise<ReconcileResult> {
  let apiCalls = 0;
  const call = async <T>(send: () => Promise<T>): Promise<T | undefined> => {
    if (apiCalls >= options.maxApiCalls) {
      return undefined;
    }
    apiCalls++;
    return send();
  };
  const listed = options.stageArns.length > 0 ? [...options.stageArns] : await listStages(options, call) ?? [];
  // Each run starts one stage further (by the minute), so a budget too small for every
  // stage still reaches them all over successive runs.
  const offset = listed.length === 0 ? 0 : Math.floor(options.now.getTime() / 60_000) % listed.length;
  const stages = [...listed.slice(offset), ...listed.slice(0, offset)];
  let repairs = 0;
  let done = 0;
  let failures = 0;
  let tiesConfirmed = 0;
  let countsCorrected = 0;
  for (const stageArn of stages) {
    try {
      const found = await correctionsOf(stageArn, options, call);
      if (found === undefined) {
        break;
      }
      let indexed = found.publishing;
      for (const change of found.corrections) {
        const writeOptions = { client: options.dynamodb, tableName: options.tableName, retentionSeconds: options.retentionSeconds };
        const result = await applyChange(change, writeOptions);
        // A tied item IVS disagrees with had both its events delivered: the rank guessed wrong,
        // which TiesConfirmed counts. Repairs are what IVS failed to deliver.
        repairs += result.outcome === 'applied' && !found.tied.has(change.sk) ? 1 : 0;
        indexed += result.publishersChange ?? 0;
      }
      const recount = await recountStage(options.dynamodb, options.tableName, stageArn, indexed);
      if (recount) {
        countsCorrected++;
        console.warn(JSON.stringify({ stageArn, publishers: recount, reason: 'the count disagreed with the stage\'s publishing participants' }));
      }
      // A corrected item lost its mark with the correction; a confirmed one loses it here.
      for (const { sk, stamp, state } of found.confirmed) {
        await clearTie(options.dynamodb, options.tableName, stageArn, sk, 'publish', stamp, state);
      }
      tiesConfirmed += found.ties;
    } catch (error) {
      // One stage (deleted, throttled, denied) must not keep the others from being repaired.
      failures++;
      console.error(JSON.stringify({ stageArn, error: (error as Error).name, message: (error as Error).message }));
    }
    done++;
  }
  return { repairs, apiCalls, stagesLeft: stages.length - done, failures, tiesConfirmed, countsCorrected };
}

type Call = <T>(send: () => Promise<T>) => Promise<T | undefined>;

async function listStages(options: ReconcileOptions, call: Call): Promise<string[] | undefined> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call(() => options.ivs.send(new ListStagesCommand({ nextToken, maxResults: 100 })));
    if (!page) {
      return arns;
    }
    arns.push(...(page.stages ?? []).map(s => s.arn!).filter(Boolean));
    nextToken = page.nextToken;
  } while (nextToken);
  return arns;
}

/**
 * What the table must be told about one stage: the publish state IVS reports for each
 * participant of the active session that ever published, and UNPUBLISHED for every item the
 * table holds as PUBLISHED that IVS does not. Undefined when the API budget ran out.
 */
interface StageCorrections {
  readonly corrections: TrackedChange[];
  /** Tied items whose state IVS confirmed: their marks are cleared. */
  readonly confirmed: { readonly sk: string; readonly stamp: Stamp; readonly state: string }[];
  /** Tied items checked. */
  readonly ties: number;
  /** Participants the sparse index showed publishing, before the corrections. */
  readonly publishing: number;
  /** Sort keys of the items that held a tie. */
  readonly tied: ReadonlySet<string>;
}

async function correctionsOf(stageArn: string, options: ReconcileOptions, call: Call): Promise<StageCorrections | undefined> {
  const stage = await call(() => options.ivs.send(new GetStageCommand({ arn: stageArn })));
  if (!stage) {
    return undefined;
  }
  // One ListParticipantEvents per participant and run, however many checks need it.
  const asked = new Map<string, ReturnType<typeof latestPublishEvent>>();
  const latestOf = (session: string, participant: string) => {
    const key = `${session}#${participant}`;
    if (!asked.has(key)) {
      asked.set(key, latestPublishEvent(stageArn, session, participant, options, call));
    }
    return asked.get(key)!;
  };
  const sessionId = stage.stage?.activeSessionId;
  const truth = new Map<string, TrackedChange>();
  if (sessionId) {
    let nextToken: string | undefined;
    do {
      const request = { stageArn, sessionId, filterByPublished: true, nextToken, maxResults: 100 };
      const page = await call(() => options.ivs.send(new ListParticipantsCommand(request)));
      if (!page) {
        return undefined;
      }
      for (const participant of page.participants ?? []) {
        const latest = await latestOf(sessionId, participant.participantId!);
        if (latest === null) {
          return undefined;
        }
        if (latest) {
          truth.set(participantKey(sessionId, participant.participantId!),
            repair(stageArn, sessionId, participant.participantId!, latest.state, latest.time, participant.userId, options.now, true));
        }
      }
      nextToken = page.nextToken;
    } while (nextToken);
  }
  const held = await publishingItems(stageArn, options);
  // `held` has only the participants the table counts or holds a tie of (the sparse index): one
  // IVS lists as publishing is written unless held so; one it lists as not publishing matters
  // only if held (an absent or finished item changes no count, and is left as it is).
  const corrections = [...truth.values()]
    .filter(change => held.get(change.sk)?.state !== change.state && (change.state === 'PUBLISHED' || held.has(change.sk)));
  for (const [sk, { state, time }] of held) {
    if (state !== 'PUBLISHED' || truth.has(sk)) {
      continue;
    }
    const [, session, participant] = sk.split('#');
    if (session === sessionId) {
      // In the active session but not among those IVS lists: its lists may lag, so only
      // what IVS's own events say is written.
      const latest = await latestOf(session, participant);
      if (latest === null) {
        return undefined;
      }
      if (latest && latest.state !== 'PUBLISHED') {
        corrections.push(repair(stageArn, session, participant, latest.state, latest.time, undefined, options.now, true));
      }
      continue;
    }
    // Its session is over: it stopped publishing at the latest then. Stamped just after the
    // state held, so that any later event IVS does deliver still wins.
    corrections.push(repair(stageArn, session, participant, 'UNPUBLISHED', time + 1, undefined, options.now));
  }
  const confirmed: StageCorrections['confirmed'] = [];
  let ties = 0;
  for (const [sk, { state, time, rank, tie }] of held) {
    if (!tie) {
      continue;
    }
    // The rank chose between two events of one second: IVS's own times are finer. What it
    // says wins, stamped after the tied second's state if need be, so that it is written.
    ties++;
    const pending = corrections.findIndex(c => c.sk === sk);
    if (pending >= 0) {
      const change = corrections[pending];
      corrections[pending] = { ...change, stamp: { ...change.stamp, time: Math.max(change.stamp.time, time + 1) } };
      continue;
    }
    const [, session, participant] = sk.split('#');
    // Listed by IVS with the state held (else it would be pending): confirmed as it is.
    const latest = truth.has(sk) ? undefined : await latestOf(session, participant);
    if (latest === null) {
      return undefined;
    }
    if (latest === undefined || latest.state === state) {
      confirmed.push({ sk, stamp: { time, rank }, state });
    } else {
      corrections.push(repair(stageArn, session, participant, latest.state, Math.max(latest.time, time + 1), undefined, options.now));
    }
  }
  return {
    corrections,
    confirmed,
    ties,
    publishing: [...held.values()].filter(h => h.state === 'PUBLISHED').length,
    tied: new Set([...held].filter(([, h]) => h.tie).map(([sk]) => sk)),
  };
}

/** The latest publish-state event of a participant; undefined when it has none, null when the budget ran out. */
async function latestPublishEvent(stageArn: string, sessionId: string, participantId: string, options: ReconcileOptions, call: Call)
  : Promise<{ state: string; time: number } | undefined | null> {
  let latest: { state: string; time: number; rank: number } | undefined;
  let nextToken: string | undefined;
  do {
    const request = { stageArn, sessionId, participantId, nextToken, maxResults: 100 };
    const page = await call(() => options.ivs.send(new ListParticipantEventsCommand(request)));
    if (!page) {
      return null;
    }
    for (const event of page.events ?? []) {
      const state = PUBLISH_EVENT_STATES[event.name ?? ''];
      const time = event.eventTime?.getTime();
      const rank = PUBLISH_STATES.indexOf(state as typeof PUBLISH_STATES[number]);
      if (state && time !== undefined && (!latest || time > latest.time || (time === latest.time && rank > latest.rank))) {
        latest = { state, time, rank };
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return latest;
}

function repair(stageArn: string, sessionId: string, participantId: string, state: string, time: number,
  userId: string | undefined, now: Date, live = false): TrackedChange {
  return {
    // IVS says what a participant of the live session does now: a state the table stamped later
    // than IVS's own time (an envelope time, which need not be the event's) but before this run
    // asked is replaced all the same, as the ended-session path closes whatever the table held.
    // Only towards not publishing: the table's PUBLISHED came from an event IVS already lists.
    ...(live && state !== 'PUBLISHED' ? { replacesUpTo: now.getTime() } : {}),
    pk: stageArn,
    sk: participantKey(sessionId, participantId),
    kind: 'publish',
    state,
    stamp: { time, rank: PUBLISH_STATES.indexOf(state as typeof PUBLISH_STATES[number]) },
    // One id per run: a repair is a new request, never a replay of an earlier one.
    eventId: `repair-${sessionId}-${participantId}-${state}-${time}-${now.getTime()}`,
    attributes: { sessionId, participantId, repairedAt: now.toISOString(), ...(userId ? { userId } : {}) },
  };
}
