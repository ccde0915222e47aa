/** The `source` of the events `IvsRecordingReady` derives; EventBridge reserves `aws.*` for AWS services. */
const RECORDINGS_EVENT_SOURCE = 'cdk-ivs-realtime-events.recordings';

/**
 * An event `IvsRecordingReady` derives from a recording's `events/recording-ended.json`, on the
 * bus it was given: not an IVS event, so it is not in the `aws.ivs` catalog (`IvsEvent`).
 */
export class RecordingReadiness {
  /** A recording's `recording-ended.json` was read: its media paths, duration and times are in the detail. */
  public static readonly RECORDING_READY = new RecordingReadiness('IVS Recording Ready');

  /** A recording's files could not be announced; `reason` says why (see `RecordingNotReadyReason`). */
  public static readonly RECORDING_NOT_READY = new RecordingReadiness('IVS Recording Not Ready');

  /** The event's `source`: `cdk-ivs-realtime-events.recordings`. */
  public readonly source = RECORDINGS_EVENT_SOURCE;

  /** @param detailType the event's `detail-type` */
  private constructor(public readonly detailType: string) {}
}

/**
 * Why a recording is not ready: the `reason` of an `IVS Recording Not Ready` event.
 */
export class RecordingNotReadyReason {
  /** IVS wrote `events/recording-failed.json`: the recording ended with a failure. */
  public static readonly FAILED = new RecordingNotReadyReason('FAILED');

  /** Neither file appeared within `fileWaitTimeout`. */
  public static readonly MISSING = new RecordingNotReadyReason('MISSING');

  /** `recording-ended.json` is not JSON, or lacks the HLS playlist, duration or times. */
  public static readonly MALFORMED = new RecordingNotReadyReason('MALFORMED');

  /** Every reason, e.g. for a rule that matches some of them. */
  public static all(): RecordingNotReadyReason[] {
    return [RecordingNotReadyReason.FAILED, RecordingNotReadyReason.MISSING, RecordingNotReadyReason.MALFORMED];
  }

  /** @param value the `reason` field's value */
  private constructor(public readonly value: string) {}
}

/**
 * What every readiness event's `detail` says about the recording. `kind` is `INDIVIDUAL` (a
 * participant recording: `sessionId` and `participantId`) or `COMPOSITE` (a composition's S3
 * destination: `compositionArn` and `destinationId`).
 */
export interface RecordingEventDetail {
  /** JSON `kind`: `INDIVIDUAL` or `COMPOSITE`. */
  readonly kind: string;

  /** JSON `stageArn`: the recorded stage. */
  readonly stageArn: string;

  /** JSON `sourceEventId`: the `id` of the IVS event that started the check; repeats of one IVS event share it. */
  readonly sourceEventId: string;

  /** JSON `bucket`: the recording's bucket. */
  readonly bucket: string;

  /** JSON `prefix`: the recording's S3 key prefix, without a trailing `/`. */
  readonly prefix: string;

  /**
   * JSON `sessionId`: the stage session.
   *
   * @default - absent on composite recordings
   */
  readonly sessionId?: string;

  /**
   * JSON `participantId`: the recorded participant.
   *
   * @default - absent on composite recordings
   */
  readonly participantId?: string;

  /**
   * JSON `compositionArn`: the composition.
   *
   * @default - absent on individual recordings
   */
  readonly compositionArn?: string;

  /**
   * JSON `destinationId`: the composition's destination.
   *
   * @default - absent on individual recordings
   */
  readonly destinationId?: string;
}

/**
 * `detail` of an `IVS Recording Ready` event. Every key is a whole S3 key (prefix included).
 * Delivery is at least once: drop repeats by `sourceEventId`.
 */
export interface RecordingReadyEventDetail extends RecordingEventDetail {
  /** JSON `masterPlaylistKey`: the HLS multivariant (master) playlist. */
  readonly masterPlaylistKey: string;

  /** JSON `renditionPlaylistKeys`: each rendition's media playlist. */
  readonly renditionPlaylistKeys: string[];

  /** JSON `durationMs`: the recorded HLS content's duration in milliseconds (`media.hls.duration_ms`). */
  readonly durationMs: number;

  /** JSON `recordingStartedAt`: RFC 3339 UTC time the recording started. */
  readonly recordingStartedAt: string;

  /** JSON `recordingEndedAt`: RFC 3339 UTC time the recording ended. */
  readonly recordingEndedAt: string;

  /**
   * JSON `thumbnailPrefixes`: the folder of sequential thumbnails of each variant (individual:
   * `media/thumbnails/high`; composite: one per resolution, e.g. `media/thumbnails/1280x720`).
   *
   * @default - absent when the recording has no sequential thumbnails
   */
  readonly thumbnailPrefixes?: string[];

  /**
   * JSON `latestThumbnailPrefixes`: the folder of the latest thumbnail of each variant.
   *
   * @default - absent when the recording has no latest thumbnail
   */
  readonly latestThumbnailPrefixes?: string[];
}

/**
 * `detail` of an `IVS Recording Not Ready` event.
 */
export interface RecordingNotReadyEventDetail extends RecordingEventDetail {
  /** JSON `reason`: a `RecordingNotReadyReason` value. */
  readonly reason: string;

  /**
   * JSON `attempts`: how many times each file was looked for.
   *
   * @default - present on `MISSING` only
   */
  readonly attempts?: number;
}
