import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IvsStageStateTracker, StageActivity } from '../../src';
import { STAGE_SK, applyChange } from '../../src/tracker/handler/apply-change';
import { changeOf } from '../../src/tracker/state-model';
import { runStateMachine } from '../util/asl';
import { MotoServer } from '../util/moto';
import { expectNoNagFindings, testStack } from '../util/nag';

const TABLE = 'grace';

function trackerWithGrace(...graces: Duration[]) {
  const stack = testStack();
  const tracker = new IvsStageStateTracker(stack, 'Tracker');
  const queue = new sqs.Queue(stack, 'Stops', { enforceSSL: true, deadLetterQueue: { queue: tracker.deadLetterQueue, maxReceiveCount: 3 } });
  graces.forEach((gracePeriod, i) => tracker.onStageIdle(`Stop${i}`, new targets.SqsQueue(queue), { gracePeriod }));
  return { stack, tracker, template: Template.fromStack(stack) };
}

/** The synthesized definition, with the table's name and the partition filled in as CloudFormation would. */
function definitionOf(template: Template, tableName: string): any {
  const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  const parts: unknown[] = machine.Properties.DefinitionString['Fn::Join'][1];
  return JSON.parse(parts.map(p => (typeof p === 'string' ? p : (p as any).Ref === 'AWS::Partition' ? 'aws' : tableName)).join(''));
}

describe('onStageIdle with a grace period', () => {
  test('a Standard state machine waits, reads the stage strongly consistent, and confirms on the bus; the user\'s rule takes the confirmations', () => {
    const { template } = trackerWithGrace(Duration.seconds(90));
    const definition = definitionOf(template, TABLE);
    expect(definition.States.GracePeriod).toEqual({ Type: 'Wait', Seconds: 90, Next: 'ReadStage' });
    expect(definition.States.ReadStage.Parameters).toEqual({
      Key: { pk: { 'S.$': '$.detail.stageArn' }, sk: { S: STAGE_SK } }, TableName: TABLE, ConsistentRead: true,
    });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD', TracingConfiguration: { Enabled: true }, LoggingConfiguration: Match.objectLike({ Level: 'ALL' }),
    });
    // The idle events start the machine, with the library's dead-letter queue and retries...
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': [StageActivity.STAGE_IDLE.source], 'detail-type': [StageActivity.STAGE_IDLE.detailType] },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('IdleGrace90s') }, DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })],
    });
    // ...and the user's target gets only the confirmations of this grace period.
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': [StageActivity.STAGE_IDLE_CONFIRMED.source], 'detail-type': [StageActivity.STAGE_IDLE_CONFIRMED.detailType], 'detail': { gracePeriodSeconds: [90] },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Stops'), 'Arn'] }, DeadLetterConfig: Match.anyValue() })],
    });
    // Failed, timed-out and aborted runs (test/tracker/tracker-inputs.test.ts lists the three).
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'ExecutionsFailed', Namespace: 'AWS/States' }) }) })]),
    });
  });

  test('one state machine per grace period, shared by the rules that use it', () => {
    const { template, tracker } = trackerWithGrace(Duration.seconds(90), Duration.minutes(1.5), Duration.minutes(10));
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
    template.resourceCountIs('AWS::Logs::LogGroup', 2); // the function's, and one for every grace machine
    expect(tracker.alarms).toHaveLength(6);
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
  beforeAll(async () => {
    moto = await MotoServer.start();
    await moto.createTable(TABLE);
    definition = definitionOf(trackerWithGrace(Duration.seconds(60)).template, TABLE);
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

  /** Runs the machine for one idle event, at the end of its grace period; returns the confirmations put on the bus. */
  async function confirmations(detail: Record<string, unknown>): Promise<any[]> {
    const put: any[] = [];
    await runStateMachine(definition, { 'detail-type': StageActivity.STAGE_IDLE.detailType, detail }, {
      'dynamodb:getItem': params => moto.client().send(new GetItemCommand(params)),
      'events:putEvents': async params => put.push(...params.Entries),
    });
    return put;
  }

  test('a stage still idle when the grace ends is confirmed, with the idle event\'s detail and the grace period', async () => {
    const [idle] = await history('arn:aws:ivs:us-east-1:123456789012:stage/GraceA', [['Participant Published', 1], ['Participant Unpublished', 2]]);
    expect(await confirmations(idle)).toEqual([{
      Source: StageActivity.STAGE_IDLE_CONFIRMED.source,
      DetailType: StageActivity.STAGE_IDLE_CONFIRMED.detailType,
      EventBusName: 'arn:aws:events:us-east-1:123456789012:event-bus/default',
      Detail: { ...idle, gracePeriodSeconds: 60 },
    }]);
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
