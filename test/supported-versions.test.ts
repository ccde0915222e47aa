import * as fs from 'fs';
import * as path from 'path';
import { commandsOf } from './util/hermetic';

const ROOT = path.join(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const pkg = JSON.parse(read('package.json'));
const versions = JSON.parse(read('toolchain/versions.json'));
/** Every command the gate (`npx projen build`) runs, through the tasks it spawns. */
const testCommands = commandsOf(JSON.parse(read('.projen/tasks.json')).tasks, 'build');

/** The README's "Supported versions" table, row by row: first cell -> the other cells. */
function supportedVersions(): Record<string, string[]> {
  const section = read('README.md').split(/^## /m).find(s => s.startsWith('Supported versions\n')) ?? '';
  return Object.fromEntries([...section.matchAll(/^\| ([^|]+) \|(.+)\|$/gm)].map(m => [m[1].trim(), m[2].split('|').map(c => c.trim())]));
}

describe('Node.js', () => {
  // the majors the test task runs the jest suite on, e.g. `bash scripts/with-node.sh 22 jest ...`
  const jestMajors = testCommands
    .map(c => /scripts\/with-node\.sh (\d+) jest\b/.exec(c)?.[1])
    .filter((m): m is string => m !== undefined)
    .map(Number)
    .sort();

  test('the jest suite runs on more than one Node.js release, each once', () => {
    expect(jestMajors.length).toBeGreaterThanOrEqual(2);
    expect(new Set(jestMajors).size).toBe(jestMajors.length);
  });

  test('engines allows the oldest release the jest suite runs on, and up', () => {
    expect(pkg.engines.node).toBe(`>= ${jestMajors[0]}.0.0`);
  });

  test('the README names exactly the releases the jest suite runs on, and the engines range', () => {
    const [supported, tested] = supportedVersions()['Node.js'] ?? [];
    const named = (text: string) => [...text.matchAll(/\b(\d{2})(?:\.x)?\b(?![.\d])/g)].map(m => Number(m[1]));
    expect([...new Set(named(supported))].sort()).toEqual(jestMajors);
    expect(supported).toContain(`\`engines\`: \`${pkg.engines.node}\``);
    expect(jestMajors.map(String)).toEqual(Object.keys(versions.node).sort());
    expect(tested).toContain(`the jest suite on each: ${jestMajors.map(m => versions.node[m]).join(' and ')}`);
  });
});

describe('aws-cdk-lib and constructs', () => {
  test.each(['aws-cdk-lib', 'constructs'])('the README names the peer range of %s and the version every test runs against', (name) => {
    const [supported, tested] = supportedVersions()[name] ?? [];
    expect(supported).toBe(`\`${pkg.peerDependencies[name]}\``);
    expect(tested.startsWith(pkg.devDependencies[name])).toBe(true);
    // the pin is the lowest version the peer range allows, so it proves the range's floor
    expect(pkg.peerDependencies[name]).toBe(`^${pkg.devDependencies[name]}`);
  });

  test('the gate also runs the jest suite against the newest aws-cdk-lib recorded, as the README says', () => {
    expect(testCommands.filter(c => /^bash scripts\/newest-cdk\.sh \d+\b/.test(c))).toHaveLength(1);
    expect(supportedVersions()['aws-cdk-lib'][1]).toContain(`${versions.awsCdkLibNewest}, the newest 2.x recorded: the jest suite again`);
  });

  test('the last step of the gate checks the versions it passed with, where the README says', () => {
    expect(testCommands[testCommands.length - 1]).toMatch(/^bash scripts\/tested-versions\.sh( \d+)+$/);
    expect(read('README.md')).toContain('[docs/tested-versions.md](https://github.com/cdk-ivs-realtime-events/cdk-ivs-realtime-events/blob/main/docs/tested-versions.md)');
  });
});
