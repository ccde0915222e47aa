import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { validateProfileValues } from '../private/profile-validation';

/**
 * The settings of a monitoring profile: what differs between environments.
 *
 * Every value is optional here so that a custom profile can change a few of them and
 * take the rest from `basedOn`.
 */
export interface MonitoringProfileOptions {
  /**
   * Whether alarms run their actions (page, notify). Off, alarms still change state and
   * show on the dashboard.
   *
   * @default - the base profile's value
   */
  readonly alarmActionsEnabled?: boolean;

  /**
   * Composition Session/Destination Failures within `alarmPeriod` that set off the
   * composition alarm.
   *
   * @default - the base profile's value
   */
  readonly compositionFailureThreshold?: number;

  /**
   * Recording Start/End Failures within `alarmPeriod` that set off the recording alarm.
   *
   * @default - the base profile's value
   */
  readonly recordingFailureThreshold?: number;

  /**
   * Participant Publish Errors within `alarmPeriod` that set off the publish-error alarm.
   *
   * @default - the base profile's value
   */
  readonly publishErrorThreshold?: number;

  /**
   * The window the event alarms count in: whole minutes, 1 minute to 1 day.
   *
   * @default - the base profile's value
   */
  readonly alarmPeriod?: Duration;

  /**
   * Periods every alarm evaluates (1-100; with `alarmPeriod`, at most one day).
   *
   * @default - the base profile's value
   */
  readonly evaluationPeriods?: number;

  /**
   * Average `DownloadPacketLoss` (percent, 0-100) above which the stage health alarm goes off.
   *
   * @default - the base profile's value
   */
  readonly packetLossThresholdPercent?: number;

  /**
   * Average `DroppedFrames` (percent, 0-100) above which the stage health alarm goes off.
   *
   * @default - the base profile's value
   */
  readonly droppedFramesThresholdPercent?: number;

  /**
   * How long the log groups keep IVS events.
   *
   * @default - the base profile's value
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * How long the EventBridge archive keeps IVS events for replay (whole days;
   * `Duration.days(0)` keeps them indefinitely).
   *
   * @default - the base profile's value
   */
  readonly archiveRetention?: Duration;

  /**
   * Whether finished and failed recordings are notified (`RecordingCompleteNotifier`).
   *
   * @default - the base profile's value
   */
  readonly recordingNotifications?: boolean;

  /**
   * Whether each composition and recording failure event is also described, readable, on
   * the monitoring construct's `notificationTopic` (by default its first warning topic),
   * besides the alarm.
   *
   * @default - the base profile's value
   */
  readonly failureEventNotifications?: boolean;
}

/**
 * Properties of a custom `MonitoringProfile`.
 */
export interface CustomMonitoringProfileProps extends MonitoringProfileOptions {
  /**
   * The profile's name, shown in descriptions and the example summary.
   */
  readonly name: string;

  /**
   * The profile whose values apply where this one sets none.
   *
   * @default MonitoringProfile.PRODUCTION
   */
  readonly basedOn?: MonitoringProfile;
}

/** Every value a profile holds, for picking them out of a construct's props. */
const PROFILE_KEYS: string[] = [
  'alarmActionsEnabled', 'compositionFailureThreshold', 'recordingFailureThreshold', 'publishErrorThreshold', 'alarmPeriod',
  'evaluationPeriods', 'packetLossThresholdPercent', 'droppedFramesThresholdPercent', 'logRetention', 'archiveRetention',
  'recordingNotifications', 'failureEventNotifications',
] satisfies (keyof MonitoringProfileOptions)[];

/**
 * What monitoring an environment gets: alarm actions, thresholds, evaluation periods,
 * retention and notifications. Presets for development, staging and production, and
 * `custom()` for anything else.
 */
export class MonitoringProfile {
  /**
   * For development: alarms change state but page nobody, thresholds tolerate
   * experiments, events are kept a week.
   */
  public static readonly DEVELOPMENT = new MonitoringProfile('development', {
    alarmActionsEnabled: false,
    compositionFailureThreshold: 5,
    recordingFailureThreshold: 5,
    publishErrorThreshold: 50,
    alarmPeriod: Duration.minutes(5),
    evaluationPeriods: 1,
    packetLossThresholdPercent: 10,
    droppedFramesThresholdPercent: 10,
    logRetention: logs.RetentionDays.ONE_WEEK,
    archiveRetention: Duration.days(7),
    recordingNotifications: true,
    failureEventNotifications: false,
  });

  /**
   * For staging: production's alarms and notifications, a month of events.
   */
  public static readonly STAGING = new MonitoringProfile('staging', {
    alarmActionsEnabled: true,
    compositionFailureThreshold: 1,
    recordingFailureThreshold: 1,
    publishErrorThreshold: 20,
    alarmPeriod: Duration.minutes(5),
    evaluationPeriods: 1,
    packetLossThresholdPercent: 5,
    droppedFramesThresholdPercent: 5,
    logRetention: logs.RetentionDays.ONE_MONTH,
    archiveRetention: Duration.days(30),
    recordingNotifications: true,
    failureEventNotifications: true,
  });

  /**
   * For production: every composition or recording failure pages, events are kept a
   * year and archived for 90 days of replay.
   */
  public static readonly PRODUCTION = new MonitoringProfile('production', {
    alarmActionsEnabled: true,
    compositionFailureThreshold: 1,
    recordingFailureThreshold: 1,
    publishErrorThreshold: 10,
    alarmPeriod: Duration.minutes(5),
    evaluationPeriods: 1,
    packetLossThresholdPercent: 5,
    droppedFramesThresholdPercent: 5,
    logRetention: logs.RetentionDays.ONE_YEAR,
    archiveRetention: Duration.days(90),
    recordingNotifications: true,
    failureEventNotifications: true,
  });

  /** A profile of your own: the values you set, the rest from `basedOn`. */
  public static custom(props: CustomMonitoringProfileProps): MonitoringProfile {
    if (props.name.trim().length === 0) {
      throw new Error(`\`name\` must be a non-empty profile name, got '${props.name}'`);
    }
    const { name, basedOn, ...options } = props;
    return new MonitoringProfile(name, { ...(basedOn ?? MonitoringProfile.PRODUCTION).values, ...definedOnly(options) });
  }

  /** Whether alarms run their actions. */
  public readonly alarmActionsEnabled: boolean;
  /** Threshold of the composition failure alarm (events per `alarmPeriod`). */
  public readonly compositionFailureThreshold: number;
  /** Threshold of the recording failure alarm (events per `alarmPeriod`). */
  public readonly recordingFailureThreshold: number;
  /** Threshold of the publish-error alarm (events per `alarmPeriod`). */
  public readonly publishErrorThreshold: number;
  /** The window the event alarms count in. */
  public readonly alarmPeriod: Duration;
  /** Periods every alarm evaluates. */
  public readonly evaluationPeriods: number;
  /** `DownloadPacketLoss` percent that sets off the stage health alarm. */
  public readonly packetLossThresholdPercent: number;
  /** `DroppedFrames` percent that sets off the stage health alarm. */
  public readonly droppedFramesThresholdPercent: number;
  /** Retention of the log groups. */
  public readonly logRetention: logs.RetentionDays;
  /** Retention of the EventBridge archive (0 days: indefinitely). */
  public readonly archiveRetention: Duration;
  /** Whether recordings are notified. */
  public readonly recordingNotifications: boolean;
  /** Whether failure events are sent to the warning topics. */
  public readonly failureEventNotifications: boolean;

  /** The profile's name: `development`, `staging`, `production` or a custom one. */
  public readonly name: string;

  private constructor(name: string, private readonly values: Required<MonitoringProfileOptions>) {
    validateProfileValues(values);
    this.name = name;
    this.alarmActionsEnabled = values.alarmActionsEnabled;
    this.compositionFailureThreshold = values.compositionFailureThreshold;
    this.recordingFailureThreshold = values.recordingFailureThreshold;
    this.publishErrorThreshold = values.publishErrorThreshold;
    this.alarmPeriod = values.alarmPeriod;
    this.evaluationPeriods = values.evaluationPeriods;
    this.packetLossThresholdPercent = values.packetLossThresholdPercent;
    this.droppedFramesThresholdPercent = values.droppedFramesThresholdPercent;
    this.logRetention = values.logRetention;
    this.archiveRetention = values.archiveRetention;
    this.recordingNotifications = values.recordingNotifications;
    this.failureEventNotifications = values.failureEventNotifications;
  }

  /**
   * This profile with some values replaced; what a construct's per-prop overrides use.
   * Validates the result.
   */
  public withOverrides(overrides: MonitoringProfileOptions): MonitoringProfile {
    return new MonitoringProfile(this.name, { ...this.values, ...definedOnly(overrides) });
  }
}

/** The profile values set in `options`; other keys (e.g. a construct's own props) are ignored. */
function definedOnly(options: MonitoringProfileOptions): MonitoringProfileOptions {
  return Object.fromEntries(Object.entries(options).filter(([k, v]) => v !== undefined && PROFILE_KEYS.includes(k)));
}
