// Every construct, read the way AWS will deploy it: every alarm and graph watches a metric
// AWS publishes under the names and dimensions it uses, and every pattern, policy, name and
// count stays within its quota. Default and fully configured forms, 1, 60 and 400 stages, the tracker at
// 1,000, and 1, 12 and 20 environments in one account and region (quotas EventBridge counts per account).
import { App, Duration, Fn, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  CompositionDestination, CompositionFailureAlarm, DeliveryAlarms, IvsAutoComposition, IvsEvent, IvsRealTimeCentralMonitoring,
  IvsRealTimeMonitoring, IvsRecordingReady, IvsStageEventRule, IvsStageStateTracker, MonitoringProfile, PublishErrorAlarm,
  RecordingCompleteNotifier, RecordingFailureAlarm,
} from '../src';
import { DeployedTemplate } from './util/deployed';
import { deploymentProblems } from './util/deployment-checks';
import { testStack } from './util/stack';
import { RULES_PER_BUS_CONTEXT } from '../src/private/account-quotas';
import { MAX_RULES_PER_BUS, PIPES_PER_ACCOUNT, STATE_MACHINES_PER_ACCOUNT } from '../src/private/aws-facts';
import { LOGS_POLICY_CONTEXT } from '../src/private/log-group-target';

const stageArns = (n: number) => Array.from({ length: n }, (_, i) => `arn:aws:ivs:us-east-1:123456789012:stage/Stage${String(i).padStart(7, '0')}`);

/** The buses a rule-backed construct can be on: default, a custom one by literal name, one whose name is a token. */
const BUSES: [string, (stack: Stack) => events.IEventBus | undefined][] = [
  ['the default bus', () => undefined],
  ['a custom bus', stack => new events.EventBus(stack, 'Bus', { eventBusName: 'ivs-forwarded' })],
  ['a custom bus named by a token', stack => new events.EventBus(stack, 'Bus')],
  ['an imported bus given by ARN', stack => events.EventBus.fromEventBusArn(stack, 'Bus', 'arn:aws:events:us-east-1:123456789012:event-bus/ivs-forwarded')],
  ['the default bus given by name', stack => events.EventBus.fromEventBusName(stack, 'Bus', 'default')],
  ['an imported bus whose name is a token', stack => events.EventBus.fromEventBusName(stack, 'Bus', Fn.importValue('CentralBusName'))],
];

function topic(stack: Stack, id = 'Topic'): sns.Topic {
  return new sns.Topic(stack, id, { enforceSSL: true, masterKey: new kms.Key(stack, `${id}Key`, { enableKeyRotation: true }) });
}

describe.each(BUSES)('on %s', (_name, busOf) => {
  test('IvsStageEventRule: its metrics, and alarms a user builds from them, name the rule as CloudWatch does', () => {
    const stack = testStack();
    const rule = new IvsStageEventRule(stack, 'Rule', { eventBus: busOf(stack), targets: [] });
    rule.addTarget(new targets.SnsTopic(topic(stack)));
    for (const metric of [rule.metricTriggeredRules(), rule.metricFailedInvocations(), rule.metricDeadLetterInvocations()]) {
      new cloudwatch.Alarm(stack, `Alarm${stack.node.children.length}`, { metric, threshold: 1, evaluationPeriods: 1 });
    }
    new DeliveryAlarms(stack, 'Delivery', { rules: [rule] });
    expect(deploymentProblems(stack)).toEqual([]);
  });

  test('the alarm presets and the notifier', () => {
    const stack = testStack();
    const eventBus = busOf(stack);
    new CompositionFailureAlarm(stack, 'Composition', { eventBus, includeReconnecting: true, notificationTopic: topic(stack) });
    new RecordingFailureAlarm(stack, 'Recording', { eventBus, stageArns: stageArns(40) });
    new PublishErrorAlarm(stack, 'Publish', { eventBus });
    new RecordingCompleteNotifier(stack, 'Notifier', { eventBus, stageArns: stageArns(3) });
    expect(deploymentProblems(stack)).toEqual([]);
  });
});

describe.each([1, 60, 400])('%i listed stages', (n) => {
  /** At 400 stages an event alarm would sum more rules than CloudWatch allows: synth says so; below, the stack deploys. */
  function deploysOrNamesTheAlarmQuota(stack: Stack, build: () => void): void {
    if (n === 400) {
      expect(build).toThrow(/more than the 10 metrics a CloudWatch alarm can sum/);
    } else {
      build();
      expect(deploymentProblems(stack)).toEqual([]);
    }
  }

  test('IvsStageEventRule on every event splits within every quota', () => {
    const stack = testStack();
    new IvsStageEventRule(stack, 'Rule', { stageArns: stageArns(n), events: IvsEvent.all() });
    expect(deploymentProblems(stack)).toEqual([]);
  });

  test('IvsRealTimeMonitoring, fully configured, deploys within every quota or fails synth naming the quota', () => {
    const app = new App();
    const stack = new Stack(app, 'Env', { env: { account: '123456789012', region: 'us-east-1' } });
    const build = () => new IvsRealTimeMonitoring(stack, 'Monitoring', {
      environmentName: 'prod',
      profile: MonitoringProfile.PRODUCTION,
      stageArns: stageArns(n),
      criticalTopics: [topic(stack, 'Oncall')],
      warningTopics: [topic(stack, 'Chat')],
      forwardTo: events.EventBus.fromEventBusArn(stack, 'Central', 'arn:aws:events:us-east-1:999999999999:event-bus/central'),
    });
    deploysOrNamesTheAlarmQuota(stack, build);
  });

  test('IvsRealTimeCentralMonitoring deploys within every quota or fails synth naming the quota', () => {
    const stack = testStack();
    const build = () => new IvsRealTimeCentralMonitoring(stack, 'Central', {
      sourceAccounts: ['111111111111', '222222222222'],
      stageArns: stageArns(n),
      criticalTopics: [topic(stack, 'Oncall')],
    });
    deploysOrNamesTheAlarmQuota(stack, build);
  });
});

test('IvsRealTimeMonitoring with per-stage health alarms: every stage metric is one IVS publishes', () => {
  const stack = testStack();
  new IvsRealTimeMonitoring(stack, 'Monitoring', { environmentName: 'dev', stageArns: stageArns(5), perStageHealthAlarms: true });
  expect(deploymentProblems(stack)).toEqual([]);
});

/** Setups of the state tracker a user builds: alone, or inside an environment, each with the three activity rules. */
const TRACKERS: [string, (stack: Stack, arns: string[]) => void][] = [
  ['IvsStageStateTracker', (stack, arns) => {
    const tracker = new IvsStageStateTracker(stack, 'Tracker', { stageArns: arns, alarmTopic: topic(stack) });
    withActivityRules(stack, tracker);
  }],
  ['IvsRealTimeMonitoring with stateTracking', (stack, arns) => {
    const monitoring = new IvsRealTimeMonitoring(stack, 'Monitoring', {
      environmentName: 'prod', stageArns: arns, stateTracking: true, criticalTopics: [topic(stack, 'Oncall')],
    });
    withActivityRules(stack, monitoring.stateTracker!);
  }],
];

/** Everything built on a tracker: activity rules with and without grace, automatic compositions of every stage, recordings announced. */
function withActivityRules(stack: Stack, tracker: IvsStageStateTracker): void {
  const compositions = new sqs.Queue(stack, 'Compositions', { enforceSSL: true });
  tracker.onStageActive('Start', new targets.SqsQueue(compositions));
  tracker.onStageIdle('Stop', new targets.SqsQueue(compositions));
  tracker.onStageIdle('StopLater', new targets.SqsQueue(compositions), { gracePeriod: Duration.minutes(2) });
  const storage = new ivs.CfnStorageConfiguration(stack, 'Storage', { s3: { bucketName: 'recordings' } });
  new IvsAutoComposition(stack, 'AutoCompositions', {
    tracker,
    destinations: [CompositionDestination.s3({ storageConfiguration: storage, encoderConfiguration: new ivs.CfnEncoderConfiguration(stack, 'Encoder', {}) })],
  });
  new IvsRecordingReady(stack, 'RecordingsReady', { buckets: [s3.Bucket.fromBucketName(stack, 'Bucket', 'recordings')], tracker })
    .notify('Announce', topic(stack, 'Announcements'));
}

/** Either every quota holds once deployed, or synth fails naming the limit, the count and the way out. */
describe.each([1, 60, 400, 1000])('%i listed stages, the state tracker', (n) => {
  test('IvsStageStateTracker, with onStageActive and onStageIdle with and without grace, deploys within every quota', () => {
    // GIVEN
    const stack = testStack();
    // WHEN: the stage list lives in the table, not in the reconciler's environment or policies
    TRACKERS[0][1](stack, stageArns(n));
    // THEN
    expect(deploymentProblems(stack)).toEqual([]);
  });

  test('IvsRealTimeMonitoring with stateTracking deploys within every quota, or its event alarms refuse the stage count at synth', () => {
    const stack = testStack();
    const build = () => TRACKERS[1][1](stack, stageArns(n));
    if (n <= 60) {
      build();
      expect(deploymentProblems(stack)).toEqual([]);
    } else {
      // the same limit as the monitoring construct without the tracker (see "400 listed stages" above)
      expect(build).toThrow(/more than the 10 metrics a CloudWatch alarm can sum/);
    }
  });
});

describe.each([1, 12, 20])('%i environment stacks with stateTracking and 60 stages in one account and region', (count) => {
  test('each stack is within every quota, and the rules of all of them are counted against the bus they share', () => {
    // GIVEN
    const app = new App();
    const stacks = Array.from({ length: count }, (_, i) => {
      const stack = new Stack(app, `Env${i}`, { env: { account: '123456789012', region: 'us-east-1' } });
      // One CloudWatch Logs resource policy for them all: the account holds at most 10 (a fixed limit, refused otherwise).
      if (i > 0) stack.node.setContext(LOGS_POLICY_CONTEXT, 'existing');
      TRACKERS[1][1](stack, stageArns(60));
      return stack;
    });
    // WHEN (one synthesis for the whole app)
    const assembly = app.synth();
    const templates = stacks.map(s => new DeployedTemplate(assembly.getStackArtifact(s.artifactId).template, s.stackName, s.account, s.region));
    const total = templates.reduce((sum, t) => sum + t.ofType('AWS::Events::Rule').filter(r => t.ruleBus(r.id) === 'default').length, 0);
    const warnings = stacks.flatMap(s => assembly.getStackArtifact(s.artifactId).messages)
      .map(m => String(m.entry.data)).filter(m => m.includes('[ack: cdk-ivs-realtime-events:rulesPerBus]'));
    // THEN
    templates.forEach(t => expect(deploymentProblems(t)).toEqual([]));
    expect(warnings).toEqual(total > MAX_RULES_PER_BUS
      ? [expect.stringContaining(`put ${total} rules on the event bus default in account 123456789012, region us-east-1, `
        + `more than EventBridge's default quota of ${MAX_RULES_PER_BUS} rules per bus there`)]
      : []);
    expect(total > MAX_RULES_PER_BUS).toBe(count > 1);
    // and the pipes and state machines of all of them, counted per account and region too, stay within their quotas
    const countOf = (type: string) => templates.reduce((sum, t) => sum + t.ofType(type).length, 0);
    expect(countOf('AWS::Pipes::Pipe')).toBeGreaterThanOrEqual(count);
    expect(countOf('AWS::Pipes::Pipe')).toBeLessThanOrEqual(PIPES_PER_ACCOUNT);
    expect(countOf('AWS::StepFunctions::StateMachine')).toBeLessThanOrEqual(STATE_MACHINES_PER_ACCOUNT);
    const otherQuotaWarnings = stacks.flatMap(s => assembly.getStackArtifact(s.artifactId).messages).map(m => String(m.entry.data))
      .filter(m => /\[ack: cdk-ivs-realtime-events:(pipes|stateMachines)PerAccount\]/.test(m));
    expect(otherQuotaWarnings).toEqual([]);
  });
});

test('a context value that is no quota fails synth naming the key and the value', () => {
  const stack = new Stack(new App({ context: { [RULES_PER_BUS_CONTEXT]: 'lots' } }), 'Env', { env: { account: '123456789012', region: 'us-east-1' } });
  new IvsStageEventRule(stack, 'Rule');
  expect(() => Template.fromStack(stack)).toThrow(`The context key \`${RULES_PER_BUS_CONTEXT}\` must be a positive whole number (the rules per event bus your account was granted), got "lots"`);
});
