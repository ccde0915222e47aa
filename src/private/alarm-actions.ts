import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { warnIfAwsManagedSnsKey } from './encryption';

/** Where an alarm reports: the shape of the public `AlarmActionsOptions`, declared here so this folder stays a leaf. */
export interface AlarmRouting {
  readonly alarmTopic?: sns.ITopic;
  readonly alarmActions?: cloudwatch.IAlarmAction[];
  readonly okActions?: cloudwatch.IAlarmAction[];
}

/**
 * The one path from topics and actions to an alarm: `alarmTopic` is told of ALARM and of
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
