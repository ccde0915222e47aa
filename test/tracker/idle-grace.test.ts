import { GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { MotoServer } from '../../devkit/moto';
import { RUN_TRANSITIONS } from '../../examples/summarize';
import { STAGE_SK, applyChange } from '../../runtime/tracker/apply-change';
import { changeOf } from '../../runtime/tracker/state-model';
import { IvsStageStateTracker, StageActivity } from '../../src';
import { deployedDefinition, runLocally } from '../util/local-sfn';
import { expectNoNagFindings } from '../util/nag';
import { testStack } from '../util/stack';


function trackerWithGrace(...graces: Duration[]) {
  const stack = testStack();
  const tracker = new IvsStageStateTracker(stack, 'Tracker');
  const queue = new sqs.Queue(stack, 'Stops', { enforceSSL: true, deadLetterQueue: { queue: tracker.deadLetterQueue, maxReceiveCount: 3 } });
  graces.forEach((gracePeriod, i) => tracker.onStageIdle(`Stop${i}`, new targets.SqsQueue(queue), { gracePeriod }));
  return { stack, tracker, template: Template.fromStack(stack) };
}

/** What Step Functions' integrations return: the SDK's response without its metadata. */
async function sdk(response: Promise<{ $metadata: unknown }>): Promise<unknown> {
  const { $metadata, ...rest } = await response;
  return rest;
}

describe('onStageIdle with a grace period', () => {
  test('a Standard state machine waits, reads the stage strongly consistent, and confirms on the bus; the user\'s rule takes the confirmations', () => {
    const { template, stack, tracker } = trackerWithGrace(Duration.seconds(90));
    const tableArn = { 'Fn::GetAtt': [stack.getLogicalId(tracker.table.node.defaultChild as dynamodb.CfnTable), 'Arn'] };
    const definition = deployedDefinition(stack);
    const TABLE = definition.States.ReadStage.Parameters.TableName;
    expect(TABLE).toMatch(/TrackerTable/);
    expect(definition.States.GracePeriod).toEqual({ Type: 'Wait', Seconds: 90, Next: 'ReadStage' });
    expect(definition.States.ReadStage.Parameters).toEqual({
      Key: { pk: { 'S.$': '$.detail.stageArn' }, sk: { S: STAGE_SK } }, TableName: TABLE, ConsistentRead: true,
    });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD', TracingConfiguration: { Enabled: true }, LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
    // The idle events of this tracker (its table) start the machine, with the library's dead-letter queue and retries...
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': [StageActivity.STAGE_IDLE.source], 'detail-type': [StageActivity.STAGE_IDLE.detailType], 'resources': [tableArn] },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('IdleGrace90s') }, DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })],
    });
    // ...and the user's target gets only the confirmations of this grace period.
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': [StageActivity.STAGE_IDLE_CONFIRMED.source],
        'detail-type': [StageActivity.STAGE_IDLE_CONFIRMED.detailType],
        'detail': { gracePeriodSeconds: [90] },
        'resources': [tableArn],
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Stops'), 'Arn'] }, DeadLetterConfig: Match.anyValue() })],
    });
    // ...updated after the machine, so that no confirmation is put without `resources` once the rule matches on them.
    const [confirmedRule] = Object.values(template.findResources('AWS::Events::Rule', {
      Properties: { EventPattern: { 'detail-type': [StageActivity.STAGE_IDLE_CONFIRMED.detailType] } },
    }));
    expect(confirmedRule.DependsOn).toEqual(expect.arrayContaining(Object.keys(template.findResources('AWS::StepFunctions::StateMachine'))));
    // Failed, timed-out and aborted runs (test/tracker/tracker-inputs.test.ts lists the three).
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'ExecutionsFailed', Namespace: 'AWS/States' }) }) })]),
    });
    // A tie is confirmed against IVS one participant at a time (the control plane allows about 5 requests a second).
    expect(definition.States.AskIvsAboutEachHeld).toMatchObject({ Type: 'Map', MaxConcurrency: 1 });
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter(p => JSON.stringify(p.Properties.Roles).includes('IdleGrace')).flatMap(p => p.Properties.PolicyDocument.Statement);
    const ivs = statements.filter((st: any) => [st.Action].flat().some((a: string) => a.startsWith('ivs:')));
    expect(ivs.flatMap((st: any) => [st.Action].flat()).sort()).toEqual(['ivs:GetStage', 'ivs:ListParticipantEvents']);
    expect(ivs.map((st: any) => JSON.stringify(st.Resource))).toEqual(ivs.map(() => expect.stringContaining(':ivs:us-east-1:123456789012:stage/*')));
  });

  test('one state machine per grace period, shared by the rules that use it', () => {
    const { template, tracker } = trackerWithGrace(Duration.seconds(90), Duration.minutes(1.5), Duration.minutes(10));
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
    template.resourceCountIs('AWS::Logs::LogGroup', 2); // the function's, and one for every grace machine
    expect(tracker.alarms).toHaveLength(7);
  });

  test('without a grace period, the target gets each idle event at once, and no state machine is made', () => {
    const stack = testStack();
    new IvsStageStateTracker(stack, 'Tracker').onStageIdle('Stop', new targets.SqsQueue(new sqs.Queue(stack, 'Q', { enforceSSL: true })));
    Template.fromStack(stack).resourceCountIs('AWS::StepFunctions::StateMachine', 0);
  });

  test.each([
    [Duration.millis(1500), '1.5 seconds'],
    [Duration.seconds(0), '0 seconds'],
    [Duration.days(365), '31536000 seconds'],
  ])('a grace period of %s is refused, naming the prop', (gracePeriod, echoed) => {
    expect(() => trackerWithGrace(gracePeriod)).toThrow(new RegExp(`\`gracePeriod\` must be a whole number of seconds from 1 to 31532400, got ${echoed}`));
  });

  test('cdk-nag AwsSolutions: no finding', () => {
    expectNoNagFindings(trackerWithGrace(Duration.minutes(5)).stack);
  });
});

describe('the grace state machine, run locally over a real DynamoDB API (moto)', () => {
  let moto: MotoServer;
  let definition: any;
  let TABLE: string;
  beforeAll(async () => {
    moto = await MotoServer.start();
    definition = deployedDefinition(trackerWithGrace(Duration.seconds(60)).stack);
    TABLE = definition.States.ReadStage.Parameters.TableName;
    await moto.createTable(TABLE);
  }, 60_000);
  afterAll(() => moto?.stop());

  /** Applies the stage's publish events in order; returns the idle events the Idle pipe would send (detail only). */
  async function history(stageArn: string, steps: ['Participant Published' | 'Participant Unpublished', number][]) {
    const idles: Record<string, unknown>[] = [];
    for (const [name, second] of steps) {
      const change = changeOf({
        'id': `${stageArn}-${name}-${second}`,
        'detail-type': 'IVS Stage Update',
        'time': new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
        'resources': [stageArn],
        'detail': { event_name: name, session_id: 'st-1', participant_id: 'p1' },
      })!;
      const result = await applyChange(change, { client: moto.client(), tableName: TABLE, retentionSeconds: 60 });
      const stageKey = { pk: { S: stageArn }, sk: { S: STAGE_SK } };
      const { Item } = await moto.client().send(new GetItemCommand({ TableName: TABLE, Key: stageKey, ConsistentRead: true }));
      if (result.publishersChange === -1 && Item!.publishers.N === '0') {
        idles.push({ stageArn, transitionId: `t-${second}`, changedAt: second, sequence: String(second), version: Item!.version.N });
      }
    }
    return idles;
  }

  /** What IVS answers the machine (Step Functions' SDK integrations answer in PascalCase); undefined: IVS must not be asked. */
  interface IvsAnswers {
    readonly session?: string;
    readonly events?: [string, number][];
  }
  let ivsCalls: string[] = [];
  let lastTransitions = 0;

  /** Runs the machine for one idle event, at the end of its grace period; returns the confirmations put on the bus. */
  async function confirmations(detail: Record<string, unknown>, ivs?: IvsAnswers): Promise<any[]> {
    const put: any[] = [];
    ivsCalls = [];
    const askIvs = (action: string, answer: (params: any) => unknown) => async (params: any) => {
      if (!ivs) {
        throw new Error(`IVS was asked (${action}) while no participant of the stage held a tie`);
      }
      ivsCalls.push(`${action} ${params.ParticipantId ?? params.Arn}`);
      return answer(params);
    };
    const run = await runLocally(definition, { 'detail-type': StageActivity.STAGE_IDLE.detailType, detail }, {
      'arn:aws:states:::dynamodb:getItem': params => sdk(moto.client().send(new GetItemCommand(params))),
      'arn:aws:states:::aws-sdk:dynamodb:query': params => sdk(moto.client().send(new QueryCommand(params))),
      'arn:aws:states:::aws-sdk:ivsrealtime:getStage': askIvs('GetStage', params => ({ Stage: { Arn: params.Arn, ...(ivs?.session ? { ActiveSessionId: ivs.session } : {}) } })),
      'arn:aws:states:::aws-sdk:ivsrealtime:listParticipantEvents': askIvs('ListParticipantEvents', () => ({
        Events: (ivs?.events ?? []).map(([Name, ms]) => ({ Name, EventTime: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, ms)).toISOString() })),
      })),
      'arn:aws:states:::events:putEvents': params => {
        put.push(...params.Entries);
        return { Entries: params.Entries.map(() => ({ EventId: 'e' })), FailedEntryCount: 0 };
      },
    });
    expect(run.error).toBeUndefined();
    lastTransitions = run.transitions;
    return put;
  }

  test('a stage still idle when the grace ends is confirmed, with the idle event\'s detail and the grace period', async () => {
    const [idle] = await history('arn:aws:ivs:us-east-1:123456789012:stage/GraceA', [['Participant Published', 1], ['Participant Unpublished', 2]]);
    expect(await confirmations(idle)).toEqual([{
      Source: StageActivity.STAGE_IDLE_CONFIRMED.source,
      DetailType: StageActivity.STAGE_IDLE_CONFIRMED.detailType,
      EventBusName: 'arn:aws:events:us-east-1:123456789012:event-bus/default',
      // The tracker's table: the rules of this tracker take the confirmation, another tracker's on the bus do not.
      Resources: [`arn:aws:dynamodb:us-east-1:123456789012:table/${TABLE}`],
      Detail: { ...idle, gracePeriodSeconds: 60 },
    }]);
    // What the tracker guide and the example app's summary say one confirmation costs.
    expect(lastTransitions).toBe(RUN_TRANSITIONS['idle confirmed']);
  }, 60_000);

  // Published 10.2, Unpublished 20.4, Published 20.7 with second-resolution times: the rank at
  // equal times leaves UNPUBLISHED, so the stage goes idle while its participant publishes.
  const tiedHistory: ['Participant Published' | 'Participant Unpublished', number][] = [
    ['Participant Published', 10], ['Participant Unpublished', 20], ['Participant Published', 20],
  ];

  test('a stage whose participant holds an unconfirmed publish tie is not confirmed while IVS says the participant publishes', async () => {
    // GIVEN the tie, and IVS's own times: the participant published again after it stopped
    const [idle] = await history('arn:aws:ivs:us-east-1:123456789012:stage/GraceTie1', tiedHistory);
    const events: [string, number][] = [['JOINED', 10_000], ['PUBLISH_STARTED', 10_200], ['PUBLISH_STOPPED', 20_400], ['PUBLISH_STARTED', 20_700]];

    // WHEN the grace ends THEN no confirmation, and IVS was asked about the live session and the tied participant only
    expect(await confirmations(idle, { session: 'st-1', events })).toEqual([]);
    expect(ivsCalls).toEqual(['GetStage arn:aws:ivs:us-east-1:123456789012:stage/GraceTie1', 'ListParticipantEvents p1']);
  }, 60_000);

  test.each([
    ['the tied participant stopped publishing last', 'st-1', [['PUBLISH_STARTED', 10_200], ['PUBLISH_STOPPED', 20_100], ['PUBLISH_STARTED', 20_300], ['PUBLISH_STOPPED', 20_800]]],
    ['the tied participant\'s last attempt failed', 'st-1', [['PUBLISH_STARTED', 10_200], ['PUBLISH_STOPPED', 20_100], ['PUBLISH_ERROR', 20_300]]],
    ['the tied participant left', 'st-1', [['PUBLISH_STARTED', 10_200], ['PUBLISH_STOPPED', 20_400], ['PUBLISH_STARTED', 20_700], ['LEFT', 30_000]]],
    ['the stage has no live session', undefined, []],
    ['the live session is another one', 'st-2', []],
  ] as [string, string | undefined, [string, number][]][])('a tied stage is confirmed when IVS says nobody publishes: %s', async (name, session, events) => {
    const [idle] = await history(`arn:aws:ivs:us-east-1:123456789012:stage/GraceTie${name.length}`, tiedHistory);
    expect((await confirmations(idle, { session, events })).map(e => e.Detail.version)).toEqual([idle.version]);
    // Only a participant of the live session is looked up.
    expect(ivsCalls.filter(c => c.startsWith('ListParticipantEvents'))).toHaveLength(session === 'st-1' ? 1 : 0);
  }, 60_000);

  test('a stage active again within the grace is not confirmed', async () => {
    const [idle] = await history('arn:aws:ivs:us-east-1:123456789012:stage/GraceB',
      [['Participant Published', 1], ['Participant Unpublished', 2], ['Participant Published', 3]]);
    expect(await confirmations(idle)).toEqual([]);
  }, 60_000);

  test('active and idle again within the grace: the stale idle is not confirmed, the later one is, after its own grace', async () => {
    const [stale, later] = await history('arn:aws:ivs:us-east-1:123456789012:stage/GraceC',
      [['Participant Published', 1], ['Participant Unpublished', 2], ['Participant Published', 3], ['Participant Unpublished', 4]]);
    expect(await confirmations(stale)).toEqual([]);
    expect((await confirmations(later)).map(e => e.Detail.version)).toEqual([later.version]);
  }, 60_000);

  test('a stage item written before versions existed is never confirmed, and the run does not fail', async () => {
    const stageArn = 'arn:aws:ivs:us-east-1:123456789012:stage/GraceD';
    await moto.client().send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: stageArn }, sk: { S: STAGE_SK }, publishers: { N: '0' } } }));
    expect(await confirmations({ stageArn, transitionId: 't', changedAt: 1, sequence: '1', version: '1' })).toEqual([]);
  }, 60_000);
});
