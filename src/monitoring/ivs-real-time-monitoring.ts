import { Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { aws_ivs as ivsRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { MonitoringProfile, MonitoringProfileOptions } from './monitoring-profile';
import { CompositionFailureAlarm } from '../alarms/composition-failure-alarm';
import { DeliveryAlarms } from '../alarms/delivery-alarms';
import { PublishErrorAlarm } from '../alarms/publish-error-alarm';
import { RecordingFailureAlarm } from '../alarms/recording-failure-alarm';
import { RecordingCompleteNotifier } from '../notifications/recording-complete-notifier';
import { EventMonitoring, actionsOf } from '../private/event-monitoring';
import { createStageHealthAlarms, healthGraphs } from '../private/stage-health';
import { IvsStageEventRule } from '../rules/ivs-stage-event-rule';

/**
 * Properties for `IvsRealTimeMonitoring`. Every profile value can be overridden here.
 */
export interface IvsRealTimeMonitoringProps extends MonitoringProfileOptions {
  /**
   * The environment, e.g. `dev` or `prod`: part of every alarm, dashboard, archive and
   * log group name, so that two environments in one account never collide.
   * 1-32 letters, digits and hyphens.
   */
  readonly environmentName: string;

  /**
   * Alarm actions, thresholds, retention and notifications of this environment.
   *
   * @default MonitoringProfile.PRODUCTION
   */
  readonly profile?: MonitoringProfile;

  /**
   * Only events of these stages (tokens accepted).
   *
   * @default - every stage of the account and region
   */
  readonly stageArns?: string[];

  /**
   * Only events of these stages, given as stage resources (e.g. `CfnStage`).
   *
   * @default - no stages beyond `stageArns`
   */
  readonly stages?: ivsRefs.IStageRef[];

  /**
   * Whether the named stages (`stageArns`, `stages`) also get stage health alarms of
   * their own, besides the account-wide ones.
   *
   * @default false
   */
  readonly perStageHealthAlarms?: boolean;

  /**
   * Topics notified when a critical alarm (composition or recording failures, undelivered
   * events) goes to ALARM and back to OK.
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
   * Topics notified when a warning alarm (publish errors, stage health) goes to ALARM and
   * back to OK.
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

  /**
   * The topic that receives one message per finished recording.
   *
   * @default - a topic created and encrypted by this construct
   */
  readonly recordingTopic?: sns.ITopic;

  /**
   * An event bus in another account, the central monitoring account, that receives
   * every real-time IVS event of this environment, e.g. the `eventBus` of an
   * `IvsRealTimeCentralMonitoring`. Its policy must allow this account to put events.
   *
   * @default - events stay in this account
   */
  readonly forwardTo?: events.IEventBus;

  /**
   * The longest event pattern a rule may have: EventBridge's quota in your account
   * (2048 by default, up to 4096 once raised). Longer stage lists are split across rules.
   *
   * @default 2048
   */
  readonly maxPatternLength?: number;

  /**
   * The customer-managed key that encrypts the topics and the dead-letter queue this
   * construct creates.
   *
   * @default - a new key with rotation enabled
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * The whole IVS Real-Time monitoring of one environment: composition, recording and
 * publish-error alarms, recording notifications, every event in a log group and an
 * archive, stage health alarms, delivery alarms and a dashboard, set by a
 * `MonitoringProfile`, optionally forwarding every event to a central account.
 */
export class IvsRealTimeMonitoring extends Construct {
  /** The profile in force: the given profile with this construct's overrides. */
  public readonly profile: MonitoringProfile;
  /** The environment name that every resource name carries. */
  public readonly environmentName: string;
  /** Alarms on composition Session and Destination Failures. */
  public readonly compositionFailureAlarm: CompositionFailureAlarm;
  /** Alarms on Recording Start and End Failures. */
  public readonly recordingFailureAlarm: RecordingFailureAlarm;
  /** Alarms on Participant Publish Errors. */
  public readonly publishErrorAlarm: PublishErrorAlarm;
  /** Recording notifications, when the profile's `recordingNotifications` is on. */
  public readonly recordingNotifier?: RecordingCompleteNotifier;
  /** The rule that writes every real-time IVS event to `allEventsLogGroup`. */
  public readonly allEventsRule: IvsStageEventRule;
  /** Every real-time IVS event, with the profile's retention. */
  public readonly allEventsLogGroup: logs.ILogGroup;
  /** The EventBridge archive of real-time IVS events, for replay. */
  public readonly archive: events.Archive;
  /** Stage health alarms: account-wide, then per named stage when asked. */
  public readonly stageHealthAlarms: cloudwatch.Alarm[];
  /** The rule forwarding every event to `forwardTo`, when given. */
  public readonly forwardingRule?: IvsStageEventRule;
  /** Alarms on undelivered events: the shared dead-letter queue and every rule's failed invocations. */
  public readonly deliveryAlarms: DeliveryAlarms;
  /** The dead-letter queue of every rule of this environment. */
  public readonly deadLetterQueue: sqs.IQueue;
  /** The key encrypting the topics and dead-letter queue. */
  public readonly encryptionKey: kms.IKey;
  /** The environment's dashboard, named `ivs-realtime-<environmentName>`. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** Every alarm this construct created. */
  public readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: IvsRealTimeMonitoringProps) {
    super(scope, id);
    const { environmentName, profile: base, stageArns, stages, perStageHealthAlarms, forwardTo, ...rest } = props;
    this.environmentName = environmentName;
    this.profile = (base ?? MonitoringProfile.PRODUCTION).withOverrides(rest);
    if (forwardTo) {
      validateForwardTarget(this, forwardTo);
    }
    if (props.recordingTopic && !this.profile.recordingNotifications) {
      throw new Error(`\`recordingTopic\` (${props.recordingTopic.node.path}) receives recording notifications, which the profile `
        + `'${this.profile.name}' or \`recordingNotifications\` turns off: drop one of the two`);
    }
    if (perStageHealthAlarms && (stageArns ?? []).length === 0 && (stages ?? []).length === 0) {
      throw new Error('`perStageHealthAlarms` needs the stages to alarm on in `stageArns` or `stages`, got none');
    }

    const core = new EventMonitoring(this, 'Events', {
      environmentName,
      profile: this.profile,
      stageArns,
      stages,
      destinations: props,
      notificationTopic: props.notificationTopic ?? props.warningTopics?.[0],
      encryptionKey: props.encryptionKey,
      maxPatternLength: props.maxPatternLength,
    });
    this.compositionFailureAlarm = core.compositionFailureAlarm;
    this.recordingFailureAlarm = core.recordingFailureAlarm;
    this.publishErrorAlarm = core.publishErrorAlarm;
    this.allEventsRule = core.allEventsRule;
    this.allEventsLogGroup = core.allEventsLogGroup;
    this.archive = core.archive;
    this.deadLetterQueue = core.deadLetterQueue;
    this.encryptionKey = core.encryptionKey;

    if (this.profile.recordingNotifications) {
      this.recordingNotifier = new RecordingCompleteNotifier(this, 'Recordings', {
        stageArns,
        stages,
        maxPatternLength: props.maxPatternLength,
        topic: props.recordingTopic,
        topicProps: props.recordingTopic ? undefined : { topicName: `${core.namePrefix}-recordings` },
        encryptionKey: props.recordingTopic ? undefined : core.encryptionKey,
        deadLetterQueue: core.deadLetterQueue,
        deliveryAlarms: false,
      });
    }
    if (forwardTo) {
      this.forwardingRule = new IvsStageEventRule(this, 'Forward', {
        stageArns,
        stages,
        maxPatternLength: props.maxPatternLength,
        deadLetterQueue: core.deadLetterQueue,
        targets: [new targets.EventBus(forwardTo)],
        description: `Forwards every Amazon IVS real-time event of ${core.namePrefix} to ${forwardTo.eventBusArn}`,
      });
    }

    const namedStages = perStageHealthAlarms ? [...(stageArns ?? []), ...(stages ?? []).map(s => s.stageRef.stageArn)] : [];
    this.stageHealthAlarms = createStageHealthAlarms(this, {
      namePrefix: core.namePrefix,
      profile: this.profile,
      actions: actionsOf(props.warningTopics, props.warningActions),
      stageArns: namedStages,
    });

    const completion = core.complete({
      title: `Amazon IVS real-time: ${environmentName} (${this.profile.name} profile)`,
      rules: [...(this.recordingNotifier?.rules ?? []), ...(this.forwardingRule ? [this.forwardingRule] : [])],
      alarms: this.stageHealthAlarms,
      byAccount: false,
      // The notifier's first two rules are the completed recordings (with and without duration).
      recordingsCompleted: this.recordingNotifier?.rules.slice(0, 2) ?? [],
      health: healthGraphs(namedStages, this.profile.alarmPeriod),
    });
    this.deliveryAlarms = completion.deliveryAlarms;
    this.alarms = completion.alarms;
    this.dashboard = completion.dashboard;
  }
}

/**
 * Forwarding exists to reach another account: IVS already publishes to this account's
 * default bus, and a same-account bus target would only duplicate events.
 */
function validateForwardTarget(scope: Construct, bus: events.IEventBus): void {
  const account = Stack.of(scope).account;
  const busAccount = bus.env.account;
  if (!Token.isUnresolved(account) && !Token.isUnresolved(busAccount) && account === busAccount) {
    throw new Error(`\`forwardTo\` must be an event bus in another account (a central monitoring account), got ${bus.eventBusArn}, `
      + `which is in this stack's account ${account}, where IVS events already arrive`);
  }
}
