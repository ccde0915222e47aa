import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { warnIfAwsManagedSnsKey } from './encryption';

/** Where an alarm reports: the shape of the public `AlarmActionsOptions`, declared here so this folder stays a leaf. */
export interface AlarmRouting {
  readonly alarmTopic?: sns.ITopic;
  readonly alarmActions?: cloudwatch.IAlarmAction[];
  readonly okActions?: cloudwatch.IAlarmAction[];
  readonly actionsEnabled?: boolean;
}

/**
 * One alarm to create. Without a threshold it fires on any occurrence in one period (`>= 1`),
 * what most of the library's alarms mean: an event that should never happen, happened.
 */
export interface AlarmRow {
  readonly id: string;
  readonly description: string;
  readonly metric: cloudwatch.IMetric;
  readonly alarmName?: string;
  /** @default 1 */
  readonly threshold?: number;
  /** @default GREATER_THAN_OR_EQUAL_TO_THRESHOLD */
  readonly comparisonOperator?: cloudwatch.ComparisonOperator;
  /** @default 1 */
  readonly evaluationPeriods?: number;
  readonly datapointsToAlarm?: number;
}

/**
 * The one factory of the library's alarms: each row becomes an alarm in `scope` (its id the
 * row's), missing data is not breaching (no traffic is no failure), and the routing's topics
 * and actions are attached through `applyAlarmActions`.
 */
export function createAlarms(scope: Construct, rows: AlarmRow[], routing: AlarmRouting): cloudwatch.Alarm[] {
  return rows.map(row => {
    const alarm = new cloudwatch.Alarm(scope, row.id, {
      alarmName: row.alarmName,
      alarmDescription: row.description,
      metric: row.metric,
      threshold: row.threshold ?? 1,
      comparisonOperator: row.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: row.evaluationPeriods ?? 1,
      datapointsToAlarm: row.datapointsToAlarm,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      actionsEnabled: routing.actionsEnabled,
    });
    applyAlarmActions(alarm, routing);
    return alarm;
  });
}

/**
 * The one path from topics and actions to an alarm (`createAlarms` takes it for every alarm it makes): `alarmTopic` is told of ALARM and of
 * OK, `alarmActions` and `okActions` run on their transition.
 */
export function applyAlarmActions(alarm: cloudwatch.Alarm, routing: AlarmRouting): void {
  warnIfAwsManagedSnsKey(alarm, routing.alarmTopic, 'alarmTopic', 'CloudWatch');
  const fromTopic = topicActions(routing.alarmTopic ? [routing.alarmTopic] : []);
  const alarmActions = [...fromTopic, ...(routing.alarmActions ?? [])];
  const okActions = [...fromTopic, ...(routing.okActions ?? [])];
  // An empty addXAction() still renders an empty list; keep the template clean.
  if (alarmActions.length > 0) {
    alarm.addAlarmAction(...alarmActions);
  }
  if (okActions.length > 0) {
    alarm.addOkAction(...okActions);
  }
}

/** Topics as alarm actions, for routings that name several topics. */
export function topicActions(topics: sns.ITopic[] | undefined): cloudwatch.IAlarmAction[] {
  return (topics ?? []).map(topic => new cloudwatchActions.SnsAction(topic));
}

/** `<base>-<suffix>` when the user named the main alarm, so related alarms sort together. */
export function derivedAlarmName(base: string | undefined, suffix: string): string | undefined {
  return base === undefined ? undefined : `${base}-${suffix}`;
}

/** The longest suffix a delivery alarm adds to its prefix (`-failed-invocations-NN`). */
export const DELIVERY_ALARM_LONGEST_SUFFIX = '-failed-invocations-99';
