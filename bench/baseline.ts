// The baseline: what a careful user writes with plain aws-cdk-lib for the same monitoring
// as IvsRealTimeMonitoring with the production profile and every stage of the account:
// the same rules and patterns, one encrypted dead-letter queue, log groups with a native
// resource policy, the archive, the recording topic with its message rules, the same
// alarms and a dashboard. No validation, no catalog: that is the library's overhead.
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';

const STAGE_UPDATE = 'IVS Stage Update';
const COMPOSITION = 'IVS Composition State Change';
const RECORDING = 'IVS Participant Recording State Change';
const ALL_EVENTS = [
  { 'detail-type': [STAGE_UPDATE], 'detail': { event_name: ['Participant Published', 'Participant Unpublished', 'Participant Publish Error'] } },
  {
    'detail-type': [COMPOSITION],
    'detail': { event_name: ['Session Start', 'Session End', 'Session Failure', 'Destination Start', 'Destination End', 'Destination Failure', 'Destination Reconnecting'] },
  },
  { 'detail-type': [RECORDING], 'detail': { event_name: ['Recording Start', 'Recording End', 'Recording Start Failure', 'Recording End Failure'] } },
];

export function baselineMonitoring(stack: Stack, oncall: sns.ITopic, chat: sns.ITopic): void {
  const prefix = 'ivs-realtime-prod';
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('events.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
  }));
  const dlq = new sqs.Queue(stack, 'DeadLetterQueue', {
    encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key, enforceSSL: true, retentionPeriod: Duration.days(14),
  });
  const logPolicy = new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('events.amazonaws.com'), new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  });
  new logs.ResourcePolicy(stack, 'LogsPolicy', { policyStatements: [logPolicy] });
  const allRules: events.Rule[] = [];
  const rule = (id: string, pattern: Record<string, unknown>, ruleTargets: events.IRuleTarget[]) => {
    const r = new events.Rule(stack, id, { eventPattern: { source: ['aws.ivs'], ...pattern } as events.EventPattern });
    ruleTargets.forEach(t => r.addTarget(t));
    dlq.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [dlq.queueArn],
      conditions: { ArnEquals: { 'aws:SourceArn': r.ruleArn } },
    }));
    allRules.push(r);
    return r;
  };
  const delivery = { deadLetterQueue: dlq, retryAttempts: 185, maxEventAge: Duration.hours(24) };
  const logTarget = (name: string) => {
    const group = new logs.LogGroup(stack, `${name}Log`, { logGroupName: `/aws/events/${prefix}/${name}`, retention: logs.RetentionDays.ONE_YEAR });
    logPolicy.addResources(group.logGroupArn);
    const target: events.IRuleTarget = {
      bind: () => ({
        arn: group.logGroupArn,
        deadLetterConfig: { arn: dlq.queueArn },
        retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86400 },
      }),
    };
    return { group, target };
  };
  const critical = [new cloudwatchActions.SnsAction(oncall)];
  const warning = [new cloudwatchActions.SnsAction(chat)];
  const alarms: cloudwatch.Alarm[] = [];
  const alarm = (
    id: string, name: string, metric: cloudwatch.IMetric, threshold: number, actions: cloudwatch.IAlarmAction[],
    operator = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  ) => {
    const a = new cloudwatch.Alarm(stack, id, {
      alarmName: `${prefix}-${name}`,
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: operator,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      actionsEnabled: true,
    });
    a.addAlarmAction(...actions);
    a.addOkAction(...actions);
    alarms.push(a);
  };
  const triggered = (r: events.Rule) => new cloudwatch.Metric({
    namespace: 'AWS/Events', metricName: 'TriggeredRules', dimensionsMap: { RuleName: r.ruleName }, statistic: 'Sum', period: Duration.minutes(5),
  });
  const field = events.EventField.fromPath;

  const compositionLog = logTarget('composition-failures');
  const composition = rule('CompositionFailures', { 'detail-type': [COMPOSITION], 'detail': { event_name: ['Session Failure', 'Destination Failure'] } }, [
    compositionLog.target,
    new targets.SnsTopic(chat, { ...delivery, message: events.RuleTargetInput.fromText(`Amazon IVS composition ${field('$.detail.event_name')}: ${field('$.detail.reason')}`) }),
  ]);
  alarm('CompositionAlarm', 'composition-failures', triggered(composition), 1, critical);
  const recordingLog = logTarget('recording-failures');
  const recording = rule('RecordingFailures', { 'detail-type': [RECORDING], 'detail': { event_name: ['Recording Start Failure', 'Recording End Failure'] } }, [
    recordingLog.target,
    new targets.SnsTopic(chat, { ...delivery, message: events.RuleTargetInput.fromText(`Amazon IVS ${field('$.detail.event_name')}: ${field('$.resources[0]')}`) }),
  ]);
  alarm('RecordingAlarm', 'recording-failures', triggered(recording), 1, critical);
  const publishLog = logTarget('publish-errors');
  const publish = rule('PublishErrors', { 'detail-type': [STAGE_UPDATE], 'detail': { event_name: ['Participant Publish Error'] } }, [publishLog.target]);
  alarm('PublishAlarm', 'publish-errors', triggered(publish), 10, warning);
  const allLog = logTarget('all-events');
  rule('AllEvents', { $or: ALL_EVENTS }, [allLog.target]);
  new events.Archive(stack, 'Archive', {
    archiveName: prefix,
    sourceEventBus: events.EventBus.fromEventBusName(stack, 'Default', 'default'),
    eventPattern: { source: ['aws.ivs'], detailType: [STAGE_UPDATE, COMPOSITION, RECORDING] },
    retention: Duration.days(90),
  });

  const recordings = new sns.Topic(stack, 'Recordings', { topicName: `${prefix}-recordings`, masterKey: key, enforceSSL: true });
  const message = (failure: boolean, withDuration: boolean) => events.RuleTargetInput.fromObject({
    version: '1',
    stageArn: field('$.resources[0]'),
    sessionId: field('$.detail.session_id'),
    participantId: field('$.detail.participant_id'),
    bucket: field('$.detail.recording_s3_bucket_name'),
    keyPrefix: field('$.detail.recording_s3_key_prefix'),
    s3Uri: `s3://${field('$.detail.recording_s3_bucket_name')}/${field('$.detail.recording_s3_key_prefix')}/`,
    eventId: events.EventField.eventId,
    eventTime: events.EventField.time,
    region: events.EventField.region,
    account: events.EventField.account,
    ...(withDuration ? { durationMs: field('$.detail.recording_duration_ms') } : {}),
    ...(failure ? { eventName: field('$.detail.event_name') } : {}),
  });
  for (const failure of [false, true]) {
    for (const withDuration of [true, false]) {
      rule(`Recordings${failure ? 'Failed' : 'Completed'}${withDuration ? 'With' : 'Without'}Duration`, {
        'detail-type': [RECORDING],
        'detail': { event_name: failure ? ['Recording Start Failure', 'Recording End Failure'] : ['Recording End'], recording_duration_ms: [{ exists: withDuration }] },
      }, [new targets.SnsTopic(recordings, { ...delivery, message: message(failure, withDuration) })]);
    }
  }

  for (const [name, metricName, threshold] of [['packet-loss', 'DownloadPacketLoss', 5], ['dropped-frames', 'DroppedFrames', 5]] as const) {
    alarm(`Health${metricName}`, name, new cloudwatch.Metric({ namespace: 'AWS/IVSRealTime', metricName, statistic: 'Average', period: Duration.minutes(5) }),
      threshold, warning, cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD);
  }
  alarm('DlqAlarm', 'delivery-dead-letter-queue', dlq.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: Duration.minutes(5) }), 1, critical);
  const failed = new cloudwatch.MathExpression({
    expression: `SUM([${allRules.map((_, i) => `m${i}`).join(',')}])`,
    usingMetrics: Object.fromEntries(allRules.map((r, i) => [`m${i}`,
      new cloudwatch.Metric({ namespace: 'AWS/Events', metricName: 'FailedInvocations', dimensionsMap: { RuleName: r.ruleName }, statistic: 'Sum' })])),
    period: Duration.minutes(5),
  });
  alarm('FailedAlarm', 'delivery-failed-invocations', failed, 1, critical);

  const dashboard = new cloudwatch.Dashboard(stack, 'Dashboard', { dashboardName: prefix, defaultInterval: Duration.hours(3) });
  dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: '# Amazon IVS real-time: prod', width: 24, height: 1 }));
  dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ alarms, width: 24 }));
  dashboard.addWidgets(new cloudwatch.LogQueryWidget({
    logGroupNames: [allLog.group.logGroupName], queryLines: ['stats count(*) as events by detail.event_name, bin(1m)'], width: 24,
  }));
  dashboard.addWidgets(...[composition, recording, publish].map(r => new cloudwatch.GraphWidget({ left: [triggered(r)], width: 8 })));
  const completed = allRules.filter(r => r.node.id.startsWith('RecordingsCompleted'));
  dashboard.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Recordings completed',
      left: [new cloudwatch.MathExpression({ expression: 'SUM([m0,m1])', usingMetrics: { m0: triggered(completed[0]), m1: triggered(completed[1]) } })],
      width: 8,
    }),
    new cloudwatch.GraphWidget({ left: [dlq.metricApproximateNumberOfMessagesVisible()], width: 8 }),
    new cloudwatch.GraphWidget({ left: [failed], width: 8 }));
  dashboard.addWidgets(...['DownloadPacketLoss', 'DroppedFrames'].map(metricName => new cloudwatch.GraphWidget({
    title: `Stage health: ${metricName}`,
    left: [new cloudwatch.Metric({ namespace: 'AWS/IVSRealTime', metricName, statistic: 'Average', period: Duration.minutes(5) })],
    width: 12,
  })));
}
