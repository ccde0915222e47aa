import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { MonitoringProfileOptions } from './profile-options';
import { ProfileSettings, settingsIn, validateSettings } from './profile-settings';

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
    const base = (props.basedOn ?? MonitoringProfile.PRODUCTION).settings as ProfileSettings;
    return new MonitoringProfile(props.name, { ...base, ...settingsIn(props) });
  }

  /** The profile's name: `development`, `staging`, `production` or a custom one. */
  public readonly name: string;

  /** Every setting of this profile, all of them set. */
  public readonly settings: MonitoringProfileOptions;

  private constructor(name: string, settings: ProfileSettings) {
    validateSettings(settings);
    this.name = name;
    this.settings = settings;
  }
}
