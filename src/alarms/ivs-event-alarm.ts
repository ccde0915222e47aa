import { Duration, Names } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlarmActionsOptions } from './alarm-actions';
import { DeliveryAlarms } from './delivery-alarms';
import { IvsEvent } from '../events/ivs-event';
import { DELIVERY_ALARM_LONGEST_SUFFIX, createAlarms } from '../private/alarm-actions';
import { MAX_ALARM_METRICS } from '../private/aws-facts';
import { warnIfAwsManagedSnsKey } from '../private/encryption';
import { LOG_GROUP_PREFIX, LogGroupTarget, createEventLogGroup } from '../private/log-group-target';
import {
  validateAlarmName, validateAlarmPeriod, validateEvaluationRange, validateIntegerRange, validateLogRetention, validateThreshold,
} from '../private/validation';
import { DeadLetterOptions, IvsEventSourceOptions, RemovalPolicyOptions } from '../rules/event-source-options';
import { IvsStageEventRule } from '../rules/ivs-stage-event-rule';

/**
 * Options shared by every IVS event alarm.
 */
export interface IvsEventAlarmOptions extends AlarmActionsOptions, IvsEventSourceOptions, DeadLetterOptions, RemovalPolicyOptions {
  /**
   * How many matching events within `period` set off the alarm.
   *
   * @default 1
   */
  readonly threshold?: number;

  /**
   * The window events are counted in: whole minutes, from 1 minute to 1 day.
   *
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;

  /**
   * How many periods are evaluated.
   *
   * @default 1
   */
  readonly evaluationPeriods?: number;

  /**
   * How many of the evaluated periods must breach.
   *
   * @default - `evaluationPeriods`
   */
  readonly datapointsToAlarm?: number;

  /**
   * The alarm's name; the delivery alarms are named `<alarmName>-dead-letter-queue` and
   * `<alarmName>-failed-invocations`.
   *
   * @default - a name CloudFormation generates
   */
  readonly alarmName?: string;

  /**
   * The alarm's description.
   *
   * @default - what the alarm counts and over which period
   */
  readonly alarmDescription?: string;

  /**
   * Whether the matching events are written to a CloudWatch Logs log group, so that an
   * operator sees the reason, stage and ids behind the alarm.
   *
   * @default true
   */
  readonly logEvents?: boolean;

  /**
   * The log group the events are written to. Its resource policy is extended so that
   * EventBridge may write to it.
   *
   * @default - a log group named `/aws/events/ivs-realtime/<unique id>`
   */
  readonly logGroup?: logs.ILogGroup;

  /**
   * How long the log group this construct creates keeps events.
   *
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * A topic that receives a human-readable message for every matching event. It must
   * not be encrypted with the AWS-managed `alias/aws/sns` key.
   *
   * @default - no per-event notification; only the alarm notifies
   */
  readonly notificationTopic?: sns.ITopic;

  /**
   * Whether to alarm when an event lands in the dead-letter queue or a delivery fails.
   * They use the same actions as the main alarm.
   *
   * @default true
   */
  readonly deliveryAlarms?: boolean;
}

/**
 * Properties for an `IvsEventAlarm`.
 */
export interface IvsEventAlarmProps extends IvsEventAlarmOptions {
  /** The events that set off the alarm. */
  readonly events: IvsEvent[];

  /**
   * The message `notificationTopic` receives for each event.
   *
   * @default - a text naming the event, time, account, region and resource
   */
  readonly notificationMessage?: events.RuleTargetInput;
}

/**
 * An alarm that goes off when matching IVS events occur: `threshold` or more within
 * `period`. Quiet otherwise: missing data is not breaching, since EventBridge sends no
 * data point for a rule that matched nothing.
 *
 * It counts the rule's AWS/Events `TriggeredRules` metric (Sum), which EventBridge
 * reports per rule once the rule matches; the rule always has a target (the log group or
 * the notification topic).
 */
export class IvsEventAlarm extends Construct {
  /** The CloudWatch alarm. */
  public readonly alarm: cloudwatch.Alarm;
  /** The rule that matches the events. */
  public readonly rule: IvsStageEventRule;
  /** The log group the events are written to, when `logEvents` is on. */
  public readonly logGroup?: logs.ILogGroup;
  /** The key encrypting the dead-letter queue this alarm created, when `encryptionKey` was given. */
  public readonly encryptionKey?: kms.IKey;
  /** The dead-letter queue and failed-invocation alarms, when `deliveryAlarms` is on. */
  public readonly deliveryAlarms?: DeliveryAlarms;

  constructor(scope: Construct, id: string, props: IvsEventAlarmProps) {
    super(scope, id);

    const threshold = props.threshold ?? 1;
    const period = props.period ?? Duration.minutes(5);
    const evaluationPeriods = props.evaluationPeriods ?? 1;
    validateAlarmProps(props, threshold, period, evaluationPeriods);
    const logEvents = props.logEvents ?? true;
    if (!logEvents && !props.notificationTopic) {
      throw new Error('`logEvents` is false and no `notificationTopic` is given: the alarm counts the rule\'s TriggeredRules, '
        + 'which needs the rule to deliver somewhere; keep `logEvents` or give `notificationTopic`');
    }
    if (!logEvents && (props.logGroup || props.logRetention)) {
      throw new Error(`\`logGroup\` and \`logRetention\` need \`logEvents\`, which is false, got ${props.logGroup ? `\`logGroup\` ${props.logGroup.node.path}` : `\`logRetention\` ${props.logRetention}`}`);
    }
    if (props.logGroup && props.logRetention) {
      throw new Error(`\`logRetention\` applies only to the log group this construct creates: set the retention of the given \`logGroup\` (${props.logGroup.node.path}) instead of \`logRetention\` (${props.logRetention} days)`);
    }

    this.encryptionKey = props.encryptionKey;
    if (logEvents) {
      this.logGroup = props.logGroup ?? createEventLogGroup(this, 'Events', {
        logGroupName: `${LOG_GROUP_PREFIX}/${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`,
        retention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
        encryptionKey: props.encryptionKey,
        removalPolicy: props.removalPolicy,
      });
    }
    if (props.notificationTopic) {
      warnIfAwsManagedSnsKey(this, props.notificationTopic, 'notificationTopic');
    }

    this.rule = new IvsStageEventRule(this, 'Rule', {
      events: props.events,
      stageArns: props.stageArns,
      stages: props.stages,
      eventBus: props.eventBus,
      maxPatternLength: props.maxPatternLength,
      deadLetterQueue: props.deadLetterQueue,
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy,
    });
    if (this.rule.rules.length > MAX_ALARM_METRICS) {
      throw new Error(`The stages split this alarm's events across ${this.rule.rules.length} rules, more than the ${MAX_ALARM_METRICS} metrics a CloudWatch alarm `
        + 'can sum: raise `maxPatternLength` (up to 4096 with a raised EventBridge quota), or spread `stageArns`/`stages` over several alarms');
    }
    if (this.logGroup) {
      this.rule.addTarget(new LogGroupTarget(this.logGroup));
    }
    if (props.notificationTopic) {
      this.rule.addTarget(new targets.SnsTopic(props.notificationTopic, {
        message: props.notificationMessage ?? defaultNotification(),
      }));
    }

    [this.alarm] = createAlarms(this, [{
      id: 'Alarm',
      alarmName: props.alarmName,
      description: props.alarmDescription ?? `${threshold} or more of ${props.events.map(e => e.eventName).join(', ')} `
        + `within ${period.toHumanString()} (Amazon IVS real-time events).`,
      metric: this.rule.metricTriggeredRules({ period }),
      threshold,
      evaluationPeriods,
      datapointsToAlarm: props.datapointsToAlarm,
    }], props);

    if (props.deliveryAlarms ?? true) {
      this.deliveryAlarms = new DeliveryAlarms(this, 'Delivery', { ...props, rules: [this.rule], alarmNamePrefix: props.alarmName });
    }
  }
}

function validateAlarmProps(props: IvsEventAlarmProps, threshold: number, period: Duration, evaluationPeriods: number): void {
  validateThreshold('threshold', threshold);
  validateAlarmPeriod('period', period);
  validateEvaluationRange('period', period, evaluationPeriods);
  validateIntegerRange('datapointsToAlarm', props.datapointsToAlarm, 1, evaluationPeriods);
  validateAlarmName('alarmName', props.alarmName, (props.deliveryAlarms ?? true) ? DELIVERY_ALARM_LONGEST_SUFFIX : '');
  validateLogRetention('logRetention', props.logRetention);
}

function defaultNotification(): events.RuleTargetInput {
  return events.RuleTargetInput.fromText(
    `Amazon IVS ${events.EventField.fromPath('$.detail-type')}: ${events.EventField.fromPath('$.detail.event_name')} `
    + `at ${events.EventField.time} in ${events.EventField.account}/${events.EventField.region}, `
    + `resource ${events.EventField.fromPath('$.resources[0]')}`);
}
