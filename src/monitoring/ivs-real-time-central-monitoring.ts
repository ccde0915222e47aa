import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
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
import { EventMonitoring, validateEnvironmentName } from '../private/event-monitoring';
import { IvsStageEventRule } from '../rules/ivs-stage-event-rule';

const ACCOUNT_ID = /^\d{12}$/;
const EVENT_BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;

/**
 * Properties for `IvsRealTimeCentralMonitoring`. Profile values can be overridden here,
 * except those of what stays in the source accounts: `recordingNotifications`,
 * `packetLossThresholdPercent` and `droppedFramesThresholdPercent`.
 */
export interface IvsRealTimeCentralMonitoringProps extends MonitoringProfileOptions {
  /**
   * The accounts whose IVS events are forwarded here (`IvsRealTimeMonitoring.forwardTo`).
   * The bus policy allows exactly these to put events.
   */
  readonly sourceAccounts: string[];

  /**
   * Names the alarms, dashboard, archive and log groups (`ivs-realtime-<environmentName>`).
   *
   * @default 'central'
   */
  readonly environmentName?: string;

  /**
   * The name of the event bus this construct creates.
   *
   * @default 'ivs-realtime-<environmentName>'
   */
  readonly eventBusName?: string;

  /**
   * Alarm actions, thresholds and retention of the central monitoring.
   *
   * @default MonitoringProfile.PRODUCTION
   */
  readonly profile?: MonitoringProfile;

  /**
   * Only events of these stages (any source account; tokens accepted).
   *
   * @default - every stage of every source account
   */
  readonly stageArns?: string[];

  /**
   * Only events of these stages, given as stage resources (e.g. `CfnStage`).
   *
   * @default - no stages beyond `stageArns`
   */
  readonly stages?: ivsRefs.IStageRef[];

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
   * The topic that receives a readable message, naming the source account, per
   * composition or recording failure event.
   *
   * @default - the first of `warningTopics`; no such messages when there is none
   */
  readonly notificationTopic?: sns.ITopic;

  /**
   * The longest event pattern a rule may have: EventBridge's quota in your account
   * (2048 by default, up to 4096 once raised). Longer stage lists are split across rules.
   *
   * @default 2048
   */
  readonly maxPatternLength?: number;

  /**
   * The customer-managed key that encrypts the dead-letter queue.
   *
   * @default - a new key with rotation enabled
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * The receiving side of central IVS monitoring: an event bus that the listed accounts
 * forward their real-time IVS events to, and on it the same event alarms, event log,
 * archive and dashboard as in each environment, with the source account in every log
 * line, notification and dashboard breakdown.
 *
 * Stage health metrics stay in each source account (CloudWatch metrics are per account);
 * watch them there, or through CloudWatch cross-account observability.
 */
export class IvsRealTimeCentralMonitoring extends Construct {
  /** The bus the source accounts put their IVS events on. */
  public readonly eventBus: events.EventBus;
  /** The profile in force. */
  public readonly profile: MonitoringProfile;
  /** The environment name every resource name carries. */
  public readonly environmentName: string;
  /** Alarms on composition failures of every source account. */
  public readonly compositionFailureAlarm: CompositionFailureAlarm;
  /** Alarms on recording failures of every source account. */
  public readonly recordingFailureAlarm: RecordingFailureAlarm;
  /** Alarms on publish errors of every source account. */
  public readonly publishErrorAlarm: PublishErrorAlarm;
  /** The rule writing every forwarded event to `allEventsLogGroup`. */
  public readonly allEventsRule: IvsStageEventRule;
  /** Every forwarded real-time IVS event; `account` names its source. */
  public readonly allEventsLogGroup: logs.ILogGroup;
  /** The archive of forwarded events, for replay. */
  public readonly archive: events.Archive;
  /** Alarms on undelivered events. */
  public readonly deliveryAlarms: DeliveryAlarms;
  /** The dead-letter queue of every rule. */
  public readonly deadLetterQueue: sqs.IQueue;
  /** The key encrypting the dead-letter queue. */
  public readonly encryptionKey: kms.IKey;
  /** The central dashboard, named `ivs-realtime-<environmentName>`. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** Every alarm this construct created. */
  public readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: IvsRealTimeCentralMonitoringProps) {
    super(scope, id);
    const { sourceAccounts, environmentName = 'central', eventBusName, profile: base, stageArns, stages, ...rest } = props;
    validateEnvironmentName(environmentName);
    validateSourceAccounts(sourceAccounts);
    for (const prop of ['recordingNotifications', 'packetLossThresholdPercent', 'droppedFramesThresholdPercent'] as const) {
      if (props[prop] !== undefined) {
        throw new Error(`\`${prop}\` does not apply to the central account, got ${props[prop]}: recording notifications and stage health `
          + 'alarms stay in each source account (IvsRealTimeMonitoring)');
      }
    }
    this.environmentName = environmentName;
    this.profile = (base ?? MonitoringProfile.PRODUCTION).withOverrides(rest);

    const busName = eventBusName ?? `ivs-realtime-${environmentName}`;
    if (!Token.isUnresolved(busName) && !EVENT_BUS_NAME.test(busName)) {
      throw new Error(`\`eventBusName\` must be 1-256 characters of letters, digits, '/', '.', '-' and '_', got '${busName}'`);
    }
    this.eventBus = new events.EventBus(this, 'Bus', { eventBusName: busName });
    // The bus's own Policy property: one resource, and no AWS::Events::EventBusPolicy
    // (whose deprecated properties aws-cdk-lib warns about on every synth). The ARN is
    // formatted, not read, since a bus cannot reference its own attribute.
    const busArn = Stack.of(this).formatArn({ service: 'events', resource: 'event-bus', resourceName: busName });
    const policy = new iam.PolicyDocument({
      statements: [...new Set(sourceAccounts)].map((account, i) => new iam.PolicyStatement({
        sid: `AllowPutEventsFrom${Token.isUnresolved(account) ? `SourceAccount${i + 1}` : account}`,
        principals: [new iam.AccountPrincipal(account)],
        actions: ['events:PutEvents'],
        resources: [busArn],
      })),
    });
    (this.eventBus.node.defaultChild as events.CfnEventBus).policy = policy.toJSON();

    const core = new EventMonitoring(this, 'Events', {
      environmentName,
      profile: this.profile,
      eventBus: this.eventBus,
      stageArns,
      stages,
      destinations: props,
      notificationTopic: props.notificationTopic ?? props.warningTopics?.[0],
      encryptionKey: props.encryptionKey,
      maxPatternLength: props.maxPatternLength,
    });
    // IVS events do reach this bus: the source accounts forward them.
    Annotations.of(this).acknowledgeWarning('cdk-ivs-realtime-events:customEventBus', 'IVS events are forwarded to the central bus');
    this.compositionFailureAlarm = core.compositionFailureAlarm;
    this.recordingFailureAlarm = core.recordingFailureAlarm;
    this.publishErrorAlarm = core.publishErrorAlarm;
    this.allEventsRule = core.allEventsRule;
    this.allEventsLogGroup = core.allEventsLogGroup;
    this.archive = core.archive;
    this.deadLetterQueue = core.deadLetterQueue;
    this.encryptionKey = core.encryptionKey;

    const completion = core.complete({
      title: `Amazon IVS real-time: ${environmentName}, events of ${[...new Set(sourceAccounts)].join(', ')}`,
      rules: [],
      alarms: [],
      byAccount: true,
      recordingsCompleted: [],
      health: [],
    });
    this.deliveryAlarms = completion.deliveryAlarms;
    this.alarms = completion.alarms;
    this.dashboard = completion.dashboard;
  }
}

function validateSourceAccounts(accounts: string[]): void {
  if (accounts.length === 0) {
    throw new Error('`sourceAccounts` must name at least one account that forwards IVS events, got []');
  }
  for (const account of accounts) {
    if (!Token.isUnresolved(account) && !ACCOUNT_ID.test(account)) {
      throw new Error(`\`sourceAccounts\` must contain 12-digit AWS account ids, got '${account}'`);
    }
  }
}
