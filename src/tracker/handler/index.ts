// The tracker's Lambda function: consumes IVS events from SQS, one record at a time, and
// reports the records it could not apply so that SQS retries only those and, once their
// receives run out, moves them to the dead-letter queue.
// eslint-disable-next-line import/no-extraneous-dependencies
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { applyChange } from './apply-change';
import { IvsEventEnvelope, changeOf } from '../state-model';

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
      const change = changeOf(JSON.parse(record.body) as IvsEventEnvelope);
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
