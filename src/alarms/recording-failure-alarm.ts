import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { IvsEventAlarm, IvsEventAlarmOptions } from './ivs-event-alarm';
import { IvsEvent } from '../events/ivs-event';

/**
 * Properties for a `RecordingFailureAlarm`.
 */
export interface RecordingFailureAlarmProps extends IvsEventAlarmOptions {}

/**
 * Alarms on individual participant recording failures: Recording Start Failure (the
 * publisher is not recorded at all) and Recording End Failure (the recording may be
 * incomplete).
 */
export class RecordingFailureAlarm extends IvsEventAlarm {
  constructor(scope: Construct, id: string, props: RecordingFailureAlarmProps = {}) {
    const field = events.EventField.fromPath;
    super(scope, id, {
      ...props,
      events: IvsEvent.recordingFailures(),
      notificationMessage: events.RuleTargetInput.fromText(
        `Amazon IVS ${field('$.detail.event_name')} at ${events.EventField.time} `
        + `in ${events.EventField.account}/${events.EventField.region}. Stage: ${field('$.resources[0]')}. `
        + `Session: ${field('$.detail.session_id')}. Participant: ${field('$.detail.participant_id')}. `
        + `Storage: s3://${field('$.detail.recording_s3_bucket_name')}/${field('$.detail.recording_s3_key_prefix')}/`),
    });
  }
}
