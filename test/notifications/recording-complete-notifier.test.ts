import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { RecordingCompleteNotifier, RecordingCompleteNotifierProps } from '../../src';
import { expectNoNagFindings } from '../util/nag';
import { describeSnapshots } from '../util/snapshots';
import { testStack } from '../util/stack';

function rules(stack: Stack): any[] {
  return Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule')).map(r => r.Properties);
}

/** Everything a user can set, for the snapshot and cdk-nag of the fully configured form. */
function fullyConfigured(stack: Stack): RecordingCompleteNotifier {
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const queue = new sqs.Queue(stack, 'Recordings', { encryptionMasterKey: key, enforceSSL: true });
  NagSuppressions.addResourceSuppressions(queue, [{ id: 'AwsSolutions-SQS3', reason: 'A work queue whose consumer retries; the notifier has its own DLQ.' }]);
  const fn = lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:us-east-1:123456789012:function:index-recording');
  const ops = new sns.Topic(stack, 'Ops', { enforceSSL: true, masterKey: key });
  return new RecordingCompleteNotifier(stack, 'Notifier', {
    stages: [new ivs.CfnStage(stack, 'Stage', {})],
    participantIds: ['xYz1c2d3e4f'],
    sessionIds: ['st-ZyXwvu1T2s'],
    topicProps: { topicName: 'recordings' },
    queues: [queue],
    functions: [fn],
    targets: [new targets.SnsTopic(ops)],
    failureTopic: ops,
    encryptionKey: key,
    alarmTopic: ops,
    alarmNamePrefix: 'recordings',
  });
}

describe('RecordingCompleteNotifier', () => {
  test('defaults: an encrypted topic, four rules sharing one encrypted dead-letter queue, delivery alarms', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    const notifier = new RecordingCompleteNotifier(stack, 'Notifier');

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NotifierKey'), 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NotifierKey'), 'Arn'] } });
    expect(notifier.rules).toHaveLength(4);
    const deployed = rules(stack);
    expect(deployed.map(r => r.EventPattern.detail)).toEqual([
      { event_name: ['Recording End'], recording_duration_ms: [{ exists: true }] },
      { event_name: ['Recording End'], recording_duration_ms: [{ exists: false }] },
      { event_name: ['Recording Start Failure', 'Recording End Failure'], recording_duration_ms: [{ exists: true }] },
      { event_name: ['Recording Start Failure', 'Recording End Failure'], recording_duration_ms: [{ exists: false }] },
    ]);
    for (const rule of deployed) {
      expect(rule.Targets).toEqual([expect.objectContaining({
        Arn: { Ref: expect.stringMatching(/^NotifierTopic/) },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/^NotifierDeadLetterQueue/), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
      })]);
    }
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
  });

  test('the key lets EventBridge encrypt for the topic and the dead-letter queue', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    new RecordingCompleteNotifier(stack, 'Notifier');

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Sid: 'AllowEventBridgeToEncryptForTargets',
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
        }]),
      },
    });
  });

  test('the failed-invocations alarm sums every rule; the DLQ alarm watches the shared queue', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    const notifier = new RecordingCompleteNotifier(stack, 'Notifier');

    // THEN
    expect(notifier.deliveryAlarms!.deadLetterQueueAlarms).toHaveLength(1);
    const alarm = stack.resolve((notifier.deliveryAlarms!.failedInvocationsAlarm.node.defaultChild as cloudwatch.CfnAlarm).metrics);
    expect(alarm[0]).toEqual({ expression: 'SUM([m0,m1,m2,m3])', id: 'expr_1', label: 'FailedInvocations (all rules)', returnData: true });
    expect(alarm.slice(1).map((m: any) => m.metricStat.metric.metricName)).toEqual(Array(4).fill('FailedInvocations'));
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  test('queues, functions and targets receive the same message; failures go to failureTopic', () => {
    // GIVEN
    const stack = testStack();
    const queue = new sqs.Queue(stack, 'Queue');
    const fn = lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:us-east-1:123456789012:function:f');
    const failures = new sns.Topic(stack, 'Failures');

    // WHEN
    new RecordingCompleteNotifier(stack, 'Notifier', { queues: [queue], functions: [fn], failureTopic: failures });

    // THEN
    const [withDuration, , failed] = rules(stack);
    expect(withDuration.Targets).toHaveLength(3);
    const templates = withDuration.Targets.map((t: any) => t.InputTransformer.InputTemplate);
    expect(new Set(templates).size).toEqual(1);
    expect(failed.Targets).toEqual([expect.objectContaining({ Arn: { Ref: expect.stringMatching(/^Failures/) } })]);
    expect(failed.Targets[0].InputTransformer.InputTemplate).toContain('"eventName":<detail-event_name>');
  });

  test('a given topic is used as is and can be subscribed to through grantSubscribe', () => {
    // GIVEN
    const stack = testStack();
    const topic = new sns.Topic(stack, 'Mine');
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });

    // WHEN
    const notifier = new RecordingCompleteNotifier(stack, 'Notifier', { topic });
    notifier.grantSubscribe(role);

    // THEN
    expect(notifier.topic).toBe(topic);
    Template.fromStack(stack).resourceCountIs('AWS::SNS::Topic', 1);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'sns:Subscribe', Resource: { Ref: Match.stringLikeRegexp('^Mine') } })] },
    });
  });

  test('a given topic leaves only a queue to encrypt: SSE-SQS, as every queue by default, and no key', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    const notifier = new RecordingCompleteNotifier(stack, 'Notifier', { topic: new sns.Topic(stack, 'Mine') });

    // THEN
    expect(notifier.encryptionKey).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 0);
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, KmsMasterKeyId: Match.absent() });
  });

  test('a key given in topicProps encrypts the topic, and EventBridge may use it', () => {
    // GIVEN
    const stack = testStack();
    const key = new kms.Key(stack, 'TopicKey', { enableKeyRotation: true });

    // WHEN
    new RecordingCompleteNotifier(stack, 'Notifier', { topicProps: { masterKey: key } });

    // THEN
    const keys = Template.fromStack(stack).findResources('AWS::KMS::Key');
    const policy = keys[stack.getLogicalId(key.node.defaultChild as kms.CfnKey)].Properties.KeyPolicy;
    expect(policy.Statement).toContainEqual(expect.objectContaining({ Sid: 'AllowEventBridgeToEncryptForTargets', Principal: { Service: 'events.amazonaws.com' } }));
  });

  test('a given topic and dead-letter queue leave nothing to encrypt: no key is created', () => {
    // GIVEN
    const stack = testStack();
    const topic = new sns.Topic(stack, 'Mine');
    const dlq = new sqs.Queue(stack, 'SharedDlq');

    // WHEN
    const notifier = new RecordingCompleteNotifier(stack, 'Notifier', { topic, deadLetterQueue: dlq });

    // THEN
    expect(notifier.encryptionKey).toBeUndefined();
    expect(notifier.deadLetterQueue).toBe(dlq);
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 0);
    Template.fromStack(stack).resourceCountIs('AWS::SQS::Queue', 1);
  });

  test('a topic encrypted with alias/aws/sns is warned about', () => {
    // GIVEN
    const stack = testStack();
    const topic = new sns.Topic(stack, 'Managed', { masterKey: kms.Alias.fromAliasName(stack, 'AwsSns', 'alias/aws/sns') });

    // WHEN
    new RecordingCompleteNotifier(stack, 'Notifier', { topic });

    // THEN
    Annotations.fromStack(stack).hasWarning('/Stack/Notifier', Match.stringLikeRegexp(
      '^`topic` is encrypted with the AWS-managed key alias/aws/sns, which EventBridge cannot use'));
  });

  test('delivery alarms can be turned off and named', () => {
    const off = testStack();
    new RecordingCompleteNotifier(off, 'Notifier', { deliveryAlarms: false });
    Template.fromStack(off).resourceCountIs('AWS::CloudWatch::Alarm', 0);

    const named = testStack();
    new RecordingCompleteNotifier(named, 'Notifier', { alarmNamePrefix: 'prod-recordings', actionsEnabled: false });
    Template.fromStack(named).hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'prod-recordings-dead-letter-queue', ActionsEnabled: false });
    Template.fromStack(named).hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'prod-recordings-failed-invocations' });
  });

  describe('bad input', () => {
    test.each<[string, (stack: Stack) => RecordingCompleteNotifierProps, string]>([
      ['a topic and topicProps', (stack) => ({ topic: new sns.Topic(stack, 'T'), topicProps: { topicName: 'x' } }),
        '`topic` and `topicProps` cannot both be given: `topicProps` configures the topic this construct creates, but `topic` (Stack/T) was given'],
      ['six destinations', (stack) => ({ queues: [1, 2, 3, 4, 5].map(i => new sqs.Queue(stack, `Q${i}`)) }),
        '`topic`, `queues`, `functions` and `targets` together can hold at most 5 destinations, got 6; subscribe further destinations to the topic instead'],
      ['a stage that is not a stage ARN', () => ({ stageArns: ['arn:aws:ivs:us-east-1:123456789012:channel/abc'] }),
        "`stageArns` must contain IVS stage ARNs (arn:<partition>:ivs:<region>:<account>:stage/<id>), got 'arn:aws:ivs:us-east-1:123456789012:channel/abc'"],
      ['an empty participant id', () => ({ participantIds: [''] }), '`participantIds` must not contain empty strings, got [""]'],
      ['a failure topic with failures off', (stack) => ({ failureTopic: new sns.Topic(stack, 'F'), notifyFailures: false }),
        '`failureTopic` (Stack/F) receives failure messages, which `notifyFailures: false` turns off: drop one of the two'],
      ['a key with nothing to encrypt', (stack) => ({ topic: new sns.Topic(stack, 'T'), deadLetterQueue: new sqs.Queue(stack, 'Q'), encryptionKey: new kms.Key(stack, 'K') }),
        '`encryptionKey` encrypts the topic and dead-letter queue this construct creates, but both `topic` and `deadLetterQueue` were given: '
        + 'drop `encryptionKey` (Stack/K) or one of the two'],
    ])('%s', (_name, props, message) => {
      const stack = testStack();
      expect(() => new RecordingCompleteNotifier(stack, 'Notifier', props(stack))).toThrow(message);
    });
  });

  describeSnapshots({
    default: stack => {
      new RecordingCompleteNotifier(stack, 'Notifier');
    },
    fullyConfigured: stack => {
      fullyConfigured(stack);
    },
  });

  describe('cdk-nag AwsSolutions', () => {
    test('default has no findings', () => {
      const stack = testStack();
      new RecordingCompleteNotifier(stack, 'Notifier');
      expectNoNagFindings(stack);
    });

    test('fully configured has no findings', () => {
      const stack = testStack();
      fullyConfigured(stack);
      expectNoNagFindings(stack);
    });
  });
});
