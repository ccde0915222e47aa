import * as fs from 'fs';
import * as path from 'path';
import { gateSources, runTimeResolutions } from './util/hermetic';

const ROOT = path.join(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const versions = JSON.parse(read('toolchain/versions.json'));

describe('the checker of run-time version resolution', () => {
  // Each of these ran in the gate once, and turned it red with no change in the repository.
  test.each([
    ['npm view \'aws-cdk-lib@2\' version --json | node -e "..."', 'asks the npm registry which versions exist'],
    ['  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "node@$major" >&2', 'installs an npm package without an exact version'],
    ['npm install "$IVS_EVENTS_DIST"/js/cdk-ivs-realtime-events@*.jsii.tgz aws-cdk-lib constructs', 'installs an npm package without an exact version'],
    ['npm install --save-dev typescript@6', 'installs an npm package without an exact version'],
    ['npx -y ts-node app.ts', 'lets npx download a package'],
    ['npm install aws-cdk-lib@latest', 'installs a dist-tag (@latest, @next)'],
    ['python3 -m pip install --quiet --disable-pip-version-check \'moto[server]>=5.1,<6\'', 'installs a Python package without an exact version (==)'],
    ['"$venv/bin/pip" install --quiet --upgrade "cfn-lint==1.58.0"', 'upgrades with pip'],
    ['pip install -r requirements.txt', 'installs from a requirements file without hash checking'],
    ['go get github.com/aws/aws-cdk-go/awscdk/v2@latest', 'resolves a Go module version (@latest, -u)'],
    ['  <version>[0.0.0,1.0.0)</version>', 'a Maven version range or LATEST/RELEASE'],
    ['curl -fsSL https://example.com/tool.tgz | tar -xz', 'downloads from outside the package registries'],
  ])('flags %s', (line, why) => {
    expect(runTimeResolutions('x.sh', line)).toContain(`x.sh:1: ${why}: ${line.trim()}`);
  });

  test.each([
    'npm ci && npx projen build',
    '(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >&2',
    'npm install --save-dev typescript@6.0.3',
    'npm install "$IVS_EVENTS_DIST"/js/cdk-ivs-realtime-events@*.jsii.tgz aws-cdk-lib@2.245.0 constructs@10.5.1',
    '"$venv/bin/pip" install --isolated --quiet --require-hashes --no-deps -r "$requirements" >&2',
    '.venv/bin/pip install "$IVS_EVENTS_DIST"/python/cdk_ivs_realtime_events-*.whl',
    '.venv/bin/pip install --quiet "pytest==$PYTEST_VERSION"',
    'go mod download "github.com/aws/aws-cdk-go/awscdk/v2@v2.257.0"',
    '  <version>2.245.0</version>',
    '# `npm view` would list every release',
  ])('accepts %s', (line) => {
    expect(runTimeResolutions('x.sh', line)).toEqual([]);
  });
});

describe('the gate', () => {
  const { commands, scripts, snippets } = gateSources(ROOT);

  test('reads every script the build reaches, and the README blocks the consumers run', () => {
    expect([...scripts.keys()]).toEqual(expect.arrayContaining([
      'scripts/with-node.sh', 'scripts/install-tool.sh', 'scripts/install-pip-tool.sh', 'scripts/newest-cdk.sh', 'scripts/cfn-lint.sh',
      'scripts/release-check.sh', 'scripts/tested-versions.sh', 'test/consumers/build.sh', 'test/consumers/readme.sh',
      ...['npm', 'python', 'java', 'go'].map(language => `test/consumers/${language}/run.sh`),
    ]));
    expect([...snippets.keys()]).toEqual(expect.arrayContaining(['build', 'npm-install', 'ts-run', 'python-install', 'java-pom', 'go-install', 'go-run']));
    // Moving versions is never part of the gate.
    expect([...scripts.keys()]).not.toEqual(expect.arrayContaining(['scripts/upgrade-toolchain.sh']));
    expect([...scripts.keys()]).not.toEqual(expect.arrayContaining(['scripts/drift.sh']));
  });

  test('resolves no version at run time: every command, script and README block it runs names exact versions', () => {
    const found = [
      ...commands.flatMap((command, i) => runTimeResolutions(`command ${i}`, command)),
      ...[...scripts].flatMap(([file, text]) => runTimeResolutions(file, text)),
      ...[...snippets].flatMap(([name, text]) => runTimeResolutions(`README snippet ${name}`, text)),
    ];
    expect(found).toEqual([]);
  });

  test('the tools it installs are locked at the versions toolchain/versions.json lists', () => {
    const lock = (tool: string) => JSON.parse(read(`toolchain/npm/${tool}/package-lock.json`)).packages;
    for (const [major, version] of Object.entries<string>(versions.node)) {
      expect(lock(`node${major}`)['node_modules/node']).toMatchObject({ version, integrity: expect.stringMatching(/^sha512-/) });
    }
    expect(lock('newest-cdk')['node_modules/aws-cdk-lib']).toMatchObject({ version: versions.awsCdkLibNewest, integrity: expect.stringMatching(/^sha512-/) });
    expect(lock('newest-cdk')['node_modules/constructs']).toMatchObject({ version: versions.constructs });
    const pip = (tool: string) => read(`toolchain/pip/${tool}.txt`);
    expect(pip('moto')).toMatch(new RegExp(`^moto==${versions.pip.moto.replace(/\./g, '\\.')} \\\\\\n\\s+--hash=sha256:`, 'm'));
    expect(pip('cfn-lint')).toMatch(new RegExp(`^cfn-lint==${versions.pip['cfn-lint'].replace(/\./g, '\\.')} \\\\\\n\\s+--hash=sha256:`, 'm'));
    // every requirement of a pip lock is exact and hashed, so pip's hash-checking mode accepts it
    for (const tool of ['moto', 'cfn-lint']) {
      const requirements = pip(tool).split('\n').filter(line => /^[^\s#]/.test(line));
      expect(requirements.filter(line => !/^[\w.-]+==[\w.]+ \\$/.test(line))).toEqual([]);
    }
  });

  test('jsii-pacmak builds the wheel with every Python package pinned', () => {
    const tasks = JSON.parse(read('.projen/tasks.json')).tasks;
    expect(tasks['package:python'].steps).toEqual([{ exec: 'PIP_CONSTRAINT="$PWD/toolchain/pip/jsii-pacmak-python.txt" jsii-pacmak -v --target python' }]);
    const constraints = read('toolchain/pip/jsii-pacmak-python.txt').split('\n').filter(line => /^[^\s#]/.test(line)).map(line => line.split(/\s+#/)[0].trim());
    expect(constraints.filter(c => !/^[\w.-]+==[\w.]+$/.test(c))).toEqual([]);
    // every package jsii-pacmak asks for is constrained
    const asked = read('node_modules/jsii-pacmak/lib/targets/python/requirements-dev.txt').split('\n')
      .map(line => line.replace(/#.*/, '').trim()).filter(Boolean).map(line => /^[\w.-]+/.exec(line)![0]);
    expect(asked.filter(name => !constraints.some(c => c.startsWith(`${name}==`)))).toEqual([]);
  });

  test('aws-cdk-lib and constructs in package.json are the versions listed', () => {
    const pkg = JSON.parse(read('package.json'));
    expect(pkg.devDependencies['aws-cdk-lib']).toBe(versions.awsCdkLib);
    expect(pkg.devDependencies.constructs).toBe(versions.constructs);
  });
});

test('the release workflow\'s build job, which runs the gate on GitHub, sets up the exact Node.js, Python and Go listed', () => {
  // the jobs after it (`release_npm`, `release_pypi`, ...) only package and publish what it built
  const workflow = read('.github/workflows/release.yml').split(/^ {2}release_/m)[0];
  const setups = [...workflow.matchAll(/^\s+(node|python|go)-version: (\S+)$/gm)].map(m => [m[1], m[2]]);
  expect(setups.length).toBeGreaterThanOrEqual(3);
  const expected: Record<string, string> = {
    node: versions.node[Math.max(...Object.keys(versions.node).map(Number))],
    python: versions.releaseWorkflow.python,
    go: versions.releaseWorkflow.go,
  };
  expect(setups.filter(([tool, version]) => version !== expected[tool])).toEqual([]);
});

describe('the projen tasks', () => {
  const tasks: Record<string, { description?: string; steps?: { spawn?: string }[] }> = JSON.parse(read('.projen/tasks.json')).tasks;
  const reached = new Set<string>();
  const walk = (name: string) => {
    if (reached.has(name)) return;
    reached.add(name);
    (tasks[name].steps ?? []).forEach(step => step.spawn && walk(step.spawn));
  };
  walk('build');

  test('each of this project\'s own tasks says truly whether the gate runs it', () => {
    const own = Object.entries(tasks).filter(([, t]) => /\[(gate|not in the gate)/.test(t.description ?? ''));
    expect(own.length).toBeGreaterThanOrEqual(15);
    const wrong = own.filter(([name, t]) => t.description!.includes('[gate: npx projen build runs it]') !== reached.has(name)).map(([name]) => name);
    expect(wrong).toEqual([]);
  });

  test('`npx projen test` is the inner loop: setup, the bundle, compile, jest once, eslint', () => {
    const test = (tasks.test.steps ?? []).map((s: any) => s.spawn ?? s.execArgs?.join(' ') ?? s.exec);
    expect(test).toEqual(['tracker:setup', 'conformance:setup', 'bundle:tracker', 'compile', `bash scripts/with-node.sh ${Math.max(...Object.keys(versions.node).map(Number))} jest --passWithNoTests --ci`, 'eslint']);
  });
});
