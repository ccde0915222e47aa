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

/** `<base>-<suffix>` when the user named the main alarm, so related alarms sort together. */
export function derivedAlarmName(base: string | undefined, suffix: string): string | undefined {
  return base === undefined ? undefined : `${base}-${suffix}`;
}
