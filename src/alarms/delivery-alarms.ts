import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { AlarmActionsOptions } from './alarm-actions';
import { applyAlarmActions, derivedAlarmName } from '../private/alarms';
import { IvsStageEventRule } from '../rules/ivs-stage-event-rule';

/**
 * Properties for `DeliveryAlarms`.
 */
export interface DeliveryAlarmsProps extends AlarmActionsOptions {
  /** The rules whose deliveries are watched: 1 to 10 (CloudWatch's limit of metrics in one alarm). */
  readonly rules: IvsStageEventRule[];

  /**
   * Prefix of the alarm names: `<prefix>-dead-letter-queue` and `<prefix>-failed-invocations`.
   *
   * @default - names CloudFormation generates
   */
  readonly alarmNamePrefix?: string;
}

/**
 * Makes an undelivered event loud: an alarm per dead-letter queue while it holds a
 * message, and one when EventBridge reports a permanently failed invocation of any of
 * the rules.
 *
 * Both treat missing data as not breaching: EventBridge sends FailedInvocations only when
 * it is non-zero, and SQS stops reporting queue depth for a queue that has been idle.
 */
export class DeliveryAlarms extends Construct {
  /** ALARM while a dead-letter queue holds at least one message (Maximum over 5 minutes); one per distinct queue. */
  public readonly deadLetterQueueAlarms: cloudwatch.Alarm[];
  /** ALARM when at least one invocation of the rules failed permanently within 5 minutes. */
  public readonly failedInvocationsAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: DeliveryAlarmsProps) {
    super(scope, id);
    if (props.rules.length < 1 || props.rules.length > 10) {
      throw new Error(`\`rules\` must hold 1 to 10 rules (CloudWatch allows 10 metrics per alarm), got ${props.rules.length}`);
    }

    // One bad data point is one lost event: alarm on the first; no data means nothing failed.
    const onAnyOccurrence = {
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      actionsEnabled: props.actionsEnabled,
    };
    const queues = [...new Set(props.rules.map(r => r.deadLetterQueue))];
    this.deadLetterQueueAlarms = queues.map((queue, i) => new cloudwatch.Alarm(this, i === 0 ? 'DeadLetterQueue' : `DeadLetterQueue${i + 1}`, {
      alarmName: derivedAlarmName(props.alarmNamePrefix, i === 0 ? 'dead-letter-queue' : `dead-letter-queue-${i + 1}`),
      alarmDescription: `IVS events could not be delivered and wait in the dead-letter queue ${queue.node.path}. `
        + 'Inspect the messages (their attributes carry the error), fix the target, then redrive them.',
      metric: queue.metricApproximateNumberOfMessagesVisible({
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(5),
      }),
      ...onAnyOccurrence,
    }));
    this.failedInvocationsAlarm = new cloudwatch.Alarm(this, 'FailedInvocations', {
      alarmName: derivedAlarmName(props.alarmNamePrefix, 'failed-invocations'),
      alarmDescription: `EventBridge failed to deliver IVS events matched by ${props.rules.map(r => r.node.path).join(', ')} to a target.`,
      metric: props.rules.length === 1
        ? props.rules[0].metricFailedInvocations()
        : new cloudwatch.MathExpression({
          expression: `SUM([${props.rules.map((_, i) => `m${i}`).join(',')}])`,
          usingMetrics: Object.fromEntries(props.rules.map((r, i) => [`m${i}`, r.metricFailedInvocations()])),
          label: 'FailedInvocations (all rules)',
          period: Duration.minutes(5),
        }),
      ...onAnyOccurrence,
    });
    for (const alarm of [...this.deadLetterQueueAlarms, this.failedInvocationsAlarm]) {
      applyAlarmActions(alarm, props);
    }
  }
}
