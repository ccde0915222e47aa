/**
 * Filters on the session and participant of an event: what Stage Update and Participant
 * Recording events carry.
 */
export interface ParticipantFilterOptions {
  /**
   * Only events of these stage sessions (`detail.session_id`, e.g. `st-ZyXwvu1T2s`).
   * Composition events carry no session id.
   *
   * @default - any session
   */
  readonly sessionIds?: string[];

  /**
   * Only events whose `detail.session_id` starts with one of these prefixes.
   * Combined with `sessionIds` (either matches).
   *
   * @default - no prefix filter
   */
  readonly sessionIdPrefixes?: string[];

  /**
   * Only events of these participants (`detail.participant_id`).
   * Composition events carry no participant id.
   *
   * @default - any participant
   */
  readonly participantIds?: string[];

  /**
   * Only events whose `detail.participant_id` starts with one of these prefixes.
   * Combined with `participantIds` (either matches).
   *
   * @default - no prefix filter
   */
  readonly participantIdPrefixes?: string[];
}

/**
 * Filters on the ids and fields of an event's `detail`. Every filter is checked against the
 * events it applies to: one that could never match is an error at synth time.
 */
export interface IvsEventFilterOptions extends ParticipantFilterOptions {
  /**
   * Only events of these users (`detail.user_id`, the `userId` of the participant token).
   * Only Stage Update events carry a user id; it may be the empty string.
   *
   * @default - any user
   */
  readonly userIds?: string[];

  /**
   * Only events whose `detail.user_id` starts with one of these prefixes.
   * Combined with `userIds` (either matches).
   *
   * @default - no prefix filter
   */
  readonly userIdPrefixes?: string[];

  /**
   * Only Participant Recording events of recordings into these S3 buckets
   * (`detail.recording_s3_bucket_name`), e.g. in an account shared by several environments.
   * Events of other detail-types carry no bucket and are not filtered by it; at least one
   * selected event must carry it.
   *
   * @default - any bucket
   */
  readonly recordingBucketNames?: string[];

  /**
   * Only events whose `detail` carries each of these JSON keys (an `exists` matcher),
   * e.g. `recording_duration_ms`.
   *
   * @default - no such filter
   */
  readonly detailFieldsPresent?: string[];

  /**
   * Only events whose `detail` lacks each of these JSON keys (`exists: false`).
   *
   * @default - no such filter
   */
  readonly detailFieldsAbsent?: string[];
}
