// The guides' TypeScript examples (docs/*.md), compiled against the library's source and the first
// of each guide run, as a user would paste them: jsii-rosetta reads only the README and doc comments,
// so nothing else would notice a guide whose example no longer compiles or synthesizes.
//
// A block that starts with an import is a whole program, compiled as it stands. Any other block is
// the body of a stack's constructor: it is compiled inside rosetta/default.ts-fixture (the fixture
// the README's fragments had), with its `declare` lines moved out of the constructor.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');
// Plain JavaScript shared with the consumers: the one parser of fenced blocks and their markers.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { blocks } = require('../consumers/readme-snippets') as {
  blocks(text: string): Array<{ line: number; language: string; name: string | null; code: string }>;
};
const PACKAGE = 'cdk-ivs-realtime-events';
// As the README's quick start is compiled (strict), in a CommonJS project.
const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts'],
  module: ts.ModuleKind.Node16,
  types: ['node'],
  esModuleInterop: true,
};

export interface DocSnippet {
  /** Where it is: `docs/monitoring.md:12`. */
  readonly where: string;
  /** The code, as the guide shows it. */
  readonly code: string;
  /** A whole program (it starts with an import), not a fragment for the fixture. */
  readonly program: boolean;
}

/** Every TypeScript block of a guide, in order. */
export function typescriptBlocks(file: string, markdown: string): DocSnippet[] {
  return blocks(markdown)
    .filter(b => b.language === 'ts' || b.language === 'typescript')
    .map(b => ({ where: `${file}:${b.line}`, code: b.code, program: /^import /.test(b.code) }));
}

/** The source that is compiled for a snippet: a program as it is, a fragment inside the fixture. */
export function compiledSource(snippet: DocSnippet): string {
  if (snippet.program) return snippet.code;
  const fixture = fs.readFileSync(path.join(ROOT, 'rosetta', 'default.ts-fixture'), 'utf8');
  const lines = snippet.code.split('\n');
  const declarations = lines.filter(l => l.startsWith('declare '));
  const body = lines.filter(l => !l.startsWith('declare ')).join('\n');
  return fixture.replace('class Fixture', `${declarations.join('\n')}\nclass Fixture`).replace('/// here', body);
}

/**
 * Type-checks every snippet (strict, as the README's quick start is compiled) with the library's
 * name resolving to src/, in a folder of the project so that aws-cdk-lib resolves as for a user.
 * Returns one line per error, prefixed with the snippet's place in its guide.
 */
export function compileSnippets(snippets: DocSnippet[]): string[] {
  fs.mkdirSync(path.join(ROOT, '.tools'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(ROOT, '.tools', 'doc-snippets-'));
  try {
    const library = path.join(dir, 'node_modules', PACKAGE);
    fs.mkdirSync(library, { recursive: true });
    fs.writeFileSync(path.join(library, 'index.d.ts'), `export * from ${JSON.stringify(path.join(ROOT, 'src', 'index'))};\n`);
    const files = snippets.map((snippet, i) => {
      const file = path.join(dir, `snippet${i}.ts`);
      fs.writeFileSync(file, compiledSource(snippet));
      return file;
    });
    const program = ts.createProgram(files, COMPILER_OPTIONS);
    return ts.getPreEmitDiagnostics(program).map(d => {
      const index = d.file ? files.indexOf(d.file.fileName) : -1;
      const where = index >= 0 ? snippets[index].where : (d.file?.fileName ?? 'program');
      const line = d.file && d.start !== undefined ? ` (line ${d.file.getLineAndCharacterOfPosition(d.start).line + 1} as compiled)` : '';
      return `${where}${line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs a whole program as Node.js would once compiled (CommonJS), with the library's name resolving
 * to src/, and its `app.synth()` writing into `outdir` (CDK_OUTDIR, which `new App()` reads).
 * Returns the templates it wrote; throws what the program throws.
 */
export function runProgram(snippet: DocSnippet, outdir: string): string[] {
  if (!snippet.program) throw new Error(`${snippet.where}: a fragment, not a program that can run`);
  const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
  const js = ts.transpileModule(snippet.code, { compilerOptions }).outputText;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = (name: string) => name === PACKAGE ? require('../../src') : require(name);
  const previous = process.env.CDK_OUTDIR;
  process.env.CDK_OUTDIR = outdir;
  try {
    const module = { exports: {} };
    new Function('require', 'module', 'exports', js)(load, module, module.exports);
  } finally {
    if (previous === undefined) delete process.env.CDK_OUTDIR;
    else process.env.CDK_OUTDIR = previous;
  }
  return fs.existsSync(outdir) ? fs.readdirSync(outdir).filter(f => f.endsWith('.template.json')).sort() : [];
}
