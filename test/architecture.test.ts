import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');

/**
 * The folders of src/, lowest first: a module may import from its own folder and from
 * folders below it, never above. `private` is the floor: it imports no folder at all.
 */
const LAYERS = ['private', 'events', 'rules', 'alarms', 'notifications', 'tracker', 'compositions', 'recordings', 'monitoring'];

/**
 * The one module both programs import: what the tracker's construct and its Lambda code must
 * agree on (table keys, the metric namespace). It imports nothing itself.
 */
const SHARED = 'src/tracker/table-keys.ts';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => entry.isDirectory()
    ? sourceFiles(path.join(dir, entry.name))
    : entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path.join(dir, entry.name)] : []);
}

interface Imports {
  /** Our files it imports, relative to the repository root. */
  readonly local: string[];
  /** Packages it imports. */
  readonly packages: string[];
}

function importsOf(file: string): Imports {
  const text = fs.readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/^(?:import|export)[^;]*?from '([^']+)';/gms)].map(m => m[1]);
  const local = specifiers.filter(s => s.startsWith('.')).map(s => {
    const target = path.resolve(path.dirname(file), s);
    const found = [`${target}.ts`, path.join(target, 'index.ts')].find(c => fs.existsSync(c));
    if (!found) {
      throw new Error(`${file} imports ${s}, which does not exist`);
    }
    return path.relative(ROOT, found);
  });
  return { local, packages: specifiers.filter(s => !s.startsWith('.')) };
}

type Graph = Map<string, Imports>;
const graphOf = (...roots: string[]): Graph =>
  new Map(roots.flatMap(r => sourceFiles(path.join(ROOT, r))).map(f => [path.relative(ROOT, f), importsOf(f)]));

const layerOf = (file: string) => file.split(path.sep)[1];
const rootOf = (file: string) => file.split(path.sep)[0];

/** Imports that cross a layer of src/ upwards, or leave private/. */
function upwardImports(graph: Graph): string[] {
  return [...graph].filter(([file]) => rootOf(file) === 'src' && file.split(path.sep).length > 2).flatMap(([file, { local }]) =>
    local.filter(target => rootOf(target) === 'src').filter(target => {
      const own = LAYERS.indexOf(layerOf(file));
      const layer = LAYERS.indexOf(layerOf(target));
      return layer > own || (layerOf(file) === 'private' && layer !== own);
    }).map(target => `${file} -> ${target}`));
}

/**
 * Imports across the boundary of the two programs: Lambda code (runtime/) may import runtime/
 * and the shared module; construct code (src/) may not import runtime/, nor the AWS SDK (which
 * only the Lambda runtime provides); the shared module imports nothing.
 */
function boundaryCrossings(graph: Graph): string[] {
  return [...graph].flatMap(([file, { local, packages }]) => {
    const wrong = file === SHARED ? [...local, ...packages]
      : rootOf(file) === 'runtime' ? local.filter(t => rootOf(t) !== 'runtime' && t !== SHARED)
        : [...local.filter(t => rootOf(t) === 'runtime'), ...packages.filter(p => p.startsWith('@aws-sdk/'))];
    return wrong.map(target => `${file} -> ${target}`);
  });
}

function cyclesOf(graph: Graph): string[] {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, trail: string[]) => {
    if (state.get(file) === 'done') {
      return;
    }
    if (state.get(file) === 'open') {
      cycles.push([...trail.slice(trail.indexOf(file)), file].join(' -> '));
      return;
    }
    state.set(file, 'open');
    for (const target of graph.get(file)?.local ?? []) {
      visit(target, [...trail, file]);
    }
    state.set(file, 'done');
  };
  [...graph.keys()].forEach(file => visit(file, []));
  return cycles;
}

/** Compiled files of lib/ that load the AWS SDK: Lambda code that jsii compiled into the package. */
function sdkLoadersIn(dir: string): string[] {
  const files = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? files(path.join(d, e.name)) : e.name.endsWith('.js') ? [path.join(d, e.name)] : []);
  return files(dir).filter(f => /require\("@aws-sdk\//.test(fs.readFileSync(f, 'utf8'))).map(f => path.relative(ROOT, f));
}

const graph = graphOf('src', 'runtime');

describe('the layers of src/', () => {
  test('every folder is a known layer', () => {
    const folders = new Set([...graph.keys()].filter(f => rootOf(f) === 'src' && f.split(path.sep).length > 2).map(layerOf));
    expect([...folders].sort()).toEqual([...LAYERS].sort());
  });

  test('no module imports from a folder above its own, and private/ imports no other folder', () => {
    expect(graph.size).toBeGreaterThan(20);
    expect(upwardImports(graph)).toEqual([]);
  });

  test('no import cycles', () => {
    expect(cyclesOf(graph)).toEqual([]);
  });

  test('no source file is longer than one sitting (300 lines)', () => {
    const long = [...graph.keys()]
      .map(file => ({ file, lines: fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n').length }))
      .filter(f => f.lines > 300);
    expect(long).toEqual([]);
  });
});

describe('construct code (src/) and Lambda code (runtime/) are two programs', () => {
  test('they meet in the shared module only, and construct code never loads the AWS SDK', () => {
    expect([...graph.keys()].filter(f => rootOf(f) === 'runtime').length).toBeGreaterThan(5);
    expect(boundaryCrossings(graph)).toEqual([]);
    expect([...graph].filter(([file, { local }]) => rootOf(file) === 'runtime' && local.includes(SHARED)).length).toBeGreaterThan(0);
  });

  test('no file jsii compiled into lib/ loads the AWS SDK', () => {
    expect(fs.existsSync(path.join(ROOT, 'lib', 'index.js'))).toBe(true);
    expect(sdkLoadersIn(path.join(ROOT, 'lib'))).toEqual([]);
  });

  test('each check reports what it exists to catch', () => {
    // Given a graph with one import of each kind that is wrong
    const wrong: Graph = new Map([
      ['src/private/a.ts', { local: ['src/rules/b.ts'], packages: [] }],
      ['src/rules/b.ts', { local: ['runtime/tracker/c.ts'], packages: ['@aws-sdk/client-dynamodb'] }],
      ['runtime/tracker/c.ts', { local: ['src/tracker/d.ts', SHARED], packages: ['@aws-sdk/client-dynamodb'] }],
      [SHARED, { local: [], packages: ['aws-cdk-lib'] }],
      ['src/tracker/d.ts', { local: ['src/tracker/e.ts'], packages: [] }],
      ['src/tracker/e.ts', { local: ['src/tracker/d.ts'], packages: [] }],
    ]);
    // Then every check names it
    expect(upwardImports(wrong)).toEqual(['src/private/a.ts -> src/rules/b.ts']);
    expect(boundaryCrossings(wrong)).toEqual([
      'src/rules/b.ts -> runtime/tracker/c.ts',
      'src/rules/b.ts -> @aws-sdk/client-dynamodb',
      'runtime/tracker/c.ts -> src/tracker/d.ts',
      `${SHARED} -> aws-cdk-lib`,
    ]);
    expect(cyclesOf(wrong)).toEqual(['src/tracker/d.ts -> src/tracker/e.ts -> src/tracker/d.ts']);
  });

  test('the lib/ check finds compiled Lambda code', () => {
    // Given a compiled tree where one file loads the SDK, as tsc writes it
    const lib = fs.mkdtempSync(path.join(os.tmpdir(), 'lib-'));
    fs.mkdirSync(path.join(lib, 'tracker'));
    fs.writeFileSync(path.join(lib, 'index.js'), 'exports.x = require("./tracker/keys");\n');
    fs.writeFileSync(path.join(lib, 'tracker', 'handler.js'), 'const client_dynamodb_1 = require("@aws-sdk/client-dynamodb");\n');
    // Then it is reported
    expect(sdkLoadersIn(lib).map(f => path.basename(f))).toEqual(['handler.js']);
  });
});
