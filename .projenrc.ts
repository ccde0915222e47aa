import { readFileSync } from 'fs';
import { join } from 'path';
import { awscdk, javascript, ReleasableCommits, TaskOptions } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';
import { ReleaseTrigger } from 'projen/lib/release';

// Every version a build downloads is written in toolchain/versions.json (the one list: CONTRIBUTING
// says how it moves); the devDependencies below are held exactly by package-lock.json.
const VERSIONS = JSON.parse(readFileSync(join(__dirname, 'toolchain', 'versions.json'), 'utf8'));
// aws-cdk-lib stays at 2.245.0, paired with @aws-cdk/integ-tests-alpha 2.245.0-alpha.0: newer releases write cloud-assembly schema 54+, which the newest @aws-cdk/integ-runner (2.197.x) cannot read.
const CDK_VERSION: string = VERSIONS.awsCdkLib;
const CONSTRUCTS_VERSION: string = VERSIONS.constructs;
const INTEG_TESTS_ALPHA_VERSION = `${CDK_VERSION}-alpha.0`;
const INTEG_RUNNER_VERSION = '~2.197.10';
const CDK_NAG_VERSION = '~2.38.2';
const JSII_VERSION = '~6.0.0';
const FAST_CHECK_VERSION = '^4.11.0';
// The tracker's handler uses the AWS SDK v3 the Lambda Node.js runtime provides; this pin is for types and tests.
const AWS_SDK_VERSION = '^3.1169.0';
const ESBUILD_VERSION = '^0.28.2';
// The IVS real-time client is released on its own cadence; aws-sdk-client-mock stubs it (no local IVS exists).
const AWS_SDK_IVS_VERSION = '^3.1058.0';
const SDK_MOCK_VERSION = '^4.1.0';
// A real ASL interpreter (Retry, Catch, backoff, intrinsics) runs the library's state machines in
// jest, each Task answered by the test (moto for DynamoDB and S3, a stub for IVS). Needs Node >= 22.
const LOCAL_SFN_VERSION = '3.0.0';
// test/release.test.ts reads the generated release workflow.
const YAML_VERSION = '^2.9.1';
// The Node.js releases the library supports, the current LTS ones: `engines` allows the oldest
// and up, and the test task runs the jest suite on each (scripts/with-node.sh fetches the binary
// from the npm registry), whatever Node the machine has.
const NODE_MAJORS = Object.keys(VERSIONS.node).map(Number);
const OLDEST_NODE = Math.min(...NODE_MAJORS);
const NEWEST_NODE = Math.max(...NODE_MAJORS);

const NAME = 'cdk-ivs-realtime-events';
// Lambda code: a second program beside jsii's src/, bundled by esbuild into assets/, type-checked
// by its own runtime/tsconfig.json. It shares one module with src/ (src/tracker/table-keys.ts).
const RUNTIME = 'runtime';
const REPOSITORY = `https://github.com/${NAME}/${NAME}.git`;
// Integ snapshots are only ever verified or re-synthesized offline; these keep
// integ-runner from probing for a region or instance credentials.
const OFFLINE_AWS_ENV = { AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' };

// Maven as a build log wants it: no colours, no download progress, and no terminal reset codes
// (Maven 3.8's jansi prints them even in batch mode, as stray blank lines; jansi.noreset stops it).
const MVN = 'MAVEN_OPTS="$MAVEN_OPTS -Djansi.noreset=true" mvn -B -Dstyle.color=never --no-transfer-progress';

const project = new awscdk.AwsCdkConstructLibrary({
  name: NAME,
  description: 'AWS CDK constructs that wire Amazon IVS Real-Time Streaming EventBridge events to targets, alarms and notifications without losing events.',
  // Construct Hub lists jsii packages on npm that carry one of its keywords, `awscdk` for AWS CDK constructs
  // (AWS Open Source Blog, "Best practices for discoverability of a construct library on Construct Hub").
  keywords: ['awscdk', 'aws-cdk', 'cdk', 'construct', 'ivs', 'amazon-ivs', 'real-time', 'eventbridge', 'monitoring'],
  author: `${NAME} contributors`,
  authorAddress: 'noreply@example.com',
  repositoryUrl: REPOSITORY,
  license: 'Apache-2.0',
  stability: 'experimental',
  majorVersion: 0,
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // Releases: projen's release workflow bumps the version from the conventional commits since the
  // last tag (0.x: a breaking change bumps the minor), builds, and publishes every language; only
  // a feat or fix makes a release (docs, test, ci, build and chore commits do not).
  // CI is .ci/run (the README's test command), so no second build workflow; the pinned versions
  // are moved on purpose, so no upgrade workflow either.
  github: true,
  // Pull request titles become the squashed commit: the conventional types this project uses.
  githubOptions: {
    mergify: false,
    pullRequestLintOptions: { semanticTitleOptions: { types: ['feat', 'fix', 'perf', 'refactor', 'docs', 'test', 'build', 'ci', 'chore', 'revert'] } },
  },
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  release: true,
  releaseTrigger: ReleaseTrigger.continuous(),
  releasableCommits: ReleasableCommits.featuresAndFixes(),
  releaseToNpm: true,
  // The release build runs the whole test task: moto and cfn-lint install with pip (into a Python
  // of setup-python's, not the runner's system Python), the consumers need Python, Java with Maven
  // (on the runner image) and Go, at the exact versions the gate is run with (toolchain/versions.json).
  // These steps also run in the publish jobs, before their checkout: no file of the repository here.
  workflowBootstrapSteps: [
    { name: 'Set up Python', uses: 'actions/setup-python@v7.0.0', with: { 'python-version': VERSIONS.releaseWorkflow.python } },
    { name: 'Set up Go', uses: 'actions/setup-go@v7.0.0', with: { 'go-version': VERSIONS.releaseWorkflow.go, 'cache': false } },
  ],

  cdkVersion: CDK_VERSION,
  constructsVersion: CONSTRUCTS_VERSION,
  jsiiVersion: JSII_VERSION,
  minNodeVersion: `${OLDEST_NODE}.0.0`,
  // projen would run workflows on exactly the minimum, 22.0.0: run them on the newest supported
  // release, the one the jest suite runs on.
  workflowNodeVersion: VERSIONS.node[NEWEST_NODE],
  integrationTestAutoDiscover: false,
  devDeps: [
    `@aws-cdk/integ-tests-alpha@${INTEG_TESTS_ALPHA_VERSION}`,
    `@aws-cdk/integ-runner@${INTEG_RUNNER_VERSION}`,
    `cdk-nag@${CDK_NAG_VERSION}`,
    `fast-check@${FAST_CHECK_VERSION}`,
    `@aws-sdk/client-dynamodb@${AWS_SDK_VERSION}`,
    `@aws-sdk/client-ivs-realtime@${AWS_SDK_IVS_VERSION}`,
    `@aws-sdk/client-s3@${AWS_SDK_VERSION}`,
    `aws-local-stepfunctions@${LOCAL_SFN_VERSION}`,
    `aws-sdk-client-mock@${SDK_MOCK_VERSION}`,
    `esbuild@${ESBUILD_VERSION}`,
    `yaml@${YAML_VERSION}`,
  ],

  publishToPypi: { distName: NAME, module: 'cdk_ivs_realtime_events' },
  publishToMaven: {
    javaPackage: 'io.github.cdkivsrealtimeevents',
    mavenGroupId: 'io.github.cdk-ivs-realtime-events',
    mavenArtifactId: NAME,
  },
  publishToNuget: { dotNetNamespace: 'CdkIvsRealtimeEvents', packageId: 'CdkIvsRealtimeEvents' },
  publishToGo: { moduleName: `github.com/${NAME}/${NAME}-go` },

  jestOptions: {
    // Snapshots must be able to fail: `npx projen test:update` rewrites them on purpose.
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: {
      snapshotSerializers: ['<rootDir>/test/util/asset-hash-serializer.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.snapshot/', '/cdk\\.out/'],
    },
  },
  gitignore: ['/assets/', '/.tools', 'cdk.out/', '/examples/cdk.out/', '/test/conformance/target', '.jsii.tabl.json'],
  // runtime/ is Lambda code: the package carries its bundle (assets/), never its source.
  npmIgnoreOptions: { ignorePatterns: ['/examples/', '/rosetta/', '/scripts/', '/.ci/', '/.tools/', '/bench/', '/devkit/', '/runtime/'] },
  tsconfigDevFile: 'tsconfig.dev.json',
  tsconfigDev: { include: ['.projenrc.ts'] },
  // runtime/ is linted as a dev folder: it may import the AWS SDK (a devDependency, provided by Lambda).
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'examples', 'projenrc', 'scripts', 'bench', 'devkit', RUNTIME], projectService: false, tsconfigPath: './tsconfig.dev.json' },
});

// Construct code never loads the AWS SDK: only the Lambda runtime provides it (test/architecture.test.ts
// checks the same boundary, and that no file of lib/ loads it).
project.eslint?.addOverride({
  files: ['src/**/*.ts'],
  rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['@aws-sdk/*'], message: 'The AWS SDK belongs to Lambda code, in runtime/.' }] }] },
});

// This project's machines have Node 20, which jsii no longer supports: the build's jsii, rosetta,
// pacmak, integ-runner and the consumer projects' jsii runtime knowingly run on it there, while
// the jest suite runs on the supported releases. This silences jsii's end-of-life banner for
// Node 20 only, in this project's tasks only: users never get it. Drop it when the machines move.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');

// Two loops. `npx projen test` is the inner one: the handler bundle and jsii compile, then jest once (on the newest
// supported Node.js, moto-backed tests included) and eslint. The gate, `npx projen build`, runs it
// and then everything else: every step downloads only what toolchain/ pins (test/hermetic.test.ts).
// projen locks the build task's phases, so the rest runs as the last step of its last phase, package.
const IN_GATE = '[gate: npx projen build runs it]';
const BY_HAND = '[not in the gate: run by hand]';
const task = (name: string, description: string, inGate: boolean, options: Omit<TaskOptions, 'description'> = {}) =>
  project.addTask(name, { ...options, description: `${description} ${inGate ? IN_GATE : BY_HAND}` });

// The tracker's Lambda code, type-checked on its own and bundled at build time into assets/
// (packaged with the library in every language); the AWS SDK v3 comes from the Lambda runtime.
const typecheckRuntime = task('typecheck:runtime', `Type-check the Lambda code (${RUNTIME}/tsconfig.json)`, true, {
  exec: `tsc --noEmit -p ${RUNTIME}/tsconfig.json`,
});
const bundleTracker = task('bundle:tracker', `Bundle the tracker's Lambda code (${RUNTIME}/tracker) into assets/tracker-handler`, true, {
  exec: `esbuild ${RUNTIME}/tracker/index.ts --bundle --platform=node --target=node22 --format=cjs `
    + '--external:@aws-sdk/* --outfile=assets/tracker-handler/index.js --log-level=warning',
});
bundleTracker.prependSpawn(typecheckRuntime);
project.preCompileTask.spawn(bundleTracker);
// The tracker's handler is tested against moto's DynamoDB server (never Amazon's DynamoDB Local).
const trackerSetup = task('tracker:setup', 'Install the pinned moto (toolchain/pip/moto.txt, with hashes) into .tools/moto', true, {
  exec: 'bash scripts/install-pip-tool.sh moto',
});
// event-ruler (the engine behind EventBridge) checks every synthesized pattern in jest.
const conformanceSetup = task('conformance:setup', 'Download the pinned event-ruler jars for the pattern conformance tests', true, {
  exec: `${MVN} -q -f test/conformance/pom.xml dependency:copy-dependencies -DoutputDirectory=target/lib`,
});
// The tests read the jsii assembly: compiled first, unless the build's compile phase just did.
project.testTask.prependSpawn(project.compileTask, { condition: 'bash scripts/needs-compile.sh' });
for (const setup of [bundleTracker, conformanceSetup, trackerSetup]) {
  project.testTask.prependSpawn(setup);
}
const jestStep = project.testTask.steps.findIndex(step => step.execArgs?.[0] === 'jest');
project.testTask.updateStep(jestStep, {
  ...project.testTask.steps[jestStep],
  execArgs: ['bash', 'scripts/with-node.sh', `${NEWEST_NODE}`, ...project.testTask.steps[jestStep].execArgs!],
});

const gate = task('gate', 'What `npx projen build` checks after `test`, as the last step of `package`: jest on every other Node.js and the newest aws-cdk-lib, '
  + 'integ snapshots, cfn-lint, the consumers, a release rehearsal, the tested versions', true);
project.packageTask.spawn(gate);
for (const major of NODE_MAJORS.filter(m => m !== NEWEST_NODE)) {
  gate.spawn(task(`test:node${major}`, `Run the jest suite on the pinned Node.js ${major} (toolchain/npm/node${major})`, true, {
    exec: `bash scripts/with-node.sh ${major} jest --ci --coverage=false --maxWorkers=2`,
    receiveArgs: true,
  }));
}
// Users install the newest aws-cdk-lib their peer range allows, not CDK_VERSION: the jest suite
// runs against the newest one recorded in toolchain/versions.json (scripts/newest-cdk.sh).
gate.spawn(task('test:newest-cdk', 'Run the jest suite against the newest aws-cdk-lib recorded (toolchain/npm/newest-cdk)', true, {
  exec: `bash scripts/newest-cdk.sh ${NEWEST_NODE} --maxWorkers=2`,
  receiveArgs: true,
}));

// integ-runner synthesizes every integ test at once, each through ts-node, which type-checked
// the whole program once per test: one tsc pass type-checks them (and every other file of
// tsconfig.dev.json) instead, and ts-node only transpiles.
const typecheck = task('typecheck', 'Type-check the tests, integ tests, examples, scripts and benchmarks (tsconfig.dev.json)', true, {
  exec: 'tsc --noEmit -p tsconfig.dev.json',
});
const INTEG_ENV = { ...OFFLINE_AWS_ENV, TS_NODE_TRANSPILE_ONLY: 'true' };
const integ = task('integ', 'Verify the committed integ-runner snapshots (offline, never deploys)', true, { env: INTEG_ENV });
integ.spawn(typecheck);
integ.exec('integ-runner --language typescript --directory test', { receiveArgs: true });
const integSnapshot = task('integ:snapshot', 'Re-synthesize integ-runner snapshots (--dry-run: never deploys)', false, { env: INTEG_ENV });
integSnapshot.spawn(typecheck);
integSnapshot.exec('integ-runner --language typescript --directory test --update-on-failed --dry-run', { receiveArgs: true });
gate.spawn(integ);
gate.spawn(task('cfn-lint', 'cfn-lint (toolchain/pip/cfn-lint.txt) every committed integ snapshot template', true, { exec: 'bash scripts/cfn-lint.sh' }));

// jsii-docgen writes API.md without a table of contents: one of constructs, their props and every
// other type goes after its title (scripts/api-toc.js).
project.tasks.tryFind('docgen')!.exec('node scripts/api-toc.js API.md');
// README examples must compile against the real API.
project.postCompileTask.exec('jsii-rosetta extract --strict --fail');

// No machine here has the dotnet SDK; skip .NET loudly instead of failing the build,
// while a release machine with the SDK still packages it.
project.tasks.tryFind('package:dotnet')?.addCondition('bash scripts/has-dotnet.sh');
// Go builds only where the Go module proxy serves aws-cdk-go at CDK_VERSION (see the script).
project.tasks.tryFind('package:go')?.reset('bash scripts/package-go.sh');
// jsii-pacmak builds the wheel with pip (`setuptools~=`, `build~=`, `twine~=` ranges of its own):
// the constraints pin every package of that step (toolchain/pip/jsii-pacmak-python.txt).
project.tasks.tryFind('package:python')!.reset('PIP_CONSTRAINT="$PWD/toolchain/pip/jsii-pacmak-python.txt" jsii-pacmak -v --target python');
// Each of Python, Java and Go is packaged once per compile, by whichever step comes first.
for (const language of ['python', 'java', 'go']) {
  project.tasks.tryFind(`package:${language}`)!.addCondition(`bash scripts/needs-package.sh ${language}`);
}

// npm, Python, Java and Go users: the README is the source of every command and program they run.
const consumers = task('test:consumers', 'Build the packages with the README\'s commands, then run its install commands and quick start '
  + 'in each language (test/consumers)', true);
consumers.exec('bash test/consumers/build.sh');
for (const language of ['npm', 'python', 'java', 'go']) {
  consumers.exec(`bash test/consumers/${language}/run.sh`);
}
gate.spawn(consumers);
// A release rehearsed in a temporary copy (bump from conventional commits, compile, every package
// this machine builds, unbump); never the release task itself, whose build runs the gate.
gate.spawn(task('test:release', 'Rehearse a release in a temporary copy: bump, compile, package every language, check each carries '
  + 'the new version', true, { exec: 'bash scripts/release-check.sh' }));
// Last: everything passed, so say which exact versions it passed with (dist/tested-versions.md).
gate.spawn(task('tested-versions', 'Check that the tools which ran are the pinned ones and write dist/tested-versions.md', true, {
  exec: `bash scripts/tested-versions.sh ${NODE_MAJORS.join(' ')}`,
}));

// Moving versions is a task a maintainer runs and commits, never something the gate does.
task('upgrade:toolchain', 'Move the pins of toolchain/versions.json forward (newest aws-cdk-lib, Node.js patches; --node-major N for a '
  + 'new Node.js major), regenerate toolchain/ locks, and re-run what depends on them; leaves the change to review and commit', false, {
  exec: 'bash scripts/upgrade-toolchain.sh',
  receiveArgs: true,
});
task('lock:consumers', 'Rewrite the consumers\' locks (test/consumers/npm/package-lock.json, test/consumers/python/constraints.txt) from '
  + 'toolchain/versions.json; needs dist/js and dist/python (npx projen package:js package:python)', false, { exec: 'bash scripts/lock-consumers.sh' });
task('drift', 'Report newer releases of what toolchain/versions.json pins (aws-cdk-lib, Node.js LTS, cdk-nag, moto, cfn-lint); '
  + 'changes nothing and never fails', false, { exec: 'bash scripts/drift.sh' });

// The tracker's part runs the bundled handler file against moto: both are set up first.
const bench = task('bench', 'Benchmark synth time, rules, alarms and fixed cost against hand-written aws-cdk-lib, and the state tracker\'s '
  + 'handler against a naive one on moto (events/s, DynamoDB requests, cost per million events); writes docs/benchmarks.md', false);
bench.spawn(trackerSetup);
bench.spawn(bundleTracker);
// Both run the library on the machine's Node.js: older than `engines` allows, they say so in one
// line and run on the pinned newest Node.js instead (scripts/on-supported-node.sh).
bench.exec('bash scripts/on-supported-node.sh ts-node --project tsconfig.dev.json bench/run.ts');
task('example', 'Synthesize the example app offline and print what it creates', false, {
  exec: 'bash scripts/on-supported-node.sh ts-node --project tsconfig.dev.json examples/main.ts',
  receiveArgs: true,
});

// projen's jsii-diff task compares with whatever version npm serves, and nothing runs eject.
project.removeTask('compat');
project.removeTask('eject');

project.synth();
