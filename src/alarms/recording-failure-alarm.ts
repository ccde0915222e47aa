import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { failureMessage } from './failure-message';
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
      notificationMessage: failureMessage('recording', { stageArn: field('$.resources[0]') }),
    });
  }
}
