// Inputs that would deploy and then never match, never notify or fail at deploy time: each
// is refused at synth time naming the prop and the value, or, where AWS's own examples
// leave doubt, warned about with its own id.
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  IvsRealTimeMonitoring, IvsStageEventRule, IvsStageEventRuleProps, MonitoringProfile, PublishErrorAlarm,
} from '../src';
import { testStack } from './util/stack';

const STAGE = 'arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij';
const CENTRAL = 'arn:aws:events:us-east-1:999999999999:event-bus/central';

describe('ids IVS never produces', () => {
  test.each<[string, IvsStageEventRuleProps, string]>([
    ['a session id without st-', { sessionIds: ['ZyXwvu1T2s'] }, "`sessionIds` must contain IVS session ids, which start with 'st-', got 'ZyXwvu1T2s'"],
    ['a session id prefix that no session id has', { sessionIdPrefixes: ['sx'] }, "`sessionIdPrefixes` must be prefixes of IVS session ids, which start with 'st-', got 'sx'"],
    ['a participant id with white space', { participantIds: [' xYz1c2d3e4f'] }, "`participantIds` must not contain white space, which IVS ids never hold, got ' xYz1c2d3e4f'"],
    ['an empty participant id', { participantIds: [''] }, '`participantIds` must not contain empty strings, got [""]'],
    ['an empty session id', { sessionIds: [''] }, '`sessionIds` must not contain empty strings, got [""]'],
  ])('%s is refused', (_name, props, message) => {
    expect(() => new IvsStageEventRule(testStack(), 'Rule', props)).toThrow(message);
  });

  test.each<[string, IvsStageEventRuleProps]>([
    ['an empty user id, which IVS sends for tokens without one', { userIds: [''] }],
    ['a user id with spaces, which is the application\'s own', { userIds: ['Ann Lee'] }],
    ['the st- prefix itself, or part of it', { sessionIdPrefixes: ['st', 'st-Zy'] }],
  ])('%s is accepted', (_name, props) => {
    expect(() => new IvsStageEventRule(testStack(), 'Rule', props)).not.toThrow();
  });
});

describe('stages and buses IVS would never connect', () => {
  test('a stage of another region or account than the stack, on the default bus, is warned about', () => {
    const stack = testStack();
    new IvsStageEventRule(stack, 'Rule', { stageArns: ['arn:aws:ivs:eu-west-1:210987654321:stage/AbCdef1G2hij'] });
    Annotations.fromStack(stack).hasWarning('/Stack/Rule', Match.stringLikeRegexp(
      '^The stage arn:aws:ivs:eu-west-1:210987654321:stage/AbCdef1G2hij is in another region and account \\(eu-west-1, 210987654321\\) '
      + 'than this stack \\(us-east-1, 123456789012\\): IVS sends a stage\'s events only to the default bus of its own account and region'));
  });

  test('stages of any account on a bus they are forwarded to are not', () => {
    const stack = testStack();
    new IvsStageEventRule(stack, 'Rule', {
      stageArns: ['arn:aws:ivs:us-east-1:210987654321:stage/AbCdef1G2hij'],
      eventBus: new events.EventBus(stack, 'Central', { eventBusName: 'central' }),
    });
    Annotations.fromStack(stack).hasNoWarning('/Stack/Rule', Match.stringLikeRegexp('^The stage'));
  });

  test('forwarding to another partition is refused', () => {
    const stack = testStack();
    const bus = events.EventBus.fromEventBusArn(stack, 'Central', 'arn:aws-cn:events:cn-north-1:999999999999:event-bus/central');
    expect(() => new IvsRealTimeMonitoring(stack, 'Monitoring', { environmentName: 'prod', forwardTo: bus })).toThrow(
      "`forwardTo` must be an event bus in this stack's partition (aws): EventBridge cannot send events across partitions, "
      + 'got arn:aws-cn:events:cn-north-1:999999999999:event-bus/central');
  });

  test('an environment-agnostic stack forwarding to a bus has CloudFormation refuse its own account', () => {
    const stack = new Stack(new App(), 'Agnostic');
    new IvsRealTimeMonitoring(stack, 'Monitoring', { environmentName: 'prod', forwardTo: events.EventBus.fromEventBusArn(stack, 'Central', CENTRAL) });
    const rules = Template.fromStack(stack).toJSON().Rules;
    expect(Object.entries(rules).filter(([id]) => id !== 'CheckBootstrapVersion').map(([, rule]) => rule)).toEqual([{
      Assertions: [
        {
          Assert: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, '999999999999'] }] },
          AssertDescription: "forwardTo must be an event bus in another account than this stack's; 999999999999 is this account, where IVS events already arrive.",
        },
        {
          Assert: { 'Fn::Equals': [{ Ref: 'AWS::Partition' }, 'aws'] },
          AssertDescription: 'forwardTo is an event bus in partition aws; EventBridge cannot send events across partitions.',
        },
      ],
    }]);
  });
});

describe('names and settings that fail at deploy time', () => {
  test('two environments with the same name in one stack are refused', () => {
    const stack = testStack();
    new IvsRealTimeMonitoring(stack, 'Dev', { environmentName: 'dev' });
    expect(() => new IvsRealTimeMonitoring(stack, 'Dev2', { environmentName: 'dev' })).toThrow(
      "`environmentName` 'dev' is already monitored in stack Stack: every environment needs a name of its own");
  });

  test('a profile log retention CloudWatch Logs rejects is refused', () => {
    expect(() => MonitoringProfile.custom({ name: 'odd', logRetention: 10 as logs.RetentionDays })).toThrow(
      '`logRetention` must be a retention CloudWatch Logs accepts (1, 3, 5, 7,');
  });

  test('a stage listed twice gets one set of stage health alarms', () => {
    const stack = testStack();
    const monitoring = new IvsRealTimeMonitoring(stack, 'Monitoring', { environmentName: 'dev', stageArns: [STAGE, STAGE], perStageHealthAlarms: true });
    expect(monitoring.stageHealthAlarms).toHaveLength(4);
  });
});

describe('topics CloudWatch cannot publish to', () => {
  const managed = (stack: Stack, id: string) => new sns.Topic(stack, id, { masterKey: kms.Alias.fromAliasName(stack, `${id}Key`, 'alias/aws/sns') });

  test('an alarmTopic on alias/aws/sns is warned about', () => {
    const stack = testStack();
    new PublishErrorAlarm(stack, 'Alarm', { alarmTopic: managed(stack, 'Pager') });
    Annotations.fromStack(stack).hasWarning('/Stack/Alarm/Alarm', Match.stringLikeRegexp(
      '^`alarmTopic` is encrypted with the AWS-managed key alias/aws/sns, which CloudWatch cannot use: alarm notifications sent to it are dropped'));
  });

  test('criticalTopics and warningTopics on alias/aws/sns are warned about', () => {
    const stack = testStack();
    new IvsRealTimeMonitoring(stack, 'Monitoring', { environmentName: 'prod', criticalTopics: [managed(stack, 'Pager')], warningTopics: [managed(stack, 'Chat')] });
    const warnings = Annotations.fromStack(stack).findWarning('/Stack/Monitoring', Match.stringLikeRegexp('alias/aws/sns')).map(w => String(w.entry.data).split(' ')[0]);
    expect(warnings).toEqual(['`criticalTopics[0]`', '`warningTopics[0]`']);
  });
});

describe('policies the app cannot change are named, not skipped in silence', () => {
  test('an imported dead-letter queue gets a warning saying what its policy needs', () => {
    const stack = testStack();
    const queue = sqs.Queue.fromQueueArn(stack, 'Dlq', 'arn:aws:sqs:us-east-1:123456789012:shared-dlq');
    new IvsStageEventRule(stack, 'Rule', { deadLetterQueue: queue });
    Annotations.fromStack(stack).hasWarning('/Stack/Rule/Rule', Match.stringLikeRegexp(
      '^The dead-letter queue arn:aws:sqs:us-east-1:123456789012:shared-dlq is not managed by this app: add a queue policy'));
  });

  test('an imported key for an alarm\'s log group gets a warning saying what its policy needs', () => {
    const stack = testStack();
    const key = kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-0000-1111-2222-333344445555');
    new PublishErrorAlarm(stack, 'Alarm', { encryptionKey: key });
    Annotations.fromStack(stack).hasWarning('/Stack/Alarm', Match.stringLikeRegexp(
      'is not managed by this app: make sure its key policy allows logs.<region>.amazonaws.com'));
  });

  test('a rule name that leaves no room for the split rules\' suffix names the limit', () => {
    const arns = Array.from({ length: 20 }, (_, i) => `arn:aws:ivs:us-east-1:123456789012:stage/Stage${String(i).padStart(7, '0')}`);
    expect(() => new IvsStageEventRule(testStack(), 'Rule', { ruleName: 'r'.repeat(63), stageArns: arns })).toThrow(
      /^`ruleName` must be at most 62 characters when the stages are split across 3 rules \(named `<ruleName>-2` ... `<ruleName>-3`\), got 'r{63}' \(63 characters\)$/);
  });
});
