// What one record does to its item, through the bundled handler file on moto's DynamoDB: expiry
// from the latest state the item holds, attributes that belong to their state, and records
// that are not what IVS sends (refused and logged, never applied under a wrong key).
import { AttributeValue } from '@aws-sdk/client-dynamodb';
import { MotoServer } from '../../devkit/moto';
import { IvsEventEnvelope } from '../../runtime/tracker/state-model';
import { TrackerBundle, loadTrackerBundle } from '../util/tracker-bundle';

const TABLE = 'records';
const STAGE = 'arn:aws:ivs:us-east-1:123456789012:stage/Records00001';
const COMPOSITION = 'arn:aws:ivs:us-east-1:123456789012:composition/Comp00001';
const RETENTION = 7 * 24 * 3600;
const at = (hour: number, minute: number, second = 0) => new Date(Date.UTC(2026, 0, 1, hour, minute, second));

let moto: MotoServer;
let handler: TrackerBundle['handler'];
const saved = { ...process.env };

beforeAll(async () => {
  moto = await MotoServer.start();
  await moto.createTable(TABLE);
  handler = loadTrackerBundle(TABLE, moto.endpoint).handler;
  process.env.RETENTION_SECONDS = String(RETENTION);
}, 60_000);

afterAll(() => {
  moto?.stop();
  process.env = saved;
});

let serial = 0;
function ivsEvent(detailType: string, name: string, time: Date, detail: Record<string, unknown> = {},
  resources: unknown = [STAGE]): IvsEventEnvelope {
  return {
    'id': `records-${serial++}`,
    'source': 'aws.ivs',
    'account': '123456789012',
    'detail-type': detailType,
    'time': time.toISOString(),
    'resources': resources,
    'detail': { event_name: name, ...detail },
  } as unknown as IvsEventEnvelope;
}
const stageUpdate = (name: string, time: Date, participant: string, extra: Record<string, unknown> = {}, resources?: unknown) =>
  ivsEvent('IVS Stage Update', name, time, { session_id: 'st-1', participant_id: participant, ...extra }, resources);
const recording = (name: string, time: Date, participant: string, extra: Record<string, unknown> = {}) =>
  ivsEvent('IVS Participant Recording State Change', name, time, {
    session_id: 'st-1', participant_id: participant, recording_s3_bucket_name: 'bucket', recording_s3_key_prefix: `prefix/${participant}`, ...extra,
  });
const composition = (name: string, time: Date, extra: Record<string, unknown> = {}) =>
  ivsEvent('IVS Composition State Change', name, time, { stage_arn: STAGE, ...extra }, [COMPOSITION]);

async function deliver(...events: IvsEventEnvelope[]): Promise<string[]> {
  const failures: string[] = [];
  for (const event of events) {
    const response = await handler({ Records: [{ messageId: event.id, body: JSON.stringify(event) }] });
    failures.push(...response.batchItemFailures.map(f => f.itemIdentifier));
  }
  return failures;
}

async function item(sk: string, pk = STAGE): Promise<Record<string, AttributeValue> | undefined> {
  return (await moto.scan(TABLE)).find(i => i.pk.S === pk && i.sk.S === sk);
}

describe('expiry never moves earlier', () => {
  test('a recording event older than the publish state keeps the expiry after the latest state the item holds', async () => {
    // GIVEN published at 08:00:00 and unpublished at 13:00
    await deliver(stageUpdate('Participant Published', at(8, 0), 'exp1'), stageUpdate('Participant Unpublished', at(13, 0), 'exp1'));
    // WHEN a Recording Start stamped 08:00:01 arrives late
    await deliver(recording('Recording Start', at(8, 0, 1), 'exp1'));
    // THEN the item expires 7 days after 13:00, not after 08:00:01
    const held = await item('PARTICIPANT#st-1#exp1');
    expect([held?.publishState?.S, held?.recordingState?.S, Number(held?.expiresAt?.N)])
      .toEqual(['UNPUBLISHED', 'STARTED', at(13, 0).getTime() / 1000 + RETENTION]);
  }, 60_000);

  test('a publish event older than the recording state keeps the expiry after the recording', async () => {
    await deliver(stageUpdate('Participant Published', at(8, 0), 'exp2'), recording('Recording End', at(9, 30), 'exp2', { recording_duration_ms: 5 }));
    await deliver(stageUpdate('Participant Unpublished', at(9, 0), 'exp2'));
    expect(Number((await item('PARTICIPANT#st-1#exp2'))?.expiresAt?.N)).toEqual(at(9, 30).getTime() / 1000 + RETENTION);
  }, 60_000);
});

describe('a new state clears the attributes its event does not carry', () => {
  test('Recording Start Failure after an End drops the End\'s duration', async () => {
    await deliver(
      recording('Recording Start', at(8, 0), 'att1'),
      recording('Recording End', at(8, 1), 'att1', { recording_duration_ms: 59_000 }),
      recording('Recording Start Failure', at(8, 2), 'att1'),
    );
    const held = await item('PARTICIPANT#st-1#att1');
    expect([held?.recordingState?.S, held?.recordingDurationMs, held?.recordingBucket?.S]).toEqual(['START_FAILED', undefined, 'bucket']);
  }, 60_000);

  test('a destination started again after a failure drops the failure\'s reason', async () => {
    await deliver(
      composition('Destination Start', at(8, 0), { id: 'd1' }),
      composition('Destination Failure', at(8, 1), { id: 'd1', reason: 'stream key invalid' }),
      composition('Destination Start', at(8, 2), { id: 'd1' }),
    );
    const held = await item(`COMPOSITION#${COMPOSITION}#DESTINATION#d1`);
    expect([held?.state?.S, held?.reason]).toEqual(['STARTED', undefined]);
  }, 60_000);
});

describe('records that are not what IVS sends', () => {
  test.each([
    ['`resources` is a string', stageUpdate('Participant Published', at(8, 0), 'bad1', {}, STAGE)],
    ['the stage is not an ARN', stageUpdate('Participant Published', at(8, 0), 'bad2', {}, ['not-a-stage'])],
    ['a composition\'s stage_arn is not a stage ARN', composition('Session Start', at(8, 0), { stage_arn: 'arn:aws:ivs:us-east-1:123456789012:channel/x' })],
  ])('%s: refused, logged with the message id, not applied, not failed', async (_name, event) => {
    const before = await moto.scan(TABLE);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(await deliver(event)).toEqual([]);
      expect(warn.mock.calls.map(c => JSON.parse(c[0]))).toEqual([expect.objectContaining({ messageId: event.id, refused: expect.any(String) })]);
    } finally {
      warn.mockRestore();
    }
    expect(await moto.scan(TABLE)).toEqual(before);
  }, 60_000);

  test.each([
    ['an empty event_time', ''],
    ['an event_time that is not a time', 'soon'],
    ['a numeric event_time', 1767254400],
  ])('%s: applied at the envelope\'s time, and logged', async (_name, eventTime) => {
    const participant = `time${serial}`;
    const event = stageUpdate('Participant Published', at(10, 0), participant, { event_time: eventTime });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(await deliver(event)).toEqual([]);
      expect(warn.mock.calls.map(c => JSON.parse(c[0]))).toEqual([expect.objectContaining({ messageId: event.id, warning: expect.stringMatching(/event_time/) })]);
    } finally {
      warn.mockRestore();
    }
    expect(Number((await item(`PARTICIPANT#st-1#${participant}`))?.publishTime?.N)).toEqual(at(10, 0).getTime());
  }, 60_000);
});
