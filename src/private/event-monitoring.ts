import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { aws_ivs as ivsRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { createDashboard } from './dashboard';
import { LogGroupTarget } from './log-group-target';
import { createDeadLetterQueue } from './reliable-rule';
import { validateStageArn } from './validation';
import { CompositionFailureAlarm } from '../alarms/composition-failure-alarm';
import { DeliveryAlarms } from '../alarms/delivery-alarms';
import { IvsEventAlarm } from '../alarms/ivs-event-alarm';
import { PublishErrorAlarm } from '../alarms/publish-error-alarm';
import { RecordingFailureAlarm } from '../alarms/recording-failure-alarm';
import { IvsDetailType } from '../events/ivs-detail-type';
import { MonitoringProfile } from '../monitoring/monitoring-profile';
import { IvsStageEventRule } from '../rules/ivs-stage-event-rule';

const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/;

/** `environmentName`: it goes into alarm, dashboard, archive and log group names. */
export function validateEnvironmentName(value: string): void {
  if (!ENVIRONMENT_NAME.test(value)) {
    throw new Error(`\`environmentName\` must be 1-32 letters, digits and hyphens, starting with a letter or digit (it is part of alarm, dashboard and archive names), got '${value}'`);
  }
}

/** Where the alarms of a monitoring construct report, by severity. */
export interface SeverityDestinations {
  readonly criticalTopics?: sns.ITopic[];
  readonly criticalActions?: cloudwatch.IAlarmAction[];
  readonly warningTopics?: sns.ITopic[];
  readonly warningActions?: cloudwatch.IAlarmAction[];
}

export function actionsOf(topics: sns.ITopic[] | undefined, actions: cloudwatch.IAlarmAction[] | undefined): cloudwatch.IAlarmAction[] {
  return [...(topics ?? []).map(t => new cloudwatchActions.SnsAction(t)), ...(actions ?? [])];
}

export interface CompletionSpec {
  readonly title: string;
  /** Rules beyond the event alarms' and the all-events rule, e.g. notifications, forwarding. */
  readonly rules: IvsStageEventRule[];
  /** Alarms beyond the event alarms, e.g. stage health. */
  readonly alarms: cloudwatch.Alarm[];
  readonly byAccount: boolean;
  readonly recordingsCompleted: IvsStageEventRule[];
  readonly health: cloudwatch.IMetric[][];
}

export interface Completion {
  readonly deliveryAlarms: DeliveryAlarms;
  readonly alarms: cloudwatch.Alarm[];
  readonly dashboard: cloudwatch.Dashboard;
}

export interface EventMonitoringOptions {
  /** Names every resource: `ivs-realtime-<environmentName>`. */
  readonly environmentName: string;
  readonly profile: MonitoringProfile;
  readonly eventBus?: events.IEventBus;
  readonly stageArns?: string[];
  readonly stages?: ivsRefs.IStageRef[];
  readonly destinations: SeverityDestinations;
  /** Receives a readable message per failure event when the profile says so. */
  readonly notificationTopic?: sns.ITopic;
  readonly encryptionKey?: kms.IKey;
  readonly maxPatternLength?: number;
}

/**
 * What an environment and the central account have in common: the three event alarms,
 * every real-time IVS event in a log group, an archive for replay, and one shared,
 * encrypted dead-letter queue for every rule.
 */
export class EventMonitoring extends Construct {
  public readonly namePrefix: string;
  public readonly encryptionKey: kms.IKey;
  public readonly deadLetterQueue: sqs.IQueue;
  public readonly compositionFailureAlarm: CompositionFailureAlarm;
  public readonly recordingFailureAlarm: RecordingFailureAlarm;
  public readonly publishErrorAlarm: PublishErrorAlarm;
  public readonly allEventsRule: IvsStageEventRule;
  public readonly allEventsLogGroup: logs.LogGroup;
  public readonly archive: events.Archive;
  private readonly profile: MonitoringProfile;
  private readonly destinations: SeverityDestinations;

  constructor(scope: Construct, id: string, options: EventMonitoringOptions) {
    super(scope, id);
    validateEnvironmentName(options.environmentName);
    (options.stageArns ?? []).forEach(arn => validateStageArn('stageArns', arn));
    const { profile } = options;
    this.profile = profile;
    this.destinations = options.destinations;
    this.namePrefix = `ivs-realtime-${options.environmentName}`;

    this.encryptionKey = options.encryptionKey ?? new kms.Key(this, 'Key', {
      enableKeyRotation: true,
      description: `Encrypts the topics and dead-letter queue of ${this.namePrefix}`,
    });
    this.deadLetterQueue = createDeadLetterQueue(this, this.encryptionKey);

    const critical = actionsOf(options.destinations.criticalTopics, options.destinations.criticalActions);
    const warning = actionsOf(options.destinations.warningTopics, options.destinations.warningActions);
    const alarmOptions = (name: string, actions: cloudwatch.IAlarmAction[], threshold: number) => ({
      eventBus: options.eventBus,
      maxPatternLength: options.maxPatternLength,
      stageArns: options.stageArns,
      stages: options.stages,
      threshold,
      period: profile.alarmPeriod,
      evaluationPeriods: profile.evaluationPeriods,
      alarmName: `${this.namePrefix}-${name}`,
      alarmActions: actions,
      okActions: actions,
      actionsEnabled: profile.alarmActionsEnabled,
      logGroup: this.logGroup(name),
      notificationTopic: profile.failureEventNotifications ? options.notificationTopic : undefined,
      deadLetterQueue: this.deadLetterQueue,
      // One set of delivery alarms watches every rule of the environment.
      deliveryAlarms: false,
    });
    this.compositionFailureAlarm = new CompositionFailureAlarm(this, 'CompositionFailures',
      alarmOptions('composition-failures', critical, profile.compositionFailureThreshold));
    this.recordingFailureAlarm = new RecordingFailureAlarm(this, 'RecordingFailures',
      alarmOptions('recording-failures', critical, profile.recordingFailureThreshold));
    this.publishErrorAlarm = new PublishErrorAlarm(this, 'PublishErrors',
      { ...alarmOptions('publish-errors', warning, profile.publishErrorThreshold), notificationTopic: undefined });

    this.allEventsLogGroup = this.logGroup('all-events');
    this.allEventsRule = new IvsStageEventRule(this, 'AllEvents', {
      eventBus: options.eventBus,
      maxPatternLength: options.maxPatternLength,
      stageArns: options.stageArns,
      stages: options.stages,
      deadLetterQueue: this.deadLetterQueue,
      targets: [new LogGroupTarget(this.allEventsLogGroup)],
      description: `Every Amazon IVS real-time event of ${this.namePrefix}, kept in ${this.allEventsLogGroup.node.path}`,
    });

    // Replay needs the events as IVS sent them, of every stage: the archive keeps every
    // real-time detail-type and leaves stage scoping to the replay's own rules.
    this.archive = new events.Archive(this, 'Archive', {
      archiveName: this.namePrefix,
      description: `Amazon IVS real-time events of ${this.namePrefix}, for replay`,
      sourceEventBus: options.eventBus ?? events.EventBus.fromEventBusName(this, 'DefaultBus', 'default'),
      eventPattern: { source: ['aws.ivs'], detailType: IvsDetailType.all().map(d => d.name) },
      retention: profile.archiveRetention.toDays() === 0 ? undefined : profile.archiveRetention,
    });
  }

  /**
   * Delivery alarms over every rule (the event alarms', the all-events rule and `rules`),
   * then the dashboard over every alarm. Called last, once every rule exists.
   */
  public complete(spec: CompletionSpec): Completion {
    const deliveryRules = [...this.eventAlarms.map(a => a.rule), this.allEventsRule, ...spec.rules];
    const critical = actionsOf(this.destinations.criticalTopics, this.destinations.criticalActions);
    const deliveryAlarms = new DeliveryAlarms(this.node.scope as Construct, 'Delivery', {
      rules: deliveryRules,
      alarmNamePrefix: `${this.namePrefix}-delivery`,
      alarmActions: critical,
      okActions: critical,
      actionsEnabled: this.profile.alarmActionsEnabled,
    });
    const alarms = [
      ...this.eventAlarms.map(a => a.alarm), ...spec.alarms,
      ...deliveryAlarms.deadLetterQueueAlarms, ...deliveryAlarms.failedInvocationsAlarms,
    ];
    const dashboard = createDashboard(this.node.scope as Construct, {
      dashboardName: this.namePrefix,
      title: spec.title,
      alarms,
      allEventsLogGroup: this.allEventsLogGroup,
      byAccount: spec.byAccount,
      compositionFailures: this.compositionFailureAlarm.rule,
      recordingFailures: this.recordingFailureAlarm.rule,
      publishErrors: this.publishErrorAlarm.rule,
      recordingsCompleted: spec.recordingsCompleted,
      deadLetterQueue: this.deadLetterQueue,
      deliveryRules,
      health: spec.health,
    });
    return { deliveryAlarms, alarms, dashboard };
  }

  /** The event alarms, in the order the dashboard shows them. */
  public get eventAlarms(): IvsEventAlarm[] {
    return [this.compositionFailureAlarm, this.recordingFailureAlarm, this.publishErrorAlarm];
  }

  private logGroup(name: string): logs.LogGroup {
    return new logs.LogGroup(this, `${name.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}Log`, {
      logGroupName: `/aws/events/${this.namePrefix}/${name}`,
      retention: this.profile.logRetention,
    });
  }
}

