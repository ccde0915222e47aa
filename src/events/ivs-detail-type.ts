/**
 * Where an IVS event names the stage it belongs to.
 *
 * IVS is not uniform here: Stage Update and Participant Recording events put the
 * stage ARN in `resources`, while Composition events put the composition ARN there
 * and the stage ARN in `detail.stage_arn`.
 */
export enum StageLocation {
  /** The stage ARN is an element of the event's `resources` array. */
  RESOURCES = 'RESOURCES',
  /** The stage ARN is the event's `detail.stage_arn` field. */
  DETAIL_STAGE_ARN = 'DETAIL_STAGE_ARN',
}

/**
 * Detail-types IVS sends for low-latency channels (events-ref-ivs.html): a real-time rule
 * must never match them.
 */
const LOW_LATENCY_DETAIL_TYPES = ['IVS Stream State Change', 'IVS Stream Health Change', 'IVS Limit Breach', 'IVS Recording State Change'];

/**
 * Options for a detail-type not in the catalog.
 */
export interface IvsDetailTypeOptions {
  /**
   * Where events of this detail-type name their stage.
   *
   * @default StageLocation.RESOURCES
   */
  readonly stageLocation?: StageLocation;

  /**
   * The JSON keys the events of this detail-type carry in `detail`.
   *
   * Used to reject filters that could never match (for example a participant
   * filter on events that have no `participant_id`).
   *
   * @default - unknown: every filter is accepted
   */
  readonly detailFields?: string[];
}

/**
 * The `detail-type` of an Amazon IVS Real-Time Streaming event.
 */
export class IvsDetailType {
  /** `IVS Stage Update`: participants publishing to a stage. */
  public static readonly STAGE_UPDATE = new IvsDetailType(
    'IVS Stage Update',
    StageLocation.RESOURCES,
    ['session_id', 'event_name', 'user_id', 'participant_id', 'event_time'],
  );

  /** `IVS Composition State Change`: server-side composition sessions and their destinations. */
  public static readonly COMPOSITION_STATE_CHANGE = new IvsDetailType(
    'IVS Composition State Change',
    StageLocation.DETAIL_STAGE_ARN,
    ['event_name', 'stage_arn', 'id', 'reason'],
  );

  /** `IVS Participant Recording State Change`: individual participant recording to S3. */
  public static readonly PARTICIPANT_RECORDING_STATE_CHANGE = new IvsDetailType(
    'IVS Participant Recording State Change',
    StageLocation.RESOURCES,
    [
      'session_id', 'event_name', 'participant_id', 'recording_s3_bucket_name',
      'recording_s3_key_prefix', 'recording_duration_ms',
    ],
  );

  /** The three real-time detail-types, in documentation order. */
  public static all(): IvsDetailType[] {
    return [IvsDetailType.STAGE_UPDATE, IvsDetailType.COMPOSITION_STATE_CHANGE, IvsDetailType.PARTICIPANT_RECORDING_STATE_CHANGE];
  }

  /**
   * A detail-type that IVS added after this library's catalog was written.
   *
   * Returns the catalog member when `name` is one of the known detail-types.
   *
   * @param name the exact `detail-type` string, e.g. `IVS Stage Update`
   */
  public static of(name: string, options: IvsDetailTypeOptions = {}): IvsDetailType {
    if (name.trim().length === 0) {
      throw new Error(`\`name\` must be a non-empty detail-type, got '${name}'`);
    }
    if (name !== name.trim() || /\s{2,}|[\t\n]/.test(name)) {
      throw new Error(`\`name\` must be the detail-type exactly as IVS sends it, without leading, trailing or repeated white space, got '${name}'`);
    }
    if (LOW_LATENCY_DETAIL_TYPES.includes(name)) {
      throw new Error(`\`name\` '${name}' is a detail-type of IVS low-latency channels, not of real-time stages: `
        + 'this library\'s rules, alarms and filters are for real-time events only');
    }
    const known = IvsDetailType.all()
      .find(d => d.name === name);
    if (known && options.stageLocation === undefined && options.detailFields === undefined) {
      return known;
    }
    return new IvsDetailType(name, options.stageLocation ?? StageLocation.RESOURCES, options.detailFields);
  }

  /**
   * @param name the exact `detail-type` string
   * @param stageLocation where events of this detail-type name their stage
   * @param detailFields the JSON keys of `detail`, when known
   */
  private constructor(
    public readonly name: string,
    public readonly stageLocation: StageLocation,
    public readonly detailFields?: string[],
  ) {}

  /**
   * Whether events of this detail-type can carry `detail.<field>`.
   *
   * True for any field when the detail-type's fields are unknown.
   */
  public hasDetailField(field: string): boolean {
    return this.detailFields === undefined || this.detailFields.includes(field);
  }
}
