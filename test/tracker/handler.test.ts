// The bundled handler file itself, as Lambda would load it, against moto's DynamoDB server.
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { STAGE_SK } from '../../src/tracker/handler/apply-change';
import { IvsEventEnvelope, ModelItem, TrackedChange, applyChange as applyToModel, changeOf, publishersOf } from '../../src/tracker/state-model';
import { MotoServer } from '../util/moto';

const BUNDLE = path.join(__dirname, '..', '..', 'assets', 'tracker-handler', 'index.js');
const STAGES = Array.from({ length: 20 }, (_, i) => `arn:aws:ivs:us-east-1:123456789012:stage/Bundle${String(i).padStart(6, '0')}`);

let moto: MotoServer;
let handler: (batch: { Records: { messageId: string; body: string }[] }) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
const saved = { ...process.env };

beforeAll(async () => {
  if (!fs.existsSync(BUNDLE)) {
    throw new Error(`${BUNDLE} not found: run \`npx projen bundle:tracker\` (part of the build's pre-compile step)`);
  }
  moto = await MotoServer.start();
  await moto.createTable('bundled');
  Object.assign(process.env, {
    TABLE_NAME: 'bundled',
    ACCOUNT_ID: '123456789012',
    AWS_ENDPOINT_URL_DYNAMODB: moto.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
  });
  // The file Lambda would load, not the TypeScript source (a CommonJS bundle).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  handler = require(BUNDLE).handler;
}, 60_000);

afterAll(() => {
  moto?.stop();
  process.env = saved;
});

function events(count: number, seed: number): IvsEventEnvelope[] {
  const [picks] = fc.sample(fc.array(fc.record({
    stage: fc.constantFrom(...STAGES),
    participant: fc.constantFrom('p1', 'p2', 'p3'),
    second: fc.integer({ min: 0, max: 20 }),
    name: fc.constantFrom('Participant Published', 'Participant Unpublished', 'Recording Start', 'Recording End'),
  }), { minLength: count, maxLength: count }), { seed, numRuns: 1 });
  return picks.map((p, i) => ({
    'id': `bundled-${seed}-${i}`,
    'source': 'aws.ivs',
    'account': '123456789012',
    'detail-type': p.name.startsWith('Recording') ? 'IVS Participant Recording State Change' : 'IVS Stage Update',
    'time': new Date(Date.UTC(2026, 0, 1, 0, 0, p.second)).toISOString(),
    'resources': [p.stage],
    'detail': { event_name: p.name, session_id: 'st-Bundle', participant_id: p.participant },
  }));
}

const asBatch = (list: IvsEventEnvelope[]) => ({ Records: list.map((e, i) => ({ messageId: `m${i}`, body: JSON.stringify(e) })) });

describe('the bundled tracker handler', () => {
  test('batches of shuffled, duplicated events over 20 stages leave the table as the model says, with no failure', async () => {
    // GIVEN
    const history = events(900, 5);
    const twice = [...history, ...history.slice(0, 150)];
    const [delivered] = fc.sample(fc.shuffledSubarray(twice, { minLength: twice.length, maxLength: twice.length }), { seed: 9, numRuns: 1 });

    // WHEN: batches of 10, as an SQS event source mapping delivers them
    const failures: string[] = [];
    for (let i = 0; i < delivered.length; i += 10) {
      failures.push(...(await handler(asBatch(delivered.slice(i, i + 10)))).batchItemFailures.map(f => f.itemIdentifier));
    }

    // THEN
    expect(failures).toEqual([]);
    const model = history.map(changeOf).filter((c): c is TrackedChange => c !== undefined)
      .reduce((items, change) => applyToModel(items, change), new Map<string, ModelItem>());
    const items = (await moto.scan('bundled')).filter(i => i.pk.S!.includes('/Bundle'));
    for (const stage of STAGES) {
      const item = items.find(i => i.pk.S === stage && i.sk.S === STAGE_SK);
      expect([stage, Number(item?.publishers?.N ?? 0)]).toEqual([stage, publishersOf(model, stage)]);
    }
    expect(items.filter(i => i.sk.S !== STAGE_SK).map(i => [i.pk.S, i.sk.S, i.publishState?.S, i.recordingState?.S]).sort())
      .toEqual([...model.values()].map(m => [m.pk, m.sk, m.states.publish?.state, m.states.recording?.state]).sort());
  }, 300_000);

  test('a record it cannot apply is reported as a batch item failure and logged; the others are applied', async () => {
    const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const [good] = events(1, 77);
    const response = await handler({ Records: [{ messageId: 'bad', body: '{not json' }, { messageId: 'good', body: JSON.stringify(good) }] });
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }]);
    expect(log.mock.calls.map(c => JSON.parse(c[0]).messageId)).toEqual(['bad']);
    log.mockRestore();
  }, 60_000);

  test('events that are not IVS events of this account are ignored, not applied and not failed', async () => {
    const log = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const [event] = events(1, 99);
    const forged = [{ ...event, source: 'my.app' }, { ...event, account: '999999999999' }];
    const before = (await moto.scan('bundled')).length;
    expect((await handler(asBatch(forged))).batchItemFailures).toEqual([]);
    expect((await moto.scan('bundled')).length).toEqual(before);
    expect(log).toHaveBeenCalledTimes(2);
    log.mockRestore();
  }, 60_000);

  test('an unavailable table fails every record, so SQS retries them and, in the end, dead-letters them', async () => {
    const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    process.env.TABLE_NAME = 'no-such-table';
    try {
      const batch = asBatch(events(3, 13));
      const response = await handler(batch);
      expect(response.batchItemFailures.map(f => f.itemIdentifier)).toEqual(batch.Records.map(r => r.messageId));
      expect(new Set(log.mock.calls.map(c => JSON.parse(c[0]).error))).toEqual(new Set(['ResourceNotFoundException']));
    } finally {
      process.env.TABLE_NAME = 'bundled';
      log.mockRestore();
    }
  }, 60_000);
});
