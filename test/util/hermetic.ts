import * as fs from 'fs';
import * as path from 'path';

/**
 * What the gate runs, read from the repository: every command `npx projen build` reaches
 * (through the tasks it spawns and their conditions), every script those commands and scripts
 * run, and every README block the consumer scripts run. A gate that resolves a version at run
 * time turns red (or green) with no change in the repository; these are the places it could.
 */
export interface GateSources {
  /** Commands of the projen tasks, in order. */
  readonly commands: string[];
  /** Repository-relative path -> text, for every script reached. */
  readonly scripts: Map<string, string>;
  /** README snippet name -> block text, for every snippet a reached script runs. */
  readonly snippets: Map<string, string>;
}

type Step = { exec?: string; execArgs?: string[]; spawn?: string; condition?: string };
type Tasks = Record<string, { steps?: Step[]; condition?: string }>;

/** The commands `task` runs, through every task it spawns (conditions included). */
export function commandsOf(tasks: Tasks, task: string, seen = new Set<string>()): string[] {
  if (seen.has(task)) return [];
  seen.add(task);
  const { steps = [], condition } = tasks[task] ?? {};
  return [
    ...(condition ? [condition] : []),
    ...steps.flatMap(step => [
      ...(step.condition ? [step.condition] : []),
      ...(step.spawn ? commandsOf(tasks, step.spawn, seen) : [step.exec ?? (step.execArgs ?? []).join(' ')]),
    ]),
  ];
}

/** A shell text without its comments. */
function code(text: string): string {
  return text.split('\n').map(line => line.replace(/(^|\s)#(?![!{]).*$/, '')).join('\n');
}

/** Shell scripts of the repository a text runs (`bash x.sh ...`, `source .../x.sh`), by file name. */
function scriptsIn(text: string, known: string[]): string[] {
  const named = [...code(text).matchAll(/\b(?:bash|sh|source)\s+([^;&|\n]*)/g)]
    .map(m => /([\w-]+\.sh)\b/.exec(m[1])?.[1])
    .filter((name): name is string => name !== undefined);
  return [...new Set(named.flatMap(base => known.filter(k => path.basename(k) === base)))];
}

function shellScripts(root: string, dirs: string[]): string[] {
  return dirs.flatMap(dir => {
    const abs = path.join(root, dir);
    if (!fs.existsSync(abs)) return [];
    return fs.readdirSync(abs, { recursive: true, encoding: 'utf8' })
      .filter(f => f.endsWith('.sh') && !f.includes('node_modules'))
      .map(f => path.join(dir, f));
  });
}

/** The README block marked `<!-- snippet:NAME -->`. */
export function readmeSnippet(readme: string, name: string): string | undefined {
  return new RegExp(`<!-- snippet:${name} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(readme)?.[1];
}

export function gateSources(root: string): GateSources {
  const tasks: Tasks = JSON.parse(fs.readFileSync(path.join(root, '.projen', 'tasks.json'), 'utf8')).tasks;
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const known = shellScripts(root, ['scripts', 'test', '.ci']);
  const commands = [fs.readFileSync(path.join(root, '.ci', 'run'), 'utf8'), ...commandsOf(tasks, 'build')];
  const scripts = new Map<string, string>();
  const queue = commands.flatMap(c => scriptsIn(c, known));
  while (queue.length > 0) {
    const script = queue.shift()!;
    if (scripts.has(script)) continue;
    const text = fs.readFileSync(path.join(root, script), 'utf8');
    scripts.set(script, text);
    queue.push(...scriptsIn(text, known));
  }
  const snippets = new Map<string, string>();
  for (const text of scripts.values()) {
    for (const [, name] of text.matchAll(/\b(?:run_snippet|snippet) ([\w-]+)/g)) {
      const block = readmeSnippet(readme, name);
      if (block !== undefined) snippets.set(name, block);
    }
  }
  return { commands, scripts, snippets };
}

/** One way of resolving a version at run time, and how to spot it on a line. */
interface Rule {
  readonly why: string;
  readonly finds: (line: string) => boolean;
}

const EXACT_SEMVER = /^(\d+\.\d+\.\d+(-[\w.]+)?|\$PINNED)$/;

/**
 * The arguments of a command, with each `$(...)` as one word: `$PINNED` where it reads a pin of
 * toolchain/versions.json (the scripts' `pinned`/`pin` helpers or the file itself), else `$VAR`.
 */
function argsOf(rest: string): string[] {
  const words = rest.replace(/\$\(([^()]*)\)/g, (_, inner: string) => (/\bpinned?\b|versions\.json/.test(inner) ? '$PINNED' : '$VAR'));
  return words.split(/&&|;|\|| #/)[0].trim().split(/\s+/).filter(Boolean);
}
/** How an installer names packages on its command line: what to leave out of its arguments. */
interface Installer {
  readonly command: RegExp;
  /** Options followed by a value that is no package. */
  readonly valueOptions: string[];
  /** A local file it installs (a tarball, a wheel). */
  readonly localFile: string;
}
const NPM: Installer = { command: /\bnpm (?:install|i|add)\b(.*)/, valueOptions: ['--prefix', '--loglevel'], localFile: '.tgz' };
const PIP: Installer = {
  command: /\bpip3?"? install\b(.*)/,
  valueOptions: ['-r', '--requirement', '-c', '--constraint', '-d', '--dest', '--prefix', '--target', '-t'],
  localFile: '.whl',
};

/** The package arguments of an install command on a line (options, paths and local files left out). */
function installSpecs(installer: Installer, line: string): string[] {
  const m = installer.command.exec(line);
  if (!m) return [];
  const args = argsOf(m[1]).map(arg => arg.replace(/^["']|["']$/g, ''));
  return args.filter((arg, i) => !arg.startsWith('-') && !installer.valueOptions.includes(args[i - 1])
    && !/^(\$|\.|\/|~|\d?>)/.test(arg) && !arg.endsWith(installer.localFile));
}

export const RULES: Rule[] = [
  { why: 'asks the npm registry which versions exist', finds: l => /\bnpm (view|info|show|outdated)\b/.test(l) },
  { why: 'installs a dist-tag (@latest, @next)', finds: l => /@(latest|next)\b/.test(l) },
  {
    why: 'installs an npm package without an exact version',
    finds: l => installSpecs(NPM, l).some(spec => {
      const at = spec.lastIndexOf('@');
      return at <= 0 || !EXACT_SEMVER.test(spec.slice(at + 1));
    }),
  },
  { why: 'lets npx download a package', finds: l => /\bnpx (-y|--yes)\b/.test(l) || /\bnpx [\w@/.-]+@/.test(l) },
  { why: 'upgrades with pip', finds: l => /\bpip3?"? install\b/.test(l) && /(--upgrade|\s-U)\b/.test(l) },
  { why: 'installs a Python package without an exact version (==)', finds: l => installSpecs(PIP, l).some(spec => !/==/.test(spec)) },
  {
    why: 'installs from a requirements file without hash checking',
    finds: l => /\bpip3?"? install\b.*\s(-r|--requirement)\s/.test(l) && !/--require-hashes\b/.test(l),
  },
  { why: 'resolves a Go module version (@latest, -u)', finds: l => /\bgo (get|install)\b.*(@(latest|upgrade|patch)\b|\s-u\b)/.test(l) },
  { why: 'a Maven version range or LATEST/RELEASE', finds: l => /<version>\s*([[(]|LATEST|RELEASE)/.test(l) },
  { why: 'downloads from outside the package registries', finds: l => /\b(curl|wget)\s/.test(l) },
];

/** `where: line: why` for every line of `text` that resolves a version at run time. */
export function runTimeResolutions(where: string, text: string): string[] {
  return text.split('\n').flatMap((line, i) => {
    const command = line.replace(/^\s*#.*$/, '');
    return RULES.filter(rule => rule.finds(command)).map(rule => `${where}:${i + 1}: ${rule.why}: ${line.trim()}`);
  });
}
