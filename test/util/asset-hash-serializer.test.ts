import * as serializer from './asset-hash-serializer';

const HASH_A = 'a'.repeat(64);
const HASH_B = '0123456789abcdef'.repeat(4);

describe('asset hash snapshot serializer', () => {
  test('recognizes every string with a hash, however many in a row', () => {
    // A /g regex keeps lastIndex between .test() calls: the second call would return false.
    expect([
      serializer.test(`${HASH_A}.zip`),
      serializer.test(`s3://bucket/${HASH_B}.json`),
      serializer.test(HASH_A),
    ]).toEqual([true, true, true]);
  });

  test('leaves other values alone', () => {
    expect([
      serializer.test('no hash here'),
      serializer.test('a'.repeat(63)),
      serializer.test(42),
      serializer.test(undefined),
      serializer.test({ hash: HASH_A }),
    ]).toEqual([false, false, false, false, false]);
  });

  test('replaces every hash in a string and keeps the extension', () => {
    expect(serializer.serialize(`${HASH_A}.zip and ${HASH_B}.json, then ${HASH_A}`))
      .toBe('"[ASSET HASH].zip and [ASSET HASH].json, then [ASSET HASH]"');
  });
});
