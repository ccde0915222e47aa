import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  CompositionFailureAlarm, IvsEvent, IvsEventAlarm, IvsEventAlarmProps, PublishErrorAlarm, RecordingFailureAlarm,
} from '../../src';
import { DeployedTemplate } from '../util/deployed';
import { loadFixture } from '../util/fixtures';
import { renderInputJson } from '../util/input-transformer';
import { expectNoNagFindings } from '../util/nag';
import { describeSnapshots } from '../util/snapshots';
import { testStack } from '../util/stack';

function topic(stack: Stack, id = 'Topic'): sns.Topic {
  return new sns.Topic(stack, id, { enforceSSL: true });
}

function mainAlarm(stack: Stack): any {
  const alarms = Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'TriggeredRules' } });
  expect(Object.keys(alarms)).toHaveLength(1);
  return Object.values(alarms)[0].Properties;
}

function onlyRule(stack: Stack): any {
  const rules = Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule'));
  expect(rules).toHaveLength(1);
  return rules[0].Properties;
}

/** Every option set, for snapshots and cdk-nag of the fully configured forms. */
function allOptions(stack: Stack) {
  const pager = topic(stack, 'Pager');
  return {
    stages: [new ivs.CfnStage(stack, 'Stage', {})],
    stageArns: ['arn:aws:ivs:us-east-1:123456789012:stage/StageAaaaaaa'],
    threshold: 3,
    period: Duration.minutes(10),
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    alarmName: 'ivs-prod-failures',
    alarmDescription: 'IVS failures in prod',
    alarmTopic: pager,
    alarmActions: [new cloudwatchActions.SnsAction(topic(stack, 'Escalation'))],
    okActions: [new cloudwatchActions.SnsAction(topic(stack, 'Recovery'))],
    actionsEnabled: true,
    logRetention: logs.RetentionDays.ONE_YEAR,
    notificationTopic: topic(stack, 'Chat'),
    encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
    deliveryAlarms: true,
  };
}

const PRESETS = [
  ['CompositionFailureAlarm', (s: Stack, p = {}) => new CompositionFailureAlarm(s, 'Alarm', p),
    ['Session Failure', 'Destination Failure'], 'IVS Composition State Change'],
  ['RecordingFailureAlarm', (s: Stack, p = {}) => new RecordingFailureAlarm(s, 'Alarm', p),
    ['Recording Start Failure', 'Recording End Failure'], 'IVS Participant Recording State Change'],
  ['PublishErrorAlarm', (s: Stack, p = {}) => new PublishErrorAlarm(s, 'Alarm', p),
    ['Participant Publish Error'], 'IVS Stage Update'],
] as const;

describe('IvsEventAlarm', () => {
  test('defaults: Sum of TriggeredRules >= 1 in 5 minutes, missing data not breaching, events logged', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    const alarm = new IvsEventAlarm(stack, 'Alarm', { events: [IvsEvent.COMPOSITION_SESSION_FAILURE] });

    // THEN
    expect(mainAlarm(stack)).toEqual({
      AlarmDescription: '1 or more of Session Failure within 5 minutes (Amazon IVS real-time events).',
      Namespace: 'AWS/Events',
      MetricName: 'TriggeredRules',
      Dimensions: [{ Name: 'RuleName', Value: { Ref: stack.getLogicalId(alarm.rule.rule.node.defaultChild as any) } }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('^/aws/events/ivs-realtime/'),
      RetentionInDays: 90,
    });
    expect(onlyRule(stack).Targets).toEqual([expect.objectContaining({
      Arn: { 'Fn::GetAtt': [expect.stringMatching(/^AlarmEvents/), 'Arn'] },
      DeadLetterConfig: expect.anything(),
      RetryPolicy: expect.anything(),
    })]);
    expect(onlyRule(stack).Targets[0].InputTransformer).toBeUndefined();
    // One encryption default across constructs: SSE-SQS for a queue, no key per alarm.
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, KmsMasterKeyId: Match.absent() });
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    template.resourceCountIs('AWS::Lambda::Function', 0);
  });

  test('EventBridge may write to every log group through one native resource policy per stack', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    new CompositionFailureAlarm(stack, 'Composition');
    new RecordingFailureAlarm(stack, 'Recording');

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::ResourcePolicy', 1);
    const [policy] = DeployedTemplate.of(stack).ofType('AWS::Logs::ResourcePolicy');
    // One statement whose resource covers every log group the library names: its size does not grow.
    expect(JSON.parse(policy.props.PolicyDocument).Statement).toEqual([{
      Sid: 'EventBridgeToCloudWatchLogs',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/events/ivs-realtime*',
    }]);
  });

  test('every option reaches the alarm', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    new IvsEventAlarm(stack, 'Alarm', { ...allOptions(stack), events: IvsEvent.compositionFailures() });

    // THEN
    expect(mainAlarm(stack)).toMatchObject({
      AlarmName: 'ivs-prod-failures',
      AlarmDescription: 'IVS failures in prod',
      Period: 600,
      Threshold: 3,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      ActionsEnabled: true,
      AlarmActions: [{ Ref: expect.stringMatching(/^Pager/) }, { Ref: expect.stringMatching(/^Escalation/) }],
      OKActions: [{ Ref: expect.stringMatching(/^Pager/) }, { Ref: expect.stringMatching(/^Recovery/) }],
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'ivs-prod-failures-dead-letter-queue', AlarmActions: Match.anyValue() });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'ivs-prod-failures-failed-invocations', OKActions: Match.anyValue() });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    expect(onlyRule(stack).EventPattern.detail.stage_arn).toHaveLength(2);
    template.resourceCountIs('AWS::KMS::Key', 1);
  });

  test('actionsEnabled false keeps the alarm but silences its actions', () => {
    const stack = testStack();
    new RecordingFailureAlarm(stack, 'Alarm', { alarmTopic: topic(stack), actionsEnabled: false });
    expect(mainAlarm(stack).ActionsEnabled).toBe(false);
  });

  test('a notification topic gets a message per event: a summary, the stage and composition, and the whole detail', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    new CompositionFailureAlarm(stack, 'Alarm', { notificationTopic: topic(stack), logEvents: false });

    // THEN
    const [target] = onlyRule(stack).Targets;
    const event = loadFixture('realtime/composition-destination-failure.json').event;
    expect(renderInputJson(target.InputTransformer, event)).toEqual({
      summary: 'Amazon IVS composition Destination Failure at 2017-06-12T10:23:43Z in aws_account_id/us-east-1',
      stageArn: '<stage-arn>',
      compositionArn: 'arn:aws:ivs:us-east-1:aws_account_id:composition/123456789012',
      detail: event.detail,
      eventId: event.id,
    });
    Template.fromStack(stack).resourceCountIs('AWS::Logs::LogGroup', 0);
  });

  test.each([
    ['a reason with quotes and a line break', 'realtime/composition-destination-failure.json', { reason: 'key "abc"\nrejected' }],
    ['a Session Failure, which has no destination id', 'realtime/composition-session-failure.json', {}],
    ['a failure without a reason', 'realtime/composition-destination-failure.json', { reason: undefined }],
  ])('the composition message stays valid JSON and keeps every value for %s', (_name, file, change) => {
    // GIVEN
    const stack = testStack();
    new CompositionFailureAlarm(stack, 'Alarm', { notificationTopic: topic(stack), logEvents: false });
    const fixture = loadFixture(file).event;
    const detail = JSON.parse(JSON.stringify({ ...fixture.detail, ...change }));
    const event = { ...fixture, detail };

    // WHEN
    const message = renderInputJson(onlyRule(stack).Targets[0].InputTransformer, event);

    // THEN
    expect(message.detail).toEqual(detail);
    expect(message.summary).not.toMatch(/undefined|: \.|Reason: $/);
  });

  test.each([
    ['RecordingFailureAlarm', (s: Stack, t: sns.ITopic) => new RecordingFailureAlarm(s, 'A', { notificationTopic: t }), 'realtime/recording-start-failure.json',
      'Amazon IVS recording Recording Start Failure at 2024-03-13T22:09:58Z in 123456789012/us-east-1', 'arn:aws:ivs:us-west-2:aws_account_id:stage/AbCdef1G2hij'],
    ['PublishErrorAlarm', (s: Stack, t: sns.ITopic) => new PublishErrorAlarm(s, 'A', { notificationTopic: t }), 'derived/participant-publish-error.json',
      'Amazon IVS stage Participant Publish Error at 2020-06-23T20:12:36Z in 123456789012/us-west-2', 'arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij'],
  ])('%s message', (_name, create, file, summary, stageArn) => {
    const stack = testStack();
    create(stack, topic(stack));
    const target = onlyRule(stack).Targets.find((t: any) => t.InputTransformer);
    const event = loadFixture(file).event;
    // A user id is the application's own text: quotes in it must not break the message.
    const withQuotes = { ...event, detail: { ...event.detail, user_id: 'Ann "the host"' } };
    expect(renderInputJson(target.InputTransformer, event)).toEqual({ summary, stageArn, detail: event.detail, eventId: event.id });
    expect(renderInputJson(target.InputTransformer, withQuotes).detail).toEqual(withQuotes.detail);
  });

  test('a notification topic encrypted with alias/aws/sns is warned about', () => {
    // GIVEN
    const stack = testStack();
    const managed = new sns.Topic(stack, 'Managed', { masterKey: kms.Alias.fromAliasName(stack, 'AwsSns', 'alias/aws/sns') });

    // WHEN
    new RecordingFailureAlarm(stack, 'Alarm', { notificationTopic: managed });

    // THEN
    Annotations.fromStack(stack).hasWarning('/Stack/Alarm', Match.stringLikeRegexp(
      '^`notificationTopic` is encrypted with the AWS-managed key alias/aws/sns, which EventBridge cannot use'));
  });

  test('a shared dead-letter queue replaces the alarm\'s own queue and key; a custom bus reaches rule and metric', () => {
    // GIVEN
    const stack = testStack();
    const dlq = new sqs.Queue(stack, 'Shared', { enforceSSL: true });
    const bus = new events.EventBus(stack, 'Bus');

    // WHEN
    const alarm = new RecordingFailureAlarm(stack, 'Alarm', { deadLetterQueue: dlq, eventBus: bus });

    // THEN
    expect(alarm.encryptionKey).toBeUndefined();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.resourceCountIs('AWS::SQS::Queue', 1);
    expect(onlyRule(stack)).toMatchObject({
      EventBusName: { Ref: stack.getLogicalId(bus.node.defaultChild as events.CfnEventBus) },
      Targets: [expect.objectContaining({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': [stack.getLogicalId(dlq.node.defaultChild as sqs.CfnQueue), 'Arn'] } } })],
    });
    expect(mainAlarm(stack).Dimensions).toContainEqual({ Name: 'EventBusName', Value: { Ref: stack.getLogicalId(bus.node.defaultChild as events.CfnEventBus) } });
  });

  test('a given log group is used and no other is created', () => {
    const stack = testStack();
    const logGroup = new logs.LogGroup(stack, 'Mine', { retention: logs.RetentionDays.ONE_WEEK });
    const alarm = new PublishErrorAlarm(stack, 'Alarm', { logGroup, threshold: 10 });
    expect(alarm.logGroup).toBe(logGroup);
    Template.fromStack(stack).resourceCountIs('AWS::Logs::LogGroup', 1);
    expect(mainAlarm(stack).Threshold).toEqual(10);
  });

  test('delivery alarms can be turned off', () => {
    const stack = testStack();
    const alarm = new CompositionFailureAlarm(stack, 'Alarm', { deliveryAlarms: false });
    expect(alarm.deliveryAlarms).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 1);
  });

  describe.each(PRESETS)('%s', (_name, create, eventNames, detailType) => {
    test('matches exactly its events', () => {
      const stack = testStack();
      create(stack);
      expect(onlyRule(stack).EventPattern).toEqual({ 'source': ['aws.ivs'], 'detail-type': [detailType], 'detail': { event_name: eventNames } });
    });

    describeSnapshots({
      default: stack => {
        create(stack);
      },
      fullyConfigured: stack => {
        create(stack, allOptions(stack));
      },
    });

    test('cdk-nag: default and fully configured have no findings', () => {
      const plain = testStack();
      create(plain);
      expectNoNagFindings(plain);
      const full = testStack();
      create(full, allOptions(full));
      expectNoNagFindings(full);
    });
  });

  test('CompositionFailureAlarm can count Destination Reconnecting too', () => {
    const stack = testStack();
    new CompositionFailureAlarm(stack, 'Alarm', { includeReconnecting: true });
    expect(onlyRule(stack).EventPattern.detail.event_name).toEqual(['Session Failure', 'Destination Failure', 'Destination Reconnecting']);
  });

  describe('bad input', () => {
    test.each<[string, (stack: Stack) => Partial<IvsEventAlarmProps>, string]>([
      ['threshold 0', () => ({ threshold: 0 }), '`threshold` must be a whole number of events, 1 or more, got 0'],
      ['fractional threshold', () => ({ threshold: 1.5 }), '`threshold` must be a whole number of events, 1 or more, got 1.5'],
      ['period of 90 seconds', () => ({ period: Duration.seconds(90) }), '`period` must be a whole number of minutes from 1 minute to 1 day, got 90 seconds'],
      ['period of 30 seconds', () => ({ period: Duration.seconds(30) }), '`period` must be a whole number of minutes from 1 minute to 1 day, got 30 seconds'],
      ['period over a day', () => ({ period: Duration.days(2) }), '`period` must be a whole number of minutes from 1 minute to 1 day, got 172800 seconds'],
      ['evaluationPeriods 0', () => ({ evaluationPeriods: 0 }), '`evaluationPeriods` must be a whole number from 1 to 100, got 0'],
      ['an evaluation range over a day', () => ({ period: Duration.hours(6), evaluationPeriods: 5 }),
        '`period` x `evaluationPeriods` must not exceed 1 day (CloudWatch\'s limit), got 21600 seconds x 5'],
      ['datapointsToAlarm above evaluationPeriods', () => ({ evaluationPeriods: 2, datapointsToAlarm: 3 }),
        '`datapointsToAlarm` must be a whole number from 1 to 2, got 3'],
      ['an alarm name of 256 characters', () => ({ alarmName: 'a'.repeat(256), deliveryAlarms: false }),
        `\`alarmName\` must be 1-255 characters, got '${'a'.repeat(256)}' (256 characters)`],
      ['an alarm name that leaves no room for the delivery alarms\' suffix', () => ({ alarmName: 'a'.repeat(240) }),
        `\`alarmName\` must be 1-233 characters (CloudWatch allows 255, and '-failed-invocations-99' is added to it), got '${'a'.repeat(240)}' (240 characters)`],
      ['a log retention CloudWatch Logs rejects', () => ({ logRetention: 42 as logs.RetentionDays }),
        '`logRetention` must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, '
        + '2557, 2922, 3288, 3653 days, or RetentionDays.INFINITE), got 42'],
      ['no log and no topic', () => ({ logEvents: false }),
        '`logEvents` is false and no `notificationTopic` is given: the alarm counts the rule\'s TriggeredRules, '
        + 'which needs the rule to deliver somewhere; keep `logEvents` or give `notificationTopic`'],
      ['a log group without logging', (stack) => ({ logEvents: false, notificationTopic: topic(stack), logGroup: new logs.LogGroup(stack, 'L') }),
        '`logGroup` and `logRetention` need `logEvents`, which is false, got `logGroup` Stack/L'],
      ['a key for a given dead-letter queue', (stack) => ({ deadLetterQueue: new sqs.Queue(stack, 'Q'), encryptionKey: new kms.Key(stack, 'K') }),
        '`encryptionKey` applies only to the dead-letter queue this construct creates: encrypt the given `deadLetterQueue` (Stack/Q) yourself, or drop one of the two'],
      ['a log group and a retention', (stack) => ({ logGroup: new logs.LogGroup(stack, 'L'), logRetention: logs.RetentionDays.ONE_DAY }),
        '`logRetention` applies only to the log group this construct creates: set the retention of the given `logGroup` (Stack/L) instead of `logRetention` (1 days)'],
      ['an invalid stage ARN', () => ({ stageArns: ['stage/abc'] }),
        "`stageArns` must contain IVS stage ARNs (arn:<partition>:ivs:<region>:<account>:stage/<id>), got 'stage/abc'"],
    ])('%s', (_name, props, message) => {
      const stack = testStack();
      expect(() => new IvsEventAlarm(stack, 'Alarm', { events: IvsEvent.compositionFailures(), ...props(stack) })).toThrow(message);
    });

    test('empty events', () => {
      expect(() => new IvsEventAlarm(testStack(), 'Alarm', { events: [] })).toThrow('`events` must name at least one IVS event, got []');
    });
  });

  test('the alarm metric is the rule\'s TriggeredRules over the alarm period', () => {
    const stack = testStack();
    const alarm = new IvsEventAlarm(stack, 'Alarm', { events: [IvsEvent.RECORDING_END_FAILURE], period: Duration.minutes(1) });
    const metric = alarm.alarm.metric as cloudwatch.Metric;
    expect(metric.metricName).toEqual('TriggeredRules');
    expect(metric.period.toMinutes()).toEqual(1);
  });
});
