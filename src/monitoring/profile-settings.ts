import { EventMonitoringProfileOptions, MonitoringProfileOptions } from './profile-options';
import {
  validateAlarmPeriod, validateEvaluationRange, validateLogRetention, validatePercent, validateThreshold,
} from '../private/validation';

/** Every setting of a profile, all set. */
export type ProfileSettings = Required<MonitoringProfileOptions>;

type Check = (settings: ProfileSettings) => void;
const none: Check = () => undefined;

/**
 * Every profile setting and its check, in the order the monitoring guide (docs/monitoring.md) lists them. The mapped type
 * makes the compiler refuse a setting missing here, so no override can be dropped
 * silently: this table is also what a monitoring construct picks its overrides by.
 */
const SETTINGS: { readonly [K in keyof ProfileSettings]: Check } = {
  alarmActionsEnabled: none,
  compositionFailureThreshold: s => validateThreshold('compositionFailureThreshold', s.compositionFailureThreshold),
  recordingFailureThreshold: s => validateThreshold('recordingFailureThreshold', s.recordingFailureThreshold),
  publishErrorThreshold: s => validateThreshold('publishErrorThreshold', s.publishErrorThreshold),
  alarmPeriod: s => validateAlarmPeriod('alarmPeriod', s.alarmPeriod),
  evaluationPeriods: s => validateEvaluationRange('alarmPeriod', s.alarmPeriod, s.evaluationPeriods),
  packetLossThresholdPercent: s => validatePercent('packetLossThresholdPercent', s.packetLossThresholdPercent),
  droppedFramesThresholdPercent: s => validatePercent('droppedFramesThresholdPercent', s.droppedFramesThresholdPercent),
  logRetention: s => validateLogRetention('logRetention', s.logRetention),
  archiveRetention: s => validateArchiveRetention(s),
  recordingNotifications: none,
  failureEventNotifications: none,
};

/** The settings that only an environment has; the central account takes the others. */
const ENVIRONMENT_ONLY: ReadonlyArray<Exclude<keyof ProfileSettings, keyof EventMonitoringProfileOptions>> = [
  'packetLossThresholdPercent', 'droppedFramesThresholdPercent', 'recordingNotifications',
];

export const SETTING_NAMES = Object.keys(SETTINGS) as (keyof ProfileSettings)[];

/** Names of the settings the central account takes. */
export const EVENT_SETTING_NAMES = SETTING_NAMES.filter(k => !(ENVIRONMENT_ONLY as string[]).includes(k));

/** Throws on the first setting out of range, naming it as the prop a user sets. */
export function validateSettings(settings: ProfileSettings): void {
  for (const check of Object.values(SETTINGS)) {
    check(settings);
  }
}

/** The profile settings set in `props` (a construct's props hold other keys too). */
export function settingsIn(props: MonitoringProfileOptions, names: readonly (keyof ProfileSettings)[] = SETTING_NAMES): MonitoringProfileOptions {
  const values = props as Record<string, unknown>;
  return Object.fromEntries(names.filter(k => values[k] !== undefined).map(k => [k, values[k]]));
}

function validateArchiveRetention(settings: ProfileSettings): void {
  const retention = settings.archiveRetention;
  if (!retention.isUnresolved()) {
    const days = retention.toDays({ integral: false });
    if (!Number.isInteger(days) || days < 0) {
      throw new Error(`\`archiveRetention\` must be a whole number of days, 0 for indefinitely, got ${retention.toHumanString()}`);
    }
  }
}

/** A profile's settings, all set (its constructor takes nothing less). */
export function settingsOf(profile: { readonly settings: MonitoringProfileOptions }): ProfileSettings {
  return profile.settings as ProfileSettings;
}

/** The settings that are a count of events: what an event alarm preset takes its threshold from. */
export type ThresholdSetting = {
  [K in keyof EventMonitoringProfileOptions]-?: EventMonitoringProfileOptions[K] extends number | undefined ? K : never
}[keyof EventMonitoringProfileOptions];
