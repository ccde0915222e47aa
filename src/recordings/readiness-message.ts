import * as events from 'aws-cdk-lib/aws-events';
import { RecordingReadiness } from './recording-readiness';
import { RecordingMessage } from '../notifications/recording-message';

/**
 * The message `IvsRecordingReady.notify` sends, in `RecordingMessage`'s style (a `version`, the
 * recording's ids, its S3 location as a URI) with the readiness event's own fields. Built by an
 * EventBridge input transformer: `detail` is passed whole, so fields absent from an event (a
 * composite recording's participant, a missing thumbnail) are absent from its message.
 */
export function readinessMessage(readiness: RecordingReadiness): events.RuleTargetInput {
  return events.RuleTargetInput.fromObject({
    version: RecordingMessage.VERSION,
    status: readiness === RecordingReadiness.RECORDING_READY ? 'READY' : 'NOT_READY',
    recording: events.EventField.fromPath('$.detail'),
    eventId: events.EventField.eventId,
    eventTime: events.EventField.time,
    region: events.EventField.region,
    account: events.EventField.account,
  });
}
