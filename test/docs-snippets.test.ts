// Every TypeScript example of the guides in docs/ compiles against the library, and the first of
// each guide, a whole app, synthesizes as written (test/util/doc-snippets.ts says how).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compileSnippets, compiledSource, DocSnippet, runProgram, typescriptBlocks } from './util/doc-snippets';

const ROOT = path.join(__dirname, '..');
// Generated records with no example of their own.
const RECORDS = ['benchmarks.md', 'tested-versions.md'];
const GUIDES = fs.readdirSync(path.join(ROOT, 'docs')).filter(f => f.endsWith('.md') && !RECORDS.includes(f)).sort();
const snippetsOf = (guide: string) => typescriptBlocks(`docs/${guide}`, fs.readFileSync(path.join(ROOT, 'docs', guide), 'utf8'));
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'doc-snippet-'));

jest.setTimeout(180_000);

describe('the guides in docs/', () => {
  test('there are guides, and each starts with a whole app: imports, an App, a Stack, app.synth()', () => {
    expect(GUIDES.length).toBeGreaterThanOrEqual(7);
    for (const guide of GUIDES) {
      const [first] = snippetsOf(guide);
      expect([guide, first?.program]).toEqual([guide, true]);
      expect(first.code).toMatch(/^import \{[^}]*\bApp\b[^}]*\bStack\b[^}]*\} from 'aws-cdk-lib';\n/);
      expect(first.code).toMatch(/\nconst app = new App\([^\n]*\);\n/);
      expect(first.code).toMatch(/\napp\.synth\(\);\n$/);
      expect(first.code).not.toMatch(/\bthis\b|declare const/);
      // the first block of the guide is its first code block of any language
      const markdown = fs.readFileSync(path.join(ROOT, 'docs', guide), 'utf8');
      expect(markdown.indexOf('```ts\n' + first.code)).toBe(markdown.indexOf('```'));
    }
  });

  test('every TypeScript block of every guide compiles against the library', () => {
    const all = GUIDES.flatMap(snippetsOf);
    expect(all.length).toBeGreaterThanOrEqual(GUIDES.length * 2);
    expect(compileSnippets(all)).toEqual([]);
  });

  test.each(GUIDES)('the first example of %s synthesizes as written', (guide) => {
    const outdir = tmp();
    try {
      expect(runProgram(snippetsOf(guide)[0], outdir).length).toBeGreaterThanOrEqual(1);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('the harness fails on a broken example', () => {
  const guide = (body: string) => typescriptBlocks('docs/fixture.md', `# Fixture\n\n${body}`);
  const app = (construct: string) => [
    '```ts',
    "import { App, Stack } from 'aws-cdk-lib';",
    "import { IvsStageEventRule } from 'cdk-ivs-realtime-events';",
    '',
    'const app = new App();',
    "const stack = new Stack(app, 'Fixture');",
    construct,
    '',
    'app.synth();',
    '```',
  ].join('\n');

  test('a good program compiles and synthesizes', () => {
    const [program] = guide(app("new IvsStageEventRule(stack, 'Rule');"));
    expect(compileSnippets([program])).toEqual([]);
    const outdir = tmp();
    try {
      expect(runProgram(program, outdir)).toEqual(['Fixture.template.json']);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('a program with a prop that does not exist fails to compile, naming the guide and line', () => {
    const [program] = guide(app("new IvsStageEventRule(stack, 'Rule', { stageNames: ['x'] });"));
    const errors = compileSnippets([program]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^docs\/fixture\.md:3 \(line 6 as compiled\): Object literal may only specify known properties, and 'stageNames' does not exist/);
  });

  test('a program that compiles but fails at synth throws the construct\'s error', () => {
    const [program] = guide(app("new IvsStageEventRule(stack, 'Rule', { events: [] });"));
    expect(compileSnippets([program])).toEqual([]);
    expect(() => runProgram(program, tmp())).toThrow(/`events`/);
  });

  test('a fragment is compiled inside the fixture, and fails on a name the fixture does not have', () => {
    const [good, bad] = guide([
      '```ts', 'declare const topic: sns.ITopic;', "new IvsStageEventRule(this, 'Rule', { targets: [new targets.SnsTopic(topic)] });", '```',
      '', '```ts', "new IvsStageEventRule(this, 'Rule', { targets: [new targets.SnsTopic(undeclaredTopic)] });", '```',
    ].join('\n'));
    expect([good.program, bad.program]).toEqual([false, false]);
    expect(compiledSource(good)).toMatch(/^declare const topic: sns.ITopic;\nclass Fixture/m);
    const errors = compileSnippets([good, bad] as DocSnippet[]);
    expect(errors).toEqual([expect.stringMatching(/^docs\/fixture\.md:8 .*Cannot find name 'undeclaredTopic'/)]);
  });
});
