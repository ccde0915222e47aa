import * as events from 'aws-cdk-lib/aws-events';

/**
 * The message formats `RecordingCompleteNotifier` sends, built by EventBridge input
 * transformers (no Lambda on the path).
 */
export class RecordingMessage {
  /** The version of the message format; changes only when a field changes meaning or goes away. */
  public static readonly VERSION = '1';

  /**
   * The message for a finished recording (Recording End).
   *
   * @param withDuration whether to include `durationMs`; only for events that carry
   * `detail.recording_duration_ms`, since EventBridge leaves a missing path empty
   */
  public static complete(withDuration: boolean): events.RuleTargetInput {
    return events.RuleTargetInput.fromObject(RecordingMessage.fields(withDuration));
  }

  /**
   * The message for a failed recording (Recording Start Failure, Recording End Failure):
   * the fields of `complete()` plus `eventName`.
   *
   * @param withDuration whether to include `durationMs`
   */
  public static failure(withDuration: boolean): events.RuleTargetInput {
    return events.RuleTargetInput.fromObject({
      ...RecordingMessage.fields(withDuration),
      eventName: events.EventField.fromPath('$.detail.event_name'),
    });
  }

  private static fields(withDuration: boolean): Record<string, string> {
    const bucket = events.EventField.fromPath('$.detail.recording_s3_bucket_name');
    const keyPrefix = events.EventField.fromPath('$.detail.recording_s3_key_prefix');
    return {
      version: RecordingMessage.VERSION,
      stageArn: events.EventField.fromPath('$.resources[0]'),
      sessionId: events.EventField.fromPath('$.detail.session_id'),
      participantId: events.EventField.fromPath('$.detail.participant_id'),
      bucket,
      keyPrefix,
      // Inside a string EventBridge inserts values unescaped; IVS builds the prefix from
      // ids and a timestamp, which never need escaping.
      s3Uri: `s3://${bucket}/${keyPrefix}/`,
      eventId: events.EventField.eventId,
      eventTime: events.EventField.time,
      region: events.EventField.region,
      account: events.EventField.account,
      ...(withDuration ? { durationMs: events.EventField.fromPath('$.detail.recording_duration_ms') } : {}),
    };
  }

  private constructor() {}
}
