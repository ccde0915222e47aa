import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';

/**
 * The profile settings that apply wherever IVS events are monitored, the central
 * monitoring account included.
 *
 * Every value is optional so that a custom profile, or a monitoring construct, can change
 * a few of them and take the rest from a base profile.
 */
export interface EventMonitoringProfileOptions {
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
   * The window every alarm evaluates: whole minutes, 1 minute to 1 day.
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
   * How long the log groups of IVS events keep them: each event alarm's failure events and
   * the all-events log. The state tracker's function logs keep three months.
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
   * Whether each composition and recording failure event is also described, readable, on
   * the monitoring construct's `notificationTopic` (by default its first warning topic),
   * besides the alarm.
   *
   * @default - the base profile's value
   */
  readonly failureEventNotifications?: boolean;
}

/**
 * The settings of a monitoring profile: what differs between environments.
 */
export interface MonitoringProfileOptions extends EventMonitoringProfileOptions {
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
   * Whether finished and failed recordings are notified (`RecordingCompleteNotifier`).
   *
   * @default - the base profile's value
   */
  readonly recordingNotifications?: boolean;
}
