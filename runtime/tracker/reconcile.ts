// Repairs what IVS never delivered: asks IVS which participants of each tracked stage are
// publishing now, and writes the difference through the same conditional writes as events,
// with the times IVS gives (ListParticipantEvents), so that a late real event still wins
// when it is newer. IVS has no local stand-in: tests stub it with aws-sdk-client-mock.
// The Lambda runtime provides AWS SDK v3; the library itself never loads this module.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetStageCommand, IVSRealTimeClient, ListParticipantsCommand } from '@aws-sdk/client-ivs-realtime';
import { publishingItems } from './active-participants';
import { applyChange, clearTie } from './apply-change';
import { Call, listedByIvs, listedStages, readCursor, writeCursor } from './cursor';
import { latestPublishEvent } from './participant-events';
import { recountStage } from './recount';
import { PUBLISH_STATES, Stamp, TrackedChange, participantKey } from './state-model';
import { REPEATED_FAILURES } from '../../src/tracker/table-keys';

export interface ReconcileOptions {
  readonly ivs: IVSRealTimeClient;
  readonly dynamodb: DynamoDBClient;
  readonly tableName: string;
  /** The stages to check; every stage of the account (ListStages) when empty. */
  readonly stageArns: readonly string[];
  /** IVS API calls one run may make once its first stage is checked; the rest waits for the next run. */
  readonly maxApiCalls: number;
  readonly retentionSeconds: number;
  /** The time corrections without an IVS event time are stamped with. */
  readonly now: Date;
  /** Milliseconds before the function times out: no stage is begun with less than a minute left. */
  readonly remainingMs?: () => number;
}

export interface ReconcileResult {
  /** Changes written because IVS failed to deliver an event (corrected ties are counted by `tiesConfirmed`). */
  readonly repairs: number;
  readonly apiCalls: number;
  /** Stages this run knew of (listed, or on the ListStages pages it read) and left for the next runs. */
  readonly stagesLeft: number;
  /** Stages whose check failed (logged); the next lap tries them again. */
  readonly failures: number;
  /** Stages whose latest `REPEATED_FAILURES` checks or more all failed. */
  readonly stagesFailingRepeatedly: number;
  /** Same-second ties checked against IVS's event times (corrected or confirmed), their marks cleared. */
  readonly tiesConfirmed: number;
  /** Stage counts set back to the number of their publishing participants (the table was changed outside the tracker). */
  readonly countsCorrected: number;
}

/** Thrown by a call past the budget: the stage it was for is left for the next run. */
class BudgetSpent extends Error {
  public readonly name = 'BudgetSpent';
}

/**
 * Checks stages from the durable cursor on (see cursor.ts). The first stage of a run is always
 * finished, whatever it costs, so no stage can stall the cursor; after it, a run begins no stage
 * and makes no call past `maxApiCalls`, and a stage cut short is the next run's first. So a run
 * checks at least max(1, floor((maxApiCalls - ListStages calls) / calls of the costliest stage))
 * stages: the README's bound.
 */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileResult> {
  let apiCalls = 0;
  let firstDone = false;
  const call = async <T>(send: () => Promise<T>): Promise<T> => {
    if (firstDone && apiCalls >= options.maxApiCalls) {
      throw new BudgetSpent('the run\'s API budget is spent');
    }
    apiCalls++;
    return send();
  };
  const cursor = await readCursor(options.dynamodb, options.tableName);
  const stages = options.stageArns.length > 0 ? listedStages(options.stageArns, cursor) : listedByIvs(options.ivs, cursor, call);
  const totals = { repairs: 0, failures: 0, tiesConfirmed: 0, countsCorrected: 0 };
  const failing = { ...cursor.failing };
  let { lap, after, token } = cursor;
  const checked = new Set<string>();
  let known = new Set(options.stageArns).size;
  try {
    for await (const next of stages) {
      if (checked.has(next.stageArn)) {
        break;
      }
      known += options.stageArns.length > 0 ? 0 : 1;
      if (firstDone && (apiCalls >= options.maxApiCalls || (options.remainingMs?.() ?? Infinity) < 60_000)) {
        break;
      }
      lap += next.lapStart ? 1 : 0;
      try {
        const stage = await checkStage(next.stageArn, options, call);
        totals.repairs += stage.repairs;
        totals.tiesConfirmed += stage.tiesConfirmed;
        totals.countsCorrected += stage.countsCorrected;
        delete failing[next.stageArn];
      } catch (error) {
        if (error instanceof BudgetSpent) {
          lap -= next.lapStart ? 1 : 0;
          break;
        }
        // One stage (deleted, throttled, denied) must not keep the others from being repaired; a
        // stage failing check after check is counted in StagesFailingRepeatedly, which is alarmed.
        totals.failures++;
        failing[next.stageArn] = { count: (failing[next.stageArn]?.count ?? 0) + 1, lap };
        console.error(JSON.stringify({
          stageArn: next.stageArn, error: (error as Error).name, message: (error as Error).message, consecutiveFailures: failing[next.stageArn].count,
        }));
      }
      checked.add(next.stageArn);
      [after, token, firstDone] = [next.stageArn, next.token, true];
    }
  } catch (error) {
    // A ListStages page past the budget: the next run fetches it.
    if (!(error instanceof BudgetSpent)) {
      throw error;
    }
  }
  // A stage not failed again within a lap was checked fine, or is no longer listed.
  for (const [arn, { lap: failedIn }] of Object.entries(failing)) {
    if (failedIn < lap - 1) {
      delete failing[arn];
    }
  }
  await writeCursor(options.dynamodb, options.tableName, { after, token, lap, failing });
  return {
    ...totals,
    apiCalls,
    stagesLeft: Math.max(0, known - checked.size),
    stagesFailingRepeatedly: Object.values(failing).filter(f => f.count >= REPEATED_FAILURES).length,
  };
}

/** Repairs one stage from what IVS says of it. */
async function checkStage(stageArn: string, options: ReconcileOptions, call: Call)
  : Promise<{ repairs: number; tiesConfirmed: number; countsCorrected: number }> {
  const found = await correctionsOf(stageArn, options, call);
  let repairs = 0;
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
    console.warn(JSON.stringify({ stageArn, publishers: recount, reason: 'the count disagreed with the stage\'s publishing participants' }));
  }
  // A corrected item lost its mark with the correction; a confirmed one loses it here.
  for (const { sk, stamp, state } of found.confirmed) {
    await clearTie(options.dynamodb, options.tableName, stageArn, sk, 'publish', stamp, state);
  }
  return { repairs, tiesConfirmed: found.ties, countsCorrected: recount ? 1 : 0 };
}

/**
 * What the table must be told about one stage: the publish state IVS reports for each
 * participant of the active session that ever published, and UNPUBLISHED for every item the
 * table holds as PUBLISHED that IVS does not. A call past the API budget throws `BudgetSpent`.
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

async function correctionsOf(stageArn: string, options: ReconcileOptions, call: Call): Promise<StageCorrections> {
  const stage = await call(() => options.ivs.send(new GetStageCommand({ arn: stageArn })));
  // One ListParticipantEvents per participant and run, however many checks need it.
  const asked = new Map<string, ReturnType<typeof latestPublishEvent>>();
  const latestOf = (session: string, participant: string) => {
    const key = `${session}#${participant}`;
    if (!asked.has(key)) {
      asked.set(key, latestPublishEvent(options.ivs, stageArn, session, participant, call));
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
      for (const participant of page.participants ?? []) {
        const latest = await latestOf(sessionId, participant.participantId!);
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
