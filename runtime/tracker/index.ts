// The tracker's Lambda function: consumes IVS events from SQS, one record at a time, and
// reports the records it could not apply so that SQS retries only those and, once their
// receives run out, moves them to the dead-letter queue.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IVSRealTimeClient } from '@aws-sdk/client-ivs-realtime';
import { applyChange } from './apply-change';
import { readStageList } from './cursor';
import { ReconcileResult, reconcile } from './reconcile';
import { handleStageListRequest, isCustomResourceRequest } from './stage-list-resource';
import { IvsEventEnvelope, readEvent } from './state-model';
import { METRICS_NAMESPACE, RECONCILER_METRICS } from '../../src/tracker/table-keys';

/** The part of an SQS event source mapping's batch the handler reads. */
export interface SqsBatch {
  readonly Records: readonly { readonly messageId: string; readonly body: string }[];
}

export interface BatchResponse {
  readonly batchItemFailures: { readonly itemIdentifier: string }[];
}

/** A week: how long a participant item stays after it stops publishing, unless the construct says otherwise. */
const DEFAULT_RETENTION_SECONDS = 7 * 24 * 3600;

let client: DynamoDBClient | undefined;
let ivs: IVSRealTimeClient | undefined;

export async function handler(batch: SqsBatch): Promise<BatchResponse> {
  const tableName = process.env.TABLE_NAME;
  if (!tableName) {
    throw new Error('TABLE_NAME is not set');
  }
  // Reused across invocations of one execution environment; honours AWS_ENDPOINT_URL_DYNAMODB.
  client ??= new DynamoDBClient({});
  const retentionSeconds = Number(process.env.RETENTION_SECONDS ?? DEFAULT_RETENTION_SECONDS);
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of batch.Records) {
    try {
      const event = JSON.parse(record.body);
      // Only IVS's own events of this account: a queue policy cannot always say so (an
      // encrypted queue's carries no source condition), so the handler does.
      if (event.source !== 'aws.ivs' || (process.env.ACCOUNT_ID && event.account !== process.env.ACCOUNT_ID)) {
        console.warn(JSON.stringify({ messageId: record.messageId, ignored: 'not an IVS event of this account', source: event.source, account: event.account }));
        continue;
      }
      const { change, refused, warning } = readEvent(event as IvsEventEnvelope);
      if (refused || warning) {
        // Not what IVS sends: retrying cannot make it right, so it is logged (with its message id) and not failed.
        console.warn(JSON.stringify({ messageId: record.messageId, ...(refused ? { refused } : { warning }) }));
      }
      if (change) {
        await applyChange(change, { client, tableName, retentionSeconds });
      }
    } catch (error) {
      // Logged with the message id only: the event itself stays in the queue for inspection.
      console.error(JSON.stringify({ messageId: record.messageId, error: (error as Error).name, message: (error as Error).message }));
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}


/** The part of the Lambda context the reconciler reads. */
export interface ReconcilerContext {
  getRemainingTimeInMillis(): number;
}

/**
 * The scheduled reconciler: repairs what IVS never delivered, and reports how many repairs
 * it made as the `Repairs` metric, how many same-second ties it checked against IVS as
 * `TiesConfirmed`, stage counts it set right as `CountsCorrected`, stages whose check failed as
 * `Failures` and stages that failed check after check as `StagesFailingRepeatedly` (alarmed)
 * (embedded metric format: a log line, no API call). Its time is the scheduled event's. The
 * same function writes its stage list into the table when the deployment asks it to.
 */
export async function reconcileHandler(event?: unknown, context?: ReconcilerContext): Promise<ReconcileResult | void> {
  const tableName = process.env.TABLE_NAME;
  if (!tableName) {
    throw new Error('TABLE_NAME is not set');
  }
  client ??= new DynamoDBClient({});
  if (isCustomResourceRequest(event)) {
    return handleStageListRequest(event, client, tableName);
  }
  ivs ??= new IVSRealTimeClient({});
  // Listed stages come from the table (the deployment wrote them); none listed: ListStages.
  const stageArns = process.env.STAGES_FROM === 'table' ? await readStageList(client, tableName) : [];
  if (stageArns === undefined) {
    throw new Error(`the stage list is not in ${tableName}: it is written when the stack is deployed (Custom::IvsTrackedStages)`);
  }
  const time = typeof (event as { time?: unknown })?.time === 'string' ? new Date((event as { time: string }).time) : new Date();
  const result = await reconcile({
    ivs,
    dynamodb: client,
    tableName,
    stageArns,
    maxApiCalls: Number(process.env.MAX_API_CALLS ?? 500),
    retentionSeconds: Number(process.env.RETENTION_SECONDS ?? DEFAULT_RETENTION_SECONDS),
    now: Number.isNaN(time.getTime()) ? new Date() : time,
    remainingMs: context ? () => context.getRemainingTimeInMillis() : undefined,
  });
  console.log(JSON.stringify({
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [{
        Namespace: METRICS_NAMESPACE,
        Dimensions: [['TableName']],
        Metrics: RECONCILER_METRICS.map(Name => ({ Name, Unit: 'Count' })),
      }],
    },
    TableName: tableName,
    Repairs: result.repairs,
    ApiCalls: result.apiCalls,
    StagesLeft: result.stagesLeft,
    Failures: result.failures,
    StagesFailingRepeatedly: result.stagesFailingRepeatedly,
    TiesConfirmed: result.tiesConfirmed,
    CountsCorrected: result.countsCorrected,
  }));
  return result;
}
