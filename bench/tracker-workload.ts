// The events of the tracker benchmark, their classes, and the naive handler it is compared with.
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { STAGE_SK } from '../runtime/tracker/apply-change';
import { IvsEventEnvelope, ModelItem, TrackedChange, applyToModel, changeOf, supersedes } from '../runtime/tracker/state-model';

export const ACCOUNT = '123456789012';
/** Stages of each timed round, and of the pass whose requests are counted. */
export const STAGES_PER_ROUND = 10;
export const COUNTED_STAGES = 25;
export type Variant = 'tracker' | 'naive';

export interface SqsBatch {
  readonly Records: { readonly messageId: string; readonly body: string }[];
}
export type Handler = (batch: SqsBatch) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

/** What an event does to the table by the state model, decided before it is delivered. */
export type EventClass = 'count change' | 'state change, same count' | 'duplicate' | 'stale';
export const EVENT_CLASSES: EventClass[] = ['count change', 'state change, same count', 'duplicate', 'stale'];

/** A small deterministic generator (Park and Miller's minimal standard): the same workload on every run. */
function random(seed: number): () => number {
  let a = (seed % 2147483646) + 1;
  return () => {
    a = (a * 48271) % 2147483647;
    return (a - 1) / 2147483646;
  };
}

function envelope(id: string, detailType: string, second: number, resource: string, detail: Record<string, unknown>): IvsEventEnvelope {
  return {
    'id': id,
    'source': 'aws.ivs',
    'account': ACCOUNT,
    'detail-type': detailType,
    'time': new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
    'resources': [resource],
    'detail': detail,
  } as IvsEventEnvelope;
}

/**
 * The life of `stages` stages: per stage, participants publish, record, unpublish (some come
 * back), and a composition starts and ends with a destination. Delivered mostly in order, as
 * IVS does, with one event in ten delivered twice and one in ten held back (up to 25 deliveries per stage), some
 * of them behind newer events of their item.
 */
export function workload(prefix: string, stages: number, seed: number): IvsEventEnvelope[] {
  const rand = random(seed);
  const history: IvsEventEnvelope[] = [];
  for (let s = 0; s < stages; s++) {
    const stage = `arn:aws:ivs:us-east-1:${ACCOUNT}:stage/${prefix}${String(s).padStart(4, '0')}`;
    const session = `st-${prefix}${s}`;
    const composition = `arn:aws:ivs:us-east-1:${ACCOUNT}:composition/${prefix}${s}`;
    const id = () => `${prefix}-${s}-${history.length}`;
    for (let p = 0; p < 4; p++) {
      const participant = { session_id: session, participant_id: `p${p}`, user_id: `user-${p}` };
      const start = 10 * p;
      const publish = (name: string, second: number) => history.push(envelope(id(), 'IVS Stage Update', second, stage, { event_name: name, ...participant }));
      const rec = (name: string, second: number) => history.push(envelope(id(), 'IVS Participant Recording State Change', second, stage, {
        event_name: name,
        session_id: session,
        participant_id: `p${p}`,
        recording_s3_bucket_name: 'recordings-bucket',
        recording_s3_key_prefix: `${prefix}${s}/${session}/p${p}/1767225600`,
        ...(name === 'Recording End' ? { recording_duration_ms: 60_000 } : {}),
      }));
      publish('Participant Published', start);
      rec('Recording Start', start + 1);
      publish('Participant Unpublished', start + 30);
      rec('Recording End', start + 31);
      if (rand() < 0.5) {
        publish('Participant Published', start + 40);
      }
    }
    const comp = (name: string, second: number, extra: Record<string, unknown> = {}) => history.push(envelope(id(), 'IVS Composition State Change', second, composition, {
      event_name: name, stage_arn: stage, ...extra,
    }));
    comp('Session Start', 2);
    comp('Destination Start', 3, { id: 'dest-1' });
    comp('Destination End', 70, { id: 'dest-1' });
    comp('Session End', 71);
  }
  history.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  const delivered: IvsEventEnvelope[] = [];
  const held: { event: IvsEventEnvelope; at: number }[] = [];
  for (const event of history) {
    const r = rand();
    if (r < 0.1) {
      held.push({ event, at: delivered.length + 10 + Math.floor(rand() * 25 * stages) });
    } else {
      delivered.push(event);
      if (r > 0.9) {
        held.push({ event, at: delivered.length + Math.floor(rand() * 20) });
      }
    }
    for (const h of held.filter(x => x.at <= delivered.length)) {
      delivered.push(h.event);
      held.splice(held.indexOf(h), 1);
    }
  }
  return [...delivered, ...held.map(h => h.event)];
}

/** Classifies each delivered event by the state model, in delivery order. */
export function classify(delivered: IvsEventEnvelope[]): EventClass[] {
  let model = new Map<string, ModelItem>();
  const seen = new Set<string>();
  return delivered.map(event => {
    const change = changeOf(event)!;
    const item = model.get(`${change.pk}\n${change.sk}`);
    const current = item?.states[change.kind];
    const duplicate = seen.has(event.id);
    seen.add(event.id);
    if (!supersedes(change.stamp, current?.stamp)) {
      return duplicate ? 'duplicate' : 'stale';
    }
    model = applyToModel(model, change);
    const publishing = (state?: string) => state === 'PUBLISHED';
    return change.kind === 'publish' && publishing(change.state) !== publishing(current?.state) ? 'count change' : 'state change, same count';
  });
}

/** The keys an event may touch in the tracker's table: its item and its stage's item. */
export function keysOfEvent(event: IvsEventEnvelope): { pk: string; sk: string }[] {
  const change = changeOf(event)!;
  return [{ pk: change.pk, sk: change.sk }, { pk: change.pk, sk: STAGE_SK }];
}

/**
 * The naive handler: the same parsing, then every event written with one unconditional
 * PutItem. Cheapest and fastest, and wrong: a late or repeated event overwrites newer state,
 * and there is no publisher count.
 */
export function naiveHandler(client: DynamoDBClient, tableName: string): Handler {
  return async batch => {
    for (const record of batch.Records) {
      const event = JSON.parse(record.body);
      if (event.source !== 'aws.ivs' || event.account !== ACCOUNT) {
        continue;
      }
      const change: TrackedChange | undefined = changeOf(event);
      if (change) {
        const attributes = Object.fromEntries(Object.entries(change.attributes)
          .map(([name, value]) => [name, typeof value === 'number' ? { N: String(value) } : { S: value }]));
        await client.send(new PutItemCommand({
          TableName: tableName,
          Item: {
            pk: { S: change.pk },
            sk: { S: change.sk },
            [`${change.kind}State`]: { S: change.state },
            [`${change.kind}Time`]: { N: String(change.stamp.time) },
            ...attributes,
          },
        }));
      }
    }
    return { batchItemFailures: [] };
  };
}
