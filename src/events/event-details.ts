// The `detail` objects IVS sends, as typed structs so that handler authors in every jsii
// language see their shape. Property names are the camelCase of the JSON keys, which are
// snake_case on the wire (e.g. `sessionId` is `detail.session_id`).
// Source: https://docs.aws.amazon.com/ivs/latest/RealTimeUserGuide/eventbridge.html

/**
 * `detail` of an `IVS Stage Update` event (Participant Published, Participant
 * Unpublished, Participant Publish Error). The stage ARN is `resources[0]`.
 */
export interface StageUpdateEventDetail {
  /** JSON `session_id`: the stage session, e.g. `st-ZyXwvu1T2s`. */
  readonly sessionId: string;
  /** JSON `event_name`, e.g. `Participant Published`. */
  readonly eventName: string;
  /**
   * JSON `user_id`: the `userId` given when the participant token was created.
   *
   * @default - may be absent or the empty string when the token had no user id
   */
  readonly userId?: string;
  /** JSON `participant_id`: the participant that triggered the event, e.g. `xYz1c2d3e4f`. */
  readonly participantId: string;
  /**
   * JSON `event_time`: when the event occurred (ISO 8601). Seen in delivered events, not
   * in the documented examples.
   *
   * @default - absent; use the envelope's `time`
   */
  readonly eventTime?: string;
}

/**
 * `detail` of an `IVS Composition State Change` event (Session Start/End/Failure,
 * Destination Start/End/Failure/Reconnecting). `resources[0]` is the composition ARN,
 * not the stage.
 */
export interface CompositionStateChangeEventDetail {
  /** JSON `event_name`, e.g. `Session Failure`. */
  readonly eventName: string;
  /** JSON `stage_arn`: the stage the composition reads from. */
  readonly stageArn: string;
  /**
   * JSON `id`: the destination id.
   *
   * @default - absent on Session events
   */
  readonly id?: string;
  /**
   * JSON `reason`: why the session or destination failed, e.g. `stream key invalid`.
   *
   * @default - absent on events that are not failures
   */
  readonly reason?: string;
}

/**
 * `detail` of an `IVS Participant Recording State Change` event (Recording Start/End,
 * Recording Start Failure, Recording End Failure). The stage ARN is `resources[0]`.
 */
export interface ParticipantRecordingStateChangeEventDetail {
  /** JSON `session_id`: the stage session, e.g. `st-ZyXwvu1T2s`. */
  readonly sessionId: string;
  /** JSON `event_name`, e.g. `Recording End`. */
  readonly eventName: string;
  /** JSON `participant_id`: the recorded publisher. */
  readonly participantId: string;
  /** JSON `recording_s3_bucket_name`: the bucket of the stage's storage configuration. */
  readonly recordingS3BucketName: string;
  /**
   * JSON `recording_s3_key_prefix`: `<stage_id>/<session_id>/<participant_id>/<timestamp>`.
   * Media is written under `<prefix>/media/`, recording-started/ended markers under
   * `<prefix>/events/`.
   */
  readonly recordingS3KeyPrefix: string;
  /**
   * JSON `recording_duration_ms`: the recording's length in milliseconds.
   *
   * @default - shown on Recording End and Recording End Failure in the documentation's
   * examples but not promised by it: handle its absence
   */
  readonly recordingDurationMs?: number;
}
