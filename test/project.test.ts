import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import { fixedMonthlyCost, PRICES, REQUEST_PRICES } from '../devkit/prices';
import { exampleOutput, runExample } from '../examples/main';
import * as lib from '../src';

const ROOT = path.join(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

describe('README', () => {
  const tryIt = read('README.md').split(/^## /m).find(section => section.startsWith('Try it')) ?? '';
  const commands = [...tryIt.matchAll(/^\| (.+?) \| `([^`]+)` \|$/gm)].map(m => ({ what: m[1], command: m[2] }));

  test('names exactly three commands: the main job, every test, and the inner loop', () => {
    expect(commands.map(c => c.command)).toEqual(['npm ci && npx projen example', 'npm ci && npx projen build', 'npx projen test']);
  });

  test('.ci/run runs the README test command and nothing else', () => {
    const steps = read('.ci/run').split('\n').filter(l => l.trim() && !l.startsWith('#') && !l.startsWith('set ') && !l.startsWith('cd '));
    expect(steps).toEqual([commands[1].command]);
  });
});

describe('README diagram', () => {
  const readme = read('README.md');
  const diagram = readme.match(/^```mermaid\n([\s\S]*?)^```$/m)?.[1] ?? '';

  test('opens the README, before the quick start, as a block GitHub renders', () => {
    expect(diagram).toMatch(/^flowchart LR\n/);
    expect(readme.indexOf('```mermaid')).toBeLessThan(readme.indexOf('## Quick start'));
  });

  test('names only constructs the library exports, and every one that handles events', () => {
    const named = [...new Set(diagram.match(/\b(Ivs\w+|\w+(Alarm|Notifier|Monitoring|Tracker))\b/g))].sort();
    expect(named.filter(name => !(name in lib))).toEqual([]);
    expect(named).toEqual(expect.arrayContaining(['IvsStageEventRule', 'CompositionFailureAlarm', 'RecordingFailureAlarm', 'PublishErrorAlarm',
      'RecordingCompleteNotifier', 'IvsStageStateTracker', 'IvsRealTimeMonitoring', 'IvsRealTimeCentralMonitoring']));
  });

  test('every node it declares is connected', () => {
    const nodes = [...diagram.matchAll(/^ {4}(\w+)[[({]/gm)].map(m => m[1]);
    const edges = diagram.split('\n').filter(line => /-->|-\.->|\.->/.test(line)).join('\n');
    expect(nodes.length).toBeGreaterThan(10);
    expect(nodes.filter(node => !new RegExp(`\\b${node}\\b`).test(edges))).toEqual([]);
  });
});

describe('README links', () => {
  // npm, PyPI and Construct Hub show the README without the repository around it, where a relative
  // link leads nowhere: every link to a file of the repository is absolute, to a file that exists.
  const repository = JSON.parse(read('package.json')).repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
  const base = `${repository}/blob/main/`;
  const targets = [...read('README.md').matchAll(/\]\(([^)\s]+)\)/g)].map(m => m[1]);

  test('no link is relative, except to a heading of the README itself', () => {
    expect(targets.filter(t => !/^(https?:\/\/|#)/.test(t))).toEqual([]);
  });

  test('every guide in docs/ is linked, absolutely, and every linked repository file exists', () => {
    const files = targets.filter(t => t.startsWith(base)).map(t => t.slice(base.length).replace(/#.*$/, ''));
    expect(files.filter(f => !fs.existsSync(path.join(ROOT, f)))).toEqual([]);
    const guides = fs.readdirSync(path.join(ROOT, 'docs')).filter(f => f.endsWith('.md') && f !== 'benchmarks.md').map(f => `docs/${f}`);
    expect(guides.filter(g => !files.includes(g))).toEqual([]);
    expect(targets.filter(t => t.startsWith(repository) && !t.startsWith(base))).toEqual([]);
  });

  test('every heading a link points at exists in its file', () => {
    const slug = (heading: string) => heading.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
    const missing = targets.filter(t => t.includes('#')).filter(t => {
      const [file, anchor] = t.startsWith('#') ? ['README.md', t.slice(1)] : [t.slice(base.length).split('#')[0], t.split('#')[1]];
      if (!t.startsWith('#') && !t.startsWith(base)) return false;
      return ![...read(file).matchAll(/^#+ (.+)$/gm)].some(m => slug(m[1]) === anchor);
    });
    expect(missing).toEqual([]);
  });
});

describe('README code blocks', () => {
  // Every block is run or compiled by the test command: TypeScript by `jsii-rosetta extract --strict`
  // (post-compile), every other language and shell block by a consumer project under
  // test/consumers, which takes it from the README by its `<!-- snippet:NAME -->` marker.
  const blocks: Array<{ line: number; language: string; name: string | null }> = JSON.parse(
    execFileSync('node', [path.join(ROOT, 'test/consumers/readme-snippets.js'), '--list'], { encoding: 'utf8' }));
  const snippet = (name: string) => execFileSync('node', [path.join(ROOT, 'test/consumers/readme-snippets.js'), name], { encoding: 'utf8' });
  const consumerScripts = ['build.sh', 'npm/run.sh', 'python/run.sh', 'java/run.sh', 'go/run.sh'].map(f => read(`test/consumers/${f}`)).join('\n');
  const jsii = JSON.parse(read('package.json')).jsii.targets;
  const NOT_CODE = ['json', 'mermaid', 'text'];

  test('every block that rosetta does not compile is marked and run by a consumer', () => {
    const unchecked = blocks.filter(b => !['ts', 'typescript', ...NOT_CODE].includes(b.language) && !b.name);
    expect(unchecked).toEqual([]);
    const unused = blocks.filter(b => b.name && !new RegExp(`snippet ${b.name}\\b`).test(consumerScripts)).map(b => b.name);
    expect(unused).toEqual([]);
    expect(blocks.filter(b => b.name).length).toBeGreaterThanOrEqual(12);
  });

  test('every marked block is compared with what its consumer ran (check_ran)', () => {
    const checked = [...consumerScripts.matchAll(/^check_ran (.+)$/gm)].flatMap(m => m[1].trim().split(/\s+/));
    expect(checked.sort()).toEqual(blocks.filter(b => b.name).map(b => b.name).sort());
  });

  test('each quick start is a whole program that starts with the lines a user pastes first', () => {
    const goPath = `${jsii.go.moduleName}/cdkivsrealtimeevents`;
    expect(snippet('ts-quickstart')).toMatch(/^import [^\n]+ from 'aws-cdk-lib';\n[\s\S]*from 'cdk-ivs-realtime-events';\n[\s\S]*\napp\.synth\(\);\n$/);
    expect(snippet('python-quickstart')).toMatch(new RegExp(`^from aws_cdk import [\\s\\S]*\\nfrom ${jsii.python.module} import [\\s\\S]*\\napp\\.synth\\(\\)\\n$`));
    expect(snippet('java-quickstart')).toMatch(new RegExp(`^import ${jsii.java.package.replace(/\./g, '\\.')}\\.[\\s\\S]*app\\.synth\\(\\);`));
    expect(snippet('go-quickstart')).toMatch(/^package main\n\nimport \(\n/);
    expect(snippet('go-quickstart')).toContain(`\t"${goPath}"\n`);
    expect(snippet('go-quickstart')).toContain('app.Synth(nil)');
  });

  test('the install commands name the packages the build writes', () => {
    expect(snippet('npm-install')).toContain(`"$IVS_EVENTS_DIST"/js/${JSON.parse(read('package.json')).name}@*.jsii.tgz`);
    expect(snippet('python-install')).toContain(`"$IVS_EVENTS_DIST"/python/${jsii.python.distName.replace(/-/g, '_')}-*.whl`);
    expect(snippet('java-pom')).toContain(`<groupId>${jsii.java.maven.groupId}</groupId>`);
    expect(snippet('java-pom')).toContain(`<artifactId>${jsii.java.maven.artifactId}</artifactId>`);
    expect(snippet('go-install')).toContain(`-replace=${jsii.go.moduleName}/cdkivsrealtimeevents="$IVS_EVENTS_DIST"/go/cdkivsrealtimeevents`);
  });

  test('the build block runs tasks that bundle the tracker\'s handler and package every language', () => {
    const tasks = JSON.parse(read('.projen/tasks.json')).tasks;
    const steps = (task: string): string[] => tasks[task].steps.map((s: any) => s.spawn ?? s.exec);
    const run = [...snippet('build').matchAll(/npx projen ([\w:-]+)/g)].map(m => m[1]);
    expect(run).toEqual(['pre-compile', 'compile', 'package-all']);
    expect(steps('pre-compile')).toContain('bundle:tracker');
    expect(steps('package-all')).toEqual(expect.arrayContaining(['package:js', 'package:python', 'package:java', 'package:go']));
    expect(steps('test:consumers')[0]).toBe('bash test/consumers/build.sh');
  });
});

describe('API.md', () => {
  // jsii-docgen writes no table of contents; scripts/api-toc.js (the docgen task's last step) does.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { tableOfContents, withTableOfContents } = require('../scripts/api-toc');
  const api = read('API.md');
  const contents = api.slice(api.indexOf('## Contents\n'), api.indexOf('\n## Constructs '));
  const constructs = Object.entries(lib).filter(([, value]) => typeof value === 'function' && value.prototype instanceof Construct).map(([name]) => name);

  test('opens with a table of contents, as the docgen task writes it', () => {
    expect(JSON.parse(read('.projen/tasks.json')).tasks.docgen.steps.map((s: any) => s.exec ?? s.execArgs.join(' ')))
      .toEqual(['jsii-docgen -o API.md', 'node scripts/api-toc.js API.md']);
    expect(api.indexOf('## Contents\n')).toBeLessThan(api.indexOf('## Constructs '));
    expect(withTableOfContents(api)).toBe(api);
  });

  test('lists every construct the library exports with its props struct and each of its props', () => {
    expect(constructs.length).toBeGreaterThanOrEqual(10);
    for (const name of constructs) {
      const line = contents.split('\n').find(l => l.startsWith(`- [\`${name}\`](#cdk-ivs-realtime-events.${name}):`)) ?? `${name}: missing`;
      const struct = api.split(/^### /m).find(s => s.startsWith(`${name}Props <a `)) ?? '';
      const props = [...struct.matchAll(/^##### `(\w+)`<sup>/gm)].map(m => m[1]);
      expect([name, props.length]).not.toEqual([name, 0]);
      expect(props.filter(p => !line.includes(`[\`${p}\`](#cdk-ivs-realtime-events.${name}Props.property.${p})`))).toEqual([]);
    }
  });

  test('every link of the contents leads to an anchor of API.md', () => {
    const anchors = new Set([...api.matchAll(/ id="([^"]+)"/g)].map(m => m[1]));
    const links = [...contents.matchAll(/\]\(#([^)]+)\)/g)].map(m => m[1]);
    expect(links.length).toBeGreaterThan(100);
    expect(links.filter(l => !anchors.has(l))).toEqual([]);
  });

  test('a construct without a props struct is still listed, and other types go under their kind', () => {
    const markdown = ['# API Reference <a name="API Reference" id="api-reference"></a>', '', '## Constructs <a name="Constructs" id="Constructs"></a>', '',
      '### Solo <a name="Solo" id="p.Solo"></a>', '', '## Structs <a name="Structs" id="Structs"></a>', '', '### Opts <a name="Opts" id="p.Opts"></a>',
      '', '##### `b`<sup>Optional</sup> <a name="b" id="p.Opts.property.b"></a>', ''].join('\n');
    expect(tableOfContents(markdown)).toBe('## Contents\n\n### Constructs and their props\n\n- [`Solo`](#p.Solo)\n\n### Other structs\n\n[`Opts`](#p.Opts)\n');
  });
});

describe('toolchain versions', () => {
  // One source: toolchain/versions.json (the README's minimums, read by the consumers' run.sh and
  // scripts, and every pinned version, read by .projenrc.ts into package.json and by the consumers).
  const versions = JSON.parse(read('toolchain/versions.json'));
  const toolchains = { ...versions.minimums, awsCdkGo: versions.awsCdkGo };
  const devDeps = JSON.parse(read('package.json')).devDependencies;
  const readme = read('README.md');
  const snippet = (name: string) => execFileSync('node', [path.join(ROOT, 'test/consumers/readme-snippets.js'), name], { encoding: 'utf8' });
  const compare = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
  const consumerScripts = ['npm', 'python', 'java', 'go'].map(l => `test/consumers/${l}/run.sh`);
  const jsii = JSON.parse(read('package.json')).jsii.targets;

  test('the README states the minimums, and no other', () => {
    const mentions = [...readme.matchAll(/\b(Python|Java|Go) (\d+(?:\.\d+)*)(?:\+| or newer)/g)].map(m => `${m[1]} ${m[2]}`);
    expect(mentions.length).toBeGreaterThanOrEqual(6);
    expect(new Set(mentions)).toEqual(new Set([`Python ${toolchains.python}`, `Java ${toolchains.java}`, `Go ${toolchains.go}`]));
  });

  test('the README installs aws-cdk-lib and constructs at the pinned versions in every language', () => {
    expect(devDeps['aws-cdk-lib']).toBe(versions.awsCdkLib);
    expect(devDeps.constructs).toBe(versions.constructs);
    expect(snippet('npm-install')).toMatch(new RegExp(` aws-cdk-lib@${versions.awsCdkLib} constructs@${versions.constructs}\n$`));
    expect(snippet('python-install')).toMatch(new RegExp(` aws-cdk-lib==${versions.awsCdkLib} constructs==${versions.constructs}\n$`));
    const pom = snippet('java-pom');
    expect(pom).toContain(`<artifactId>aws-cdk-lib</artifactId>\n      <version>${versions.awsCdkLib}</version>`);
    expect(pom).toContain(`<artifactId>constructs</artifactId>\n      <version>${versions.constructs}</version>`);
  });

  test('the README\'s npm commands name an exact version of every registry package', () => {
    const installs = [...snippet('npm-install').matchAll(/^npm install (.+)$/gm), ...snippet('ts-run').matchAll(/^npm install (.+)$/gm)]
      .flatMap(m => m[1].split(/\s+/)).filter(arg => !arg.startsWith('-') && !arg.includes('IVS_EVENTS_DIST'));
    expect(installs).toEqual([`aws-cdk-lib@${versions.awsCdkLib}`, `constructs@${versions.constructs}`, `typescript@${versions.consumers.npm.typescript}`]);
  });

  test('the README\'s Go module asks for the pinned aws-cdk-go, at or above the aws-cdk-lib pin', () => {
    expect([...snippet('go-install').matchAll(/github\.com\/aws\/aws-cdk-go\/awscdk\/v2@v(\S+)/g)].map(m => m[1])).toEqual([toolchains.awsCdkGo]);
    expect(compare(toolchains.awsCdkGo, versions.awsCdkLib)).toBeGreaterThanOrEqual(0);
    expect(snippet('go-install') + snippet('go-run')).not.toMatch(/GOSUMDB|GONOSUMDB|GOPRIVATE|GOINSECURE|GOFLAGS|GOPROXY|replace=github\.com\/(?!cdk-ivs)/);
  });

  test('the README\'s pom compiles for that Java and pins every dependency and plugin, with no range', () => {
    const pom = snippet('java-pom');
    expect(pom).toContain(`<maven.compiler.release>${toolchains.java}</maven.compiler.release>`);
    const maven = versions.consumers.maven as Record<string, string>;
    const expected: Record<string, string> = {
      [`${jsii.java.maven.groupId}:${jsii.java.maven.artifactId}`]: JSON.parse(read('package.json')).version,
      'software.amazon.awscdk:aws-cdk-lib': versions.awsCdkLib,
      'software.constructs:constructs': versions.constructs,
      ...maven,
    };
    const declared = [...pom.matchAll(/<(dependency|plugin)>\s*<groupId>([^<]+)<\/groupId>\s*<artifactId>([^<]+)<\/artifactId>\s*(?:<version>([^<]*)<\/version>)?/g)]
      .map(m => [`${m[2]}:${m[3]}`, m[4]]);
    expect(declared.length).toBeGreaterThanOrEqual(7);
    for (const [coordinates, version] of declared) expect([coordinates, version]).toEqual([coordinates, expected[coordinates]]);
    // Every pin but the consumer test's own JUnit launcher is in the pom.
    const inPom = new Set(declared.map(([c]) => c));
    expect(Object.keys(maven).filter(c => !inPom.has(c))).toEqual(['org.junit.platform:junit-platform-console-standalone']);
  });

  test('the Python consumer\'s constraints pin the same aws-cdk-lib, constructs and pytest, every line with a hash', () => {
    const lines = read('test/consumers/python/constraints.txt').split('\n').filter(l => l && !l.startsWith('#'));
    for (const line of lines) expect(line).toMatch(/^[A-Za-z0-9_.-]+==[^\s=]+ --hash=sha256:[0-9a-f]{64}$/);
    const pins = Object.fromEntries(lines.map(l => l.split(' ')[0].split('==')));
    expect(pins).toMatchObject({ 'aws-cdk-lib': versions.awsCdkLib, 'constructs': versions.constructs, 'pytest': versions.pip.pytest });
    expect(lines.length).toBeGreaterThanOrEqual(15);
  });

  test('the npm consumer\'s lock pins the same aws-cdk-lib, constructs and typescript, every registry package with its integrity', () => {
    const lock = JSON.parse(read('test/consumers/npm/package-lock.json'));
    expect(lock.packages['']).toEqual({ name: 'consumer' });
    const registry = Object.entries(lock.packages as Record<string, any>).filter(([k, p]) => k && !p.inBundle);
    for (const [, p] of registry) expect(p.integrity).toMatch(/^sha512-/);
    const version = (name: string) => lock.packages[`node_modules/${name}`].version;
    expect([version('aws-cdk-lib'), version('constructs'), version('typescript')])
      .toEqual([versions.awsCdkLib, versions.constructs, versions.consumers.npm.typescript]);
  });

  test('no script or consumer writes a toolchain version of its own', () => {
    const scripts = fs.readdirSync(path.join(ROOT, 'scripts')).filter(f => f.endsWith('.sh')).map(f => `scripts/${f}`);
    const files = [...scripts, ...consumerScripts];
    const literal = files.filter(f => /\b(go|python3?|Java|JDK) ?\(?\d+(\.\d+)*\+/i.test(read(f)));
    expect(literal).toEqual([]);
  });

  test('the consumers and the lock script name no version: they read toolchain/versions.json', () => {
    const files = [...consumerScripts, 'test/consumers/readme.sh', 'scripts/lock-consumers.sh'];
    expect(files.filter(f => /\d+\.\d+\.\d+/.test(read(f)))).toEqual([]);
  });
});

describe('what the consumers ran (check-ran.js)', () => {
  const check = (records: Record<string, string>, names: string[]) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ran-'));
    for (const [name, text] of Object.entries(records)) fs.writeFileSync(path.join(dir, name), text);
    try {
      return { status: 0, output: execFileSync('node', [path.join(ROOT, 'test/consumers/check-ran.js'), dir, ...names], { encoding: 'utf8', stdio: 'pipe' }) };
    } catch (e: any) {
      return { status: e.status as number, output: String(e.stderr) };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  const snippet = (name: string) => execFileSync('node', [path.join(ROOT, 'test/consumers/readme-snippets.js'), name], { encoding: 'utf8' });

  test('passes when each record is the README block, byte for byte', () => {
    expect(check({ 'go-run': snippet('go-run') }, ['go-run']).status).toBe(0);
  });

  test('fails, naming the block and the line, when a consumer ran anything else', () => {
    const changed = snippet('go-run').replace('go mod tidy', 'GOFLAGS=-mod=mod go mod tidy');
    const result = check({ 'go-run': changed }, ['go-run']);
    expect(result.status).toBe(1);
    expect(result.output).toContain('README block go-run: the consumer ran something else (first difference at line 1 of the block)');
    expect(result.output).toContain('ran:    "GOFLAGS=-mod=mod go mod tidy"');
  });

  test('fails when a block was not run at all, or ran with a line more', () => {
    expect(check({}, ['python-run']).output).toContain('README block python-run: the consumer did not run it');
    expect(check({ 'python-run': snippet('python-run') + 'echo extra\n' }, ['python-run']).status).toBe(1);
  });
});

describe('example app', () => {
  // The main job itself, as `npx projen example` runs it; a stale template must not survive it.
  const outdir = path.join(ROOT, 'examples', 'cdk.out');
  fs.mkdirSync(outdir, { recursive: true });
  fs.writeFileSync(path.join(outdir, 'IvsStale.template.json'), '{}');
  const { assembly, report: summary } = runExample();
  const resourcesOf = (stackName: string, type: string) =>
    Object.values<any>(assembly.getStackByName(stackName).template.Resources).filter(r => r.Type === type).map(r => r.Properties);
  const sectionOf = (stackName: string) => summary.split(/\n\n(?=Stack )/).find(s => s.startsWith(`Stack ${stackName} `))!.split('\n\n')[0];
  const ENVIRONMENTS = ['IvsDev', 'IvsStaging', 'IvsProd'];
  const STACKS = [...ENVIRONMENTS, 'IvsMonitoring'];

  test('writes the templates to examples/cdk.out, and only those of this run', () => {
    expect(fs.readdirSync(outdir).filter(f => f.endsWith('.template.json')).sort()).toEqual(STACKS.map(s => `${s}.template.json`).sort());
    expect(summary).toContain('CloudFormation templates: examples/cdk.out/*.template.json');
  });

  test.each(STACKS)('the summary of %s counts every resource it deploys, per type', (stackName) => {
    const resources = Object.values<any>(assembly.getStackByName(stackName).template.Resources);
    const section = sectionOf(stackName);
    expect(section.split('\n')[1]).toMatch(new RegExp(`^  ${resources.length} resources: `));
    for (const type of new Set(resources.map(r => r.Type))) {
      expect(section.split('\n')[1]).toMatch(new RegExp(`[:,] ${resources.filter(r => r.Type === type).length} ${type}(,|$)`));
    }
  });

  test('the summary totals every stack\'s resources', () => {
    const all = assembly.stacks.flatMap(stack => Object.values<any>(stack.template.Resources));
    expect(summary).toContain(`All ${STACKS.length} stacks: ${all.length} resources: `);
    expect(summary).toMatch(new RegExp(`All .* ${all.filter(r => r.Type === 'AWS::CloudWatch::Alarm').length} AWS::CloudWatch::Alarm[,$]`));
  });

  test.each(STACKS)('the summary of %s lists its queues, KMS keys and roles', (stackName) => {
    const section = sectionOf(stackName);
    const queues = resourcesOf(stackName, 'AWS::SQS::Queue');
    const keys = resourcesOf(stackName, 'AWS::KMS::Key');
    expect(queues.length).toBeGreaterThan(0);
    expect(keys.length).toBeGreaterThan(0);
    expect(section.match(/^ {2}Queue .*: keeps messages \d+ days; encrypted with \/.*\/Key$/gm)).toHaveLength(queues.length);
    expect(section.match(/^ {2}KMS key .*: rotation on, \$1\.00 a month$/gm)).toHaveLength(keys.length);
    expect(section.match(/^ {2}Role .*: assumed by [a-z]+\.amazonaws\.com$/gm) ?? []).toHaveLength(resourcesOf(stackName, 'AWS::IAM::Role').length);
  });

  test('the summary shows what each environment and the monitoring account cost per month, from the one price table', () => {
    const costs = assembly.stacks.map(stack => [stack.stackName, fixedMonthlyCost(stack.template)] as const);
    for (const [stackName, cost] of costs) {
      expect(cost).toBeGreaterThan(0);
      expect(sectionOf(stackName)).toContain(`  Fixed cost: $${cost.toFixed(2)} a month`);
      expect(summary).toMatch(new RegExp(`Fixed cost per month: .*${stackName} \\$${cost.toFixed(2)}[,;]`));
    }
    const total = costs.reduce((sum, [, cost]) => sum + cost, 0);
    expect(summary).toContain(`; $${total.toFixed(2)} in all.`);
    expect(summary).toContain(`at the us-east-1 list prices of ${PRICES.date} (devkit/prices.ts`);
  });

  test('the summary explains "(message)" before it is used', () => {
    const legend = summary.indexOf('"(message)" means EventBridge delivers a message it builds from the event (an input transformer');
    expect(legend).toBeGreaterThanOrEqual(0);
    expect(legend).toBeLessThan(summary.indexOf(' (message);'));
  });

  test.each(STACKS)('the summary of %s lists every rule, alarm, log group, archive and dashboard it deploys', (stackName) => {
    // GIVEN
    const section = sectionOf(stackName);
    const rules = resourcesOf(stackName, 'AWS::Events::Rule');
    const alarms = resourcesOf(stackName, 'AWS::CloudWatch::Alarm');
    const namedAlarms = alarms.filter(a => typeof a.AlarmName === 'string');
    const logGroups = resourcesOf(stackName, 'AWS::Logs::LogGroup');
    const archives = resourcesOf(stackName, 'AWS::Events::Archive');
    const dashboards = resourcesOf(stackName, 'AWS::CloudWatch::Dashboard');
    // every stack deploys each kind, so none of the checks below runs over nothing
    const kinds = { rules, namedAlarms, logGroups, archives, dashboards };
    expect(Object.entries(kinds).filter(([, list]) => list.length === 0).map(([kind]) => kind)).toEqual([]);

    // THEN
    expect(section).toContain(`  Rules (${rules.length}):`);
    expect(section).toContain(`  Alarms (${alarms.length}):`);
    for (const alarm of namedAlarms) {
      expect(section).toMatch(new RegExp(`- ${alarm.AlarmName}: .* >=? ${alarm.Threshold} over ${alarm.EvaluationPeriods} x `));
    }
    for (const rule of rules.filter(r => r.ScheduleExpression)) {
      expect(section).toContain(`schedule: ${rule.ScheduleExpression}`);
    }
    for (const rule of rules.filter(r => !r.ScheduleExpression)) {
      const branches = rule.EventPattern.$or ?? [rule.EventPattern];
      const names = branches.flatMap((b: any) => b.detail?.event_name ?? b['detail-type'].map((d: string) => `every ${d} event`));
      expect(section).toContain(`events: ${names.join(', ')}`);
    }
    for (const group of logGroups) {
      expect(section).toContain(`Log group ${group.LogGroupName}: ${group.RetentionInDays} days`);
    }
    for (const archive of archives) {
      expect(section).toContain(`Archive ${archive.ArchiveName}: ${archive.RetentionDays} days`);
    }
    for (const dashboard of dashboards) {
      expect(section).toContain(`Dashboard ${dashboard.DashboardName}`);
    }
    expect(section).not.toContain('dead-letter queue NONE');
  });

  test('dev and prod differ by their profile: dev pages nobody and keeps a week, prod pages and keeps a year', () => {
    const dev = sectionOf('IvsDev');
    const prod = sectionOf('IvsProd');
    expect(dev).toContain('- ivs-realtime-dev-composition-failures: AWS/Events TriggeredRules (Sum) >= 5 over 1 x 300s; actions /IvsDev/Oncall (DISABLED by the profile)');
    expect(prod).toContain('- ivs-realtime-prod-composition-failures: AWS/Events TriggeredRules (Sum) >= 1 over 1 x 300s; actions /IvsProd/Oncall');
    expect(dev).toContain('Archive ivs-realtime-dev: 7 days');
    expect(prod).toContain('Archive ivs-realtime-prod: 90 days');
    expect(prod).toContain('-> /IvsProd/Chat (message)');
    expect(dev).not.toContain('-> /IvsDev/Chat (message)');
  });

  test('every environment forwards to the central bus, which accepts exactly their accounts', () => {
    for (const stackName of ENVIRONMENTS) {
      expect(summary).toContain(`-> arn:aws:events:us-east-1:999999999999:event-bus/ivs-realtime-central; dead-letter queue /${stackName}/Monitoring/Events/DeadLetterQueue`);
    }
    expect(summary).toContain('Event bus ivs-realtime-central (/IvsMonitoring/Central/Bus) accepts events from: 111111111111, 333333333333, 222222222222');
  });

  test('prod tracks stage state: its table, functions, pipes, alarms and what it costs are in the summary; dev and staging have none', () => {
    const prod = sectionOf('IvsProd');
    const [table] = resourcesOf('IvsProd', 'AWS::DynamoDB::Table');
    expect(table).toBeDefined();
    expect(prod).toContain('DynamoDB table /IvsProd/Monitoring/StateTracker/Table: on demand; encrypted with /IvsProd/Monitoring/Events/Key; stream NEW_AND_OLD_IMAGES');
    for (const fn of resourcesOf('IvsProd', 'AWS::Lambda::Function')) {
      expect(prod).toMatch(new RegExp(`Function /IvsProd/Monitoring/StateTracker/\\w+: ${fn.Runtime}, ${fn.MemorySize} MB, timeout ${fn.Timeout}s`));
    }
    expect(prod.match(/^ {2}Pipe .*: \/IvsProd\/Monitoring\/StateTracker\/Table -> arn:aws:events:us-east-1:222222222222:event-bus\/default$/gm)).toHaveLength(2);
    expect(prod).toContain('- /IvsProd/Monitoring/StateTracker/HandlerErrors: AWS/Lambda Errors (Sum) >= 1 over 1 x 300s; actions /IvsProd/Oncall');
    expect(prod).toContain('Usage on top: the state tracker\'s SQS, Lambda and DynamoDB cost about $2 to $3 per million events');
    // prod's fixed cost is staging's (same alarms otherwise) plus the tracker's 5 alarms of one metric each, and the alarms
    // of its 4 state machines (idle grace, composition start and stop, recordings), each on failed + timed-out + aborted runs
    expect(fixedMonthlyCost(assembly.getStackByName('IvsProd').template) - fixedMonthlyCost(assembly.getStackByName('IvsStaging').template))
      .toBeCloseTo((5 + 4 * 3) * PRICES.alarmMetricMonth);
    for (const stackName of ['IvsDev', 'IvsStaging']) expect(sectionOf(stackName)).not.toMatch(/DynamoDB table|StateTracker/);
  });

  test('prod records its compositions and announces its recordings: their state machines, rules, alarms and run costs are in the summary', () => {
    const prod = sectionOf('IvsProd');
    const machines = resourcesOf('IvsProd', 'AWS::StepFunctions::StateMachine');
    // the tracker's grace for the stop, the start, the stop, the recordings
    expect(machines).toHaveLength(4);
    expect(prod.match(/^ {2}State machine .*: STANDARD, \d+ states; .+$/gm)).toHaveLength(machines.length);
    expect(prod).toContain('State machine /IvsProd/Compositions/Start: STANDARD, ');
    expect(prod).toContain('Starts a composition of a stage that became active, once per transition');
    expect(prod).toContain('State machine /IvsProd/RecordingsReady/StateMachine: STANDARD, ');
    expect(prod).toContain('-> /IvsProd/Compositions/Start; dead-letter queue /IvsProd/Monitoring/StateTracker/DeadLetterQueue');
    expect(prod).toContain('-> /IvsProd/Chat (message); dead-letter queue /IvsProd/RecordingsReady/DeadLetterQueue');
    for (const alarm of ['Compositions/StartFailures', 'Compositions/StopFailures', 'RecordingsReady/Failures']) {
      expect(prod).toContain(`- /IvsProd/${alarm}: failed + timedOut + aborted >= 1 over 1 x 300s; actions /IvsProd/Oncall`);
    }
    expect(prod).toContain(`Usage on top: Step Functions bills $${REQUEST_PRICES.stepFunctionsTransitionThousand} per 1,000 state transitions; a run takes about 7 (idle confirmed)`);
    expect(prod).toContain('IVS bills recording and each composition by the hour');
    for (const stackName of ['IvsDev', 'IvsStaging']) expect(sectionOf(stackName)).not.toMatch(/State machine|Compositions|RecordingsReady/);
  });

  test('--json gives tools the same account: every stack\'s resources per type, alarms and fixed cost, and the totals', () => {
    const jsonOutdir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-'));
    try {
      const data = JSON.parse(exampleOutput(['--', '--json'], jsonOutdir));
      expect(data.stacks.map((s: any) => s.stackName).sort()).toEqual([...STACKS].sort());
      for (const stack of assembly.stacks) {
        const resources = Object.values<any>(stack.template.Resources);
        const json = data.stacks.find((s: any) => s.stackName === stack.stackName);
        expect(json.resourceCount).toBe(resources.length);
        expect(json.resources['AWS::CloudWatch::Alarm']).toBe(resources.filter(r => r.Type === 'AWS::CloudWatch::Alarm').length);
        expect(Object.keys(json.alarms)).toHaveLength(json.resources['AWS::CloudWatch::Alarm']);
        expect(json.fixedMonthlyCost).toBeCloseTo(fixedMonthlyCost(stack.template));
      }
      expect(data.stacks.find((s: any) => s.stackName === 'IvsProd').resources['AWS::DynamoDB::Table']).toBe(1);
      expect(data.stacks.find((s: any) => s.stackName === 'IvsDev').alarms['ivs-realtime-dev-composition-failures']).toBe(false);
      expect(data.resourceCount).toBe(assembly.stacks.reduce((n, s) => n + Object.keys(s.template.Resources).length, 0));
      expect(data.prices.date).toBe(PRICES.date);
      // The price table the summary names is a file of this repository.
      expect(fs.existsSync(path.join(__dirname, '..', data.prices.source))).toBe(true);
    } finally {
      fs.rmSync(jsonOutdir, { recursive: true, force: true });
    }
  });

  test('the example task passes its arguments, and refuses one it does not know', () => {
    expect(JSON.parse(read('.projen/tasks.json')).tasks.example.steps[0].receiveArgs).toBe(true);
    expect(() => exampleOutput(['--yaml'], fs.mkdtempSync(path.join(os.tmpdir(), 'example-')))).toThrow('example: unknown argument --yaml (only --json)');
  });

  test('no resource of a deployed example stack gets a new logical id (which CloudFormation would replace)', () => {
    // A replaced dead-letter queue loses its dead letters; a replaced alarm or log group
    // with a fixed name fails to deploy. Change the committed list only for an intended
    // replacement, and say so in CHANGELOG.md.
    const committed = JSON.parse(read('test/fixtures/example-app-logical-ids.json'));
    const current = Object.fromEntries(assembly.stacks.map(stack => [stack.stackName,
      Object.fromEntries(Object.entries<any>(stack.template.Resources).map(([id, r]) => [id, r.Type]).sort())]));
    expect(Object.keys(committed).sort()).toEqual([...STACKS].sort());
    expect(current).toEqual(committed);
  });
});
