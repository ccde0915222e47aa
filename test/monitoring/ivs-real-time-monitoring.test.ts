import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IvsRealTimeMonitoring, IvsRealTimeMonitoringProps, MonitoringProfile } from '../../src';
import { expectNoNagFindings } from '../util/nag';
import { describeSnapshots } from '../util/snapshots';
import { testStack } from '../util/stack';

const STAGE = 'arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij';
const CENTRAL_BUS = 'arn:aws:events:us-east-1:999999999999:event-bus/ivs-realtime-central';

function topic(stack: Stack, id: string): sns.Topic {
  return new sns.Topic(stack, id, { enforceSSL: true });
}

function resources(stack: Stack, type: string): any[] {
  return Object.values(Template.fromStack(stack).findResources(type)).map(r => r.Properties);
}

function alarmNamed(stack: Stack, name: string): any {
  const alarms = resources(stack, 'AWS::CloudWatch::Alarm').filter(a => a.AlarmName === name);
  expect(alarms).toHaveLength(1);
  return alarms[0];
}

function dashboardBody(stack: Stack): string {
  const [dashboard] = resources(stack, 'AWS::CloudWatch::Dashboard');
  return JSON.stringify(dashboard.DashboardBody);
}

/** Everything a user can set, for the snapshot and cdk-nag of the fully configured form. */
function fullyConfigured(stack: Stack): IvsRealTimeMonitoring {
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const oncall = new sns.Topic(stack, 'Oncall', { enforceSSL: true, masterKey: key });
  const chat = new sns.Topic(stack, 'Chat', { enforceSSL: true, masterKey: key });
  return new IvsRealTimeMonitoring(stack, 'Monitoring', {
    environmentName: 'staging-eu',
    profile: MonitoringProfile.STAGING,
    stageArns: [STAGE],
    stages: [new ivs.CfnStage(stack, 'Stage', {})],
    perStageHealthAlarms: true,
    criticalTopics: [oncall],
    criticalActions: [new cloudwatchActions.SnsAction(topic(stack, 'Escalation'))],
    warningTopics: [chat],
    warningActions: [new cloudwatchActions.SnsAction(topic(stack, 'Ticketing'))],
    notificationTopic: chat,
    recordingTopic: topic(stack, 'Recordings'),
    forwardTo: events.EventBus.fromEventBusArn(stack, 'Central', CENTRAL_BUS),
    encryptionKey: key,
    publishErrorThreshold: 25,
    logRetention: logs.RetentionDays.TWO_WEEKS,
  });
}

describe('IvsRealTimeMonitoring', () => {
  test('defaults: the production profile, every name carrying the environment', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    const monitoring = new IvsRealTimeMonitoring(stack, 'Monitoring', { environmentName: 'prod' });

    // THEN
    expect(monitoring.profile.name).toEqual('production');
    const template = Template.fromStack(stack);
    expect(resources(stack, 'AWS::CloudWatch::Alarm').map(a => a.AlarmName).sort()).toEqual([
      'ivs-realtime-prod-composition-failures',
      'ivs-realtime-prod-delivery-dead-letter-queue',
      'ivs-realtime-prod-delivery-failed-invocations',
      'ivs-realtime-prod-dropped-frames',
      'ivs-realtime-prod-packet-loss',
      'ivs-realtime-prod-publish-errors',
      'ivs-realtime-prod-recording-failures',
    ]);
    expect(resources(stack, 'AWS::Logs::LogGroup').map(l => [l.LogGroupName, l.RetentionInDays]).sort()).toEqual([
      ['/aws/events/ivs-realtime-prod/all-events', 365],
      ['/aws/events/ivs-realtime-prod/composition-failures', 365],
      ['/aws/events/ivs-realtime-prod/publish-errors', 365],
      ['/aws/events/ivs-realtime-prod/recording-failures', 365],
    ]);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'ivs-realtime-prod' });
    template.hasResourceProperties('AWS::Events::Archive', {
      ArchiveName: 'ivs-realtime-prod',
      RetentionDays: 90,
      EventPattern: { 'source': ['aws.ivs'], 'detail-type': ['IVS Stage Update', 'IVS Composition State Change', 'IVS Participant Recording State Change'] },
    });
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'ivs-realtime-prod-recordings' });
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.resourceCountIs('AWS::SQS::Queue', 1);
    // 3 event alarms, every event, 4 recording notification rules
    expect(monitoring.recordingNotifier).toBeDefined();
    template.resourceCountIs('AWS::Events::Rule', 8);
    for (const alarm of resources(stack, 'AWS::CloudWatch::Alarm')) {
      expect(alarm).toMatchObject({ ActionsEnabled: true, TreatMissingData: 'notBreaching' });
    }
  });

  test('every rule delivers through the one dead-letter queue and is watched by the delivery alarms', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    const monitoring = new IvsRealTimeMonitoring(stack, 'Monitoring', { environmentName: 'prod' });

    // THEN
    const dlq = { 'Fn::GetAtt': [stack.getLogicalId(monitoring.deadLetterQueue.node.defaultChild as any), 'Arn'] };
    const rules = resources(stack, 'AWS::Events::Rule');
    expect(rules).toHaveLength(8);
    for (const rule of rules) {
      expect(rule.Targets).not.toEqual([]);
      for (const target of rule.Targets) {
        expect(target.DeadLetterConfig).toEqual({ Arn: dlq });
      }
    }
    const failed = alarmNamed(stack, 'ivs-realtime-prod-delivery-failed-invocations');
    expect(failed.Metrics[0].Expression).toEqual('SUM([m0,m1,m2,m3,m4,m5,m6,m7])');
  });

  test('critical alarms notify the critical topics, warning alarms the warning topics, on ALARM and OK', () => {
    // GIVEN
    const stack = testStack();
    const oncall = topic(stack, 'Oncall');
    const chat = topic(stack, 'Chat');

    // WHEN
    new IvsRealTimeMonitoring(stack, 'Monitoring', { environmentName: 'prod', criticalTopics: [oncall], warningTopics: [chat] });

    // THEN
    const ref = (t: sns.Topic) => [{ Ref: stack.getLogicalId(t.node.defaultChild as any) }];
    for (const name of ['composition-failures', 'recording-failures', 'delivery-dead-letter-queue', 'delivery-failed-invocations']) {
      expect(alarmNamed(stack, `ivs-realtime-prod-${name}`)).toMatchObject({ AlarmActions: ref(oncall), OKActions: ref(oncall) });
    }
    for (const name of ['publish-errors', 'packet-loss', 'dropped-frames']) {
      expect(alarmNamed(stack, `ivs-realtime-prod-${name}`)).toMatchObject({ AlarmActions: ref(chat), OKActions: ref(chat) });
    }
  });

  test('failure events are described on the first warning topic when the profile says so', () => {
    // GIVEN
    const stack = testStack();
    const chat = topic(stack, 'Chat');

    // WHEN
    const monitoring = new IvsRealTimeMonitoring(stack, 'Monitoring', { environmentName: 'prod', warningTopics: [chat] });

    // THEN
    const targetsOf = (rule: { rule: events.Rule }) => stack.resolve((rule.rule.node.defaultChild as events.CfnRule).targets);
    const chatRef = { Ref: stack.getLogicalId(chat.node.defaultChild as any) };
    expect(targetsOf(monitoring.compositionFailureAlarm.rule).map((t: any) => t.arn)).toContainEqual(chatRef);
    expect(targetsOf(monitoring.recordingFailureAlarm.rule).map((t: any) => t.arn)).toContainEqual(chatRef);
    expect(targetsOf(monitoring.publishErrorAlarm.rule).map((t: any) => t.arn)).not.toContainEqual(chatRef);
  });

  test('a profile value given as a prop overrides the profile', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    const monitoring = new IvsRealTimeMonitoring(stack, 'Monitoring', {
      environmentName: 'dev',
      profile: MonitoringProfile.DEVELOPMENT,
      compositionFailureThreshold: 2,
      alarmActionsEnabled: true,
      recordingNotifications: false,
      logRetention: logs.RetentionDays.ONE_DAY,
    });

    // THEN
    expect(monitoring.profile.name).toEqual('development');
    expect(monitoring.profile.settings).toMatchObject({ compositionFailureThreshold: 2, recordingFailureThreshold: 5 });
    expect(alarmNamed(stack, 'ivs-realtime-dev-composition-failures')).toMatchObject({ Threshold: 2, ActionsEnabled: true });
    expect(alarmNamed(stack, 'ivs-realtime-dev-recording-failures')).toMatchObject({ Threshold: 5, ActionsEnabled: true });
    expect(monitoring.recordingNotifier).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::Events::Rule', 4);
    expect(resources(stack, 'AWS::Logs::LogGroup').map(l => l.RetentionInDays)).toEqual([1, 1, 1, 1]);
  });

  test('stage scope reaches every rule, and named stages get health alarms on their stage id', () => {
    // GIVEN
    const stack = testStack();
    const stage = new ivs.CfnStage(stack, 'Stage', {});

    // WHEN
    new IvsRealTimeMonitoring(stack, 'Monitoring', { environmentName: 'prod', stageArns: [STAGE], stages: [stage], perStageHealthAlarms: true });

    // THEN
    const stageRef = { Ref: stack.getLogicalId(stage) };
    const rules = resources(stack, 'AWS::Events::Rule');
    expect(rules).toHaveLength(8);
    for (const rule of rules) {
      const branches = rule.EventPattern.$or ?? [rule.EventPattern];
      for (const branch of branches) {
        const stages = branch.resources ?? branch.detail.stage_arn;
        expect(stages).toEqual([STAGE, stageRef]);
      }
    }
    expect(alarmNamed(stack, 'ivs-realtime-prod-stage-AbCdef1G2hij-packet-loss')).toMatchObject({
      Namespace: 'AWS/IVSRealTime',
      MetricName: 'DownloadPacketLoss',
      Dimensions: [{ Name: 'Stage', Value: 'AbCdef1G2hij' }],
      Statistic: 'Average',
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
    const tokenStage = resources(stack, 'AWS::CloudWatch::Alarm').filter(a => a.MetricName === 'DroppedFrames' && a.Dimensions);
    expect(tokenStage.map(a => a.Dimensions[0].Value)).toContainEqual({ 'Fn::Select': [1, { 'Fn::Split': ['/', stageRef] }] });
    // account-wide alarms stay: one per metric, not per stage
    expect(resources(stack, 'AWS::CloudWatch::Alarm').filter(a => a.Namespace === 'AWS/IVSRealTime')).toHaveLength(6);
  });

  test('forwardTo sends every real-time event to the central bus through a role, with the dead-letter queue', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    const monitoring = new IvsRealTimeMonitoring(stack, 'Monitoring', {
      environmentName: 'prod',
      forwardTo: events.EventBus.fromEventBusArn(stack, 'Central', CENTRAL_BUS),
    });

    // THEN
    const forwarding = stack.resolve((monitoring.forwardingRule!.rule.node.defaultChild as events.CfnRule).targets);
    expect(forwarding).toEqual([expect.objectContaining({
      arn: CENTRAL_BUS,
      roleArn: { 'Fn::GetAtt': [expect.stringMatching(/EventsRole/), 'Arn'] },
      deadLetterConfig: { arn: expect.anything() },
    })]);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'events:PutEvents', Effect: 'Allow', Resource: CENTRAL_BUS }] },
    });
    expect(monitoring.forwardingRule!.events).toHaveLength(14);
  });

  test('two environments in one stack share no name', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    new IvsRealTimeMonitoring(stack, 'Dev', { environmentName: 'dev', profile: MonitoringProfile.DEVELOPMENT });
    new IvsRealTimeMonitoring(stack, 'Prod', { environmentName: 'prod' });

    // THEN
    const names = [
      ...resources(stack, 'AWS::CloudWatch::Alarm').map(a => `alarm ${a.AlarmName}`),
      ...resources(stack, 'AWS::CloudWatch::Dashboard').map(d => `dashboard ${d.DashboardName}`),
      ...resources(stack, 'AWS::Logs::LogGroup').map(l => `log group ${l.LogGroupName}`),
      ...resources(stack, 'AWS::Events::Archive').map(a => `archive ${a.ArchiveName}`),
      ...resources(stack, 'AWS::SNS::Topic').map(t => `topic ${t.TopicName}`),
    ];
    expect(names).toHaveLength(7 * 2 + 1 * 2 + 4 * 2 + 1 * 2 + 1 * 2);
    expect(new Set(names).size).toEqual(names.length);
  });

  test('the dashboard shows alarms, events by name, failures, recordings, delivery and stage health', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    const monitoring = new IvsRealTimeMonitoring(stack, 'Monitoring', { environmentName: 'prod' });

    // THEN
    const body = dashboardBody(stack);
    for (const title of [
      'Amazon IVS real-time: prod (production profile)', 'Alarms', 'IVS events per minute, by event name',
      'Composition failures', 'Recording failures', 'Publish errors', 'Recordings completed',
      'Undelivered events waiting in the dead-letter queue', 'Failed invocations',
      'Stage health: DownloadPacketLoss', 'Stage health: DroppedFrames',
    ]) {
      expect(body).toContain(title);
    }
    expect(body).toContain('stats count(*) as events by detail.event_name, bin(1m)');
    // the alarm status widget lists every alarm
    const alarmIds = monitoring.alarms.map(a => stack.getLogicalId(a.node.defaultChild as any));
    expect(alarmIds).toHaveLength(7);
    expect(alarmIds.filter(id => !body.includes(`"${id}"`))).toEqual([]);
  });

  test('dev and prod from one profile change differ exactly where the profiles differ', () => {
    // GIVEN: the same app, only the profile changes
    const synth = (profile: MonitoringProfile) => {
      const stack = testStack();
      new IvsRealTimeMonitoring(stack, 'M', { environmentName: 'app', profile, criticalTopics: [topic(stack, 'Oncall')], warningTopics: [topic(stack, 'Chat')] });
      return Template.fromStack(stack).toJSON().Resources as Record<string, any>;
    };

    // WHEN
    const dev = synth(MonitoringProfile.DEVELOPMENT);
    const prod = synth(MonitoringProfile.PRODUCTION);

    // THEN: every difference, as resource/property, is one the profiles explain
    const differences = new Set<string>();
    for (const id of new Set([...Object.keys(dev), ...Object.keys(prod)])) {
      const name = id.replace(/[0-9A-F]{8}$/, '');
      if (!dev[id] || !prod[id]) {
        differences.add(`${name} (${dev[id] ? 'only dev' : 'only prod'})`);
        continue;
      }
      for (const prop of new Set([...Object.keys(dev[id].Properties ?? {}), ...Object.keys(prod[id].Properties ?? {})])) {
        if (JSON.stringify(dev[id].Properties?.[prop]) !== JSON.stringify(prod[id].Properties?.[prop])) {
          differences.add(`${name}.${prop}`);
        }
      }
    }
    const alarm = (name: string) => [`${name}.ActionsEnabled`]; // alarmActionsEnabled: false vs true
    const thresholded = (name: string) => [...alarm(name), `${name}.Threshold`, `${name}.AlarmDescription`];
    expect([...differences].sort()).toEqual([
      'ChatPolicy.PolicyDocument', // failureEventNotifications: EventBridge may publish to the warning topic
      ...thresholded('MAllStagesDroppedFrames'), // droppedFramesThresholdPercent 10 vs 5
      ...thresholded('MAllStagesPacketLoss'), // packetLossThresholdPercent 10 vs 5
      'MDashboard.DashboardBody', // the title names the profile
      ...alarm('MDeliveryDeadLetterQueue'),
      ...alarm('MDeliveryFailedInvocations'),
      'MEventsAllEventsLog.RetentionInDays', // logRetention 7 vs 365 days
      'MEventsArchive.RetentionDays', // archiveRetention 7 vs 90 days
      ...thresholded('MEventsCompositionFailuresAlarm'), // 5 vs 1
      'MEventsCompositionFailuresLog.RetentionInDays',
      'MEventsCompositionFailuresRule.Targets', // failureEventNotifications
      ...thresholded('MEventsPublishErrorsAlarm'), // 50 vs 10
      'MEventsPublishErrorsLog.RetentionInDays',
      ...thresholded('MEventsRecordingFailuresAlarm'), // 5 vs 1
      'MEventsRecordingFailuresLog.RetentionInDays',
      'MEventsRecordingFailuresRule.Targets', // failureEventNotifications
    ].sort());
    const devBody = JSON.stringify(dev[Object.keys(dev).find(id => id.startsWith('MDashboard'))!]);
    const prodBody = JSON.stringify(prod[Object.keys(prod).find(id => id.startsWith('MDashboard'))!]);
    expect(devBody.replace('development profile', 'production profile')).toEqual(prodBody);
  });

  describe('bad input', () => {
    test.each<[string, (stack: Stack) => IvsRealTimeMonitoringProps, string]>([
      ['an environment name with a space', () => ({ environmentName: 'my env' }),
        "`environmentName` must be 1-32 letters, digits and hyphens, starting with a letter or digit (it is part of alarm, dashboard and archive names), got 'my env'"],
      ['an environment name of 33 characters', () => ({ environmentName: 'e'.repeat(33) }),
        `\`environmentName\` must be 1-32 letters, digits and hyphens, starting with a letter or digit (it is part of alarm, dashboard and archive names), got '${'e'.repeat(33)}'`],
      ['a profile override out of range', () => ({ environmentName: 'prod', recordingFailureThreshold: 0 }),
        '`recordingFailureThreshold` must be a whole number of events, 1 or more, got 0'],
      ['a packet loss percentage over 100', () => ({ environmentName: 'prod', packetLossThresholdPercent: 150 }),
        '`packetLossThresholdPercent` must be a percentage above 0 and at most 100, got 150'],
      ['a stage ARN of another resource type', () => ({ environmentName: 'prod', stageArns: ['arn:aws:ivs:us-east-1:123456789012:channel/AbCdef1G2hij'] }),
        "`stageArns` must contain IVS stage ARNs (arn:<partition>:ivs:<region>:<account>:stage/<id>), got 'arn:aws:ivs:us-east-1:123456789012:channel/AbCdef1G2hij'"],
      ['a recording topic with recording notifications off', (stack) => ({
        environmentName: 'dev', recordingNotifications: false, recordingTopic: topic(stack, 'Recordings'),
      }), "`recordingTopic` (Stack/Recordings) receives recording notifications, which the profile 'production' or `recordingNotifications` "
        + 'turns off: drop one of the two'],
      ['per-stage health alarms without stages', () => ({ environmentName: 'prod', perStageHealthAlarms: true }),
        '`perStageHealthAlarms` needs the stages to alarm on in `stageArns` or `stages`, got none'],
      ['forwarding to a bus in the same account', (stack) => ({
        environmentName: 'prod',
        forwardTo: events.EventBus.fromEventBusArn(stack, 'Same', 'arn:aws:events:us-west-2:123456789012:event-bus/central'),
      }), '`forwardTo` must be an event bus in another account (a central monitoring account), got arn:aws:events:us-west-2:123456789012:event-bus/central, '
        + "which is in this stack's account 123456789012, where IVS events already arrive"],
    ])('%s', (_name, props, message) => {
      const stack = testStack();
      expect(() => new IvsRealTimeMonitoring(stack, 'Monitoring', props(stack))).toThrow(message);
    });
  });

  describeSnapshots({
    default: stack => {
      new IvsRealTimeMonitoring(stack, 'Monitoring', { environmentName: 'prod' });
    },
    fullyConfigured: stack => {
      fullyConfigured(stack);
    },
  });

  describe('cdk-nag AwsSolutions', () => {
    test.each([MonitoringProfile.DEVELOPMENT, MonitoringProfile.STAGING, MonitoringProfile.PRODUCTION])('$name profile has no findings', (profile) => {
      const stack = testStack();
      new IvsRealTimeMonitoring(stack, 'Monitoring', { environmentName: 'env', profile, warningTopics: [topic(stack, 'Chat')] });
      expectNoNagFindings(stack);
    });

    test('fully configured has no findings', () => {
      const stack = testStack();
      fullyConfigured(stack);
      expectNoNagFindings(stack);
    });
  });
});
