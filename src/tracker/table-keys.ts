// What the tracker's construct and its handler must agree on, in a file free of SDK code:
// the table's sort keys (see the README's table contract) and the metric namespace.

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
