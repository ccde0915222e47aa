import { Duration } from 'aws-cdk-lib';

/** The `source` of the events the tracker derives; EventBridge reserves `aws.*` for AWS services. */
const TRACKER_EVENT_SOURCE = 'cdk-ivs-realtime-events.tracker';

/**
 * An event the state tracker derives from IVS events, on the bus it was given: not an IVS
 * event, so it is not in the `aws.ivs` catalog (`IvsEvent`).
 */
export class StageActivity {
  /** A stage's publisher count went from 0 to 1 or more (or the stage was first seen publishing). */
  public static readonly STAGE_ACTIVE = new StageActivity('IVS Stage Active');

  /** A stage's publisher count went back to 0. */
  public static readonly STAGE_IDLE = new StageActivity('IVS Stage Idle');

  /**
   * A stage is still idle, from the same transition, when an idle grace period ends
   * (`onStageIdle` with `gracePeriod`). Its detail carries `gracePeriodSeconds`.
   */
  public static readonly STAGE_IDLE_CONFIRMED = new StageActivity('IVS Stage Idle Confirmed');

  /** The event's `source`: `cdk-ivs-realtime-events.tracker`. */
  public readonly source = TRACKER_EVENT_SOURCE;

  /** @param detailType the event's `detail-type` */
  private constructor(public readonly detailType: string) {}
}

/**
 * `detail` of a `StageActivity` event. Delivery is at least once: drop repeats by
 * `transitionId`.
 *
 * The event's `resources` is the ARN of the tracker's table (`IvsStageStateTracker.table`): the
 * tracker it comes from, since trackers of several environments may share a bus (by default the
 * account's default bus). `onStageActive` and `onStageIdle` match on it; a rule of your own on
 * the bus should too (`resources: [tracker.table.tableArn]`), or it takes every tracker's events.
 */
export interface StageActivityEventDetail {
  /** JSON `stageArn`: the stage. */
  readonly stageArn: string;

  /** JSON `transitionId`: the same for every delivery of one transition (the DynamoDB stream record's id). */
  readonly transitionId: string;

  /** JSON `changedAt`: when the table changed, in seconds since the epoch (approximate, per DynamoDB Streams). */
  readonly changedAt: number;

  /**
   * JSON `sequence`: the stream record's sequence number, a decimal string that grows with
   * each change of the stage. Active and Idle events come through separate pipes and may
   * arrive out of order: the higher sequence (compared as numbers) is the current activity.
   */
  readonly sequence: string;

  /**
   * JSON `version`: the stage item's `version` after this transition, a decimal string that
   * grows by one with each change of the stage's publisher count.
   */
  readonly version: string;

  /**
   * JSON `gracePeriodSeconds`: on `STAGE_IDLE_CONFIRMED` events, the grace period the stage
   * stayed idle for.
   *
   * @default - absent on `STAGE_ACTIVE` and `STAGE_IDLE` events
   */
  readonly gracePeriodSeconds?: number;
}

/**
 * Options of `IvsStageStateTracker.onStageIdle`.
 */
export interface StageIdleOptions {
  /**
   * How long a stage must stay idle before the target is invoked: the target gets an
   * `IVS Stage Idle Confirmed` event if, when the grace period ends, the stage is still idle
   * from the same transition (a strongly consistent read of the stage item, by Step
   * Functions). A stage that became active again within the grace period is not reported
   * for that idle; if it went idle again since, that later idle is, after its own grace
   * period. A stage whose participant holds a same-second publish tie is confirmed only if IVS
   * says nobody of its live session publishes (GetStage, then ListParticipantEvents). Whole
   * seconds, from 1 second to a year less an hour (a Step Functions Standard workflow runs at
   * most a year).
   *
   * @default - no grace period: the target gets each `IVS Stage Idle` event at once
   */
  readonly gracePeriod?: Duration;
}
