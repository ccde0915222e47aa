// Every construct, read the way AWS will deploy it: every alarm and graph watches a metric
// AWS publishes under the names and dimensions it uses, and every pattern, policy, name and
// count stays within its quota. Default and fully configured forms, and 1, 60 and 400 stages.
import { App, Fn, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  CompositionFailureAlarm, DeliveryAlarms, IvsEvent, IvsRealTimeCentralMonitoring, IvsRealTimeMonitoring, IvsStageEventRule,
  MonitoringProfile, PublishErrorAlarm, RecordingCompleteNotifier, RecordingFailureAlarm,
} from '../src';
import { deploymentProblems } from './util/deployment-checks';
import { testStack } from './util/nag';

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
