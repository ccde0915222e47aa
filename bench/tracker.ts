// The state tracker's benchmark, part of `npx projen bench`: the bundled handler file
// (assets/tracker-handler/index.js, as Lambda loads it) and a naive handler that writes every
// event unconditionally (bench/tracker-workload.ts) process the same events against one moto
// DynamoDB server, one record per invocation. Throughput is timed with both talking to moto
// directly; requests are then counted through a local proxy (devkit/counting-proxy.ts),
// and request units computed from the real items (devkit/dynamodb-units.ts).
import * as path from 'path';
import { performance } from 'perf_hooks';
import { DeleteTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ACCOUNT, COUNTED_STAGES, STAGES_PER_ROUND, Variant, EVENT_CLASSES, EventClass, Handler, classify, keysOfEvent, naiveHandler, workload } from './tracker-workload';
import { CountingProxy, RecordedRequest } from '../devkit/counting-proxy';
import { Item, Units, itemKey, itemSize, keysOf, unitsOf } from '../devkit/dynamodb-units';
import { MotoServer } from '../devkit/moto';
import { changeOf } from '../runtime/tracker/state-model';
import { IvsStageStateTracker } from '../src';

const BUNDLE = path.join(__dirname, '..', 'assets', 'tracker-handler', 'index.js');

/** A fresh copy of the bundled module: its DynamoDB client is created on first use, from the environment of that moment. */
function loadBundle(): Handler {
  delete require.cache[require.resolve(BUNDLE)];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(BUNDLE).handler;
}

async function deliver(handler: Handler, event: object, messageId: string): Promise<void> {
  const { batchItemFailures } = await handler({ Records: [{ messageId, body: JSON.stringify(event) }] });
  if (batchItemFailures.length > 0) {
    throw new Error(`record ${messageId} failed: the benchmark counts only applied records`);
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export interface Tally {
  events: number;
  kinds: Record<string, number>;
  units: { read: number; write: number };
  failedConditions: number;
}

const tally = (): Tally => ({ events: 0, kinds: {}, units: { read: 0, write: 0 }, failedConditions: 0 });

function add(t: Tally, requests: RecordedRequest[], units: Units[]): void {
  t.events++;
  for (const [i, r] of requests.entries()) {
    t.kinds[r.kind] = (t.kinds[r.kind] ?? 0) + 1;
    t.units.read += units[i].read;
    t.units.write += units[i].write;
    t.failedConditions += Number(r.error === 'ConditionalCheckFailedException' || r.error === 'TransactionCanceledException');
  }
}

async function images(direct: DynamoDBClient, keys: { table: string; key: Item }[]): Promise<Map<string, Item | undefined>> {
  const map = new Map<string, Item | undefined>();
  for (const { table, key } of keys) {
    map.set(itemKey(table, key), (await direct.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item);
  }
  return map;
}

/** Requests by kind and request units per event class, for both handlers, through the counting proxy. */
async function count(moto: MotoServer, proxy: CountingProxy) {
  process.env.AWS_ENDPOINT_URL_DYNAMODB = proxy.endpoint;
  const handlers: Record<Variant, Handler> = { tracker: loadBundle(), naive: naiveHandler(new DynamoDBClient({}), 'naive') };
  const direct = moto.client();
  const delivered = workload('Count', COUNTED_STAGES, 7);
  const classes = classify(delivered);
  const tallies = Object.fromEntries(EVENT_CLASSES.map(c => [c, { tracker: tally(), naive: tally() }])) as Record<EventClass, Record<Variant, Tally>>;
  for (const [i, event] of delivered.entries()) {
    const change = changeOf(event)!;
    const keys = [
      ...keysOfEvent(event).map(k => ({ table: 'tracker', key: { pk: { S: k.pk }, sk: { S: k.sk } } })),
      { table: 'naive', key: { pk: { S: change.pk }, sk: { S: change.sk } } },
    ];
    const before = await images(direct, keys);
    const from = proxy.requests.length;
    await deliver(handlers.tracker, event, `t${i}`);
    const middle = proxy.requests.length;
    await deliver(handlers.naive, event, `n${i}`);
    const after = await images(direct, keys);
    for (const [variant, requests] of [['tracker', proxy.requests.slice(from, middle)], ['naive', proxy.since(middle)]] as [Variant, RecordedRequest[]][]) {
      const unknown = requests.flatMap(keysOf).map(k => itemKey(k.table, k.key)).filter(k => !before.has(k));
      if (unknown.length > 0) {
        throw new Error(`${variant} touched items the benchmark did not read: ${unknown.join(', ')}`);
      }
      add(tallies[classes[i]][variant], requests, requests.map(r => unitsOf(r, { before, after })));
    }
  }
  const sizes: Record<string, number[]> = {};
  for (const item of await moto.scan('tracker')) {
    const type = item.sk.S!.startsWith('PARTICIPANT#') ? 'participant' : item.sk.S!.includes('#DESTINATION#') ? 'destination'
      : item.sk.S!.startsWith('COMPOSITION#') ? 'composition' : 'stage';
    (sizes[type] ??= []).push(itemSize(item));
  }
  const latency: Record<string, number[]> = {};
  for (const r of proxy.requests) {
    (latency[r.kind] ??= []).push(r.ms);
  }
  return { tallies, sizes, events: delivered.length, latency };
}

/**
 * Events per second of each handler, alternating which goes first. Each round starts on fresh
 * tables: moto copies a whole table for every transaction, so its transactions slow down as a
 * table grows, which DynamoDB's do not.
 */
async function time(moto: MotoServer, rounds: number) {
  process.env.AWS_ENDPOINT_URL_DYNAMODB = moto.endpoint;
  const client = new DynamoDBClient({});
  const handlers: Record<Variant, (table: string) => Handler> = { tracker: () => loadBundle(), naive: table => naiveHandler(client, table) };
  const tracker = handlers.tracker('');
  const rates: Record<Variant, number[]> = { tracker: [], naive: [] };
  const byClass = Object.fromEntries(EVENT_CLASSES.map(c => [c, { tracker: 0, naive: 0, events: 0 }])) as Record<EventClass, Record<Variant | 'events', number>>;
  let events = 0;
  for (let round = -1; round < rounds; round++) { // round -1 warms up both, unrecorded
    const delivered = workload(`Time${round + 1}`, STAGES_PER_ROUND, 100 + round);
    const classes = classify(delivered);
    events = delivered.length;
    const tables: Record<Variant, string> = { tracker: `tracker-${round + 1}`, naive: `naive-${round + 1}` };
    await moto.createTable(tables.tracker);
    await moto.createTable(tables.naive);
    process.env.TABLE_NAME = tables.tracker;
    const order: Variant[] = round % 2 === 0 ? ['tracker', 'naive'] : ['naive', 'tracker'];
    for (const variant of order) {
      const handler = variant === 'tracker' ? tracker : handlers.naive(tables.naive);
      let total = 0;
      for (const [i, event] of delivered.entries()) {
        const start = performance.now();
        await deliver(handler, event, `${variant}${i}`);
        const ms = performance.now() - start;
        total += ms;
        if (round >= 0) {
          byClass[classes[i]][variant] += ms;
          byClass[classes[i]].events += variant === 'tracker' ? 1 : 0;
        }
      }
      if (round >= 0) {
        rates[variant].push(delivered.length / (total / 1000));
      }
    }
    for (const table of Object.values(tables)) {
      await client.send(new DeleteTableCommand({ TableName: table }));
    }
  }
  process.env.TABLE_NAME = 'tracker';
  return { tracker: median(rates.tracker), naive: median(rates.naive), events, byClass };
}

/** Memory, architecture and batch size of the tracker's function, as the construct synthesizes them. */
function functionSettings() {
  const stack = new Stack(new App(), 'TrackerBench', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const tracker = new IvsStageStateTracker(stack, 'Tracker');
  const template = Template.fromStack(stack).toJSON();
  const handlerId = stack.getLogicalId(tracker.handler.node.defaultChild as CfnElement);
  const fn = template.Resources[handlerId].Properties;
  const mapping = Object.values<any>(template.Resources).find(r => r.Type === 'AWS::Lambda::EventSourceMapping'
    && r.Properties.FunctionName?.Ref === handlerId).Properties;
  return { memoryMb: fn.MemorySize ?? 128, architecture: fn.Architectures?.[0] ?? 'x86_64', batchSize: mapping.BatchSize ?? 10 };
}

/** What one benchmark run measured, for bench/tracker-report.ts to render. */
export interface TrackerRun {
  readonly rounds: number;
  readonly rates: Rates;
  readonly counted: Counted;
  readonly fn: FunctionSettings;
}

export async function trackerBenchmark(runs: number): Promise<TrackerRun> {
  const rounds = Math.max(3, Math.min(runs, 11));
  const moto = await MotoServer.start();
  const proxy = await CountingProxy.start(moto.endpoint);
  Object.assign(process.env, {
    TABLE_NAME: 'tracker', ACCOUNT_ID: ACCOUNT, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing',
  });
  try {
    await moto.createTable('tracker');
    await moto.createTable('naive');
    const rates = await time(moto, rounds);
    console.log(`tracker ${rates.tracker.toFixed(0)} events/s, naive ${rates.naive.toFixed(0)} events/s`);
    const counted = await count(moto, proxy);
    return { rounds, rates, counted, fn: functionSettings() };
  } finally {
    await proxy.stop();
    moto.stop();
  }
}

export type Counted = Awaited<ReturnType<typeof count>>;
export type Rates = Awaited<ReturnType<typeof time>>;
export type FunctionSettings = ReturnType<typeof functionSettings>;
