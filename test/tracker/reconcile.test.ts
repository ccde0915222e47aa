import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import {
  GetStageCommand, IVSRealTimeClient, ListParticipantEventsCommand, ListParticipantsCommand, ListStagesCommand,
} from '@aws-sdk/client-ivs-realtime';
import { mockClient } from 'aws-sdk-client-mock';
import { MotoServer } from '../../devkit/moto';
import { STAGE_SK, applyChange } from '../../runtime/tracker/apply-change';
import { reconcile } from '../../runtime/tracker/reconcile';
import { IvsEventEnvelope, changeOf } from '../../runtime/tracker/state-model';
import { TRACKER_BUNDLE } from '../util/tracker-bundle';

const LIVE = 'arn:aws:ivs:us-east-1:123456789012:stage/LiveStage001';
const IDLE = 'arn:aws:ivs:us-east-1:123456789012:stage/IdleStage001';
const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second));
const NOW = at(50);

let moto: MotoServer;
const ivs = mockClient(IVSRealTimeClient);

beforeAll(async () => {
  moto = await MotoServer.start();
}, 60_000);

afterAll(() => moto?.stop());

function published(stageArn: string, session: string, participant: string, second: number, name = 'Participant Published'): IvsEventEnvelope {
  return {
    'id': `${stageArn}-${session}-${participant}-${name}-${second}`,
    'detail-type': 'IVS Stage Update',
    'time': at(second).toISOString(),
    'resources': [stageArn],
    'detail': { event_name: name, session_id: session, participant_id: participant },
  };
}

/** IVS as it is: LIVE has session st-Now with p1 and p3 publishing and p2 gone; IDLE has no session. */
function stubIvs(): void {
  ivs.reset();
  ivs.on(GetStageCommand, { arn: LIVE }).resolves({ stage: { arn: LIVE, activeSessionId: 'st-Now' } });
  ivs.on(GetStageCommand, { arn: IDLE }).resolves({ stage: { arn: IDLE } });
  ivs.on(ListStagesCommand).resolves({ stages: [{ arn: LIVE }, { arn: IDLE }] });
  // Two pages, as ListParticipants pages its results.
  ivs.on(ListParticipantsCommand, { stageArn: LIVE, sessionId: 'st-Now', nextToken: undefined })
    .resolves({ participants: [{ participantId: 'p1', published: true }, { participantId: 'p2', published: true }], nextToken: 'page2' });
  ivs.on(ListParticipantsCommand, { stageArn: LIVE, sessionId: 'st-Now', nextToken: 'page2' })
    .resolves({ participants: [{ participantId: 'p3', published: true, userId: 'carol' }] });
  const events = (...list: [string, number][]) => ({ events: list.map(([name, second]) => ({ name: name as any, eventTime: at(second) })) });
  ivs.on(ListParticipantEventsCommand, { participantId: 'p1' }).resolves(events(['JOINED', 1], ['PUBLISH_STARTED', 2]));
  ivs.on(ListParticipantEventsCommand, { participantId: 'p2' }).resolves(events(['JOINED', 1], ['PUBLISH_STARTED', 2], ['PUBLISH_STOPPED', 9], ['LEFT', 10]));
  ivs.on(ListParticipantEventsCommand, { participantId: 'p3' }).resolves(events(['PUBLISH_STARTED', 3], ['SUBSCRIBE_STARTED', 4]));
}

async function publishersOf(table: string, stageArn: string): Promise<number> {
  const item = (await moto.scan(table)).find(i => i.pk.S === stageArn && i.sk.S === STAGE_SK);
  return Number(item?.publishers?.N ?? 0);
}

async function publishStates(table: string): Promise<Record<string, string | undefined>> {
  return Object.fromEntries((await moto.scan(table)).filter(i => i.sk.S !== STAGE_SK).map(i => [`${i.pk.S!.split('/')[1]} ${i.sk.S}`, i.publishState?.S]));
}

describe('reconcile', () => {
  test('lost Published and Unpublished events and ended sessions are repaired with IVS\'s own times; a second run repairs nothing', async () => {
    // GIVEN: what EventBridge delivered; p1's Published and p2's Unpublished were lost,
    // and the old session's and the idle stage's Unpublished events too.
    const table = 'reconcile';
    await moto.createTable(table);
    const options = { client: moto.client(), tableName: table, retentionSeconds: 60 };
    for (const event of [published(LIVE, 'st-Now', 'p2', 2), published(LIVE, 'st-Now', 'p3', 3), published(LIVE, 'st-Old', 'p4', 0), published(IDLE, 'st-Gone', 'p5', 0)]) {
      await applyChange(changeOf(event)!, options);
    }
    expect(await publishersOf(table, LIVE)).toEqual(3);
    stubIvs();

    // WHEN
    const run = () => reconcile({ ivs: new IVSRealTimeClient({ region: 'us-east-1' }), dynamodb: moto.client(), tableName: table, stageArns: [], maxApiCalls: 100, retentionSeconds: 60, now: NOW });
    const first = await run();

    // THEN
    expect(await publishStates(table)).toEqual({
      'LiveStage001 PARTICIPANT#st-Now#p1': 'PUBLISHED',
      'LiveStage001 PARTICIPANT#st-Now#p2': 'UNPUBLISHED',
      'LiveStage001 PARTICIPANT#st-Now#p3': 'PUBLISHED',
      'LiveStage001 PARTICIPANT#st-Old#p4': 'UNPUBLISHED',
      'IdleStage001 PARTICIPANT#st-Gone#p5': 'UNPUBLISHED',
    });
    expect([await publishersOf(table, LIVE), await publishersOf(table, IDLE)]).toEqual([2, 0]);
    // ListStages, GetStage, two pages of ListParticipants, ListParticipantEvents thrice, GetStage
    expect(first).toEqual({
      repairs: 4, apiCalls: 1 + 1 + 2 + 3 + 1, stagesLeft: 0, failures: 0, stagesFailingRepeatedly: 0, tiesConfirmed: 0, countsCorrected: 0,
    });
    // An ended session's item is closed just after the state it held, so any later real event wins.
    const closed = (await moto.scan(table)).find(i => i.sk.S === 'PARTICIPANT#st-Old#p4')!;
    expect(Number(closed.publishTime?.N)).toEqual(at(0).getTime() + 1);
    const repaired = (await moto.scan(table)).find(i => i.sk.S === 'PARTICIPANT#st-Now#p1')!;
    expect([repaired.repairedAt?.S, Number(repaired.publishTime?.N)]).toEqual([NOW.toISOString(), at(2).getTime()]);
    expect((await run()).repairs).toEqual(0);

    // A real event newer than the repair still wins.
    await applyChange(changeOf(published(LIVE, 'st-Now', 'p1', 60, 'Participant Unpublished'))!, options);
    expect(await publishersOf(table, LIVE)).toEqual(1);
  }, 120_000);

  test('a stage IVS refuses is logged and counted; the other stages are still repaired', async () => {
    const table = 'refused';
    await moto.createTable(table);
    await applyChange(changeOf(published(IDLE, 'st-Gone', 'p5', 0))!, { client: moto.client(), tableName: table, retentionSeconds: 60 });
    stubIvs();
    ivs.on(GetStageCommand, { arn: LIVE }).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const result = await reconcile({
      ivs: new IVSRealTimeClient({ region: 'us-east-1' }), dynamodb: moto.client(), tableName: table, stageArns: [LIVE, IDLE], maxApiCalls: 100, retentionSeconds: 60, now: NOW,
    });
    log.mockRestore();
    expect(result).toMatchObject({ repairs: 1, failures: 1, stagesLeft: 0 });
    expect(await publishersOf(table, IDLE)).toEqual(0);
  }, 60_000);

  test('a count changed outside the tracker is set back to the publishing participants, and an event can then apply', async () => {
    // GIVEN LIVE's p1 and p3 publishing as IVS says, and someone set the stage's count to 0 (and IDLE's to 2)
    const table = 'recount';
    await moto.createTable(table);
    const options = { client: moto.client(), tableName: table, retentionSeconds: 60 };
    for (const event of [published(LIVE, 'st-Now', 'p1', 2), published(LIVE, 'st-Now', 'p3', 3)]) {
      await applyChange(changeOf(event)!, options);
    }
    for (const [stage, count] of [[LIVE, '0'], [IDLE, '2']]) {
      await moto.client().send(new UpdateItemCommand({
        TableName: table, Key: { pk: { S: stage }, sk: { S: STAGE_SK } }, UpdateExpression: 'SET publishers = :n', ExpressionAttributeValues: { ':n': { N: count } },
      }));
    }
    await expect(applyChange(changeOf(published(LIVE, 'st-Now', 'p3', 4, 'Participant Unpublished'))!, options)).rejects.toThrow(/below 0/);
    stubIvs();

    // WHEN
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const result = await reconcile({
      ivs: new IVSRealTimeClient({ region: 'us-east-1' }), dynamodb: moto.client(), tableName: table, stageArns: [LIVE, IDLE], maxApiCalls: 100, retentionSeconds: 60, now: NOW,
    });
    warn.mockRestore();

    // THEN both counts are right again, and a second run changes nothing
    expect(result).toMatchObject({ repairs: 0, failures: 0, countsCorrected: 2 });
    expect([await publishersOf(table, LIVE), await publishersOf(table, IDLE)]).toEqual([2, 0]);
    expect(await applyChange(changeOf(published(LIVE, 'st-Now', 'p3', 4, 'Participant Unpublished'))!, options)).toMatchObject({ publishersChange: -1 });
    stubIvs();
    ivs.on(ListParticipantsCommand, { stageArn: LIVE, sessionId: 'st-Now', nextToken: 'page2' }).resolves({ participants: [] });
    ivs.on(ListParticipantEventsCommand, { participantId: 'p3' }).resolves({ events: [{ name: 'PUBLISH_STOPPED', eventTime: at(4) }] });
    expect(await reconcile({
      ivs: new IVSRealTimeClient({ region: 'us-east-1' }), dynamodb: moto.client(), tableName: table, stageArns: [LIVE, IDLE], maxApiCalls: 100, retentionSeconds: 60, now: NOW,
    })).toMatchObject({ countsCorrected: 0 });
  }, 60_000);

  test('a run stops at its API budget and reports the stages left; the next run starts with them (the cursor is in the table)', async () => {
    await moto.createTable('budget');
    stubIvs();
    const run = () => reconcile({
      ivs: new IVSRealTimeClient({ region: 'us-east-1' }), dynamodb: moto.client(), tableName: 'budget', stageArns: [LIVE, IDLE], maxApiCalls: 3, retentionSeconds: 60, now: NOW,
    });
    // IDLE (sorted first) costs 1 call; LIVE's check is cut short at the budget (GetStage, ListParticipants).
    expect(await run()).toEqual({
      repairs: 0, apiCalls: 3, stagesLeft: 1, failures: 0, stagesFailingRepeatedly: 0, tiesConfirmed: 0, countsCorrected: 0,
    });
    // The next run begins with LIVE and finishes it whatever it costs (a run's first stage always
    // finishes, so no stage can stall the cursor), then stops at the budget before IDLE.
    ivs.resetHistory();
    expect(await run()).toMatchObject({ repairs: 2, apiCalls: 1 + 2 + 3, stagesLeft: 1 });
    expect(ivs.commandCalls(GetStageCommand).map(c => c.args[0].input.arn)).toEqual([LIVE]);
  }, 60_000);

  test('same-second ties are confirmed against IVS\'s finer times: corrected where the rank guessed wrong, and the marks cleared', async () => {
    // GIVEN: p1 unpublished and published again within second 2, p3 published and unpublished
    // within second 3; both ties were decided by rank (UNPUBLISHED), right for p3 only.
    const table = 'ties';
    await moto.createTable(table);
    const options = { client: moto.client(), tableName: table, retentionSeconds: 60 };
    for (const event of [
      published(LIVE, 'st-Now', 'p1', 2, 'Participant Unpublished'), published(LIVE, 'st-Now', 'p1', 2),
      published(LIVE, 'st-Now', 'p3', 3), published(LIVE, 'st-Now', 'p3', 3, 'Participant Unpublished'),
    ]) {
      await applyChange(changeOf(event)!, options);
    }
    expect((await moto.scan(table)).filter(i => i.publishTie !== undefined)).toHaveLength(2);
    ivs.reset();
    ivs.on(GetStageCommand, { arn: LIVE }).resolves({ stage: { arn: LIVE, activeSessionId: 'st-Now' } });
    ivs.on(ListParticipantsCommand).resolves({ participants: [] });
    const ms = (second: number, millis: number) => new Date(at(second).getTime() + millis);
    ivs.on(ListParticipantEventsCommand, { participantId: 'p1' })
      .resolves({ events: [{ name: 'PUBLISH_STOPPED', eventTime: ms(2, 100) }, { name: 'PUBLISH_STARTED', eventTime: ms(2, 700) }] });
    ivs.on(ListParticipantEventsCommand, { participantId: 'p3' })
      .resolves({ events: [{ name: 'PUBLISH_STARTED', eventTime: ms(3, 100) }, { name: 'PUBLISH_STOPPED', eventTime: ms(3, 700) }] });
    const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);

    // WHEN
    const run = () => reconcile({
      ivs: new IVSRealTimeClient({ region: 'us-east-1' }), dynamodb: moto.client(), tableName: table, stageArns: [LIVE], maxApiCalls: 100, retentionSeconds: 60, now: NOW,
    });
    const first = await run();

    // THEN
    expect(log).not.toHaveBeenCalled();
    log.mockRestore();
    expect(first).toEqual({
      repairs: 0, apiCalls: 1 + 1 + 2, stagesLeft: 0, failures: 0, stagesFailingRepeatedly: 0, tiesConfirmed: 2, countsCorrected: 0,
    });
    expect(await publishStates(table)).toEqual({ 'LiveStage001 PARTICIPANT#st-Now#p1': 'PUBLISHED', 'LiveStage001 PARTICIPANT#st-Now#p3': 'UNPUBLISHED' });
    expect(await publishersOf(table, LIVE)).toEqual(1);
    expect((await moto.scan(table)).filter(i => i.publishTie !== undefined)).toEqual([]);
    // Confirmed once: the next run has nothing to confirm.
    expect(await run()).toMatchObject({ repairs: 0, tiesConfirmed: 0 });
  }, 60_000);

  test.each([
    ['listed by ListParticipants (it published in the session)', [{ participantId: 'p9', published: true }]],
    ['not listed by ListParticipants', []],
  ])('a live participant stamped later than IVS\'s own time is repaired when IVS says it stopped publishing (%s)', async (_name, participants) => {
    // GIVEN only its Published delivered, with envelope time 08:05:00 (no event_time), while IVS
    // says it published at 08:00:00.5 and stopped at 08:01:00.2: the Unpublished was lost.
    const table = `stamped-later-${participants.length}`;
    await moto.createTable(table);
    const clock = (h: number, m: number, s: number, ms = 0) => new Date(Date.UTC(2026, 0, 1, h, m, s, ms));
    const event: IvsEventEnvelope = {
      'id': 'late-stamp',
      'detail-type': 'IVS Stage Update',
      'time': clock(8, 5, 0).toISOString(),
      'resources': [LIVE],
      'detail': { event_name: 'Participant Published', session_id: 'st-Now', participant_id: 'p9' },
    };
    await applyChange(changeOf(event)!, { client: moto.client(), tableName: table, retentionSeconds: 60 });
    ivs.reset();
    ivs.on(GetStageCommand, { arn: LIVE }).resolves({ stage: { arn: LIVE, activeSessionId: 'st-Now' } });
    ivs.on(ListParticipantsCommand).resolves({ participants });
    ivs.on(ListParticipantEventsCommand, { participantId: 'p9' }).resolves({
      events: [{ name: 'PUBLISH_STARTED', eventTime: clock(8, 0, 0, 500) }, { name: 'PUBLISH_STOPPED', eventTime: clock(8, 1, 0, 200) }],
    });

    // WHEN the reconciler runs (at 08:10), twice
    const run = () => reconcile({
      ivs: new IVSRealTimeClient({ region: 'us-east-1' }),
      dynamodb: moto.client(),
      tableName: table,
      stageArns: [LIVE],
      maxApiCalls: 100,
      retentionSeconds: 60,
      now: clock(8, 10, 0),
    });
    const first = await run();
    const second = await run();

    // THEN the participant is unpublished and the stage idle; the second run finds nothing more
    expect([first.repairs, first.failures, second.repairs]).toEqual([1, 0, 0]);
    expect(await publishStates(table)).toEqual({ 'LiveStage001 PARTICIPANT#st-Now#p9': 'UNPUBLISHED' });
    expect(await publishersOf(table, LIVE)).toEqual(0);
  }, 60_000);

  test('the bundled reconciler reports Repairs, TiesConfirmed, CountsCorrected and Failures as metrics in embedded metric format', async () => {
    await moto.createTable('emf');
    stubIvs();
    ivs.on(ListStagesCommand).resolves({ stages: [{ arn: IDLE }] });
    const saved = { ...process.env };
    Object.assign(process.env, {
      TABLE_NAME: 'emf',
      STAGES_FROM: 'ListStages',
      AWS_ENDPOINT_URL_DYNAMODB: moto.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    });
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { reconcileHandler } = require(TRACKER_BUNDLE);
      await reconcileHandler();
      const line = JSON.parse(log.mock.calls[0][0]);
      expect(line._aws.CloudWatchMetrics[0].Metrics.map((m: any) => m.Name)).toEqual(['Repairs', 'TiesConfirmed', 'CountsCorrected', 'Failures', 'StagesFailingRepeatedly']);
      expect(line).toMatchObject({ TableName: 'emf', Repairs: 0, TiesConfirmed: 0, CountsCorrected: 0 });
    } finally {
      log.mockRestore();
      process.env = saved;
    }
  }, 60_000);
});
