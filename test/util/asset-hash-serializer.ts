// Asset hashes change with every bundling detail; snapshots should only change when the
// template does.
const ASSET_HASH = '[0-9a-f]{64}(\\.(zip|json|bundle))?';
// Two regexes on purpose: a /g regex is stateful in .test() (lastIndex), so `test` would
// alternate true and false on consecutive strings; `replace` needs /g to catch every hash.
const HAS_ASSET_HASH = new RegExp(ASSET_HASH);
const EVERY_ASSET_HASH = new RegExp(ASSET_HASH, 'g');

export function test(value: unknown): boolean {
  return typeof value === 'string' && HAS_ASSET_HASH.test(value);
}

export function serialize(value: string): string {
  return JSON.stringify(value.replace(EVERY_ASSET_HASH, '[ASSET HASH]$1'));
}
