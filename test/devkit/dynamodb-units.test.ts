// The benchmark's request-unit rules (devkit/dynamodb-units.ts) on hand-made items, against the
// worked rules of DynamoDB's developer guide (CapacityUnitCalculations, read-write-operations).
import { RecordedRequest } from '../../devkit/counting-proxy';
import { Item, indexWriteUnits, itemKey, itemSize, unitsOf } from '../../devkit/dynamodb-units';

const key = { pk: { S: 'stage' }, sk: { S: 'PARTICIPANT#s#p' } };
const request = (kind: string, body: Record<string, any>, status = 200): RecordedRequest => ({ kind, body, status, ms: 0 });
const images = (before: Item | undefined, after: Item | undefined, k: Item = key) => ({
  before: new Map([[itemKey('t', k), before]]),
  after: new Map([[itemKey('t', k), after]]),
});
const big = (bytes: number): Item => ({ ...key, blob: { S: 'x'.repeat(bytes) } });

describe('item size', () => {
  test('strings count name and UTF-8 bytes; numbers one byte per two significant digits plus one', () => {
    expect(itemSize({ pk: { S: 'abc' } })).toEqual(2 + 3);
    expect(itemSize({ n: { N: '123.45' } })).toEqual(1 + 3 + 1);
    expect(itemSize({ n: { N: '1000' } })).toEqual(1 + 1 + 1); // trailing zeroes trimmed
    expect(itemSize({ e: { S: 'é' } })).toEqual(1 + 2);
    expect(itemSize({ b: { BOOL: true }, z: { NULL: true } })).toEqual(2 + 2);
    expect(itemSize({ l: { L: [{ S: 'ab' }] } })).toEqual(1 + 3 + 1 + 2);
    expect(itemSize(undefined)).toEqual(0);
  });
});

describe('request units', () => {
  test('a strongly consistent read is one unit per 4 KB, at least one, even for a missing item', () => {
    const get = request('GetItem', { TableName: 't', Key: key, ConsistentRead: true });
    expect(unitsOf(get, images(undefined, undefined))).toEqual({ read: 1, write: 0 });
    expect(unitsOf(get, images(big(5000), big(5000)))).toEqual({ read: 2, write: 0 });
    expect(unitsOf({ ...get, body: { ...get.body, ConsistentRead: false } }, images(big(5000), big(5000)))).toEqual({ read: 1, write: 0 });
  });

  test('an update costs one unit per KB of the larger of the item before and after', () => {
    const update = request('UpdateItem', { TableName: 't', Key: key });
    expect(unitsOf(update, images(big(100), big(1500)))).toEqual({ read: 0, write: 2 });
    expect(unitsOf(update, images(big(2100), big(100)))).toEqual({ read: 0, write: 3 });
  });

  test('a write whose condition fails still costs units, by the existing item', () => {
    const failed = request('UpdateItem', { TableName: 't', Key: key }, 400);
    expect(unitsOf(failed, images(big(1500), big(1500)))).toEqual({ read: 0, write: 2 });
    expect(unitsOf(failed, images(undefined, undefined))).toEqual({ read: 0, write: 1 });
  });

  test('a transaction costs twice per item', () => {
    const stageKey = { pk: { S: 'stage' }, sk: { S: 'STAGE' } };
    const transaction = request('TransactWriteItems', {
      TransactItems: [{ Update: { TableName: 't', Key: key } }, { Update: { TableName: 't', Key: stageKey } }],
    });
    const both = {
      before: new Map([[itemKey('t', key), big(100)], [itemKey('t', stageKey), undefined]]),
      after: new Map([[itemKey('t', key), big(1100)], [itemKey('t', stageKey), { ...stageKey, publishers: { N: '1' } }]]),
    };
    expect(unitsOf(transaction, both)).toEqual({ read: 0, write: 2 * 2 + 2 * 1 });
  });

  test('the sparse index costs a unit when an item enters it, leaves it or changes what it projects, and none otherwise', () => {
    const update = request('UpdateItem', { TableName: 't', Key: key });
    const active = (state: string, extra: Item = {}): Item => ({ ...key, activeStage: { S: 'stage' }, publishState: { S: state }, ...extra });
    const finished: Item = { ...key, publishState: { S: 'UNPUBLISHED' } };
    expect(unitsOf(update, images(finished, active('PUBLISHED')))).toEqual({ read: 0, write: 1 + 1 });
    expect(unitsOf(update, images(active('PUBLISHED'), finished))).toEqual({ read: 0, write: 1 + 1 });
    expect(unitsOf(update, images(active('PUBLISHED'), active('PUBLISHED', { recordingState: { S: 'STARTED' } })))).toEqual({ read: 0, write: 1 });
    expect(unitsOf(update, images(active('PUBLISHED'), active('PUBLISH_ERROR')))).toEqual({ read: 0, write: 1 + 1 });
    expect(unitsOf(update, images(finished, { ...finished, recordingState: { S: 'ENDED' } }))).toEqual({ read: 0, write: 1 });
    expect(indexWriteUnits(active('PUBLISHED'), { ...active('PUBLISHED'), activeStage: { S: 'other' } })).toEqual(2);
  });
});
