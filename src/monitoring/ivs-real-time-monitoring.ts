import { Arn, ArnFormat, Aws, CfnRule, CfnRuleAssertion, Fn, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { createEventCore, createMonitoringView, withOverrides } from './monitoring-core';
import { MonitoringProfile } from './monitoring-profile';
import { MonitoringProfileOptions } from './profile-options';
import { settingsOf } from './profile-settings';
import { SeverityAlarmActionsOptions } from './severity-options';
import { createStageHealthAlarms, healthGraphs } from './stage-health';
import { CompositionFailureAlarm } from '../alarms/composition-failure-alarm';
import { DeliveryAlarms } from '../alarms/delivery-alarms';
import { IvsEventAlarm } from '../alarms/ivs-event-alarm';
import { PublishErrorAlarm } from '../alarms/publish-error-alarm';
import { RecordingFailureAlarm } from '../alarms/recording-failure-alarm';
import { IvsDetailType } from '../events/ivs-detail-type';
import { RecordingCompleteNotifier } from '../notifications/recording-complete-notifier';
import { stageArnsOf } from '../private/stages';
import { EncryptionOptions, RemovalPolicyOptions, StageSelectionOptions } from '../rules/event-source-options';
import { IvsStageEventRule } from '../rules/ivs-stage-event-rule';
import { FunctionRuntimeOptions } from '../tracker/function-runtime-options';
import { IvsStageStateTracker } from '../tracker/ivs-stage-state-tracker';

/**
 * Properties for `IvsRealTimeMonitoring`. Every profile setting can be overridden here,
 * e.g. `publishErrorThreshold: 30`: the settings given win over `profile`'s.
 */
export interface IvsRealTimeMonitoringProps extends MonitoringProfileOptions, StageSelectionOptions, SeverityAlarmActionsOptions,
  EncryptionOptions, RemovalPolicyOptions, FunctionRuntimeOptions {
  /**
   * The environment, e.g. `dev` or `prod`: part of the name of every event, stage health
   * and delivery alarm, the dashboard, the archive, every log group of IVS events and the
   * recording topic, so that two environments in one account never collide (the state
   * tracker's resources get generated names).
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
   * Whether to keep the state of the stages in a table (`IvsStageStateTracker`, with its
   * reconciler and stage activity events); its alarms are critical and on the dashboard.
   *
   * @default false
   */
  readonly stateTracking?: boolean;

  /**
   * Whether the named stages (`stageArns`, `stages`) also get stage health alarms of
   * their own, besides the account-wide ones.
   *
   * @default false
   */
  readonly perStageHealthAlarms?: boolean;

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
  /** The state tracker, when `stateTracking` is on. */
  public readonly stateTracker?: IvsStageStateTracker;
  /** The rule forwarding every event to `forwardTo`, when given. */
  public readonly forwardingRule?: IvsStageEventRule;
  /** Alarms on undelivered events: the shared dead-letter queue and every rule's failed invocations. */
  public readonly deliveryAlarms: DeliveryAlarms;
  /** The dead-letter queue of every rule of this environment. */
  public readonly deadLetterQueue: sqs.IQueue;
  /** The key encrypting the topics, the dead-letter queue, the log groups and, with `stateTracking`, the tracker's queues and table. */
  public readonly encryptionKey: kms.IKey;
  /** The environment's dashboard, named `ivs-realtime-<environmentName>`. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** Every alarm this construct created, and those its state tracker created since (`onStageIdle` with a grace period). */
  public get alarms(): cloudwatch.Alarm[] {
    return this.allAlarms();
  }
  /** The event alarms, in dashboard order: composition failures, recording failures, publish errors. */
  public readonly eventAlarms: IvsEventAlarm[];
  private readonly allAlarms: () => cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: IvsRealTimeMonitoringProps) {
    super(scope, id);
    const stageArns = stageArnsOf(props);
    this.environmentName = props.environmentName;
    this.profile = withOverrides(props.profile ?? MonitoringProfile.PRODUCTION, props);
    const settings = settingsOf(this.profile);
    if (props.forwardTo) {
      validateForwardTarget(this, props.forwardTo);
    }
    if (props.recordingTopic && !settings.recordingNotifications) {
      throw new Error(`\`recordingTopic\` (${props.recordingTopic.node.path}) receives recording notifications, which the profile `
        + `'${this.profile.name}' or \`recordingNotifications\` turns off: drop one of the two`);
    }
    if (props.runtime && !props.stateTracking) {
      throw new Error(`\`runtime\` (${props.runtime.name}) applies to the state tracker's functions, which \`stateTracking\` `
        + `${props.stateTracking === false ? 'false' : 'unset'} does not create: drop \`runtime\` or set \`stateTracking: true\``);
    }
    if (props.perStageHealthAlarms && stageArns.length === 0) {
      throw new Error('`perStageHealthAlarms` needs the stages to alarm on in `stageArns` or `stages`, got none');
    }

    // Rules and event alarms first, then the environment's own parts, then what watches them all.
    const core = createEventCore(this, {
      environmentName: props.environmentName,
      settings,
      destinations: props,
      stageArns,
      maxPatternLength: props.maxPatternLength,
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy,
    });
    this.compositionFailureAlarm = core.eventAlarms.compositionFailures;
    this.recordingFailureAlarm = core.eventAlarms.recordingFailures;
    this.publishErrorAlarm = core.eventAlarms.publishErrors;
    this.eventAlarms = Object.values(core.eventAlarms);
    this.allEventsRule = core.allEventsRule;
    this.allEventsLogGroup = core.allEventsLogGroup;
    this.archive = core.archive;
    this.deadLetterQueue = core.deadLetterQueue;
    this.encryptionKey = core.encryptionKey;

    if (settings.recordingNotifications) {
      this.recordingNotifier = new RecordingCompleteNotifier(this, 'Recordings', {
        stageArns,
        maxPatternLength: props.maxPatternLength,
        topic: props.recordingTopic,
        topicProps: props.recordingTopic ? undefined : { topicName: `${core.namePrefix}-recordings` },
        encryptionKey: props.recordingTopic ? undefined : core.encryptionKey,
        deadLetterQueue: core.deadLetterQueue,
        deliveryAlarms: false,
      });
    }
    if (props.forwardTo) {
      this.forwardingRule = new IvsStageEventRule(this, 'Forward', {
        // By detail-type alone: the central account gets events the catalog lacks too.
        detailTypes: IvsDetailType.all(),
        stageArns,
        maxPatternLength: props.maxPatternLength,
        deadLetterQueue: core.deadLetterQueue,
        targets: [new targets.EventBus(props.forwardTo)],
        description: `Forwards every Amazon IVS real-time event of ${core.namePrefix} to ${props.forwardTo.eventBusArn}`,
      });
    }
    if (props.stateTracking) {
      this.stateTracker = new IvsStageStateTracker(this, 'StateTracker', {
        stageArns,
        maxPatternLength: props.maxPatternLength,
        encryptionKey: core.encryptionKey,
        removalPolicy: props.removalPolicy,
        runtime: props.runtime,
        ...core.routing.critical,
      });
    }
    const healthStages = props.perStageHealthAlarms ? stageArns : [];
    this.stageHealthAlarms = createStageHealthAlarms(this, {
      namePrefix: core.namePrefix,
      settings,
      routing: core.routing.warning,
      stageArns: healthStages,
    });

    const view = createMonitoringView(this, core, {
      title: `Amazon IVS real-time: ${props.environmentName} (${this.profile.name} profile)`,
      // The tracker's rule is watched by the tracker's own dead-letter alarm: a second
      // delivery alarm on the same queue would page twice.
      rules: [...(this.recordingNotifier?.rules ?? []), ...(this.forwardingRule ? [this.forwardingRule] : [])],
      alarms: () => [...this.stageHealthAlarms, ...(this.stateTracker?.alarms ?? [])],
      byAccount: false,
      recordingsCompleted: this.recordingNotifier?.completedRules ?? [],
      health: healthGraphs(healthStages, settings.alarmPeriod),
    });
    this.deliveryAlarms = view.deliveryAlarms;
    this.allAlarms = view.alarms;
    this.dashboard = view.dashboard;
  }
}

/**
 * Forwarding exists to reach another account: IVS already publishes to this account's
 * default bus, and a same-account bus target would only duplicate events.
 */
function validateForwardTarget(scope: Construct, bus: events.IEventBus): void {
  const stack = Stack.of(scope);
  const busAccount = bus.env.account;
  if (!Token.isUnresolved(stack.account) && !Token.isUnresolved(busAccount) && stack.account === busAccount) {
    throw new Error(`\`forwardTo\` must be an event bus in another account (a central monitoring account), got ${bus.eventBusArn}, `
      + `which is in this stack's account ${stack.account}, where IVS events already arrive`);
  }
  const busPartition = Token.isUnresolved(bus.eventBusArn) ? undefined : Arn.split(bus.eventBusArn, ArnFormat.SLASH_RESOURCE_NAME).partition;
  const stackPartition = Token.isUnresolved(stack.region) ? undefined : RegionInfo.get(stack.region).partition;
  if (busPartition && stackPartition && busPartition !== stackPartition) {
    throw new Error(`\`forwardTo\` must be an event bus in this stack's partition (${stackPartition}): EventBridge cannot send events `
      + `across partitions, got ${bus.eventBusArn}`);
  }
  // An environment-agnostic stack learns its account and partition only at deploy time:
  // let CloudFormation refuse the stack there, before anything is created.
  const assertions: CfnRuleAssertion[] = [];
  if (Token.isUnresolved(stack.account) && !Token.isUnresolved(busAccount)) {
    assertions.push({
      assert: Fn.conditionNot(Fn.conditionEquals(Aws.ACCOUNT_ID, busAccount)),
      assertDescription: `forwardTo must be an event bus in another account than this stack's; ${busAccount} is this account, where IVS events already arrive.`,
    });
  }
  if (busPartition && !stackPartition) {
    assertions.push({
      assert: Fn.conditionEquals(Aws.PARTITION, busPartition),
      assertDescription: `forwardTo is an event bus in partition ${busPartition}; EventBridge cannot send events across partitions.`,
    });
  }
  if (assertions.length > 0) {
    new CfnRule(scope, 'ForwardToCheck', { assertions });
  }
}
