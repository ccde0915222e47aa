// Where each reconciler run starts, kept in the table so that every stage is reached whatever the
// schedule: a run continues after the last stage the previous one finished, in a fixed order
// (the listed stages sorted, or ListStages' own pages), and wraps around. The cursor names a
// stage, not a position, so a list that changes between runs skips no stage for good.
// The Lambda runtime provides AWS SDK v3; the library itself never loads this module.
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { IVSRealTimeClient, ListStagesCommand } from '@aws-sdk/client-ivs-realtime';
import { CURSOR_SK, RECONCILER_PK, STAGE_LIST_SK } from '../../src/tracker/table-keys';

export interface Cursor {
  /** The last stage a run finished. */
  readonly after?: string;
  /** ListStages' token of the page `after` came from (absent: the first page). */
  readonly token?: string;
  /** Laps begun: one more each time the first stage of the order is checked. */
  readonly lap: number;
  /** Stages whose latest checks failed: how many in a row, and in which lap the latest. */
  readonly failing: Readonly<Record<string, { readonly count: number; readonly lap: number }>>;
}

const key = (sk: string) => ({ pk: { S: RECONCILER_PK }, sk: { S: sk } });

export async function readCursor(client: DynamoDBClient, tableName: string): Promise<Cursor> {
  const { Item: item } = await client.send(new GetItemCommand({ TableName: tableName, Key: key(CURSOR_SK), ConsistentRead: true }));
  return {
    after: item?.after?.S,
    token: item?.token?.S,
    lap: Number(item?.lap?.N ?? 0),
    failing: JSON.parse(item?.failing?.S ?? '{}'),
  };
}

export async function writeCursor(client: DynamoDBClient, tableName: string, cursor: Cursor): Promise<void> {
  await client.send(new PutItemCommand({
    TableName: tableName,
    Item: {
      ...key(CURSOR_SK),
      lap: { N: String(cursor.lap) },
      failing: { S: JSON.stringify(cursor.failing) },
      ...(cursor.after ? { after: { S: cursor.after } } : {}),
      ...(cursor.token ? { token: { S: cursor.token } } : {}),
    },
  }));
}

/** The listed stages the deployment wrote; undefined when it has not (yet). */
export async function readStageList(client: DynamoDBClient, tableName: string): Promise<string[] | undefined> {
  const { Item: item } = await client.send(new GetItemCommand({ TableName: tableName, Key: key(STAGE_LIST_SK), ConsistentRead: true }));
  return item?.stageArns?.L?.map(value => value.S!);
}

/** One item of at most 400 KB: the construct refuses lists that would not fit. */
export async function writeStageList(client: DynamoDBClient, tableName: string, stageArns: readonly string[]): Promise<void> {
  const sorted = [...new Set(stageArns)].sort();
  await client.send(new PutItemCommand({ TableName: tableName, Item: { ...key(STAGE_LIST_SK), stageArns: { L: sorted.map(S => ({ S })) } } }));
}

/** A stage to check, and the cursor once it is checked. */
export interface NextStage {
  readonly stageArn: string;
  readonly token?: string;
  /** The first stage of the order: checking it begins a lap. */
  readonly lapStart: boolean;
}

/** The listed stages in their fixed (sorted) order, from the one after the cursor, once round. */
export function* listedStages(stageArns: readonly string[], cursor: Cursor): Generator<NextStage> {
  const sorted = [...new Set(stageArns)].sort();
  const from = cursor.after === undefined ? 0 : Math.max(0, sorted.findIndex(arn => arn > cursor.after!));
  for (let i = 0; i < sorted.length; i++) {
    const index = (from + i) % sorted.length;
    yield { stageArn: sorted[index], lapStart: index === 0 };
  }
}

export type Call = <T>(send: () => Promise<T>) => Promise<T>;

/**
 * Every stage of the account in ListStages' order, from the page the cursor names and the stage
 * after it (the page's start if that stage is gone), once round. Pages are fetched as they are
 * needed, each through `call` (which counts it against the budget).
 */
export async function* listedByIvs(ivs: IVSRealTimeClient, cursor: Cursor, call: Call): AsyncGenerator<NextStage> {
  let token = cursor.token;
  let after = cursor.after;
  // A run that began at the very start has nothing to come back to after the last page.
  const fromStart = token === undefined && after === undefined;
  let wraps = 0;
  while (wraps < (fromStart ? 1 : 2)) {
    let page;
    try {
      page = await call(() => ivs.send(new ListStagesCommand({ nextToken: token, maxResults: 100 })));
    } catch (error) {
      // A token IVS no longer takes (expired, or from another account's list): start over.
      if ((error as Error).name !== 'ValidationException' || token === undefined) {
        throw error;
      }
      [token, after] = [undefined, undefined];
      continue;
    }
    const arns = (page.stages ?? []).map(stage => stage.arn!).filter(Boolean);
    for (let i = after === undefined ? 0 : arns.indexOf(after) + 1; i < arns.length; i++) {
      yield { stageArn: arns[i], token, lapStart: token === undefined && i === 0 };
    }
    after = undefined;
    token = page.nextToken;
    wraps += token === undefined ? 1 : 0;
  }
}
