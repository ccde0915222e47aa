// What the tracker's construct and its handler must agree on, in a file free of SDK code:
// the table's sort keys (see the table contract in docs/state-tracker.md) and the metric namespace.

/** The stage item: `pk` = stage ARN, `sk` = `STAGE`, holding `publishers`. */
export const STAGE_SK = 'STAGE';

/** Where the reconciler's embedded-metric-format lines put the `Repairs` metric. */
export const METRICS_NAMESPACE = 'CdkIvsRealtimeEvents/Tracker';

/**
 * The sparse index the reconciler reads instead of every participant of a stage: a participant
 * item carries `activeStage` (= its stage ARN) only while its publish state is `PUBLISHED` or
 * holds a same-second tie the reconciler has yet to confirm.
 */
export const ACTIVE_INDEX = { name: 'activeParticipants', partitionKey: 'activeStage', projected: ['publishState', 'publishTime', 'publishRank', 'publishTie'] };

/**
 * The shape of a stage ARN (RealTimeAPIReference, Stage.arn), in any partition: what the handler
 * accepts as a stage to key items by. The account is not checked here (AWS's own example events
 * show a placeholder there; the handler checks the envelope's account). The construct validates
 * its props more strictly (src/private/stages.ts); the handler's bundle must not load that code.
 */
export const STAGE_ARN = /^arn:aws[a-z-]*:ivs:[a-z0-9-]+:[^:]+:stage\/[a-zA-Z0-9-]+$/;

/**
 * The reconciler's own partition, which no stage ARN can equal: `sk` = `STAGES` holds the listed
 * stages (written by the deployment, so that the list's size never touches the function's
 * environment), `sk` = `CURSOR` where the next run starts (and the stages failing in a row).
 */
export const RECONCILER_PK = 'cdk-ivs-realtime-events#reconciler';
export const STAGE_LIST_SK = 'STAGES';
export const CURSOR_SK = 'CURSOR';

/** Checks in a row a stage must fail to count in `StagesFailingRepeatedly` (and raise its alarm). */
export const REPEATED_FAILURES = 3;

/** The metrics each reconciler run writes in embedded metric format, with the one dimension `TableName`. */
export const RECONCILER_METRICS = ['Repairs', 'TiesConfirmed', 'CountsCorrected', 'Failures', 'StagesFailingRepeatedly'] as const;

/** A composition's item: `pk` = its stage ARN, `sk` = `COMPOSITION#<composition ARN>`. */
export function compositionSk(compositionArn: string): string {
  return `COMPOSITION#${compositionArn}`;
}

/**
 * A composition destination's item: `pk` = its stage ARN, `sk` as below. The same key in
 * Step Functions' `States.Format` (`{}` for each argument, in this order), for the state
 * machines that write to it.
 */
export const DESTINATION_SK_FORMAT = 'COMPOSITION#{}#DESTINATION#{}';

/** A composition destination's item's `sk`: `COMPOSITION#<composition ARN>#DESTINATION#<destination id>`. */
export function destinationSk(compositionArn: string, destinationId: string): string {
  return DESTINATION_SK_FORMAT.replace('{}', compositionArn).replace('{}', destinationId);
}

/**
 * What only StartComposition answers about an S3 destination (Destination events carry neither),
 * kept on the destination's item by `IvsAutoComposition`: the bucket of its storage configuration
 * and the prefix IVS records under. They belong to no state: the tracker's handler never removes them.
 */
export const DESTINATION_RECORDING_ATTRIBUTES = { bucket: 'recordingBucket', prefix: 'recordingPrefix' } as const;
