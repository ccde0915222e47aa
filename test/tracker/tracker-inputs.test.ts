// What the tracker refuses at synth, and what it grants: inputs accepted before and wrong,
// and the event queue's policy written by the library rather than aws-cdk-lib's SqsQueue target.
import { Aspects, CfnParameter, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IvsStageStateTracker } from '../../src';
import { DYNAMODB_ITEM_ACTIONS } from '../../src/private/aws-facts';
import { testStack } from '../util/stack';

const STAGE = 'arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij';

/** The Allow statements of the policy of the queue whose logical id starts with `prefix`. */
function allowStatements(template: Template, prefix: string): any[] {
  return Object.values(template.findResources('AWS::SQS::QueuePolicy'))
    .filter((p: any) => p.Properties.Queues.some((q: any) => String(q.Ref).startsWith(prefix)))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
    .filter((s: any) => s.Effect === 'Allow');
}

describe('the event queue\'s policy', () => {
  test.each([
    ['without a key', false],
    ['encrypted with a key (where aws-cdk-lib\'s SqsQueue target writes no source condition)', true],
  ])('%s: one statement, for the tracker\'s rules of this account', (_name, encrypted) => {
    // GIVEN
    const stack = testStack();
    const encryptionKey = encrypted ? new kms.Key(stack, 'Key', { enableKeyRotation: true }) : undefined;
    // WHEN
    new IvsStageStateTracker(stack, 'Tracker', { stageArns: [STAGE], encryptionKey });
    // THEN
    expect(allowStatements(Template.fromStack(stack), 'TrackerQueue')).toEqual([{
      Sid: 'AllowEventBridgeRulesToSendEvents',
      Action: 'sqs:SendMessage',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^TrackerQueue/), 'Arn'] },
      Condition: {
        ArnLike: { 'aws:SourceArn': [{ 'Fn::GetAtt': [expect.stringMatching(/^TrackerEventsRule/), 'Arn'] }] },
        StringEquals: { 'aws:SourceAccount': '123456789012' },
      },
    }]);
  });
});

describe('inputs the tracker refuses at synth, naming the prop and the value', () => {
  test.each([
    ['reconcileSchedule', { reconcileSchedule: events.Schedule.expression('rate(0 minutes)') },
      '`reconcileSchedule` must be a rate of at least 1 minute or a cron expression, got rate(0 minutes)'],
    ['finishedParticipantRetention', { finishedParticipantRetention: Duration.seconds(0) },
      '`finishedParticipantRetention` must be a whole number of seconds from 86400 to 315360000, got 0 seconds'],
    ['finishedParticipantRetention', { finishedParticipantRetention: Duration.hours(1) },
      '`finishedParticipantRetention` must be a whole number of seconds from 86400 to 315360000, got 3600 seconds'],
  ])('%s', (_prop, props, message) => {
    const stack = testStack();
    expect(() => new IvsStageStateTracker(stack, 'Tracker', { stageArns: [STAGE], ...props })).toThrow(message);
  });

  test('gracePeriod from a CloudFormation parameter', () => {
    // GIVEN
    const stack = testStack();
    const tracker = new IvsStageStateTracker(stack, 'Tracker', { stageArns: [STAGE], alarmTopic: undefined });
    const minutes = new CfnParameter(stack, 'GraceMinutes', { type: 'Number' });
    // WHEN / THEN
    expect(() => tracker.onStageIdle('Stop', new targets.SqsQueue(new sqs.Queue(stack, 'Q')), { gracePeriod: Duration.minutes(minutes.valueAsNumber) }))
      .toThrow(/^`gracePeriod` must be known at synth time \(the state machine's timeout and the rule's pattern are computed from it\), got a token:/);
  });
});

describe('idle grace', () => {
  test('timed-out and aborted runs are alarmed as well as failed ones', () => {
    const stack = testStack();
    const tracker = new IvsStageStateTracker(stack, 'Tracker', { stageArns: [STAGE] });
    tracker.onStageIdle('Stop', new targets.SqsQueue(new sqs.Queue(stack, 'Q')), { gracePeriod: Duration.minutes(2) });
    const alarms = Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmDescription: Match.stringLikeRegexp('^Idle stages') } });
    const metricNames = Object.values(alarms).flatMap((a: any) => (a.Properties.Metrics ?? [])
      .filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.MetricName));
    expect(metricNames.sort()).toEqual(['ExecutionsAborted', 'ExecutionsFailed', 'ExecutionsTimedOut']);
  });

  test('removalPolicy DESTROY: every resource the tracker makes is deleted with the stack, the idle-grace log group included', () => {
    const stack = testStack();
    const tracker = new IvsStageStateTracker(stack, 'Tracker', { stageArns: [STAGE], removalPolicy: RemovalPolicy.DESTROY });
    tracker.onStageIdle('Stop', new targets.SqsQueue(new sqs.Queue(stack, 'Q')), { gracePeriod: Duration.minutes(2) });
    const retained = Object.entries(Template.fromStack(stack).toJSON().Resources)
      .filter(([id, r]: [string, any]) => id.startsWith('Tracker') && r.DeletionPolicy === 'Retain').map(([id]) => id);
    expect(retained).toEqual([]);
  });

  test('a retained log group never blocks re-creating the stack: each name holds the id of the stack that made it', () => {
    // GIVEN the default removal policy, under which CloudFormation keeps the log groups
    const stack = testStack();
    const tracker = new IvsStageStateTracker(stack, 'Tracker', { stageArns: [STAGE] });
    tracker.onStageIdle('Stop', new targets.SqsQueue(new sqs.Queue(stack, 'Q')), { gracePeriod: Duration.minutes(2) });

    // THEN every named log group's name changes with each stack created (AWS::StackId), while keeping the
    // prefix its key policy and the Step Functions vended-logs convention need
    const groups = Object.values(Template.fromStack(stack).findResources('AWS::Logs::LogGroup')).map((g: any) => g.Properties.LogGroupName);
    expect(groups).toHaveLength(2);
    for (const name of groups) {
      expect(JSON.stringify(name)).toContain('"AWS::StackId"');
    }
    expect(groups.map(name => stack.resolve(name)['Fn::Join'][1][0])).toEqual([
      expect.stringMatching(/^\/cdk-ivs-realtime-events\/tracker\/StackTracker[0-9A-F]{8}\/$/),
      expect.stringMatching(/^\/aws\/vendedlogs\/states\/StackTracker[0-9A-F]{8}\/$/),
    ]);
  });
});

describe('alarm actions', () => {
  test('without alarmTopic or alarmActions, a warning names the prop: the tracker\'s alarms would notify nobody', () => {
    const stack = testStack();
    new IvsStageStateTracker(stack, 'Tracker', { stageArns: [STAGE] });
    Annotations.fromStack(stack).hasWarning('/Stack/Tracker', Match.stringLikeRegexp(
      '^The tracker\'s alarms notify nobody: give `alarmTopic` \\(or `alarmActions`\\)'));
  });

  test('with alarmTopic, no such warning', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new IvsStageStateTracker(stack, 'Tracker', { stageArns: [STAGE], alarmTopic: new sns.Topic(stack, 'T', { masterKey: key }) });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('notify nobody'));
  });
});

describe('encryptionKey', () => {
  test('in another region is refused, naming the prop and the key', () => {
    const stack = testStack();
    const arn = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(() => new IvsStageStateTracker(stack, 'Tracker', { encryptionKey: kms.Key.fromKeyArn(stack, 'Key', arn) }))
      .toThrow(`\`encryptionKey\` must be a key in this stack's region (us-east-1): SQS, DynamoDB and CloudWatch Logs encrypt only with a key of their own region, got ${arn}`);
  });

  test('an alias is refused where CloudWatch Logs encrypts with it (a log group takes a key ARN)', () => {
    const stack = testStack();
    expect(() => new IvsStageStateTracker(stack, 'Tracker', { encryptionKey: kms.Alias.fromAliasName(stack, 'Alias', 'alias/ivs') }))
      .toThrow(/^`encryptionKey` must be a key, not an alias, where CloudWatch Logs encrypts with it \(a log group's KmsKeyId is a key ARN\), got alias\/ivs/);
  });
});

describe('least privilege', () => {
  test('the event handler may read and update items of the table, nothing else of it (transactions are governed by their item actions)', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    const tracker = new IvsStageStateTracker(stack, 'Tracker', { stageArns: [STAGE] });
    // THEN
    const role = stack.getLogicalId((tracker.handler.role!.node.defaultChild as any));
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: role }] } });
    const dynamodb = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('dynamodb:')));
    expect(dynamodb).toEqual([expect.objectContaining({
      Action: [DYNAMODB_ITEM_ACTIONS.get, DYNAMODB_ITEM_ACTIONS.update],
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^TrackerTable/), 'Arn'] },
    })]);
  });
});

describe('cdk-nag suppressions name the findings they cover', () => {
  test.each([
    ['the event handler\'s role', (t: IvsStageStateTracker) => t.handler.role!],
    ['the activity pipes\' role', (t: IvsStageStateTracker) => t.node.findChild('ActivityPipeRole') as iam.Role],
    ['the idle grace state machine\'s role', (t: IvsStageStateTracker) => (t.node.findChild('IdleGrace120s').node.findChild('StateMachine') as any).role],
  ])('a wildcard added later to %s is reported by AwsSolutions-IAM5', (_name, roleOf) => {
    // GIVEN
    const stack = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const tracker = new IvsStageStateTracker(stack, 'Tracker', { stageArns: [STAGE], encryptionKey: key, alarmTopic: new sns.Topic(stack, 'T', { masterKey: key }) });
    tracker.onStageIdle('Stop', new targets.SqsQueue(new sqs.Queue(stack, 'Q', { enforceSSL: true })), { gracePeriod: Duration.minutes(2) });
    // WHEN
    (roleOf(tracker) as iam.IRole).addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::some-bucket/*'] }));
    Aspects.of(stack).add(new AwsSolutionsChecks());
    // THEN
    const found = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-IAM5'))
      .map(f => String(f.entry.data).split(':')[0] + String(f.entry.data).split(':')[2]?.split(']')[0]);
    expect(found.length).toBe(1);
  });
});
