import { renderInputJson, renderInputTransformer } from './input-transformer';

// The emulator encodes documented EventBridge behaviour; these pin each rule down.
describe('renderInputTransformer', () => {
  const event = { 'detail-type': 'X', 'resources': ['arn:a'], 'detail': { s: 'he said "hi"', n: 42, o: { a: 1 } } };
  const map = { s: '$.detail.s', n: '$.detail.n', o: '$.detail.o', r: '$.resources[0]', d: '$.detail-type', m: '$.detail.missing' };

  test('outside quotes: strings are quoted and escaped, numbers and objects are JSON', () => {
    expect(renderInputJson({ InputPathsMap: map, InputTemplate: '{"s":<s>,"n":<n>,"o":<o>,"r":<r>,"d":<d>}' }, event))
      .toEqual({ s: 'he said "hi"', n: 42, o: { a: 1 }, r: 'arn:a', d: 'X' });
  });

  test('inside quotes: values are inserted raw, unescaped', () => {
    expect(renderInputTransformer({ InputPathsMap: map, InputTemplate: '"n=<n> r=<r> s=<s>"' }, event)).toEqual('"n=42 r=arn:a s=he said "hi""');
    expect(() => renderInputJson({ InputPathsMap: map, InputTemplate: '{"x":"<s>"}' }, event)).toThrow(/invalid JSON/);
  });

  test('a missing path is replaced by nothing', () => {
    expect(renderInputJson({ InputPathsMap: map, InputTemplate: '{"m":<m>,"t":"[<m>]"}' }, event)).toEqual({ m: '', t: '[]' });
  });
});
