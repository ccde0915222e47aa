/** The `source` of the events `IvsAutoComposition` derives; EventBridge reserves `aws.*` for AWS services. */
const COMPOSITIONS_EVENT_SOURCE = 'cdk-ivs-realtime-events.compositions';

/**
 * An event `IvsAutoComposition` puts on the tracker's `activityEventBus` when it could not
 * start or stop a stage's composition: not an IVS event, so it is not in the `aws.ivs`
 * catalog (`IvsEvent`). Its detail is a `CompositionFailureEventDetail`.
 */
export class CompositionActivity {
  /** StartComposition was refused, after the retries of what can pass (quota, throttling, internal errors). */
  public static readonly START_FAILED = new CompositionActivity('IVS Composition Start Failed');

  /** The compositions of a confirmed idle stage could not all be listed or stopped. */
  public static readonly STOP_FAILED = new CompositionActivity('IVS Composition Stop Failed');

  /** The event's `source`: `cdk-ivs-realtime-events.compositions`. */
  public readonly source = COMPOSITIONS_EVENT_SOURCE;

  /** @param detailType the event's `detail-type` */
  private constructor(public readonly detailType: string) {}
}

/**
 * `detail` of a `CompositionActivity` event.
 */
export interface CompositionFailureEventDetail {
  /** JSON `stageArn`: the stage. */
  readonly stageArn: string;

  /** JSON `transitionId`: the stage activity transition (`StageActivityEventDetail.transitionId`) the start or stop answered. */
  readonly transitionId: string;

  /**
   * JSON `error`: the error's name as Step Functions gives it, e.g.
   * `IvsRealTime.ServiceQuotaExceededException`; `RecordingPrefixNotKept` when the composition
   * started but its S3 recording prefix could not be written to the tracker's table.
   */
  readonly error: string;

  /** JSON `cause`: the error's message. */
  readonly cause: string;

  /** JSON `stateMachineArn`: the state machine that failed (`IvsAutoComposition.startStateMachine` or `stopStateMachine`). */
  readonly stateMachineArn: string;
}
