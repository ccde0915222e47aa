// The two state machines of IvsAutoComposition, run on a real ASL interpreter (aws-local-stepfunctions)
// over a real DynamoDB API (moto) holding the tracker's table, written by the tracker's own handler
// code; IVS is a stub that keeps compositions as IVS does (one per idempotency token).
import { GetItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { Duration } from 'aws-cdk-lib';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import { MotoServer } from '../../devkit/moto';
import { RUN_TRANSITIONS } from '../../examples/summarize';
import { applyChange } from '../../runtime/tracker/apply-change';
import { IvsEventEnvelope, changeOf } from '../../runtime/tracker/state-model';
import { CompositionActivity, CompositionDestination, IvsAutoComposition, IvsStageStateTracker, StageActivity } from '../../src';
import { START_RETRY_BOUND_SECONDS } from '../../src/compositions/composition-machines';
import { COMPOSITION_NON_RETRYABLE_ERRORS, IDEMPOTENCY_TOKEN } from '../../src/private/aws-facts';
import { STAGE_SK, destinationSk } from '../../src/tracker/table-keys';
import { deployedDefinition, runLocally, sdkError } from '../util/local-sfn';
import { testStack } from '../util/stack';

const STAGE = 'arn:aws:ivs:us-east-1:123456789012:stage/AutoStage1';
const RESOURCE = 'arn:aws:states:::aws-sdk:ivsrealtime:';
/**
 * What waiting can cure: the concurrency quota, internal errors, and throttling, which IVS does not
 * model, under the service's generic name as well as under the name a future model might give it.
 */
const RETRIED_ERRORS = ['IvsRealTime.ServiceQuotaExceededException', 'IvsRealTime.InternalServerException',
  'IvsRealTime.IvsRealTimeException', 'IvsRealTime.ThrottlingException'];

function definitions() {
  const stack = testStack();
  const tracker = new IvsStageStateTracker(stack, 'Tracker');
  const storage = new ivs.CfnStorageConfiguration(stack, 'Storage', { s3: { bucketName: 'recordings-bucket' } });
  const encoder = new ivs.CfnEncoderConfiguration(stack, 'Encoder', {});
  const channel = new ivs.CfnChannel(stack, 'Channel', {});
  new IvsAutoComposition(stack, 'Auto', {
    tracker,
    destinations: [
      CompositionDestination.channel(channel),
      CompositionDestination.s3({ storageConfiguration: storage, encoderConfiguration: encoder }),
    ],
    stopGracePeriod: Duration.minutes(2),
  });
  // A second construct on the same tracker and stages, as a second layout or destination would be
  new IvsAutoComposition(stack, 'Other', { tracker, destinations: [CompositionDestination.channel(channel)] });
  return {
    other: deployedDefinition(stack, 'OtherStart'),
    start: deployedDefinition(stack, 'AutoStart'),
    stop: deployedDefinition(stack, 'AutoStop'),
    grace: deployedDefinition(stack, 'TrackerIdleGrace'),
  };
}

/** IVS as far as these machines see it: a composition per idempotency token, deleted once stopped. */
class FakeIvs {
  public readonly compositions = new Map<string, { arn: string; stageArn: string; state: string }>();
  public readonly calls: string[] = [];
  private readonly byToken = new Map<string, string>();

  public start(params: any) {
    this.calls.push(`StartComposition ${params.IdempotencyToken}`);
    let arn = this.byToken.get(params.IdempotencyToken);
    if (!arn) {
      arn = `arn:aws:ivs:us-east-1:123456789012:composition/Comp${this.byToken.size + 1}`;
      this.byToken.set(params.IdempotencyToken, arn);
      this.compositions.set(arn, { arn, stageArn: params.StageArn, state: 'STARTING' });
    }
    return {
      Composition: {
        Arn: arn,
        StageArn: params.StageArn,
        State: 'STARTING',
        Destinations: params.Destinations.map((d: any, i: number) => ({
          Id: `dest${i}`,
          State: 'STARTING',
          Configuration: d,
          ...(d.S3 ? { Detail: { S3: { RecordingPrefix: `${arn.split('/')[1]}/prefix-${i}` } } } : {}),
        })),
      },
    };
  }

  public list(params: any) {
    this.calls.push('ListCompositions');
    return {
      Compositions: [...this.compositions.values()].filter(c => c.stageArn === params.FilterByStageArn)
        .map(c => ({ Arn: c.arn, StageArn: c.stageArn, State: c.state, Destinations: [] })),
    };
  }

  public stop(params: any) {
    this.calls.push(`StopComposition ${params.Arn}`);
    if (!this.compositions.delete(params.Arn)) {
      throw sdkError('IvsRealTime.ResourceNotFoundException');
    }
    return {};
  }
}

describe('IvsAutoComposition, run locally over a real DynamoDB API (moto)', () => {
  let moto: MotoServer;
  let start: any;
  let stop: any;
  let grace: any;
  let other: any;
  let table: string;
  /** The idempotency token of a transition for the construct of `definition`. */
  const tokenOf = (definition: any, transitionId: string) => `${transitionId}-${
    /'([^']+)'\)$/.exec(definition.States.StartComposition.Parameters['IdempotencyToken.$'])![1]}`;
  beforeAll(async () => {
    moto = await MotoServer.start();
    ({ start, stop, grace, other } = definitions());
    table = start.States.EachDestination.ItemProcessor.States.KeepRecordingPrefix.Parameters.TableName;
    await moto.createTable(table);
  }, 60_000);
  afterAll(() => moto?.stop());

  const dynamo = {
    'arn:aws:states:::dynamodb:getItem': (params: any) => moto.client().send(new GetItemCommand(params)),
    'arn:aws:states:::dynamodb:updateItem': (params: any) => moto.client().send(new UpdateItemCommand(params)),
    'arn:aws:states:::aws-sdk:dynamodb:query': (params: any) => moto.client().send(new QueryCommand(params)),
  };

  async function run(definition: any, detailType: string, detail: Record<string, unknown>, fake: FakeIvs, overrides: Record<string, any> = {}) {
    const put: any[] = [];
    const result = await runLocally(definition, { 'detail-type': detailType, detail }, {
      ...dynamo,
      [`${RESOURCE}startComposition`]: (p: any) => fake.start(p),
      [`${RESOURCE}listCompositions`]: (p: any) => fake.list(p),
      [`${RESOURCE}stopComposition`]: (p: any) => fake.stop(p),
      'arn:aws:states:::events:putEvents': (p: any) => put.push(...p.Entries),
      ...overrides,
    }, { StateMachine: { Id: 'arn:aws:states:us-east-1:123456789012:stateMachine:Auto' } });
    return { ...result, put };
  }

  /** Applies publish events to the table with the tracker's own handler code; returns the stage item's version. */
  async function publish(stageArn: string, steps: ['Participant Published' | 'Participant Unpublished', number, string?][]): Promise<string> {
    for (const [name, second, participant = 'p1'] of steps) {
      await applyChange(changeOf({
        'id': `${stageArn}-${name}-${second}-${participant}`,
        'detail-type': 'IVS Stage Update',
        'time': new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
        'resources': [stageArn],
        'detail': { event_name: name, session_id: 'st-1', participant_id: participant },
      })!, { client: moto.client(), tableName: table, retentionSeconds: 60 });
    }
    const key = { pk: { S: stageArn }, sk: { S: STAGE_SK } };
    const { Item } = await moto.client().send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }));
    return Item!.version.N!;
  }

  const active = (stageArn: string, transitionId: string) => ({ stageArn, transitionId, changedAt: 1, sequence: '1', version: '1' });

  // The stage of the start tests became active at version 1, and is still.
  beforeAll(async () => expect(await publish(STAGE, [['Participant Published', 1]])).toBe('1'), 60_000);

  test('duplicates of one active event start one composition, and each run keeps the S3 destination\'s recording prefix and bucket', async () => {
    const fake = new FakeIvs();
    const runs = [await run(start, StageActivity.STAGE_ACTIVE.detailType, active(STAGE, 'transition-a'), fake),
      await run(start, StageActivity.STAGE_ACTIVE.detailType, active(STAGE, 'transition-a'), fake)];
    expect(runs.map(r => r.error)).toEqual([undefined, undefined]);
    expect(fake.calls).toEqual([`StartComposition ${tokenOf(start, 'transition-a')}`, `StartComposition ${tokenOf(start, 'transition-a')}`]);
    expect([...fake.compositions.keys()]).toEqual(['arn:aws:ivs:us-east-1:123456789012:composition/Comp1']);
    // The request as IVS takes it: the stage, the transition as token, both destinations, the default grid.
    const request = runs[0].calls.find(c => c.state === 'StartComposition')!.parameters;
    expect(request).toMatchObject({ StageArn: STAGE, IdempotencyToken: tokenOf(start, 'transition-a'), Layout: { Grid: {} } });
    expect(request.Destinations.map((d: any) => Object.keys(d))).toEqual([['Channel'], ['S3']]);
    // Only the S3 destination is written, with the bucket of its storage configuration.
    const items = (await moto.scan(table)).filter(i => i.sk.S!.startsWith('COMPOSITION#'));
    expect(items.map(i => [i.sk.S, i.recordingBucket?.S, i.recordingPrefix?.S])).toEqual([
      [destinationSk('arn:aws:ivs:us-east-1:123456789012:composition/Comp1', 'dest1'), 'recordings-bucket', 'Comp1/prefix-1'],
    ]);
  }, 60_000);

  test('two constructs on one stage start one composition each per transition: the token is the transition\'s and the construct\'s', async () => {
    const fake = new FakeIvs();
    // A transition id as the tracker gives it: a DynamoDB stream record's eventID, 32 hexadecimal digits
    const transitionId = 'a'.repeat(32);
    const runs = [await run(start, StageActivity.STAGE_ACTIVE.detailType, active(STAGE, transitionId), fake),
      await run(other, StageActivity.STAGE_ACTIVE.detailType, active(STAGE, transitionId), fake),
      await run(other, StageActivity.STAGE_ACTIVE.detailType, active(STAGE, transitionId), fake)];
    const tokens = runs.map(r => r.calls.find(c => c.state === 'StartComposition')!.parameters.IdempotencyToken);
    expect([runs.map(r => r.error), fake.compositions.size]).toEqual([[undefined, undefined, undefined], 2]);
    expect(new Set(tokens).size).toBe(2);
    for (const token of tokens) {
      expect(token).toMatch(IDEMPOTENCY_TOKEN);
      expect(token).toMatch(new RegExp(`^${transitionId}-[0-9a-f]{8}$`));
    }
  }, 60_000);

  test('a recording prefix that cannot be kept after the retries is reported by an event and a failed run', async () => {
    const fake = new FakeIvs();
    const result = await run(start, StageActivity.STAGE_ACTIVE.detailType, active(STAGE, 'transition-keep'), fake, {
      'arn:aws:states:::dynamodb:updateItem': () => { throw sdkError('DynamoDB.InternalServerErrorException', 'Internal error'); },
    });
    const compositionArn = [...fake.compositions.keys()][0];
    expect(result.calls.filter(c => c.state === 'KeepRecordingPrefix')).toHaveLength(7);
    expect([result.error, result.put.map(p => [p.DetailType, p.Detail.error, p.Detail.cause])]).toEqual(['RecordingPrefixNotKept', [[
      CompositionActivity.START_FAILED.detailType, 'RecordingPrefixNotKept',
      `Composition ${compositionArn} started, but the recording prefix of its S3 destination could not be kept in the tracker table `
        + '(DynamoDB.InternalServerErrorException: Internal error)',
    ]]]);
  }, 60_000);

  test('the kept prefix survives the tracker handler\'s Destination Start and End, applied after it', async () => {
    const fake = new FakeIvs();
    const stageArn = 'arn:aws:ivs:us-east-1:123456789012:stage/AutoStage2';
    await publish(stageArn, [['Participant Published', 1]]);
    await run(start, StageActivity.STAGE_ACTIVE.detailType, active(stageArn, 'transition-b'), fake);
    const compositionArn = [...fake.compositions.keys()][0];
    for (const [name, second] of [['Destination Start', 1], ['Destination End', 9]] as const) {
      const event: IvsEventEnvelope = {
        'id': `${name}-${second}`,
        'detail-type': 'IVS Composition State Change',
        'time': new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
        'resources': [compositionArn],
        'detail': { event_name: name, stage_arn: stageArn, id: 'dest1' },
      };
      expect((await applyChange(changeOf(event)!, { client: moto.client(), tableName: table, retentionSeconds: 60 })).outcome).toBe('applied');
    }
    const item = (await moto.scan(table)).find(i => i.pk.S === stageArn && i.sk.S === destinationSk(compositionArn, 'dest1'))!;
    expect([item.state?.S, item.recordingBucket?.S, item.recordingPrefix?.S]).toEqual(['ENDED', 'recordings-bucket', 'Comp1/prefix-1']);
  }, 60_000);

  test.each(RETRIED_ERRORS)('a start refused with %s is retried with backoff, then reported by an event and a failed run', async (error) => {
    const fake = new FakeIvs();
    const result = await run(start, StageActivity.STAGE_ACTIVE.detailType, active(STAGE, 'transition-c'), fake, {
      [`${RESOURCE}startComposition`]: () => { throw sdkError(error, 'Request refused'); },
    });
    // 1 attempt and 8 retries, waiting 5 to 120 seconds (before jitter), 515 seconds at most in all
    expect(result.calls.filter(c => c.state === 'StartComposition')).toHaveLength(9);
    expect(result.retryWaits.StartComposition).toEqual([5, 10, 20, 40, 80, 120, 120, 120]);
    expect(START_RETRY_BOUND_SECONDS).toBe(515);
    expect(result.error).toBe(error);
    expect(result.put).toEqual([{
      Source: CompositionActivity.START_FAILED.source,
      DetailType: CompositionActivity.START_FAILED.detailType,
      EventBusName: 'arn:aws:events:us-east-1:123456789012:event-bus/default',
      Detail: { stageArn: STAGE, transitionId: 'transition-c', error, cause: 'Request refused', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Auto' },
    }]);
  }, 60_000);

  test.each(COMPOSITION_NON_RETRYABLE_ERRORS)('a start refused with %s, which waiting cannot cure, is reported at once', async (error) => {
    const result = await run(start, StageActivity.STAGE_ACTIVE.detailType, active(STAGE, 'transition-d'), new FakeIvs(), {
      [`${RESOURCE}startComposition`]: () => { throw sdkError(error); },
    });
    expect([result.calls.map(c => c.state), result.error, result.put.map(p => p.DetailType)])
      .toEqual([['ReadStage', 'StartComposition', 'ReportStartFailed'], error, [CompositionActivity.START_FAILED.detailType]]);
  }, 60_000);

  test('a quota refusal that passes within the retries starts the composition', async () => {
    const fake = new FakeIvs();
    const result = await run(start, StageActivity.STAGE_ACTIVE.detailType, active(STAGE, 'transition-e'), fake, {
      [`${RESOURCE}startComposition`]: (p: any, call: any) => {
        if (call.attempt < 4) throw sdkError('IvsRealTime.ServiceQuotaExceededException');
        return fake.start(p);
      },
    });
    expect([result.error, result.put, fake.compositions.size]).toEqual([undefined, [], 1]);
  }, 60_000);

  test('the state transitions of a start, as the guide counts them (each retry counts)', async () => {
    const runs = [
      await run(start, StageActivity.STAGE_ACTIVE.detailType, active(STAGE, 'transition-cost'), new FakeIvs()),
      await run(start, StageActivity.STAGE_ACTIVE.detailType, active(STAGE, 'transition-refused'), new FakeIvs(), {
        [`${RESOURCE}startComposition`]: () => { throw sdkError('IvsRealTime.ServiceQuotaExceededException'); },
      }),
    ];
    // channel and S3: the stage's read and its 3 checks, StartComposition, the Map, 2 per destination, Started;
    // refused: the read and checks, 9 attempts, the event, Fail
    expect(runs.map(r => r.transitions)).toEqual([RUN_TRANSITIONS['composition started (two destinations)'], 15]);
  }, 60_000);

  test.each([
    ['idle since', [['Participant Published', 1], ['Participant Unpublished', 2]]],
    ['idle and active again since (a newer transition, started by its own run)', [['Participant Published', 1], ['Participant Unpublished', 2],
      ['Participant Published', 3]]],
    ['active again after a publisher left: maybe idle in between, left to the newer events', [['Participant Published', 1],
      ['Participant Published', 2, 'p2'], ['Participant Unpublished', 3, 'p2']]],
  ] as const)('an Active event of a stage %s starts nothing', async (name, steps) => {
    const stageArn = `arn:aws:ivs:us-east-1:123456789012:stage/LateStart${name.length}`;
    await publish(stageArn, steps as any);
    const fake = new FakeIvs();
    // The transition of the first Published (version 1)
    const result = await run(start, StageActivity.STAGE_ACTIVE.detailType, active(stageArn, 'late'), fake);
    // The read, its 3 checks, the Succeed: as the guide counts a skipped start
    expect([result.error, result.put, fake.calls, result.transitions]).toEqual([undefined, [], [], 5]);
  }, 60_000);

  test('an Active event of a stage that only gained publishers since starts its composition', async () => {
    const stageArn = 'arn:aws:ivs:us-east-1:123456789012:stage/LateStartMore';
    expect(await publish(stageArn, [['Participant Published', 1], ['Participant Published', 2, 'p2'], ['Participant Published', 3, 'p3']])).toBe('3');
    const fake = new FakeIvs();
    const result = await run(start, StageActivity.STAGE_ACTIVE.detailType, active(stageArn, 'joined'), fake);
    expect([result.error, fake.calls]).toEqual([undefined, [`StartComposition ${tokenOf(start, 'joined')}`]]);
  }, 60_000);

  test('an Active event of a stage the table does not hold starts nothing', async () => {
    const fake = new FakeIvs();
    const result = await run(start, StageActivity.STAGE_ACTIVE.detailType, active('arn:aws:ivs:us-east-1:123456789012:stage/Unknown', 'x'), fake);
    expect([result.error, result.put, fake.calls]).toEqual([undefined, [], []]);
  }, 60_000);

  // Published 10, Unpublished 20, Published 20 (second resolution): the rank at equal times leaves
  // UNPUBLISHED, so the table says idle while the participant may publish: the tracker's grace
  // asks IVS (its tie check), and only a confirmation reaches the stop.
  test.each([
    ['publishes again: not a real idle, nothing stopped', [['PUBLISH_STARTED', 10_200], ['PUBLISH_STOPPED', 20_400], ['PUBLISH_STARTED', 20_700]], []],
    ['stopped last: a real idle, its composition stopped',
      [['PUBLISH_STARTED', 10_200], ['PUBLISH_STOPPED', 20_100], ['PUBLISH_STARTED', 20_300], ['PUBLISH_STOPPED', 20_800]],
      ['ListCompositions', 'StopComposition c1']],
  ] as const)('a stage idle by a same-second tie whose participant, says IVS, %s', async (name, ivsEvents, calls) => {
    const stageArn = `arn:aws:ivs:us-east-1:123456789012:stage/TieStage${name.length}`;
    const version = await publish(stageArn, [['Participant Published', 10], ['Participant Unpublished', 20], ['Participant Published', 20]]);
    const fake = new FakeIvs();
    fake.compositions.set('c1', { arn: 'c1', stageArn, state: 'ACTIVE' });
    const idle = { ...active(stageArn, 'tie'), version };
    const confirmations = await run(grace, StageActivity.STAGE_IDLE.detailType, idle, fake, {
      [`${RESOURCE}getStage`]: (p: any) => ({ Stage: { Arn: p.Arn, ActiveSessionId: 'st-1' } }),
      [`${RESOURCE}listParticipantEvents`]: () => ({
        Events: ivsEvents.map(([Name, ms]) => ({ Name, EventTime: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, ms)).toISOString() })),
      }),
    });
    expect(confirmations.error).toBeUndefined();
    for (const entry of confirmations.put) {
      expect((await run(stop, entry.DetailType, entry.Detail, fake)).error).toBeUndefined();
    }
    expect(fake.calls).toEqual(calls);
  }, 60_000);

  describe('stop', () => {
    test('a stage still idle from the confirmed transition has its running compositions stopped, and the others left alone', async () => {
      const stageArn = 'arn:aws:ivs:us-east-1:123456789012:stage/StopStage1';
      const version = await publish(stageArn, [['Participant Published', 1], ['Participant Unpublished', 2]]);
      const fake = new FakeIvs();
      fake.compositions.set('c1', { arn: 'c1', stageArn, state: 'ACTIVE' });
      fake.compositions.set('c2', { arn: 'c2', stageArn, state: 'STARTING' });
      fake.compositions.set('c3', { arn: 'c3', stageArn, state: 'STOPPED' });
      fake.compositions.set('other', { arn: 'other', stageArn: STAGE, state: 'ACTIVE' });
      const result = await run(stop, StageActivity.STAGE_IDLE_CONFIRMED.detailType, { ...active(stageArn, 't'), version }, fake);
      expect([result.error, fake.calls]).toEqual([undefined, ['ListCompositions', 'StopComposition c1', 'StopComposition c2']]);
      expect([...fake.compositions.keys()]).toEqual(['c3', 'other']);
    }, 60_000);

    test.each([
      ['active again within the grace', [['Participant Published', 1], ['Participant Unpublished', 2], ['Participant Published', 3]], '3'],
      ['idle again since: a newer version, stopped by its own run', [['Participant Published', 1], ['Participant Unpublished', 2],
        ['Participant Published', 3], ['Participant Unpublished', 4]], '4'],
    ] as const)('a stage %s is not stopped', async (name, steps, currentVersion) => {
      const stageArn = `arn:aws:ivs:us-east-1:123456789012:stage/StopStage${name.length}`;
      const current = await publish(stageArn, steps as any);
      const fake = new FakeIvs();
      fake.compositions.set('c1', { arn: 'c1', stageArn, state: 'ACTIVE' });
      // The confirmed idle is the one of the first Unpublished (version 2)
      const result = await run(stop, StageActivity.STAGE_IDLE_CONFIRMED.detailType, { ...active(stageArn, 't'), version: '2' }, fake);
      expect([current, result.error, fake.calls]).toEqual([currentVersion, undefined, []]);
    }, 60_000);

    test('a stage active again while its compositions are listed keeps them: the stage is read again before each stop', async () => {
      const stageArn = 'arn:aws:ivs:us-east-1:123456789012:stage/StopStageRace';
      const version = await publish(stageArn, [['Participant Published', 1], ['Participant Unpublished', 2]]);
      const fake = new FakeIvs();
      fake.compositions.set('c1', { arn: 'c1', stageArn, state: 'ACTIVE' });
      const result = await run(stop, StageActivity.STAGE_IDLE_CONFIRMED.detailType, { ...active(stageArn, 't'), version }, fake, {
        [`${RESOURCE}listCompositions`]: async (p: any) => {
          // A new activity begins after the first check: its composition must survive this stop.
          await publish(stageArn, [['Participant Published', 3]]);
          return fake.list(p);
        },
      });
      expect([result.error, result.put, fake.calls, [...fake.compositions.keys()]]).toEqual([undefined, [], ['ListCompositions'], ['c1']]);
    }, 60_000);

    test('the state transitions of a stop, as the guide counts them', async () => {
      const stageArn = 'arn:aws:ivs:us-east-1:123456789012:stage/StopStageCost';
      const version = await publish(stageArn, [['Participant Published', 1], ['Participant Unpublished', 2]]);
      const fake = new FakeIvs();
      fake.compositions.set('c1', { arn: 'c1', stageArn, state: 'ACTIVE' });
      const one = await run(stop, StageActivity.STAGE_IDLE_CONFIRMED.detailType, { ...active(stageArn, 't'), version }, fake);
      fake.compositions.set('c2', { arn: 'c2', stageArn, state: 'ACTIVE' });
      fake.compositions.set('c3', { arn: 'c3', stageArn, state: 'STOPPED' });
      const two = await run(stop, StageActivity.STAGE_IDLE_CONFIRMED.detailType, { ...active(stageArn, 't'), version }, fake);
      const skipped = await run(stop, StageActivity.STAGE_IDLE_CONFIRMED.detailType, { ...active(stageArn, 't'), version: '1' }, fake);
      expect([one.transitions, two.transitions, skipped.transitions]).toEqual([RUN_TRANSITIONS['compositions stopped (one running)'], 14, 4]);
    }, 60_000);

    test('a stop that finds nothing running, or a composition already gone, succeeds', async () => {
      const stageArn = 'arn:aws:ivs:us-east-1:123456789012:stage/StopStage3';
      const version = await publish(stageArn, [['Participant Published', 1], ['Participant Unpublished', 2]]);
      const nothing = await run(stop, StageActivity.STAGE_IDLE_CONFIRMED.detailType, { ...active(stageArn, 't'), version }, new FakeIvs());
      expect([nothing.error, nothing.put]).toEqual([undefined, []]);
      const fake = new FakeIvs();
      fake.compositions.set('gone', { arn: 'gone', stageArn, state: 'ACTIVE' });
      const gone = await run(stop, StageActivity.STAGE_IDLE_CONFIRMED.detailType, { ...active(stageArn, 't'), version }, fake, {
        [`${RESOURCE}stopComposition`]: () => { throw sdkError('IvsRealTime.ResourceNotFoundException'); },
      });
      expect([gone.error, gone.put, gone.calls.filter(c => c.state === 'StopComposition').length]).toEqual([undefined, [], 1]);
    }, 60_000);

    test('every page of compositions is read', async () => {
      const stageArn = 'arn:aws:ivs:us-east-1:123456789012:stage/StopStage4';
      const version = await publish(stageArn, [['Participant Published', 1], ['Participant Unpublished', 2]]);
      const fake = new FakeIvs();
      const result = await run(stop, StageActivity.STAGE_IDLE_CONFIRMED.detailType, { ...active(stageArn, 't'), version }, fake, {
        [`${RESOURCE}listCompositions`]: (p: any) => (p.NextToken
          ? { Compositions: [{ Arn: 'page2', State: 'ACTIVE' }] }
          : { Compositions: [{ Arn: 'page1', State: 'ACTIVE' }], NextToken: 'next' }),
        [`${RESOURCE}stopComposition`]: (p: any) => { fake.calls.push(p.Arn); return {}; },
      });
      expect([result.error, fake.calls]).toEqual([undefined, ['page1', 'page2']]);
    }, 60_000);

    test.each(RETRIED_ERRORS)('a stop IVS refuses with %s after every retry is reported by an event and a failed run', async (error) => {
      const stageArn = `arn:aws:ivs:us-east-1:123456789012:stage/StopStage5${error.length}`;
      const version = await publish(stageArn, [['Participant Published', 1], ['Participant Unpublished', 2]]);
      const fake = new FakeIvs();
      fake.compositions.set('c1', { arn: 'c1', stageArn, state: 'ACTIVE' });
      const result = await run(stop, StageActivity.STAGE_IDLE_CONFIRMED.detailType, { ...active(stageArn, 't-stop'), version }, fake, {
        [`${RESOURCE}stopComposition`]: () => { throw sdkError(error, 'Rate exceeded'); },
      });
      expect(result.calls.filter(c => c.state === 'StopComposition')).toHaveLength(7);
      expect(result.retryWaits.StopComposition).toEqual([2, 4, 8, 16, 32, 64]);
      expect(result.error).toBe(error);
      expect(result.put.map(p => [p.DetailType, p.Detail.stageArn, p.Detail.transitionId, p.Detail.error]))
        .toEqual([[CompositionActivity.STOP_FAILED.detailType, stageArn, 't-stop', error]]);
    }, 60_000);

    test.each(RETRIED_ERRORS)('a ListCompositions throttled or failed with %s is retried, and the stop goes on', async (error) => {
      const stageArn = `arn:aws:ivs:us-east-1:123456789012:stage/StopStage6${error.length}`;
      const version = await publish(stageArn, [['Participant Published', 1], ['Participant Unpublished', 2]]);
      const fake = new FakeIvs();
      fake.compositions.set('c1', { arn: 'c1', stageArn, state: 'ACTIVE' });
      const result = await run(stop, StageActivity.STAGE_IDLE_CONFIRMED.detailType, { ...active(stageArn, 't'), version }, fake, {
        [`${RESOURCE}listCompositions`]: (p: any, call: any) => {
          if (call.attempt < 3) throw sdkError(error, 'Rate exceeded');
          return fake.list(p);
        },
      });
      expect([result.error, result.put, fake.calls]).toEqual([undefined, [], ['ListCompositions', 'StopComposition c1']]);
    }, 60_000);

    test.each(COMPOSITION_NON_RETRYABLE_ERRORS.filter(e => e !== 'IvsRealTime.ResourceNotFoundException'))(
      'a stop refused with %s, which waiting cannot cure, is reported at once', async (error) => {
        const stageArn = `arn:aws:ivs:us-east-1:123456789012:stage/StopStage7${error.length}`;
        const version = await publish(stageArn, [['Participant Published', 1], ['Participant Unpublished', 2]]);
        const fake = new FakeIvs();
        fake.compositions.set('c1', { arn: 'c1', stageArn, state: 'ACTIVE' });
        const result = await run(stop, StageActivity.STAGE_IDLE_CONFIRMED.detailType, { ...active(stageArn, 't'), version }, fake, {
          [`${RESOURCE}stopComposition`]: () => { throw sdkError(error); },
        });
        expect([result.calls.filter(c => c.state === 'StopComposition').length, result.error, result.put.map(p => p.DetailType)])
          .toEqual([1, error, [CompositionActivity.STOP_FAILED.detailType]]);
      }, 60_000);
  });
});
