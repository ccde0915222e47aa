import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { createEventCore, createMonitoringView, withOverrides } from './monitoring-core';
import { MonitoringProfile } from './monitoring-profile';
import { EventMonitoringProfileOptions } from './profile-options';
import { EVENT_SETTING_NAMES, settingsOf } from './profile-settings';
import { SeverityAlarmActionsOptions } from './severity-options';
import { CompositionFailureAlarm } from '../alarms/composition-failure-alarm';
import { DeliveryAlarms } from '../alarms/delivery-alarms';
import { IvsEventAlarm } from '../alarms/ivs-event-alarm';
import { PublishErrorAlarm } from '../alarms/publish-error-alarm';
import { RecordingFailureAlarm } from '../alarms/recording-failure-alarm';
import { MAX_EVENT_BUS_POLICY_BYTES } from '../private/aws-facts';
import { stageArnsOf } from '../private/stages';
import { IVS_SOURCE } from '../rules/event-pattern';
import { EncryptionOptions, RemovalPolicyOptions, StageSelectionOptions } from '../rules/event-source-options';
import { IvsStageEventRule } from '../rules/ivs-stage-event-rule';

const ACCOUNT_ID = /^\d{12}$/;
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const EVENT_BUS_NAME = /^(?!default$)[.\-_A-Za-z0-9]{1,256}$/;

/**
 * Properties for `IvsRealTimeCentralMonitoring`. The profile settings that apply to events
 * can be overridden here; recording notifications and stage health stay in each source
 * account (`IvsRealTimeMonitoring`).
 */
export interface IvsRealTimeCentralMonitoringProps extends EventMonitoringProfileOptions, StageSelectionOptions,
  SeverityAlarmActionsOptions, EncryptionOptions, RemovalPolicyOptions {
  /**
   * The accounts whose IVS events are forwarded here (`IvsRealTimeMonitoring.forwardTo`).
   * The bus policy allows exactly these to put events, and only events of source `aws.ivs`.
   *
   * @default - none; `sourceOrganizationId` must be given
   */
  readonly sourceAccounts?: string[];

  /**
   * An AWS Organizations id (`o-...`): every account of the organization may put events
   * (of source `aws.ivs`) on the bus, through an `aws:PrincipalOrgID` condition. Accounts
   * that join later need no change here.
   *
   * @default - only `sourceAccounts`
   */
  readonly sourceOrganizationId?: string;

  /**
   * Names the alarms, dashboard, archive, log groups and, unless `eventBusName` is given, the
   * event bus (`ivs-realtime-<environmentName>`).
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
  /** The key encrypting the dead-letter queue and the log groups. */
  public readonly encryptionKey: kms.IKey;
  /** The central dashboard, named `ivs-realtime-<environmentName>`. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** Every alarm this construct created. */
  public readonly alarms: cloudwatch.Alarm[];
  /** The event alarms, in dashboard order: composition failures, recording failures, publish errors. */
  public readonly eventAlarms: IvsEventAlarm[];

  constructor(scope: Construct, id: string, props: IvsRealTimeCentralMonitoringProps) {
    super(scope, id);
    const { environmentName = 'central', eventBusName } = props;
    const sourceAccounts = [...new Set(props.sourceAccounts ?? [])];
    const stageArns = stageArnsOf(props);
    validateSources(sourceAccounts, props.sourceOrganizationId);
    this.environmentName = environmentName;
    this.profile = withOverrides(props.profile ?? MonitoringProfile.PRODUCTION, props, EVENT_SETTING_NAMES);

    const busName = eventBusName ?? `ivs-realtime-${environmentName}`;
    if (!Token.isUnresolved(busName) && !EVENT_BUS_NAME.test(busName)) {
      throw new Error(`\`eventBusName\` must be 1-256 characters of letters, digits, '.', '-' and '_', and not 'default', got '${busName}'`);
    }
    this.eventBus = new events.EventBus(this, 'Bus', { eventBusName: busName });
    // The bus's own Policy property: one resource, and no AWS::Events::EventBusPolicy
    // (whose deprecated properties aws-cdk-lib warns about on every synth). The ARN is
    // formatted, not read, since a bus cannot reference its own attribute. Only IVS events:
    // `events:source`, as in EventBridge's cross-account example (eb-event-bus-example-policy-cross-account-custom-bus-source).
    const busArn = Stack.of(this).formatArn({ service: 'events', resource: 'event-bus', resourceName: busName });
    // ForAllValues holds for a request without the key: Null false makes the source required.
    const onlyIvs = { 'ForAllValues:StringEquals': { 'events:source': [IVS_SOURCE] }, 'Null': { 'events:source': 'false' } };
    const statements = [
      ...(sourceAccounts.length > 0 ? [new iam.PolicyStatement({
        sid: 'AllowIvsEventsFromSourceAccounts',
        principals: sourceAccounts.map(account => new iam.AccountPrincipal(account)),
        actions: ['events:PutEvents'],
        resources: [busArn],
        conditions: onlyIvs,
      })] : []),
      ...(props.sourceOrganizationId ? [new iam.PolicyStatement({
        sid: 'AllowIvsEventsFromOrganization',
        principals: [new iam.AnyPrincipal()],
        actions: ['events:PutEvents'],
        resources: [busArn],
        conditions: { ...onlyIvs, StringEquals: { 'aws:PrincipalOrgID': props.sourceOrganizationId } },
      })] : []),
    ];
    const policy = new iam.PolicyDocument({ statements });
    (this.eventBus.node.defaultChild as events.CfnEventBus).policy = policy.toJSON();

    const core = createEventCore(this, {
      environmentName,
      settings: settingsOf(this.profile),
      destinations: props,
      eventBus: this.eventBus,
      stageArns,
      maxPatternLength: props.maxPatternLength,
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy,
    });
    // IVS events do reach this bus: the source accounts forward them.
    Annotations.of(this).acknowledgeWarning('cdk-ivs-realtime-events:customEventBus', 'IVS events are forwarded to the central bus');
    this.compositionFailureAlarm = core.eventAlarms.compositionFailures;
    this.recordingFailureAlarm = core.eventAlarms.recordingFailures;
    this.publishErrorAlarm = core.eventAlarms.publishErrors;
    this.eventAlarms = Object.values(core.eventAlarms);
    this.allEventsRule = core.allEventsRule;
    this.allEventsLogGroup = core.allEventsLogGroup;
    this.archive = core.archive;
    this.deadLetterQueue = core.deadLetterQueue;
    this.encryptionKey = core.encryptionKey;

    const view = createMonitoringView(this, core, {
      title: `Amazon IVS real-time: ${environmentName}, events of ${[...sourceAccounts, ...(props.sourceOrganizationId ? [`organization ${props.sourceOrganizationId}`] : [])].join(', ')}`,
      rules: [],
      alarms: () => [],
      byAccount: true,
      recordingsCompleted: [],
      health: [],
    });
    this.deliveryAlarms = view.deliveryAlarms;
    this.alarms = view.alarms();
    this.dashboard = view.dashboard;
  }
}

function validateSources(accounts: string[], organizationId: string | undefined): void {
  if (accounts.length === 0 && organizationId === undefined) {
    throw new Error('`sourceAccounts` must name at least one account that forwards IVS events, or `sourceOrganizationId` its organization, got neither');
  }
  for (const account of accounts) {
    if (!Token.isUnresolved(account) && !ACCOUNT_ID.test(account)) {
      throw new Error(`\`sourceAccounts\` must contain 12-digit AWS account ids, got '${account}'`);
    }
  }
  if (organizationId !== undefined && !Token.isUnresolved(organizationId) && !ORGANIZATION_ID.test(organizationId)) {
    throw new Error(`\`sourceOrganizationId\` must be an AWS Organizations id (o- and 10 to 32 lowercase letters or digits), got '${organizationId}'`);
  }
  // Each account principal takes about 45 bytes of the bus policy.
  const estimate = 600 + 45 * accounts.length;
  if (estimate > MAX_EVENT_BUS_POLICY_BYTES) {
    throw new Error(`${accounts.length} \`sourceAccounts\` would make the event bus policy about ${estimate} bytes, more than the `
      + `${MAX_EVENT_BUS_POLICY_BYTES} EventBridge allows: give \`sourceOrganizationId\` instead`);
  }
}
