import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AlarmActionsOptions } from '../alarms/alarm-actions';

/** Wires `alarmTopic` (ALARM and OK), `alarmActions` and `okActions` to an alarm. */
export function applyAlarmActions(alarm: cloudwatch.Alarm, options: AlarmActionsOptions): void {
  const topicActions = options.alarmTopic ? [new cloudwatchActions.SnsAction(options.alarmTopic)] : [];
  const alarmActions = [...topicActions, ...(options.alarmActions ?? [])];
  const okActions = [...topicActions, ...(options.okActions ?? [])];
  // An empty addXAction() still renders an empty list; keep the template clean.
  if (alarmActions.length > 0) {
    alarm.addAlarmAction(...alarmActions);
  }
  if (okActions.length > 0) {
    alarm.addOkAction(...okActions);
  }
}

/**
 * One metric as it is; several as the metric math sum of them (`m0`, `m1`, ...): how the
 * library adds up the same metric over several EventBridge rules.
 */
export function sumOfMetrics(metrics: cloudwatch.IMetric[], label: string, period: Duration): cloudwatch.IMetric {
  if (metrics.length === 1) {
    return metrics[0];
  }
  return new cloudwatch.MathExpression({
    expression: `SUM([${metrics.map((_, i) => `m${i}`).join(',')}])`,
    usingMetrics: Object.fromEntries(metrics.map((metric, i) => [`m${i}`, metric])),
    label,
    period,
  });
}

/** `<base>-<suffix>` when the user named the main alarm, so related alarms sort together. */
export function derivedAlarmName(base: string | undefined, suffix: string): string | undefined {
  return base === undefined ? undefined : `${base}-${suffix}`;
}
