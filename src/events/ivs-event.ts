import { IvsDetailType } from './ivs-detail-type';

const TITLE_CASE = /^[A-Z][A-Za-z0-9]*( [A-Z][A-Za-z0-9]*)*$/;

/** The name of the static member holding `event`, for messages. */
function constantName(event: IvsEvent): string {
  return Object.entries(IvsEvent).find(([, value]) => value === event)?.[0] ?? 'of()';
}

/**
 * One Amazon IVS Real-Time Streaming event: a `detail-type` and a `detail.event_name`.
 *
 * Every event in the IVS Real-Time Streaming EventBridge documentation is a static
 * member; `IvsEvent.of()` covers event names IVS adds later.
 *
 * @see https://docs.aws.amazon.com/ivs/latest/RealTimeUserGuide/eventbridge.html
 */
export class IvsEvent {
  /** A participant begins publishing to a stage. */
  public static readonly PARTICIPANT_PUBLISHED = new IvsEvent(IvsDetailType.STAGE_UPDATE, 'Participant Published');
  /** A participant has stopped publishing to a stage. */
  public static readonly PARTICIPANT_UNPUBLISHED = new IvsEvent(IvsDetailType.STAGE_UPDATE, 'Participant Unpublished');
  /** A participant's attempt to publish to a stage failed. */
  public static readonly PARTICIPANT_PUBLISH_ERROR = new IvsEvent(IvsDetailType.STAGE_UPDATE, 'Participant Publish Error');

  /** A composition pipeline initialized, subscribed to the stage and can compose video. */
  public static readonly COMPOSITION_SESSION_START = new IvsEvent(IvsDetailType.COMPOSITION_STATE_CHANGE, 'Session Start');
  /** A composition session completed. */
  public static readonly COMPOSITION_SESSION_END = new IvsEvent(IvsDetailType.COMPOSITION_STATE_CHANGE, 'Session End');
  /** A composition pipeline failed to initialize (stage resources unavailable, no participants, internal error). */
  public static readonly COMPOSITION_SESSION_FAILURE = new IvsEvent(IvsDetailType.COMPOSITION_STATE_CHANGE, 'Session Failure');
  /** Output to a composition destination started. */
  public static readonly COMPOSITION_DESTINATION_START = new IvsEvent(IvsDetailType.COMPOSITION_STATE_CHANGE, 'Destination Start');
  /** Output to a composition destination finished. */
  public static readonly COMPOSITION_DESTINATION_END = new IvsEvent(IvsDetailType.COMPOSITION_STATE_CHANGE, 'Destination End');
  /** An attempt to output to a composition destination failed (e.g. invalid stream key). */
  public static readonly COMPOSITION_DESTINATION_FAILURE = new IvsEvent(IvsDetailType.COMPOSITION_STATE_CHANGE, 'Destination Failure');
  /** Output to a composition destination was interrupted and is reconnecting. */
  public static readonly COMPOSITION_DESTINATION_RECONNECTING = new IvsEvent(IvsDetailType.COMPOSITION_STATE_CHANGE, 'Destination Reconnecting');

  /** A publisher connected to the stage and is being recorded to S3. */
  public static readonly RECORDING_START = new IvsEvent(IvsDetailType.PARTICIPANT_RECORDING_STATE_CHANGE, 'Recording Start');
  /** A publisher disconnected and all remaining recording files are written to S3. */
  public static readonly RECORDING_END = new IvsEvent(IvsDetailType.PARTICIPANT_RECORDING_STATE_CHANGE, 'Recording End');
  /** Recording failed to start (e.g. the S3 bucket is missing or in another region); the stream is not recorded. */
  public static readonly RECORDING_START_FAILURE = new IvsEvent(IvsDetailType.PARTICIPANT_RECORDING_STATE_CHANGE, 'Recording Start Failure');
  /** Recording ended with errors; some objects may still have been written. */
  public static readonly RECORDING_END_FAILURE = new IvsEvent(IvsDetailType.PARTICIPANT_RECORDING_STATE_CHANGE, 'Recording End Failure');

  /**
   * An event not in the catalog, for event names IVS adds later.
   *
   * Returns the catalog member when the pair is already known.
   *
   * @param detailType the event's `detail-type`
   * @param eventName the exact `detail.event_name`, e.g. `Participant Published`
   */
  public static of(detailType: IvsDetailType, eventName: string): IvsEvent {
    if (eventName.trim().length === 0) {
      throw new Error(`\`eventName\` must be a non-empty event name, got '${eventName}'`);
    }
    // Every event name IVS documents is Title Case words with single spaces; EventBridge
    // matches exactly, so anything else would never match.
    if (!TITLE_CASE.test(eventName)) {
      throw new Error(`\`eventName\` must be written as IVS sends it: Title Case words separated by single spaces, e.g. 'Participant Published', got '${eventName}'`);
    }
    const elsewhere = IvsEvent.all().find(e => e.eventName === eventName && e.detailType.name !== detailType.name);
    if (elsewhere) {
      throw new Error(`\`eventName\` '${eventName}' is an event of '${elsewhere.detailType.name}', not of '${detailType.name}': use IvsEvent.${constantName(elsewhere)}`);
    }
    return IvsEvent.all().find(e => e.detailType === detailType && e.eventName === eventName)
      ?? new IvsEvent(detailType, eventName);
  }

  /** Every event in the catalog, in documentation order. */
  public static all(): IvsEvent[] {
    return [...IvsEvent.stageUpdates(), ...IvsEvent.compositionEvents(), ...IvsEvent.recordingEvents()];
  }

  /** Every `IVS Stage Update` event in the catalog. */
  public static stageUpdates(): IvsEvent[] {
    return [IvsEvent.PARTICIPANT_PUBLISHED, IvsEvent.PARTICIPANT_UNPUBLISHED, IvsEvent.PARTICIPANT_PUBLISH_ERROR];
  }

  /** Every `IVS Composition State Change` event in the catalog. */
  public static compositionEvents(): IvsEvent[] {
    return [
      IvsEvent.COMPOSITION_SESSION_START, IvsEvent.COMPOSITION_SESSION_END, IvsEvent.COMPOSITION_SESSION_FAILURE,
      IvsEvent.COMPOSITION_DESTINATION_START, IvsEvent.COMPOSITION_DESTINATION_END,
      IvsEvent.COMPOSITION_DESTINATION_FAILURE, IvsEvent.COMPOSITION_DESTINATION_RECONNECTING,
    ];
  }

  /** Every `IVS Participant Recording State Change` event in the catalog. */
  public static recordingEvents(): IvsEvent[] {
    return [IvsEvent.RECORDING_START, IvsEvent.RECORDING_END, IvsEvent.RECORDING_START_FAILURE, IvsEvent.RECORDING_END_FAILURE];
  }

  /** Composition Session Failure and Destination Failure. */
  public static compositionFailures(): IvsEvent[] {
    return [IvsEvent.COMPOSITION_SESSION_FAILURE, IvsEvent.COMPOSITION_DESTINATION_FAILURE];
  }

  /** Recording Start Failure and Recording End Failure. */
  public static recordingFailures(): IvsEvent[] {
    return [IvsEvent.RECORDING_START_FAILURE, IvsEvent.RECORDING_END_FAILURE];
  }

  /**
   * Every event in the catalog that reports a failure: Participant Publish Error,
   * the composition failures and the recording failures.
   */
  public static failures(): IvsEvent[] {
    return [IvsEvent.PARTICIPANT_PUBLISH_ERROR, ...IvsEvent.compositionFailures(), ...IvsEvent.recordingFailures()];
  }

  /**
   * @param detailType the event's `detail-type`
   * @param eventName the event's `detail.event_name`
   */
  private constructor(public readonly detailType: IvsDetailType, public readonly eventName: string) {}

  /** `<detail-type>/<event name>`, e.g. `IVS Stage Update/Participant Published`. */
  public toString(): string {
    return `${this.detailType.name}/${this.eventName}`;
  }
}
