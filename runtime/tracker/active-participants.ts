// What the table holds of a stage's participants, as the reconciler compares it with IVS.
// The Lambda runtime provides AWS SDK v3; the library itself never loads this module.
import { AttributeValue, DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { ACTIVE_INDEX } from '../../src/tracker/table-keys';

export interface TableOptions {
  readonly dynamodb: DynamoDBClient;
  readonly tableName: string;
}

export interface HeldState {
  readonly state: string;
  readonly time: number;
  readonly rank: number;
  /** Marked as a same-second tie decided by rank. */
  readonly tie: boolean;
}

/**
 * The stage's participants that publish or hold a tie, with their publish states and times:
 * a Query of the sparse index, never a Scan, and never the finished participants the table keeps
 * until they expire. Index reads are eventually consistent: every correction re-reads its item
 * strongly consistent before it writes.
 */
export async function publishingItems(stageArn: string, options: TableOptions): Promise<Map<string, HeldState>> {
  const held = new Map<string, HeldState>();
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await options.dynamodb.send(new QueryCommand({
      TableName: options.tableName,
      IndexName: ACTIVE_INDEX.name,
      KeyConditionExpression: '#active = :pk',
      ExpressionAttributeNames: { '#active': ACTIVE_INDEX.partitionKey },
      ExpressionAttributeValues: { ':pk': { S: stageArn } },
      ExclusiveStartKey: startKey,
    }));
    for (const item of page.Items ?? []) {
      held.set(item.sk.S!, {
        state: item.publishState?.S ?? '',
        time: Number(item.publishTime?.N ?? 0),
        rank: Number(item.publishRank?.N ?? 0),
        // A mark of an older time is stale: a later event decided by time alone.
        tie: item.publishTie?.N !== undefined && item.publishTie.N === item.publishTime?.N,
      });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return held;
}
