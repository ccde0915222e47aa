import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';

/**
 * Where a monitoring construct's alarms report, by severity. Critical alarms: composition
 * and recording failures, undelivered events. Warning alarms: publish errors, stage health.
 */
export interface SeverityAlarmActionsOptions {
  /**
   * Topics notified when a critical alarm goes to ALARM and back to OK.
   *
   * @default - none
   */
  readonly criticalTopics?: sns.ITopic[];

  /**
   * Further actions of the critical alarms.
   *
   * @default - none
   */
  readonly criticalActions?: cloudwatch.IAlarmAction[];

  /**
   * Topics notified when a warning alarm goes to ALARM and back to OK.
   *
   * @default - none
   */
  readonly warningTopics?: sns.ITopic[];

  /**
   * Further actions of the warning alarms.
   *
   * @default - none
   */
  readonly warningActions?: cloudwatch.IAlarmAction[];

  /**
   * The topic that receives a readable message per composition or recording failure
   * event, when the profile's `failureEventNotifications` is on.
   *
   * @default - the first of `warningTopics`; no such messages when there is none
   */
  readonly notificationTopic?: sns.ITopic;
}
