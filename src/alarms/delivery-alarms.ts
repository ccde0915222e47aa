import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { AlarmActionsOptions } from './alarm-actions';
import { DELIVERY_ALARM_LONGEST_SUFFIX, createAlarms, derivedAlarmName } from '../private/alarm-actions';
import { MAX_ALARM_METRICS } from '../private/aws-facts';
import { sumOfMetrics } from '../private/metrics';
import { validateAlarmName } from '../private/validation';
import { IvsStageEventRule } from '../rules/ivs-stage-event-rule';

/**
 * Properties for `DeliveryAlarms`.
 */
export interface DeliveryAlarmsProps extends AlarmActionsOptions {
  /**
   * The rules whose deliveries are watched, at least one. Their EventBridge rules are
   * summed 10 to an alarm (CloudWatch's limit of metrics in one alarm).
   */
  readonly rules: IvsStageEventRule[];

  /**
   * Prefix of the alarm names: `<prefix>-dead-letter-queue` and `<prefix>-failed-invocations`
   * (`-2`, `-3`, ... for further queues and groups of rules).
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
  /** ALARM when at least one invocation of the rules failed permanently within 5 minutes: the first of `failedInvocationsAlarms`. */
  public readonly failedInvocationsAlarm: cloudwatch.Alarm;
  /** One alarm per 10 EventBridge rules; a single one unless more than 10 rules are watched. */
  public readonly failedInvocationsAlarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: DeliveryAlarmsProps) {
    super(scope, id);
    if (props.rules.length < 1) {
      throw new Error(`\`rules\` must hold at least one rule, got ${props.rules.length}`);
    }
    validateAlarmName('alarmNamePrefix', props.alarmNamePrefix, DELIVERY_ALARM_LONGEST_SUFFIX);

    // One bad data point is one lost event: each alarm fires on the first (createAlarms' default).
    const queues = [...new Set(props.rules.map(r => r.deadLetterQueue))];
    this.deadLetterQueueAlarms = createAlarms(this, queues.map((queue, i) => ({
      id: i === 0 ? 'DeadLetterQueue' : `DeadLetterQueue${i + 1}`,
      alarmName: derivedAlarmName(props.alarmNamePrefix, i === 0 ? 'dead-letter-queue' : `dead-letter-queue-${i + 1}`),
      description: `IVS events could not be delivered and wait in the dead-letter queue ${queue.node.path}. `
        + 'Inspect the messages (their attributes carry the error), fix the target, then redrive them.',
      metric: queue.metricApproximateNumberOfMessagesVisible({
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(5),
      }),
    })), props);
    const perRule = props.rules.flatMap(r => r.metricForEachRule('FailedInvocations'));
    const groups = Array.from({ length: Math.ceil(perRule.length / MAX_ALARM_METRICS) },
      (_, g) => perRule.slice(g * MAX_ALARM_METRICS, (g + 1) * MAX_ALARM_METRICS));
    this.failedInvocationsAlarms = createAlarms(this, groups.map((metrics, g) => ({
      id: g === 0 ? 'FailedInvocations' : `FailedInvocations${g + 1}`,
      alarmName: derivedAlarmName(props.alarmNamePrefix, g === 0 ? 'failed-invocations' : `failed-invocations-${g + 1}`),
      description: `EventBridge failed to deliver IVS events matched by ${props.rules.map(r => r.node.path).join(', ')} to a target`
        + `${groups.length > 1 ? ` (rules ${g * MAX_ALARM_METRICS + 1}-${g * MAX_ALARM_METRICS + metrics.length} of ${perRule.length})` : ''}.`,
      metric: sumOfMetrics(metrics, 'FailedInvocations (all rules)', Duration.minutes(5)),
    })), props);
    this.failedInvocationsAlarm = this.failedInvocationsAlarms[0];
  }
}
