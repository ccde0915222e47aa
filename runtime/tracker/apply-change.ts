// Writes one tracked change to the table so that any interleaving of handlers converges on
// the state model: a strongly consistent read decides, every write is conditional on what
// was read, and a change of a stage's publisher count is one transaction of the participant
// and stage items. Runs inside the tracker's Lambda function (AWS SDK v3 of the runtime).
import { createHash } from 'crypto';
// The Lambda Node.js runtime provides AWS SDK v3: the handler's bundle leaves it out, and the
// library itself never loads this module.
import {
  DynamoDBClient, GetItemCommand, TransactWriteItemsCommand, UpdateItemCommand, AttributeValue, Update,
} from '@aws-sdk/client-dynamodb';
import { STATE_ATTRIBUTES, Stamp, StateKind, TrackedChange, supersedes } from './state-model';
import { ACTIVE_INDEX, STAGE_SK } from '../../src/tracker/table-keys';

const ACTIVE = ACTIVE_INDEX.partitionKey;

/** Attribute names of each kind of state (the README's table contract). */
const ATTRIBUTES: Record<StateKind, { readonly state: string; readonly time: string; readonly rank: string; readonly tie: string }> = {
  publish: { state: 'publishState', time: 'publishTime', rank: 'publishRank', tie: 'publishTie' },
  recording: { state: 'recordingState', time: 'recordingTime', rank: 'recordingRank', tie: 'recordingTie' },
  composition: { state: 'state', time: 'stateTime', rank: 'stateRank', tie: 'stateTie' },
  destination: { state: 'state', time: 'stateTime', rank: 'stateRank', tie: 'stateTie' },
};

export { STAGE_SK };

/** Composition and destination states after which nothing more happens. */
const FINISHED = new Set(['ENDED', 'FAILED']);

export interface ApplyOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Seconds a finished participant's item is kept (TTL), counted from the event. */
  readonly retentionSeconds: number;
  /** Attempts before giving up on conflicts; the record is then reported as failed and retried by SQS. */
  readonly maxAttempts?: number;
  /** Waits between attempts; replaced in tests to run without sleeping. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface ApplyResult {
  /** `stale`: an older or repeated event, which costs one read and no write. */
  readonly outcome: 'applied' | 'stale';
  /** How much this change moved the stage's publisher count (+1 or -1), when it moved it. */
  readonly publishersChange?: number;
  /** True when the rank decided against a state of the same time, and the item was marked for the reconciler. */
  readonly tie?: boolean;
}

// TransactionInProgressException: the same event's transaction, delivered twice at once, still running.
const RETRYABLE = new Set(['ConditionalCheckFailedException', 'TransactionCanceledException', 'TransactionConflictException', 'TransactionInProgressException']);

export async function applyChange(change: TrackedChange, options: ApplyOptions): Promise<ApplyResult> {
  const maxAttempts = options.maxAttempts ?? 8;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await applyOnce(change, options, attempt);
    } catch (error) {
      if (!RETRYABLE.has((error as Error).name) || attempt >= maxAttempts) {
        throw error;
      }
      // Full jitter: concurrent handlers of one stage spread out instead of colliding again.
      await sleep(Math.random() * Math.min(1000, 20 * 2 ** attempt));
    }
  }
}

async function applyOnce(given: TrackedChange, options: ApplyOptions, attempt: number): Promise<ApplyResult> {
  const { client, tableName } = options;
  const names = ATTRIBUTES[given.kind];
  const key = { pk: { S: given.pk }, sk: { S: given.sk } };
  const { Item: item } = await client.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  const current = stampOf(item, given.kind);
  // What IVS says now replaces a different state stamped up to then, whatever its stamp.
  const replaces = given.replacesUpTo !== undefined && current !== undefined && current.time <= given.replacesUpTo
    && !supersedes(given.stamp, current) && item?.[names.state]?.S !== given.state;
  const change = replaces ? { ...given, stamp: { ...given.stamp, time: current!.time + 1 } } : given;
  // Event times have one-second precision: two events of one second are ordered by rank,
  // which may not be the order they happened in. The item keeps the tied time in `<kind>Tie`
  // for the reconciler to confirm against IVS's own, finer, times.
  const tie = current !== undefined && change.stamp.time === current.time && change.stamp.rank !== current.rank;
  if (!supersedes(change.stamp, current)) {
    if (!tie || item?.[names.tie]?.N === String(current!.time)) {
      return { outcome: 'stale' };
    }
    await client.send(new UpdateItemCommand({
      TableName: tableName,
      Key: key,
      UpdateExpression: change.kind === 'publish' ? 'SET #tie = :tie, #active = :pk' : 'SET #tie = :tie',
      ConditionExpression: '#time = :time AND #rank = :rank',
      ExpressionAttributeNames: { '#tie': names.tie, '#time': names.time, '#rank': names.rank, ...(change.kind === 'publish' ? { '#active': ACTIVE } : {}) },
      ExpressionAttributeValues: {
        ':tie': { N: String(current!.time) },
        ':time': { N: String(current!.time) },
        ':rank': { N: String(current!.rank) },
        ...(change.kind === 'publish' ? { ':pk': { S: change.pk } } : {}),
      },
    }));
    return { outcome: 'stale', tie: true };
  }

  const values: Record<string, AttributeValue> = {
    ':state': { S: change.state }, ':time': { N: String(change.stamp.time) }, ':rank': { N: String(change.stamp.rank) },
  };
  // Every attribute by placeholder: `state` and others are DynamoDB reserved words.
  const attributeNames: Record<string, string> = {};
  const ref = (name: string) => {
    attributeNames[`#${name}`] = name;
    return `#${name}`;
  };
  const sets = [`${ref(names.state)} = :state`, `${ref(names.time)} = :time`, `${ref(names.rank)} = :rank`];
  for (const [name, value] of Object.entries(change.attributes)) {
    values[`:${name}`] = typeof value === 'number' ? { N: String(value) } : { S: value };
    sets.push(`${ref(name)} = :${name}`);
  }
  // The previous state's own attributes go with it.
  const removes = STATE_ATTRIBUTES[change.kind].filter(name => change.attributes[name] === undefined && item?.[name] !== undefined).map(ref);
  if (tie) {
    values[':tie'] = { N: String(change.stamp.time) };
    sets.push(`${ref(names.tie)} = :tie`);
  } else {
    removes.push(ref(names.tie));
  }
  let delta = 0;
  const publishing = change.kind === 'publish' ? change.state === 'PUBLISHED' : item?.publishState?.S === 'PUBLISHED';
  if (change.kind === 'publish') {
    delta = Number(publishing) - Number(item?.publishState?.S === 'PUBLISHED');
  }
  // The reconciler's sparse index holds a participant while it publishes or its tie waits.
  if (change.kind === 'publish' && (publishing || tie)) {
    values[':pk'] = { S: change.pk };
    sets.push(`${ref(ACTIVE)} = :pk`);
  } else if (change.kind === 'publish') {
    removes.push(ref(ACTIVE));
  }
  // An item expires only once it is finished: a participant while not publishing (so expiry
  // never changes a count), a composition or destination once it ended or failed.
  const finished = change.kind === 'composition' || change.kind === 'destination' ? FINISHED.has(change.state) : !publishing;
  // Expiry counts from the latest state the item holds (publish or recording), never from this
  // change's own time when it is older: a late recording event must not bring expiry forward.
  const other = change.kind === 'publish' ? stampOf(item, 'recording') : change.kind === 'recording' ? stampOf(item, 'publish') : undefined;
  if (finished) {
    const latest = Math.max(change.stamp.time, other?.time ?? 0);
    values[':expiresAt'] = { N: String(Math.floor(latest / 1000) + options.retentionSeconds) };
    sets.push(`${ref('expiresAt')} = :expiresAt`);
  } else {
    removes.push(ref('expiresAt'));
  }
  // Conditional on the state read: a concurrent writer that got there first makes this fail and re-read.
  const condition = current === undefined
    ? `attribute_not_exists(${ref(names.time)})`
    : `${ref(names.time)} = :oldTime AND ${ref(names.rank)} = :oldRank`;
  if (current !== undefined) {
    values[':oldTime'] = { N: String(current.time) };
    values[':oldRank'] = { N: String(current.rank) };
  }
  // A recording change decides the item's expiry by the publish state it read: a concurrent
  // Participant Published must fail it, or the item could expire while counted. A publish
  // change that sets expiry read the recording's time for it: a concurrent recording fails it.
  const otherKind = change.kind === 'recording' || (change.kind === 'publish' && finished)
    ? ATTRIBUTES[change.kind === 'recording' ? 'publish' : 'recording'] : undefined;
  const publishCondition = otherKind === undefined ? ''
    : other === undefined ? ` AND attribute_not_exists(${ref(otherKind.time)})`
      : ` AND ${ref(otherKind.time)} = :readOtherTime AND ${ref(otherKind.rank)} = :readOtherRank`;
  if (otherKind !== undefined && other !== undefined) {
    values[':readOtherTime'] = { N: String(other.time) };
    values[':readOtherRank'] = { N: String(other.rank) };
  }
  const update: Update = {
    TableName: tableName,
    Key: key,
    UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: `${condition}${publishCondition}`,
    ExpressionAttributeNames: attributeNames,
    ExpressionAttributeValues: values,
  };
  if (delta === 0) {
    await client.send(new UpdateItemCommand(update));
    return { outcome: 'applied', ...(tie ? { tie } : {}) };
  }

  // The participant's condition makes `delta` exact, so the stage item is changed by it
  // without being read: one request fewer per change of count, and no conflict between two
  // participants of one stage beyond the transaction itself.
  const stageKey = { pk: { S: change.pk }, sk: { S: STAGE_SK } };
  try {
    await client.send(new TransactWriteItemsCommand({
      TransactItems: [
        { Update: update },
        {
          Update: {
            TableName: tableName,
            Key: stageKey,
            // `version` counts the changes of count: an idle grace period confirms that the
            // stage is still idle from the same transition, not idle again from a later one.
            UpdateExpression: 'ADD #publishers :delta, #version :one',
            // Never below 0: a participant leaving needs a count to leave.
            ...(delta < 0 ? { ConditionExpression: '#publishers >= :one' } : {}),
            ExpressionAttributeNames: { '#publishers': 'publishers', '#version': 'version' },
            ExpressionAttributeValues: { ':delta': { N: String(delta) }, ':one': { N: '1' } },
          },
        },
      ],
      // Idempotent for 10 minutes (TransactWriteItems, ClientRequestToken): the SDK's own retries
      // of this request repeat it; each attempt here, after a fresh read, is a request of its own.
      ClientRequestToken: createHash('sha256').update(`${change.eventId}|${change.sk}|${current?.time}|${current?.rank}|${attempt}`)
        .digest('hex').slice(0, 36),
    }));
  } catch (error) {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
    if (reasons?.[0]?.Code === 'None' && reasons?.[1]?.Code === 'ConditionalCheckFailed') {
      // The participant was counted as publishing but the stage item says 0: the table was
      // changed outside the tracker. Refuse rather than go below 0: the record fails, and ends
      // in the alarmed dead-letter queue, for someone to look at the table.
      throw new Error(`stage ${change.pk}: publishers would go below 0 (participant ${change.sk} leaves a count of 0)`);
    }
    throw error;
  }
  return { outcome: 'applied', publishersChange: delta, ...(tie ? { tie } : {}) };
}

function stampOf(item: Record<string, AttributeValue> | undefined, kind: StateKind): Stamp | undefined {
  const names = ATTRIBUTES[kind];
  const time = item?.[names.time]?.N;
  return time === undefined ? undefined : { time: Number(time), rank: Number(item?.[names.rank]?.N ?? 0) };
}

/**
 * Removes a tie mark once the reconciler has confirmed the state against IVS, unless the
 * state changed since it was read (then the later write decided the mark). True if removed.
 */
export async function clearTie(client: DynamoDBClient, tableName: string, pk: string, sk: string, kind: StateKind, stamp: Stamp,
  state: string): Promise<boolean> {
  const names = ATTRIBUTES[kind];
  try {
    await client.send(new UpdateItemCommand({
      TableName: tableName,
      Key: { pk: { S: pk }, sk: { S: sk } },
      // Out of the sparse index too, unless it publishes (then the index keeps it for that).
      UpdateExpression: kind === 'publish' && state !== 'PUBLISHED' ? 'REMOVE #tie, #active' : 'REMOVE #tie',
      ConditionExpression: '#time = :time AND #rank = :rank',
      ExpressionAttributeNames: {
        '#tie': names.tie, '#time': names.time, '#rank': names.rank, ...(kind === 'publish' && state !== 'PUBLISHED' ? { '#active': ACTIVE } : {}),
      },
      ExpressionAttributeValues: { ':time': { N: String(stamp.time) }, ':rank': { N: String(stamp.rank) } },
    }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') {
      return false;
    }
    throw error;
  }
}
