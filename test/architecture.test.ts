import * as fs from 'fs';
import * as path from 'path';

const SRC = path.join(__dirname, '..', 'src');

/**
 * The folders of src/, lowest first: a module may import from its own folder and from
 * folders below it, never above. `private` is the floor: it imports no folder at all.
 */
const LAYERS = ['private', 'events', 'rules', 'alarms', 'notifications', 'tracker', 'monitoring'];

function sourceFiles(dir = SRC): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => entry.isDirectory()
    ? sourceFiles(path.join(dir, entry.name))
    : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : []);
}

/** The src/ files a file imports (relative imports only), as paths relative to src/. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)[^;]*?from '(\.[^']+)';/gms)].map(m => {
    const target = path.resolve(path.dirname(file), m[1]);
    const candidates = [`${target}.ts`, path.join(target, 'index.ts')];
    const found = candidates.find(c => fs.existsSync(c));
    if (!found) {
      throw new Error(`${file} imports ${m[1]}, which does not exist`);
    }
    return path.relative(SRC, found);
  });
}

const folderOf = (file: string) => file.split(path.sep)[0];
const graph = new Map(sourceFiles().map(f => [path.relative(SRC, f), importsOf(f)]));

describe('the layers of src/', () => {
  test('every folder is a known layer', () => {
    const folders = new Set([...graph.keys()].filter(f => f.includes(path.sep)).map(folderOf));
    expect([...folders].sort()).toEqual([...LAYERS].sort());
  });

  test('no module imports from a folder above its own, and private/ imports no other folder', () => {
    const upward: string[] = [];
    for (const [file, imports] of graph) {
      if (!file.includes(path.sep)) {
        continue; // src/index.ts is the package's barrel
      }
      const own = LAYERS.indexOf(folderOf(file));
      for (const target of imports) {
        const layer = LAYERS.indexOf(folderOf(target));
        if (layer > own || (folderOf(file) === 'private' && layer !== own)) {
          upward.push(`${file} -> ${target}`);
        }
      }
    }
    expect(graph.size).toBeGreaterThan(20);
    expect(upward).toEqual([]);
  });

  test('no import cycles', () => {
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
      for (const target of graph.get(file) ?? []) {
        visit(target, [...trail, file]);
      }
      state.set(file, 'done');
    };
    [...graph.keys()].forEach(file => visit(file, []));
    expect(cycles).toEqual([]);
  });

  test('no source file is longer than one sitting (300 lines)', () => {
    const long = [...graph.keys()]
      .map(file => ({ file, lines: fs.readFileSync(path.join(SRC, file), 'utf8').split('\n').length }))
      .filter(f => f.lines > 300);
    expect(long).toEqual([]);
  });
});
