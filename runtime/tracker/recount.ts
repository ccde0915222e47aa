// A stage's count drifts only if its table was changed outside the tracker (an item edited or
// restored by hand): events then refuse to take it below 0, and no event would ever set it right.
// The reconciler checks every stage's count after its repairs: cheaply against the sparse index
// first, and only on a difference by counting the stage's partition, strongly consistent.
// The Lambda runtime provides AWS SDK v3; the library itself never loads this module.
import { AttributeValue, DynamoDBClient, GetItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { STAGE_SK } from '../../src/tracker/table-keys';

export interface Recount {
  readonly from: number;
  readonly to: number;
}

/**
 * Sets the stage item's `publishers` to the number of its participants that publish, if it says
 * otherwise. `indexed` is what the sparse index showed, after this run's repairs. Undefined when
 * the count was right (or changed while it was counted: the next run looks again).
 */
export async function recountStage(client: DynamoDBClient, tableName: string, stageArn: string, indexed: number): Promise<Recount | undefined> {
  const key = { pk: { S: stageArn }, sk: { S: STAGE_SK } };
  const { Item: stage } = await client.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  const held = Number(stage?.publishers?.N ?? 0);
  if (held === indexed) {
    return undefined;
  }
  // The index is eventually consistent: only the table itself decides.
  const counted = await countPublishing(client, tableName, stageArn);
  if (counted === held) {
    return undefined;
  }
  try {
    await client.send(new UpdateItemCommand({
      TableName: tableName,
      Key: key,
      // Like any change of count: `version` grows, and the activity pipes see the crossing of 0.
      UpdateExpression: 'SET #publishers = :counted ADD #version :one',
      // Every change of count moves `publishers`: a handler that changed it since the read wins.
      ConditionExpression: stage === undefined ? 'attribute_not_exists(#publishers)' : '#publishers = :held',
      ExpressionAttributeNames: { '#publishers': 'publishers', '#version': 'version' },
      ExpressionAttributeValues: {
        ':counted': { N: String(counted) }, ':one': { N: '1' }, ...(stage === undefined ? {} : { ':held': { N: String(held) } }),
      },
    }));
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') {
      return undefined;
    }
    throw error;
  }
  return { from: held, to: counted };
}

async function countPublishing(client: DynamoDBClient, tableName: string, stageArn: string): Promise<number> {
  let count = 0;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :participant)',
      FilterExpression: 'publishState = :published',
      ExpressionAttributeValues: { ':pk': { S: stageArn }, ':participant': { S: 'PARTICIPANT#' }, ':published': { S: 'PUBLISHED' } },
      Select: 'COUNT',
      ConsistentRead: true,
      ExclusiveStartKey: startKey,
    }));
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}
