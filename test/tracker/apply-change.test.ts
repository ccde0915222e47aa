import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import * as fc from 'fast-check';
import { MotoServer } from '../../devkit/moto';
import { STAGE_SK, applyChange } from '../../runtime/tracker/apply-change';
import { IvsEventEnvelope, ModelItem, TrackedChange, applyToModel, changeOf, publishersOf } from '../../runtime/tracker/state-model';
import { ACTIVE_INDEX, DESTINATION_RECORDING_ATTRIBUTES, destinationSk } from '../../src/tracker/table-keys';

const TABLE = 'tracker';
const STAGES = Array.from({ length: 24 }, (_, i) => `arn:aws:ivs:us-east-1:123456789012:stage/Stage${String(i).padStart(7, '0')}`);
const NAMES = ['Participant Published', 'Participant Unpublished', 'Participant Publish Error', 'Recording Start', 'Recording End'];

let moto: MotoServer;

beforeAll(async () => {
  moto = await MotoServer.start();
  await moto.createTable(TABLE);
}, 60_000);

afterAll(() => moto?.stop());

/** A reproducible history: participants of many stages publishing, unpublishing and recording, with equal times. */
function history(seed: number, count: number): IvsEventEnvelope[] {
  const [events] = fc.sample(fc.array(fc.record({
    stage: fc.constantFrom(...STAGES),
    participant: fc.constantFrom('p1', 'p2', 'p3', 'p4'),
    second: fc.integer({ min: 0, max: 30 }),
    name: fc.constantFrom(...NAMES),
  }), { minLength: count, maxLength: count }), { seed, numRuns: 1 });
  return events.map((e, i) => ({
    'id': `event-${i}`,
    'detail-type': e.name.startsWith('Recording') ? 'IVS Participant Recording State Change' : 'IVS Stage Update',
    'time': new Date(Date.UTC(2026, 0, 1, 0, 0, e.second)).toISOString(),
    'resources': [e.stage],
    'detail': { event_name: e.name, session_id: 'st-Session1', participant_id: e.participant },
  }));
}

function modelOf(events: IvsEventEnvelope[]): Map<string, ModelItem> {
  return events.map(changeOf).filter((c): c is TrackedChange => c !== undefined)
    .reduce((items, change) => applyToModel(items, change), new Map<string, ModelItem>());
}

describe('applyChange against a real DynamoDB API (moto)', () => {
  test('1,000 events over 24 stages, shuffled and partly duplicated, leave the table exactly as the model says', async () => {
    // GIVEN
    const events = history(7, 800);
    const [delivered] = fc.sample(fc.subarray(events, { minLength: 200, maxLength: 200 })
      .chain(twice => fc.shuffledSubarray([...events, ...twice], { minLength: 1000, maxLength: 1000 })), { seed: 11, numRuns: 1 });
    expect(delivered).toHaveLength(1000);

    // WHEN: one at a time, as moto serves requests safely only one at a time
    const outcomes: string[] = [];
    for (const event of delivered) {
      outcomes.push((await applyChange(changeOf(event)!, { client: moto.client(), tableName: TABLE, retentionSeconds: 86400 })).outcome);
    }

    // THEN
    const model = modelOf(events);
    const items = await moto.scan(TABLE);
    const participants = items.filter(i => i.sk.S!.startsWith('PARTICIPANT#'));
    expect(participants.map(i => [i.pk.S, i.sk.S, i.publishState?.S, i.recordingState?.S]).sort())
      .toEqual([...model.values()].map(m => [m.pk, m.sk, m.states.publish?.state, m.states.recording?.state]).sort());
    for (const stage of STAGES) {
      const item = items.find(i => i.pk.S === stage && i.sk.S === STAGE_SK);
      expect([stage, Number(item?.publishers?.N ?? 0)]).toEqual([stage, publishersOf(model, stage)]);
    }
    // Items that do not publish expire; publishing ones never do.
    expect(participants.filter(i => (i.publishState?.S === 'PUBLISHED') === (i.expiresAt !== undefined))).toEqual([]);
    // The reconciler's sparse index holds exactly the publishing participants and those with a tie to confirm.
    const active = (i: typeof items[number]) => i.publishState?.S === 'PUBLISHED' || (i.publishTie !== undefined && i.publishTie.N === i.publishTime?.N);
    expect(participants.filter(i => active(i) !== (i[ACTIVE_INDEX.partitionKey]?.S === i.pk.S))).toEqual([]);
    expect(participants.filter(active).length).toBeGreaterThan(0);
    // Every duplicate and every older event cost a read and no write.
    expect(outcomes.filter(o => o === 'stale').length).toBeGreaterThanOrEqual(200);
  }, 300_000);

  test('composition and destination states, whose attribute `state` is a DynamoDB reserved word, are written and ordered', async () => {
    await moto.createTable('compositions');
    const options = { client: moto.client(), tableName: 'compositions', retentionSeconds: 60 };
    const composition = (name: string, second: number, id?: string): IvsEventEnvelope => ({
      'id': `${name}-${second}`,
      'detail-type': 'IVS Composition State Change',
      'time': new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
      'resources': ['arn:aws:ivs:us-east-1:123456789012:composition/Comp1'],
      'detail': { event_name: name, stage_arn: STAGES[0], ...(id ? { id } : {}), ...(name.endsWith('Failure') ? { reason: 'key "x" invalid' } : {}) },
    });
    // Delivered out of order: the failure comes first, the start after it.
    for (const event of [composition('Destination Failure', 5, 'd1'), composition('Session Start', 1), composition('Destination Start', 2, 'd1')]) {
      await applyChange(changeOf(event)!, options);
    }
    const items = await moto.scan('compositions');
    const bySk = Object.fromEntries(items.map(i => [i.sk.S, [i.state?.S, i.reason?.S, i.expiresAt !== undefined]]));
    // A finished destination expires; a running composition does not.
    expect(bySk).toEqual({
      'COMPOSITION#arn:aws:ivs:us-east-1:123456789012:composition/Comp1': ['STARTED', undefined, false],
      'COMPOSITION#arn:aws:ivs:us-east-1:123456789012:composition/Comp1#DESTINATION#d1': ['FAILED', 'key "x" invalid', true],
    });
  }, 60_000);

  test.each([
    ['before the Destination events', 0],
    ['between Destination Start and End', 1],
    ['after Destination End', 2],
  ])('the recording prefix and bucket IvsAutoComposition keeps on a destination item survive its Destination events, written %s', async (_, at) => {
    // GIVEN the write of the start state machine (UpdateItem SET of the two attributes alone), at any point of the destination's events
    const table = `kept${at}`;
    await moto.createTable(table);
    const options = { client: moto.client(), tableName: table, retentionSeconds: 60 };
    const compositionArn = 'arn:aws:ivs:us-east-1:123456789012:composition/Kept1';
    const key = { pk: { S: STAGES[0] }, sk: { S: destinationSk(compositionArn, 'd1') } };
    const keep = () => moto.client().send(new UpdateItemCommand({
      TableName: table,
      Key: key,
      UpdateExpression: 'SET #bucket = :bucket, #prefix = :prefix',
      ExpressionAttributeNames: { '#bucket': DESTINATION_RECORDING_ATTRIBUTES.bucket, '#prefix': DESTINATION_RECORDING_ATTRIBUTES.prefix },
      ExpressionAttributeValues: { ':bucket': { S: 'recordings' }, ':prefix': { S: 'stage/Kept1/composition/d1' } },
    }));
    const destination = (name: string, second: number): IvsEventEnvelope => ({
      'id': `${name}-${second}`,
      'detail-type': 'IVS Composition State Change',
      'time': new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
      'resources': [compositionArn],
      'detail': { event_name: name, stage_arn: STAGES[0], id: 'd1' },
    });
    const outcomes: string[] = [];
    for (const [i, event] of [destination('Destination Start', 2), destination('Destination End', 9)].entries()) {
      if (i === at) await keep();
      outcomes.push((await applyChange(changeOf(event)!, options)).outcome);
    }
    if (at === 2) await keep();

    // THEN both events were applied (an item holding only the two attributes is no state), and the attributes stay
    expect(outcomes).toEqual(['applied', 'applied']);
    const [item] = await moto.scan(table);
    expect([item.sk.S, item.state?.S, item.recordingBucket?.S, item.recordingPrefix?.S, item.expiresAt !== undefined])
      .toEqual([destinationSk(compositionArn, 'd1'), 'ENDED', 'recordings', 'stage/Kept1/composition/d1', true]);
  }, 60_000);

  test('the stage item\'s version grows by one with each change of its count, and only then', async () => {
    await moto.createTable('versions');
    const options = { client: moto.client(), tableName: 'versions', retentionSeconds: 60 };
    const event = (name: string, participant: string, second: number): IvsEventEnvelope => ({
      'id': `${name}-${participant}-${second}`,
      'detail-type': 'IVS Stage Update',
      'time': new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
      'resources': [STAGES[0]],
      'detail': { event_name: name, session_id: 'st-Session1', participant_id: participant },
    });
    const versions: (string | undefined)[] = [];
    for (const e of [event('Participant Published', 'p1', 1), event('Participant Published', 'p1', 1), event('Participant Published', 'p2', 2),
      event('Participant Unpublished', 'p1', 3), event('Participant Unpublished', 'p2', 4), event('Participant Published', 'p1', 5)]) {
      await applyChange(changeOf(e)!, options);
      versions.push((await moto.scan('versions')).find(i => i.sk.S === STAGE_SK)?.version?.N);
    }
    // The repeated Published (second) changes no count, so no version.
    expect(versions).toEqual(['1', '1', '2', '3', '4', '5']);
  }, 60_000);

  test('a same-second tie is recorded on the item whichever event comes first; a repeat writes nothing more; a later event clears it', async () => {
    await moto.createTable('ties');
    const writes: string[] = [];
    const real = moto.client();
    const client = { send: (command: any) => (command.constructor.name === 'GetItemCommand' ? null : writes.push(command.constructor.name), real.send(command)) } as any;
    const options = { client, tableName: 'ties', retentionSeconds: 60 };
    const event = (name: string, participant: string, second: number): IvsEventEnvelope => ({
      'id': `${name}-${participant}-${second}`,
      'detail-type': 'IVS Stage Update',
      'time': new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
      'resources': [STAGES[0]],
      'detail': { event_name: name, session_id: 'st-Ties', participant_id: participant },
    });
    const item = async (participant: string) => (await moto.scan('ties')).find(i => i.sk.S === `PARTICIPANT#st-Ties#${participant}`)!;
    const second5 = String(Date.UTC(2026, 0, 1, 0, 0, 5));

    // The winner (by rank) second: written, with the tie.
    await applyChange(changeOf(event('Participant Published', 'p1', 5))!, options);
    expect(await applyChange(changeOf(event('Participant Unpublished', 'p1', 5))!, options)).toMatchObject({ outcome: 'applied', tie: true });
    expect([(await item('p1')).publishState?.S, (await item('p1')).publishTie?.N]).toEqual(['UNPUBLISHED', second5]);

    // The loser second: not applied, but the tie is recorded.
    await applyChange(changeOf(event('Participant Unpublished', 'p2', 5))!, options);
    expect((await item('p2')).publishTie).toBeUndefined();
    expect(await applyChange(changeOf(event('Participant Published', 'p2', 5))!, options)).toEqual({ outcome: 'stale', tie: true });
    expect([(await item('p2')).publishState?.S, (await item('p2')).publishTie?.N]).toEqual(['UNPUBLISHED', second5]);

    // Once recorded, a repeat of the losing event costs a read and no write.
    writes.length = 0;
    expect(await applyChange(changeOf(event('Participant Published', 'p2', 5))!, options)).toEqual({ outcome: 'stale' });
    expect(writes).toEqual([]);

    // A later event decides by time alone: the mark goes.
    await applyChange(changeOf(event('Participant Published', 'p2', 6))!, options);
    expect([(await item('p2')).publishState?.S, (await item('p2')).publishTie]).toEqual(['PUBLISHED', undefined]);
  }, 60_000);

  test('a repeated event changes nothing', async () => {
    const change = changeOf(history(3, 1)[0])!;
    const options = { client: moto.client(), tableName: 'repeat', retentionSeconds: 60 };
    await moto.createTable('repeat');
    expect((await applyChange(change, options)).outcome).toEqual('applied');
    expect((await applyChange(change, options)).outcome).toEqual('stale');
  }, 60_000);
  test('a recording event read before a concurrent Participant Published never makes the publishing participant expire', async () => {
    // GIVEN a participant that stopped publishing (so its item may expire)
    const stage = 'arn:aws:ivs:us-east-1:123456789012:stage/Race';
    await moto.createTable('race');
    const client = moto.client();
    const options = { client, tableName: 'race', retentionSeconds: 60, sleep: async () => {} };
    const event = (id: string, name: string, second: number): IvsEventEnvelope => ({
      'id': id,
      'detail-type': name.startsWith('Recording') ? 'IVS Participant Recording State Change' : 'IVS Stage Update',
      'time': new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
      'resources': [stage],
      'detail': { event_name: name, session_id: 'st-1', participant_id: 'p1' },
    });
    await applyChange(changeOf(event('race-1', 'Participant Published', 1))!, options);
    await applyChange(changeOf(event('race-2', 'Participant Unpublished', 2))!, options);

    // WHEN a Recording Start reads the item, then another invocation applies Participant Published before it writes
    let raced = false;
    const racing = {
      send: async (command: any) => {
        if (!raced && command.constructor.name === 'UpdateItemCommand') {
          raced = true;
          await applyChange(changeOf(event('race-3', 'Participant Published', 3))!, options);
        }
        return client.send(command);
      },
    } as unknown as typeof client;
    await applyChange(changeOf(event('race-4', 'Recording Start', 4))!, { ...options, client: racing });

    // THEN the participant publishes, is counted, and has no expiry
    const items = await moto.scan('race');
    const participant = items.find(i => i.sk.S === 'PARTICIPANT#st-1#p1')!;
    expect([raced, participant.publishState?.S, participant.recordingState?.S, participant.expiresAt]).toEqual([true, 'PUBLISHED', 'STARTED', undefined]);
    expect(items.find(i => i.sk.S === STAGE_SK)!.publishers.N).toEqual('1');
  }, 60_000);

  test('a count changed outside the tracker is never taken below 0: the leaving participant is refused, not half-applied', async () => {
    // GIVEN a publishing participant whose stage item someone reset to 0
    const stage = 'arn:aws:ivs:us-east-1:123456789012:stage/Outside';
    const options = { client: moto.client(), tableName: 'outside', retentionSeconds: 60 };
    await moto.createTable('outside');
    const event = (name: string, second: number): IvsEventEnvelope => ({
      'id': `outside-${second}`,
      'detail-type': 'IVS Stage Update',
      'time': new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
      'resources': [stage],
      'detail': { event_name: name, session_id: 'st-1', participant_id: 'p1' },
    });
    expect(await applyChange(changeOf(event('Participant Published', 1))!, options)).toEqual({ outcome: 'applied', publishersChange: 1 });
    await options.client.send(new UpdateItemCommand({
      TableName: 'outside', Key: { pk: { S: stage }, sk: { S: STAGE_SK } }, UpdateExpression: 'SET publishers = :zero', ExpressionAttributeValues: { ':zero': { N: '0' } },
    }));

    // WHEN it unpublishes THEN the change is refused with a reason, at once (no retries of a condition that cannot hold)
    await expect(applyChange(changeOf(event('Participant Unpublished', 2))!, { ...options, sleep: async () => { throw new Error('retried'); } }))
      .rejects.toThrow(`stage ${stage}: publishers would go below 0 (participant PARTICIPANT#st-1#p1 leaves a count of 0)`);
    const items = await moto.scan('outside');
    expect(items.map(i => [i.sk.S, i.publishState?.S ?? i.publishers?.N]).sort()).toEqual([['PARTICIPANT#st-1#p1', 'PUBLISHED'], [STAGE_SK, '0']]);
  }, 60_000);
});

describe('concurrent invocations on one stage (controlled interleavings)', () => {
  test('any interleaving of two or three handlers, with injected TransactionConflict, converges on the model', async () => {
    let run = 0;
    await fc.assert(fc.asyncProperty(
      fc.scheduler(),
      fc.array(fc.record({ participant: fc.constantFrom('p1', 'p2'), second: fc.integer({ min: 0, max: 2 }), name: fc.constantFrom(...NAMES.slice(0, 3)) }),
        { minLength: 2, maxLength: 3 }),
      fc.infiniteStream(fc.boolean()),
      async (scheduler, picks, conflicts) => {
        // GIVEN: one table per run, and a client whose requests start only when the scheduler says
        const table = `interleaved-${run++}`;
        await moto.createTable(table);
        const events: IvsEventEnvelope[] = picks.map((p, i) => ({
          'id': `e${i}`,
          'detail-type': 'IVS Stage Update',
          'time': new Date(Date.UTC(2026, 0, 1, 0, 0, p.second)).toISOString(),
          'resources': [STAGES[0]],
          'detail': { event_name: p.name, session_id: 'st-Session1', participant_id: p.participant },
        }));
        const real = moto.client();
        let queue: Promise<unknown> = Promise.resolve();
        const injected = conflicts[Symbol.iterator]();
        const client = {
          send: async (command: any) => {
            await scheduler.schedule(Promise.resolve(), command.constructor.name);
            if (command.constructor.name === 'TransactWriteItemsCommand' && injected.next().value) {
              throw Object.assign(new Error('Transaction cancelled: TransactionConflict'), { name: 'TransactionCanceledException' });
            }
            // moto serves one request at a time safely: requests run in turn, their order is the scheduler's.
            const result = queue.then(() => real.send(command));
            queue = result.catch(() => undefined);
            return result;
          },
        } as any;

        // WHEN
        const handlers = events.map(event =>
          applyChange(changeOf(event)!, { client, tableName: table, retentionSeconds: 60, maxAttempts: 50, sleep: () => Promise.resolve() }));
        await scheduler.waitFor(Promise.all(handlers));

        // THEN
        const model = modelOf(events);
        const items = await moto.scan(table);
        const stage = items.find(i => i.sk.S === STAGE_SK);
        expect(Number(stage?.publishers?.N ?? 0)).toEqual(publishersOf(model, STAGES[0]));
        expect(items.filter(i => i.sk.S !== STAGE_SK).map(i => [i.sk.S, i.publishState?.S]).sort())
          .toEqual([...model.values()].map(m => [m.sk, m.states.publish?.state]).sort());
      }), { numRuns: 40 });
  }, 300_000);
});
