import { CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { IvsDetailType, IvsEvent, IvsStageEventRule, IvsStageEventRuleProps } from '../../src';
import { expectNoNagFindings } from '../util/nag';
import { describeSnapshots } from '../util/snapshots';
import { testStack } from '../util/stack';

const STAGE_A = 'arn:aws:ivs:us-west-2:123456789012:stage/AbCdef1G2hij';
const STAGE_B = 'arn:aws:ivs:us-west-2:123456789012:stage/ZyXwvu9T8srq';

function topic(stack: Stack, id = 'Topic'): sns.Topic {
  return new sns.Topic(stack, id, { enforceSSL: true });
}

/** The logical id of a construct's CloudFormation resource. */
function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

function ruleProps(stack: Stack): Record<string, any> {
  return Template.fromStack(stack).findResources('AWS::Events::Rule');
}

function onlyRule(stack: Stack): any {
  const rules = Object.values(ruleProps(stack));
  expect(rules).toHaveLength(1);
  return rules[0].Properties;
}

/** Everything a user can set, for the snapshot and cdk-nag of the fully configured form. */
function fullyConfigured(stack: Stack): IvsStageEventRule {
  const stage = new ivs.CfnStage(stack, 'Stage', { name: 'main' });
  return new IvsStageEventRule(stack, 'Rule', {
    events: [IvsEvent.PARTICIPANT_PUBLISHED, IvsEvent.RECORDING_END],
    stageArns: [STAGE_A],
    stages: [stage],
    sessionIds: ['st-ZyXwvu1T2s'],
    sessionIdPrefixes: ['st-A'],
    participantIds: ['xYz1c2d3e4f'],
    participantIdPrefixes: ['abc'],
    targets: [new targets.SnsTopic(topic(stack))],
    ruleName: 'ivs-published-and-recorded',
    description: 'Publishes and finished recordings of the main stages',
    enabled: false,
    deadLetterQueue: userDeadLetterQueue(stack),
    retryAttempts: 10,
    maxEventAge: Duration.hours(2),
  });
}

function userDeadLetterQueue(stack: Stack): sqs.Queue {
  const queue = new sqs.Queue(stack, 'Dlq', { enforceSSL: true, encryption: sqs.QueueEncryption.SQS_MANAGED });
  NagSuppressions.addResourceSuppressions(queue, [
    { id: 'AwsSolutions-SQS3', reason: 'It is the dead-letter queue of the rule\'s targets.' },
  ]);
  return queue;
}

describe('IvsStageEventRule', () => {
  test('defaults: every catalog event, one $or branch per detail-type, a dead-letter queue', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    new IvsStageEventRule(stack, 'Rule');

    // THEN
    expect(onlyRule(stack)).toEqual({
      Description: 'Amazon IVS real-time events: Participant Published, Participant Unpublished, Participant Publish Error, '
        + 'Session Start, Session End, Session Failure, Destination Start, Destination End, Destination Failure, '
        + 'Destination Reconnecting, Recording Start, Recording End, Recording Start Failure, Recording End Failure',
      State: 'ENABLED',
      EventPattern: {
        source: ['aws.ivs'],
        $or: [
          {
            'detail-type': ['IVS Stage Update'],
            'detail': { event_name: ['Participant Published', 'Participant Unpublished', 'Participant Publish Error'] },
          },
          {
            'detail-type': ['IVS Composition State Change'],
            'detail': {
              event_name: ['Session Start', 'Session End', 'Session Failure', 'Destination Start', 'Destination End',
                'Destination Failure', 'Destination Reconnecting'],
            },
          },
          {
            'detail-type': ['IVS Participant Recording State Change'],
            'detail': { event_name: ['Recording Start', 'Recording End', 'Recording Start Failure', 'Recording End Failure'] },
          },
        ],
      },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: 1209600,
      SqsManagedSseEnabled: true,
    });
  });

  test('a single detail-type renders a flat pattern', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    new IvsStageEventRule(stack, 'Rule', { events: IvsEvent.recordingFailures() });

    // THEN
    expect(onlyRule(stack).EventPattern).toEqual({
      'source': ['aws.ivs'],
      'detail-type': ['IVS Participant Recording State Change'],
      'detail': { event_name: ['Recording Start Failure', 'Recording End Failure'] },
    });
  });

  test('a stage filter reads resources for stage and recording events, detail.stage_arn for composition events', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    new IvsStageEventRule(stack, 'Rule', {
      events: [IvsEvent.PARTICIPANT_PUBLISHED, IvsEvent.COMPOSITION_SESSION_FAILURE, IvsEvent.RECORDING_END],
      stageArns: [STAGE_A, STAGE_B, STAGE_A],
    });

    // THEN
    expect(onlyRule(stack).EventPattern.$or).toEqual([
      { 'detail-type': ['IVS Stage Update'], 'resources': [STAGE_A, STAGE_B], 'detail': { event_name: ['Participant Published'] } },
      { 'detail-type': ['IVS Composition State Change'], 'detail': { event_name: ['Session Failure'], stage_arn: [STAGE_A, STAGE_B] } },
      { 'detail-type': ['IVS Participant Recording State Change'], 'resources': [STAGE_A, STAGE_B], 'detail': { event_name: ['Recording End'] } },
    ]);
  });

  test('stages given as CfnStage resolve to their ARN', () => {
    // GIVEN
    const stack = testStack();
    const stage = new ivs.CfnStage(stack, 'Stage', { name: 'main' });

    // WHEN
    new IvsStageEventRule(stack, 'Rule', { events: [IvsEvent.COMPOSITION_SESSION_START], stages: [stage] });

    // THEN
    // AWS::IVS::Stage's Ref is its ARN
    expect(onlyRule(stack).EventPattern.detail.stage_arn).toEqual([{ Ref: 'Stage' }]);
  });

  test('id filters render exact values and prefixes on their detail fields', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    new IvsStageEventRule(stack, 'Rule', {
      events: IvsEvent.stageUpdates(),
      sessionIds: ['st-1'],
      sessionIdPrefixes: ['st-2'],
      participantIds: ['p1', 'p1'],
      participantIdPrefixes: ['team-'],
      userIds: ['alice', ''],
      userIdPrefixes: ['bot-'],
    });

    // THEN
    expect(onlyRule(stack).EventPattern.detail).toEqual({
      event_name: ['Participant Published', 'Participant Unpublished', 'Participant Publish Error'],
      session_id: ['st-1', { prefix: 'st-2' }],
      participant_id: ['p1', { prefix: 'team-' }],
      user_id: ['alice', '', { prefix: 'bot-' }],
    });
  });

  test.each([
    ['participantIds', { participantIds: ['p1'] }, ['IVS Stage Update', 'IVS Participant Recording State Change']],
    ['sessionIdPrefixes', { sessionIdPrefixes: ['st-'] }, ['IVS Stage Update', 'IVS Participant Recording State Change']],
    ['userIds', { userIds: ['alice'] }, ['IVS Stage Update']],
  ])('without `events`, a %s filter selects only the events that carry the field', (_name, props, detailTypes) => {
    // GIVEN
    const stack = testStack();

    // WHEN
    const rule = new IvsStageEventRule(stack, 'Rule', props);

    // THEN
    expect([...new Set(rule.events.map(e => e.detailType.name))]).toEqual(detailTypes);
  });

  test('an event added with IvsEvent.of() is matched under its own detail-type', () => {
    // GIVEN
    const stack = testStack();
    const replicationStart = IvsEvent.of(IvsDetailType.STAGE_UPDATE, 'Participant Replication Start');

    // WHEN
    new IvsStageEventRule(stack, 'Rule', { events: [replicationStart, IvsEvent.COMPOSITION_SESSION_END] });

    // THEN
    expect(onlyRule(stack).EventPattern.$or).toEqual([
      { 'detail-type': ['IVS Stage Update'], 'detail': { event_name: ['Participant Replication Start'] } },
      { 'detail-type': ['IVS Composition State Change'], 'detail': { event_name: ['Session End'] } },
    ]);
  });

  test('name, description and state are passed through', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    new IvsStageEventRule(stack, 'Rule', { ruleName: 'ivs.events_1', description: 'mine', enabled: false });

    // THEN
    expect(onlyRule(stack)).toMatchObject({ Name: 'ivs.events_1', Description: 'mine', State: 'DISABLED' });
  });

  describe('delivery', () => {
    test('every target gets the shared dead-letter queue and an explicit retry policy', () => {
      // GIVEN
      const stack = testStack();

      // WHEN
      const rule = new IvsStageEventRule(stack, 'Rule', { targets: [new targets.SnsTopic(topic(stack, 'A'))] });
      rule.addTarget(new targets.SnsTopic(topic(stack, 'B')));
      rule.rule.addTarget(new targets.SnsTopic(topic(stack, 'C')));

      // THEN
      const dlqArn = { 'Fn::GetAtt': [logicalId(rule.deadLetterQueue), 'Arn'] };
      const reliable = { DeadLetterConfig: { Arn: dlqArn }, RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 } };
      const targetsOut = onlyRule(stack).Targets;
      expect(targetsOut).toHaveLength(3);
      targetsOut.forEach((t: unknown) => expect(t).toMatchObject(reliable));
      Template.fromStack(stack).resourceCountIs('AWS::SQS::Queue', 1);
    });

    test('the dead-letter queue lets only this rule send, and only over TLS', () => {
      // GIVEN
      const stack = testStack();

      // WHEN
      new IvsStageEventRule(stack, 'Rule');

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: {
          Statement: [
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            {
              Sid: 'AllowEventBridgeRulesToSendUndeliveredEvents',
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RuleDeadLetterQueue'), 'Arn'] },
              Condition: { ArnLike: { 'aws:SourceArn': [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Rule'), 'Arn'] }] } },
            },
          ],
        },
      });
    });

    test('retry attempts, event age and a given dead-letter queue override the defaults', () => {
      // GIVEN
      const stack = testStack();
      const dlq = new sqs.Queue(stack, 'MyDlq');

      // WHEN
      new IvsStageEventRule(stack, 'Rule', {
        targets: [new targets.SnsTopic(topic(stack))],
        deadLetterQueue: dlq,
        retryAttempts: 0,
        maxEventAge: Duration.minutes(1),
      });

      // THEN
      expect(onlyRule(stack).Targets[0]).toMatchObject({
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(dlq), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 },
      });
      Template.fromStack(stack).resourceCountIs('AWS::SQS::Queue', 1);
      Template.fromStack(stack).hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalId(dlq) }],
        PolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'events.amazonaws.com' } })] },
      });
    });

    test('a target configured with its own dead-letter queue and retry policy keeps them', () => {
      // GIVEN
      const stack = testStack();
      const own = new sqs.Queue(stack, 'OwnDlq');

      // WHEN
      new IvsStageEventRule(stack, 'Rule', {
        targets: [new targets.SnsTopic(topic(stack), { deadLetterQueue: own, retryAttempts: 3 })],
      });

      // THEN
      expect(onlyRule(stack).Targets[0]).toMatchObject({
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(own), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 3 },
      });
    });

    test('a customer-managed key encrypts the dead-letter queue and lets EventBridge use it', () => {
      // GIVEN
      const stack = testStack();
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });

      // WHEN
      new IvsStageEventRule(stack, 'Rule', { encryptionKey: key });

      // THEN
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: { 'Fn::GetAtt': [logicalId(key), 'Arn'] } });
      template.hasResourceProperties('AWS::KMS::Key', {
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

    test('an imported key is not changed; the user is told what its policy needs', () => {
      // GIVEN
      const stack = testStack();
      const key = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-0000-1111-2222-333344445555');

      // WHEN
      new IvsStageEventRule(stack, 'Rule', { encryptionKey: key });

      // THEN
      Annotations.fromStack(stack).hasWarning('/Stack/Rule', Match.stringLikeRegexp(
        '^The key arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-0000-1111-2222-333344445555 is not managed by this app: '
        + 'make sure its key policy allows events.amazonaws.com'));
    });

    test('targetInput reaches every target that has no input of its own', () => {
      // GIVEN
      const stack = testStack();
      const input = events.RuleTargetInput.fromObject({ stage: events.EventField.fromPath('$.resources[0]') });

      // WHEN
      new IvsStageEventRule(stack, 'Rule', {
        targetInput: input,
        targets: [
          new targets.SnsTopic(topic(stack, 'A')),
          new targets.SnsTopic(topic(stack, 'B'), { message: events.RuleTargetInput.fromText('own') }),
        ],
      });

      // THEN
      const [shared, own] = onlyRule(stack).Targets;
      expect(shared.InputTransformer).toEqual({
        InputPathsMap: { 'resources-0-': '$.resources[0]' },
        InputTemplate: '{"stage":<resources-0->}',
      });
      expect(own.Input).toEqual('"own"');
      expect(own.InputTransformer).toBeUndefined();
    });

    test('a sixth target is rejected, however it is added', () => {
      // GIVEN
      const stack = testStack();
      const t = topic(stack);
      const rule = new IvsStageEventRule(stack, 'Rule', { targets: [1, 2, 3, 4].map(() => new targets.SnsTopic(t)) });
      rule.addTarget(new targets.SnsTopic(t));

      // WHEN / THEN
      const message = '`targets` can hold at most 5 targets per EventBridge rule, got 6; '
        + 'fan out through one SNS topic or EventBridge bus target, or create another rule';
      expect(() => rule.addTarget(new targets.SnsTopic(t))).toThrow(message);
      expect(() => rule.rule.addTarget(new targets.SnsTopic(t))).toThrow(message);
    });
  });

  describe('event bus', () => {
    test('a custom bus is used, warned about, and named in the metrics', () => {
      // GIVEN
      const stack = testStack();
      const bus = new events.EventBus(stack, 'Bus', { eventBusName: 'forwarded-ivs' });

      // WHEN
      const rule = new IvsStageEventRule(stack, 'Rule', { eventBus: bus });

      // THEN
      expect(onlyRule(stack).EventBusName).toEqual({ Ref: logicalId(bus) });
      Annotations.fromStack(stack).hasWarning('/Stack/Rule', Match.stringLikeRegexp('^IVS publishes events only to the default event bus; this rule is on '
        + "'forwarded-ivs' and matches nothing unless IVS events are forwarded there."));
      // Ref of a rule on a custom bus is `<bus>|<rule>`; CloudWatch knows the rule by its name alone.
      expect(stack.resolve(rule.metricInvocations().toMetricConfig().metricStat!.dimensions)).toEqual([
        { name: 'EventBusName', value: { Ref: logicalId(bus) } },
        { name: 'RuleName', value: { 'Fn::Select': [1, { 'Fn::Split': ['|', { Ref: logicalId(rule.rule) }] }] } },
      ]);
    });

    test('the imported default bus is not warned about', () => {
      // GIVEN
      const stack = testStack();

      // WHEN
      new IvsStageEventRule(stack, 'Rule', { eventBus: events.EventBus.fromEventBusName(stack, 'Default', 'default') });

      // THEN
      Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    });
  });

  describe('metrics', () => {
    test.each([
      ['metricTriggeredRules', 'TriggeredRules'],
      ['metricInvocations', 'Invocations'],
      ['metricFailedInvocations', 'FailedInvocations'],
      ['metricDeadLetterInvocations', 'DeadLetterInvocations'],
      ['metricThrottledRules', 'ThrottledRules'],
    ] as const)('%s is AWS/Events %s, Sum over 5 minutes, by RuleName', (method, metricName) => {
      // GIVEN
      const stack = testStack();
      const rule = new IvsStageEventRule(stack, 'Rule');

      // WHEN
      const metric = rule[method]().toMetricConfig().metricStat!;

      // THEN
      expect(metric.namespace).toEqual('AWS/Events');
      expect(metric.metricName).toEqual(metricName);
      expect(metric.statistic).toEqual('Sum');
      expect(metric.period.toSeconds()).toEqual(300);
      expect(stack.resolve(metric.dimensions)).toEqual([{ name: 'RuleName', value: { Ref: logicalId(rule.rule) } }]);
    });

    test('metric options override the defaults', () => {
      // GIVEN
      const stack = testStack();
      const rule = new IvsStageEventRule(stack, 'Rule');

      // WHEN
      const metric = rule.metricFailedInvocations({ period: Duration.minutes(1), statistic: 'Maximum' }).toMetricConfig().metricStat!;

      // THEN
      expect(metric.period.toSeconds()).toEqual(60);
      expect(metric.statistic).toEqual('Maximum');
    });
  });

  describe('bad input', () => {
    test.each<[string, (stack: Stack) => IvsStageEventRuleProps, string]>([
      ['empty events', () => ({ events: [] }), '`events` must name at least one IVS event, got []'],
      ['a channel ARN as stage', () => ({ stageArns: ['arn:aws:ivs:us-west-2:123456789012:channel/AbCdef1G2hij'] }),
        "`stageArns` must contain IVS stage ARNs (arn:<partition>:ivs:<region>:<account>:stage/<id>), got 'arn:aws:ivs:us-west-2:123456789012:channel/AbCdef1G2hij'"],
      ['a stage id instead of an ARN', () => ({ stageArns: ['AbCdef1G2hij'] }),
        "`stageArns` must contain IVS stage ARNs (arn:<partition>:ivs:<region>:<account>:stage/<id>), got 'AbCdef1G2hij'"],
      ['a rule name with a space', () => ({ ruleName: 'ivs events' }),
        "`ruleName` must be 1-64 characters of letters, digits, '.', '-' and '_', got 'ivs events'"],
      ['a rule name of 65 characters', () => ({ ruleName: 'x'.repeat(65) }),
        `\`ruleName\` must be 1-64 characters of letters, digits, '.', '-' and '_', got '${'x'.repeat(65)}'`],
      ['a description over 512 characters', () => ({ description: 'd'.repeat(513) }), '`description` must be at most 512 characters, got 513'],
      ['participantIds with only composition events', () => ({ events: IvsEvent.compositionFailures(), participantIds: ['p1'] }),
        "`participantIds` filters on detail.participant_id, which 'IVS Composition State Change/Session Failure', "
        + "'IVS Composition State Change/Destination Failure' never carry: remove them from `events` or drop the filter"],
      ['userIds with a recording event', () => ({ events: [IvsEvent.PARTICIPANT_PUBLISHED, IvsEvent.RECORDING_END], userIds: ['alice'] }),
        "`userIds` filters on detail.user_id, which 'IVS Participant Recording State Change/Recording End' never carries: "
        + 'remove it from `events` or drop the filter'],
      ['an empty session id', () => ({ sessionIds: [''] }), '`sessionIds` must not contain empty strings, got [""]'],
      ['an empty participant prefix', () => ({ participantIdPrefixes: ['a', ''] }), '`participantIdPrefixes` must not contain empty strings, got ["a",""]'],
      ['retryAttempts over 185', () => ({ retryAttempts: 186 }), '`retryAttempts` must be a whole number from 0 to 185, got 186'],
      ['fractional retryAttempts', () => ({ retryAttempts: 1.5 }), '`retryAttempts` must be a whole number from 0 to 185, got 1.5'],
      ['maxEventAge under a minute', () => ({ maxEventAge: Duration.seconds(59) }),
        '`maxEventAge` must be a whole number of seconds from 60 to 86400, got 59 seconds'],
      ['maxEventAge over a day', () => ({ maxEventAge: Duration.hours(25) }),
        '`maxEventAge` must be a whole number of seconds from 60 to 86400, got 90000 seconds'],
      ['a FIFO dead-letter queue', (stack) => ({ deadLetterQueue: new sqs.Queue(stack, 'Fifo', { fifo: true }) }),
        '`deadLetterQueue` must be a standard queue: EventBridge cannot use a FIFO queue as dead-letter queue, got Stack/Fifo'],
      ['a dead-letter queue in another region', (stack) => ({ deadLetterQueue: sqs.Queue.fromQueueArn(stack, 'Far', 'arn:aws:sqs:eu-west-1:123456789012:far') }),
        "`deadLetterQueue` must be in the rule's region (us-east-1), got a queue in eu-west-1"],
      ['a key for a given dead-letter queue', (stack) => ({ deadLetterQueue: new sqs.Queue(stack, 'Mine'), encryptionKey: new kms.Key(stack, 'K') }),
        '`encryptionKey` applies only to the dead-letter queue this construct creates: encrypt the given `deadLetterQueue` (Stack/Mine) yourself, or drop one of the two'],
      ['six targets', (stack) => ({ targets: [1, 2, 3, 4, 5, 6].map(i => new targets.SnsTopic(topic(stack, `T${i}`))) }),
        '`targets` can hold at most 5 targets per EventBridge rule, got 6; fan out through one SNS topic or EventBridge bus target, or create another rule'],
    ])('%s', (_name, props, message) => {
      // GIVEN
      const stack = testStack();

      // WHEN / THEN
      expect(() => new IvsStageEventRule(stack, 'Rule', props(stack))).toThrow(message);
    });
  });

  test('IvsEvent.of() rejects an empty event name', () => {
    expect(() => IvsEvent.of(IvsDetailType.STAGE_UPDATE, ' ')).toThrow("`eventName` must be a non-empty event name, got ' '");
  });

  describeSnapshots({
    default: stack => {
      new IvsStageEventRule(stack, 'Rule');
    },
    fullyConfigured: stack => {
      fullyConfigured(stack);
    },
  });

  describe('cdk-nag AwsSolutions', () => {
    test('default has no findings', () => {
      const stack = testStack();
      new IvsStageEventRule(stack, 'Rule', { targets: [new targets.SnsTopic(topic(stack))] });
      expectNoNagFindings(stack);
    });

    test('fully configured has no findings', () => {
      const stack = testStack();
      fullyConfigured(stack);
      expectNoNagFindings(stack);
    });
  });
});
