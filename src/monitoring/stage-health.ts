import { Duration, Fn, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { ProfileSettings } from './profile-settings';
import { AlarmActionsOptions } from '../alarms/alarm-actions';
import { createAlarms } from '../private/alarm-actions';
import { IVS_REALTIME_NAMESPACE } from '../private/aws-facts';

/**
 * The AWS/IVSRealTime quality metrics the health alarms watch: both are percentages that
 * IVS publishes account-wide (no dimension) and per `Stage` (checked against the
 * stage-health.html metrics table: `IVS_REALTIME_METRICS`, which the tests hold every alarm
 * and graph to). Subscribers report them, so without viewers there is no data.
 */
const HEALTH_METRICS = [
  { metricName: 'DownloadPacketLoss', id: 'PacketLoss', name: 'packet-loss', threshold: 'packetLossThresholdPercent' },
  { metricName: 'DroppedFrames', id: 'DroppedFrames', name: 'dropped-frames', threshold: 'droppedFramesThresholdPercent' },
] as const;

/** The `Stage` dimension is the stage's resource id, the last part of its ARN. */
export function stageIdOf(stageArn: string): string {
  return Token.isUnresolved(stageArn) ? Fn.select(1, Fn.split('/', stageArn)) : stageArn.split('/')[1];
}

export function healthMetric(metricName: string, period: Duration, stageId?: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: IVS_REALTIME_NAMESPACE,
    metricName,
    dimensionsMap: stageId === undefined ? undefined : { Stage: stageId },
    statistic: cloudwatch.Stats.AVERAGE,
    period,
  });
}

export interface StageHealthOptions {
  readonly namePrefix: string;
  readonly settings: ProfileSettings;
  /** The warning destinations. */
  readonly routing: AlarmActionsOptions;
  /** Stages that get alarms of their own, besides the account-wide ones. */
  readonly stageArns: string[];
}

/**
 * One alarm per metric account-wide, plus one per metric for each named stage: the
 * number of alarms does not grow with the stages an account runs unless asked.
 * Missing data is not breaching, since IVS sends nothing while nobody subscribes.
 */
export function createStageHealthAlarms(scope: Construct, options: StageHealthOptions): cloudwatch.Alarm[] {
  const { settings } = options;
  const scopes: { id: string; name: string; stageId?: string }[] = [
    { id: 'AllStages', name: '' },
    ...options.stageArns.map((arn, i) => {
      const stageId = stageIdOf(arn);
      return { id: `Stage${i + 1}`, name: `stage-${stageId}-`, stageId };
    }),
  ];
  return createAlarms(scope, scopes.flatMap(s => HEALTH_METRICS.map(m => ({
    id: `${s.id}${m.id}`,
    alarmName: `${options.namePrefix}-${s.name}${m.name}`,
    description: `Average ${m.metricName} over ${settings.alarmPeriod.toHumanString()} above ${settings[m.threshold]}% `
      + `(Amazon IVS real-time, ${s.stageId === undefined ? 'all stages' : 'one stage'}).`,
    metric: healthMetric(m.metricName, settings.alarmPeriod, s.stageId),
    threshold: settings[m.threshold],
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: settings.evaluationPeriods,
  }))), options.routing);
}

/** Graph rows for the dashboard: packet loss and dropped frames, account-wide and per named stage. */
export function healthGraphs(stageArns: string[], period: Duration): cloudwatch.IMetric[][] {
  return [HEALTH_METRICS.map(m => healthMetric(m.metricName, period).with({ label: `${m.metricName} (all stages)` })), ...stageArns.map(arn =>
    HEALTH_METRICS.map(m => healthMetric(m.metricName, period, stageIdOf(arn))))];
}
