import { Construct } from 'constructs';
import { ThresholdSetting } from './profile-settings';
import { CompositionFailureAlarm } from '../alarms/composition-failure-alarm';
import { IvsEventAlarm, IvsEventAlarmOptions } from '../alarms/ivs-event-alarm';
import { PublishErrorAlarm } from '../alarms/publish-error-alarm';
import { RecordingFailureAlarm } from '../alarms/recording-failure-alarm';

/** Which destinations of a monitoring construct an alarm reports to. */
export type Severity = 'critical' | 'warning';

/**
 * One event alarm of every monitored environment. Its events and message are those of its
 * public class; the rest is how monitoring names, routes, thresholds and shows it.
 */
export interface EventAlarmPreset<A extends IvsEventAlarm> {
  /** Construct id; also makes the log group's id (`<id>Log`). */
  readonly id: string;
  /** `ivs-realtime-<env>-<nameSuffix>`: the alarm and its log group. */
  readonly nameSuffix: string;
  /** The dashboard graph of the events it counts. */
  readonly title: string;
  readonly severity: Severity;
  /** The profile setting its threshold comes from. */
  readonly threshold: ThresholdSetting;
  /** Whether each event is also described on the notification topic, when the profile says so. */
  readonly notifiesEachEvent: boolean;
  readonly create: (scope: Construct, id: string, options: IvsEventAlarmOptions) => A;
}

function preset<A extends IvsEventAlarm>(row: EventAlarmPreset<A>): EventAlarmPreset<A> {
  return row;
}

/**
 * The event alarms, in dashboard order. A new preset is one row here plus its public class;
 * both monitoring constructs, their dashboards and delivery alarms pick it up.
 */
export const EVENT_ALARM_PRESETS = {
  compositionFailures: preset({
    id: 'CompositionFailures',
    nameSuffix: 'composition-failures',
    title: 'Composition failures',
    severity: 'critical',
    threshold: 'compositionFailureThreshold',
    notifiesEachEvent: true,
    create: (scope, id, options) => new CompositionFailureAlarm(scope, id, options),
  }),
  recordingFailures: preset({
    id: 'RecordingFailures',
    nameSuffix: 'recording-failures',
    title: 'Recording failures',
    severity: 'critical',
    threshold: 'recordingFailureThreshold',
    notifiesEachEvent: true,
    create: (scope, id, options) => new RecordingFailureAlarm(scope, id, options),
  }),
  // A single publish error is usually one client's network or token: a warning, and no
  // message per event.
  publishErrors: preset({
    id: 'PublishErrors',
    nameSuffix: 'publish-errors',
    title: 'Publish errors',
    severity: 'warning',
    threshold: 'publishErrorThreshold',
    notifiesEachEvent: false,
    create: (scope, id, options) => new PublishErrorAlarm(scope, id, options),
  }),
};

export type EventAlarms = { readonly [K in keyof typeof EVENT_ALARM_PRESETS]: ReturnType<(typeof EVENT_ALARM_PRESETS)[K]['create']> };
