// DynamoDB request units of a recorded request, computed from the sizes of the real items it
// touched, by AWS's published rules (moto reports no consumed capacity for transactions):
// - Item size: docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
//   (attribute name bytes + value bytes; a number is 1 byte per two significant digits + 1;
//   lists and maps 3 bytes + 1 per element; null and Boolean 1 byte).
// - Units: docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
//   (a strongly consistent read 1 unit per 4 KB, eventually consistent half, transactional double;
//   a write 1 unit per 1 KB of the larger of the item before and after, a transactional write
//   double), and .../transaction-apis.html#transaction-capacity-handling (transactions: two
//   underlying reads or writes of every item).
// - A write whose condition fails still consumes write units, by the size of the existing item
//   (at least 1): .../WorkingWithItems.html#WorkingWithItems.ConditionalUpdate.
// - Global secondary index writes (GSI.html#GSI.ThroughputConsiderations.Writes): 1 write unit per
//   1 KB of the index entry when an item enters or leaves the index or changes a projected
//   attribute, 2 when its index key changes, none when the write leaves the index alone.
//   AWS documents the doubling of transactions for the table's items; the index entry is counted
//   once here, an assumption to check against ReturnConsumedCapacity on a real table.
import { AttributeValue } from '@aws-sdk/client-dynamodb';
import { RecordedRequest } from './counting-proxy';
import { ACTIVE_INDEX } from '../src/tracker/table-keys';

export type Item = Record<string, AttributeValue>;

/** Item images around one event: `before` as read before it was delivered, `after` once it was applied. */
export interface Images {
  readonly before: ReadonlyMap<string, Item | undefined>;
  readonly after: ReadonlyMap<string, Item | undefined>;
}

export interface Units {
  readonly read: number;
  readonly write: number;
}

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

function numberSize(text: string): number {
  const digits = text.replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

function valueSize(value: AttributeValue): number {
  const v = value as Record<string, any>;
  if (v.S !== undefined) return utf8(v.S);
  if (v.N !== undefined) return numberSize(v.N);
  if (v.B !== undefined) return Buffer.from(v.B).length;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS !== undefined) return (v.SS as string[]).reduce((n, s) => n + utf8(s), 0);
  if (v.NS !== undefined) return (v.NS as string[]).reduce((n, s) => n + numberSize(s), 0);
  if (v.L !== undefined) return 3 + (v.L as AttributeValue[]).reduce((n, e) => n + 1 + valueSize(e), 0);
  if (v.M !== undefined) return 3 + Object.entries(v.M as Item).reduce((n, [k, e]) => n + 1 + utf8(k) + valueSize(e), 0);
  throw new Error(`unknown attribute value ${JSON.stringify(value)}`);
}

/** The size of an item in bytes, as DynamoDB counts it for capacity (0 when absent). */
export function itemSize(item: Item | undefined): number {
  return Object.entries(item ?? {}).reduce((n, [name, value]) => n + utf8(name) + valueSize(value), 0);
}

export function itemKey(table: string, key: Item): string {
  return `${table}\n${key.pk?.S}\n${key.sk?.S}`;
}

const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
const readUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 4096));

/** The tracker's sparse index entry of an item: its keys and projected attributes, if it is in the index. */
function indexEntry(item: Item | undefined): Item | undefined {
  if (item?.[ACTIVE_INDEX.partitionKey] === undefined) {
    return undefined;
  }
  const names = ['pk', 'sk', ACTIVE_INDEX.partitionKey, ...ACTIVE_INDEX.projected];
  return Object.fromEntries(Object.entries(item).filter(([name]) => names.includes(name)));
}

/** Write units the sparse index consumed for one successful write of an item from `before` to `after`. */
export function indexWriteUnits(before: Item | undefined, after: Item | undefined): number {
  const [from, to] = [indexEntry(before), indexEntry(after)];
  if (!from && !to) {
    return 0;
  }
  if (!from || !to) {
    return writeUnits(itemSize(from ?? to));
  }
  if (JSON.stringify(from[ACTIVE_INDEX.partitionKey]) !== JSON.stringify(to[ACTIVE_INDEX.partitionKey])) {
    return writeUnits(itemSize(from)) + writeUnits(itemSize(to));
  }
  const same = JSON.stringify(Object.entries(from).sort()) === JSON.stringify(Object.entries(to).sort());
  return same ? 0 : writeUnits(Math.max(itemSize(from), itemSize(to)));
}

/** The read and write request units one recorded request consumed, from the item images around its event. */
export function unitsOf(request: RecordedRequest, images: Images): Units {
  const b = request.body;
  const size = (key: string, image: 'before' | 'after') => itemSize(images[image].get(key));
  const failed = request.status !== 200;
  switch (request.kind) {
    case 'GetItem': {
      // Every read of an event comes before its writes, so it sees the `before` image.
      const units = readUnits(size(itemKey(b.TableName, b.Key), 'before'));
      return { read: b.ConsistentRead ? units : units / 2, write: 0 };
    }
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem': {
      const key = itemKey(b.TableName, b.Key ?? b.Item);
      const after = failed ? 0 : request.kind === 'PutItem' ? itemSize(b.Item) : size(key, 'after');
      const index = failed ? 0 : indexWriteUnits(images.before.get(key), request.kind === 'PutItem' ? b.Item : images.after.get(key));
      return { read: 0, write: writeUnits(Math.max(size(key, 'before'), after)) + index };
    }
    case 'TransactWriteItems': {
      const write = (b.TransactItems as Record<string, any>[]).reduce((n, action) => {
        const [kind, op] = Object.entries(action)[0];
        const key = itemKey(op.TableName, op.Key ?? op.Item);
        const after = failed || kind === 'ConditionCheck' ? 0 : kind === 'Put' ? itemSize(op.Item) : size(key, 'after');
        const index = failed || kind !== 'Update' ? 0 : indexWriteUnits(images.before.get(key), images.after.get(key));
        return n + 2 * writeUnits(Math.max(size(key, 'before'), after)) + index;
      }, 0);
      return { read: 0, write };
    }
    default:
      throw new Error(`no unit rule for ${request.kind}: add one with its source`);
  }
}

/** The keys a request touches, to read their images around an event. */
export function keysOf(request: RecordedRequest): { table: string; key: Item }[] {
  const b = request.body;
  if (request.kind === 'TransactWriteItems') {
    return (b.TransactItems as Record<string, any>[]).map(action => {
      const op = Object.values(action)[0] as Record<string, any>;
      return { table: op.TableName, key: op.Key ?? { pk: op.Item.pk, sk: op.Item.sk } };
    });
  }
  return [{ table: b.TableName, key: b.Key ?? { pk: b.Item.pk, sk: b.Item.sk } }];
}
