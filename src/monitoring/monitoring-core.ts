import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CountGraph, createDashboard } from './dashboard';
import { EVENT_ALARM_PRESETS, EventAlarms, Severity } from './event-alarm-presets';
import { MonitoringProfile } from './monitoring-profile';
import { MonitoringProfileOptions } from './profile-options';
import { ProfileSettings, SETTING_NAMES, settingsIn } from './profile-settings';
import { SeverityAlarmActionsOptions } from './severity-options';
import { AlarmActionsOptions } from '../alarms/alarm-actions';
import { DeliveryAlarms } from '../alarms/delivery-alarms';
import { IvsEventAlarm } from '../alarms/ivs-event-alarm';
import { IvsDetailType } from '../events/ivs-detail-type';
import { topicActions } from '../private/alarm-actions';
import { warnIfAwsManagedSnsKey } from '../private/encryption';
import { LogGroupTarget, createEventLogGroup } from '../private/log-group-target';
import { deadLetterQueueFor } from '../private/reliable-rule';
import { IVS_SOURCE } from '../rules/event-pattern';
import { IvsStageEventRule } from '../rules/ivs-stage-event-rule';

const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/;
const environmentsOf = new WeakMap<Stack, Set<string>>();

export interface EventCoreOptions {
  /** Names every resource: `ivs-realtime-<environmentName>`. */
  readonly environmentName: string;
  readonly settings: ProfileSettings;
  readonly destinations: SeverityAlarmActionsOptions;
  readonly eventBus?: events.IEventBus;
  /** Already merged and validated (`stageArnsOf`). */
  readonly stageArns: string[];
  readonly maxPatternLength?: number;
  readonly encryptionKey?: kms.IKey;
  readonly removalPolicy?: RemovalPolicy;
}

/** What every monitored place has: the shared key and queue, the event alarms, the event log and archive. */
export interface EventCore {
  readonly namePrefix: string;
  readonly routing: Record<Severity, AlarmActionsOptions>;
  readonly encryptionKey: kms.IKey;
  readonly deadLetterQueue: sqs.IQueue;
  readonly eventAlarms: EventAlarms;
  readonly allEventsRule: IvsStageEventRule;
  readonly allEventsLogGroup: logs.LogGroup;
  readonly archive: events.Archive;
}

/**
 * The first half of a monitoring construct, built into `scope`: one key and dead-letter
 * queue for everything, the event alarms from the preset table, every real-time event in
 * a log group, and an archive for replay. They sit under `Events`, which keeps their
 * logical ids stable.
 */
export function createEventCore(scope: Construct, options: EventCoreOptions): EventCore {
  if (!ENVIRONMENT_NAME.test(options.environmentName)) {
    throw new Error('`environmentName` must be 1-32 letters, digits and hyphens, starting with a letter or digit '
      + `(it is part of alarm, dashboard and archive names), got '${options.environmentName}'`);
  }
  const { settings, destinations } = options;
  const namePrefix = `ivs-realtime-${options.environmentName}`;
  // Alarm, log group, archive and dashboard names would collide at deploy time.
  const names = environmentsOf.get(Stack.of(scope)) ?? new Set<string>();
  if (names.has(options.environmentName)) {
    throw new Error(`\`environmentName\` '${options.environmentName}' is already monitored in stack ${Stack.of(scope).stackName}: `
      + 'every environment needs a name of its own (its alarms, log groups, archive and dashboard are named after it)');
  }
  environmentsOf.set(Stack.of(scope), names.add(options.environmentName));
  const container = new Construct(scope, 'Events');
  const encryptionKey = options.encryptionKey ?? new kms.Key(container, 'Key', {
    enableKeyRotation: true,
    description: `Encrypts the topics, dead-letter queue and log groups of ${namePrefix}`,
    removalPolicy: options.removalPolicy,
  });
  // `/aws/events/ivs-realtime-<env>/...`: under the prefix one log resource policy covers.
  const logGroup = (name: string) => createEventLogGroup(container, `${pascalCase(name)}Log`, {
    logGroupName: `/aws/events/${namePrefix}/${name}`,
    retention: settings.logRetention,
    encryptionKey,
    removalPolicy: options.removalPolicy,
  });
  const deadLetterQueue = deadLetterQueueFor(container, { encryptionKey, removalPolicy: options.removalPolicy });
  for (const prop of ['criticalTopics', 'warningTopics'] as const) {
    destinations[prop]?.forEach((topic, i) => warnIfAwsManagedSnsKey(scope, topic, `${prop}[${i}]`, 'CloudWatch'));
  }
  const routing = {
    critical: routingOf(destinations.criticalTopics, destinations.criticalActions, settings),
    warning: routingOf(destinations.warningTopics, destinations.warningActions, settings),
  };
  const notificationTopic = settings.failureEventNotifications ? destinations.notificationTopic ?? destinations.warningTopics?.[0] : undefined;
  const rows = Object.entries(EVENT_ALARM_PRESETS) as [keyof EventAlarms, (typeof EVENT_ALARM_PRESETS)[keyof EventAlarms]][];
  const eventAlarms = Object.fromEntries(rows.map(([key, row]) => [key, row.create(container, row.id, {
    eventBus: options.eventBus,
    maxPatternLength: options.maxPatternLength,
    stageArns: options.stageArns,
    threshold: settings[row.threshold],
    period: settings.alarmPeriod,
    evaluationPeriods: settings.evaluationPeriods,
    alarmName: `${namePrefix}-${row.nameSuffix}`,
    ...routing[row.severity],
    logGroup: logGroup(row.nameSuffix),
    notificationTopic: row.notifiesEachEvent ? notificationTopic : undefined,
    deadLetterQueue,
    // One set of delivery alarms watches every rule of the environment.
    deliveryAlarms: false,
  })])) as unknown as EventAlarms;

  const allEventsLogGroup = logGroup('all-events');
  const allEventsRule = new IvsStageEventRule(container, 'AllEvents', {
    // By detail-type alone: events IVS documents but the catalog lacks are kept too.
    detailTypes: IvsDetailType.all(),
    eventBus: options.eventBus,
    maxPatternLength: options.maxPatternLength,
    stageArns: options.stageArns,
    deadLetterQueue,
    targets: [new LogGroupTarget(allEventsLogGroup)],
    description: `Every Amazon IVS real-time event of ${namePrefix}, kept in ${allEventsLogGroup.node.path}`,
  });

  // Replay needs the events as IVS sent them, of every stage: the archive keeps every
  // real-time detail-type and leaves stage scoping to the replay's own rules.
  const archive = new events.Archive(container, 'Archive', {
    archiveName: namePrefix,
    description: `Amazon IVS real-time events of ${namePrefix}, for replay`,
    sourceEventBus: options.eventBus ?? events.EventBus.fromEventBusName(container, 'DefaultBus', 'default'),
    eventPattern: { source: [IVS_SOURCE], detailType: IvsDetailType.all().map(d => d.name) },
    retention: settings.archiveRetention.toDays() === 0 ? undefined : settings.archiveRetention,
  });
  if (options.removalPolicy) {
    archive.applyRemovalPolicy(options.removalPolicy);
  }

  return { namePrefix, routing, encryptionKey, deadLetterQueue, eventAlarms, allEventsRule, allEventsLogGroup, archive };
}

export interface MonitoringViewOptions {
  readonly title: string;
  /** Rules beyond the core's, e.g. notifications and forwarding: their deliveries are watched too. */
  readonly rules: IvsStageEventRule[];
  /** Alarms beyond the core's, e.g. stage health; read at synthesis, so that alarms added later count. */
  readonly alarms: () => cloudwatch.Alarm[];
  /** Break event counts down by source account (central monitoring). */
  readonly byAccount: boolean;
  /** The rules whose matches are finished recordings. */
  readonly recordingsCompleted: IvsStageEventRule[];
  /** Stage health graphs, a row each. */
  readonly health: cloudwatch.IMetric[][];
}

export interface MonitoringView {
  readonly deliveryAlarms: DeliveryAlarms;
  /** Every alarm, as it is when called. */
  readonly alarms: () => cloudwatch.Alarm[];
  readonly dashboard: cloudwatch.Dashboard;
}

/**
 * The second half, once every rule exists: delivery alarms over all of them (critical),
 * then the dashboard over every alarm, built into `scope`.
 */
export function createMonitoringView(scope: Construct, core: EventCore, options: MonitoringViewOptions): MonitoringView {
  const eventAlarms: IvsEventAlarm[] = Object.values(core.eventAlarms);
  const deliveryRules = [...eventAlarms.map(a => a.rule), core.allEventsRule, ...options.rules];
  const deliveryAlarms = new DeliveryAlarms(scope, 'Delivery', {
    rules: deliveryRules,
    alarmNamePrefix: `${core.namePrefix}-delivery`,
    ...core.routing.critical,
  });
  const alarms = () => [
    ...eventAlarms.map(a => a.alarm), ...options.alarms(),
    ...deliveryAlarms.deadLetterQueueAlarms, ...deliveryAlarms.failedInvocationsAlarms,
  ];
  const eventCounts: CountGraph[] = Object.entries(EVENT_ALARM_PRESETS).map(([key, row]) =>
    ({ title: row.title, rules: [core.eventAlarms[key as keyof EventAlarms].rule] }));
  const dashboard = createDashboard(scope, {
    dashboardName: core.namePrefix,
    title: options.title,
    alarms,
    allEventsLogGroup: core.allEventsLogGroup,
    byAccount: options.byAccount,
    eventCounts,
    recordingsCompleted: options.recordingsCompleted,
    deadLetterQueue: core.deadLetterQueue,
    deliveryRules,
    health: options.health,
  });
  return { deliveryAlarms, alarms, dashboard };
}

/**
 * `base` with the profile settings set among a construct's props (of `names`), or `base`
 * itself when there are none: the one way overrides become a profile.
 */
export function withOverrides(base: MonitoringProfile, props: MonitoringProfileOptions, names = SETTING_NAMES): MonitoringProfile {
  const overrides = settingsIn(props, names);
  return Object.keys(overrides).length === 0 ? base : MonitoringProfile.custom({ ...overrides, name: base.name, basedOn: base });
}

/** Severity destinations as the one alarm-action shape every alarm takes. */
function routingOf(topics: sns.ITopic[] | undefined, actions: cloudwatch.IAlarmAction[] | undefined, settings: ProfileSettings): AlarmActionsOptions {
  const all = [...topicActions(topics), ...(actions ?? [])];
  return { alarmActions: all, okActions: all, actionsEnabled: settings.alarmActionsEnabled };
}

function pascalCase(name: string): string {
  return name.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase());
}
