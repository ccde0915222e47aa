// What each kind of event costs in DynamoDB requests, counted at the HTTP level in front of
// moto's server while the bundled handler file processes one record at a time. A stale or
// duplicate event must cost one read and no write (the performance contract).
import { CountingProxy } from '../../devkit/counting-proxy';
import { MotoServer } from '../../devkit/moto';
import { IvsEventEnvelope } from '../../runtime/tracker/state-model';
import { TrackerBundle, loadTrackerBundle } from '../util/tracker-bundle';

const STAGE = 'arn:aws:ivs:us-east-1:123456789012:stage/CostStage';

let moto: MotoServer;
let proxy: CountingProxy;
let handler: TrackerBundle['handler'];
const saved = { ...process.env };

beforeAll(async () => {
  moto = await MotoServer.start();
  await moto.createTable('costs');
  proxy = await CountingProxy.start(moto.endpoint);
  handler = loadTrackerBundle('costs', proxy.endpoint).handler;
}, 60_000);

afterAll(async () => {
  await proxy?.stop();
  moto?.stop();
  process.env = saved;
});

function event(id: string, name: string, second: number, participant = 'p1'): IvsEventEnvelope {
  return {
    'id': id,
    'source': 'aws.ivs',
    'account': '123456789012',
    'detail-type': name.startsWith('Recording') ? 'IVS Participant Recording State Change' : 'IVS Stage Update',
    'time': new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
    'resources': [STAGE],
    'detail': { event_name: name, session_id: 'st-Cost', participant_id: participant },
  } as IvsEventEnvelope;
}

/** Delivers one event as a batch of one record and returns the request kinds it caused, in order. */
async function requestsFor(e: IvsEventEnvelope): Promise<string[]> {
  const from = proxy.requests.length;
  const response = await handler({ Records: [{ messageId: e.id, body: JSON.stringify(e) }] });
  expect(response.batchItemFailures).toEqual([]);
  const requests = proxy.since(from);
  expect(requests.filter(r => r.status !== 200)).toEqual([]);
  return requests.map(r => r.kind);
}

const WRITES = ['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem', 'ExecuteStatement', 'ExecuteTransaction'];

describe('DynamoDB requests per event of the bundled handler', () => {
  const published = event('cost-published', 'Participant Published', 10);

  test('a first Participant Published reads the participant only, and writes it and its stage\'s count in one transaction', async () => {
    expect(await requestsFor(published)).toEqual(['GetItem', 'TransactWriteItems']);
    const reads = proxy.requests.filter(r => r.kind === 'GetItem');
    expect(reads.every(r => r.body.ConsistentRead === true)).toBe(true);
    const [, stage] = proxy.requests.find(r => r.kind === 'TransactWriteItems')!.body.TransactItems;
    expect(stage.Update.UpdateExpression).toEqual('ADD #publishers :delta, #version :one');
  }, 20_000);

  test('a state change that leaves the count alone is one read and one conditional update', async () => {
    const from = proxy.requests.length;
    expect(await requestsFor(event('cost-recording', 'Recording Start', 11))).toEqual(['GetItem', 'UpdateItem']);
    expect(proxy.since(from)[1].body.ConditionExpression).toBeDefined();
  }, 20_000);

  test('a duplicate (the same event delivered again) costs one read and no write', async () => {
    const kinds = await requestsFor(published);
    expect(kinds).toEqual(['GetItem']);
    expect(kinds.filter(k => WRITES.includes(k))).toEqual([]);
  }, 20_000);

  test('a stale event (older than the stored state, another id) costs one read and no write', async () => {
    const kinds = await requestsFor(event('cost-stale-unpublished', 'Participant Unpublished', 5));
    expect(kinds).toEqual(['GetItem']);
    const stored = (await moto.scan('costs')).find(i => i.sk.S === 'PARTICIPANT#st-Cost#p1');
    expect(stored?.publishState?.S).toEqual('PUBLISHED');
  }, 20_000);

  test('a stale recording event after a newer one costs one read and no write', async () => {
    expect(await requestsFor(event('cost-stale-recording', 'Recording Start', 3))).toEqual(['GetItem']);
  }, 20_000);
});
