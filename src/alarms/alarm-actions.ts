import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';

/**
 * Where the alarms of a construct report.
 */
export interface AlarmActionsOptions {
  /**
   * A topic notified when an alarm goes to ALARM and when it returns to OK.
   *
   * @default - no topic
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * Further actions run when an alarm goes to ALARM.
   *
   * @default - none beyond `alarmTopic`
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];

  /**
   * Further actions run when an alarm returns to OK.
   *
   * @default - none beyond `alarmTopic`
   */
  readonly okActions?: cloudwatch.IAlarmAction[];

  /**
   * Whether the alarms run their actions. Turn off in environments where nobody should be
   * paged; the alarms still change state.
   *
   * @default true
   */
  readonly actionsEnabled?: boolean;
}
