// Asset hashes change with every bundling detail; snapshots should only change when the
// template does.
const ASSET_HASH = /[0-9a-f]{64}(\.(zip|json|bundle))?/g;

module.exports = {
  test: (value: unknown) => typeof value === 'string' && ASSET_HASH.test(value),
  serialize: (value: string) => JSON.stringify(value.replace(ASSET_HASH, '[ASSET HASH]$1')),
};
