import { readFileSync } from 'fs';
import { join } from 'path';
import { awscdk, javascript, ReleasableCommits } from 'projen';
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
// test/release.test.ts reads the generated release workflow.
const YAML_VERSION = '^2.9.1';
// The Node.js releases the library supports, the current LTS ones: `engines` allows the oldest
// and up, and the test task runs the jest suite on each (scripts/with-node.sh fetches the binary
// from the npm registry), whatever Node the machine has.
const NODE_MAJORS = Object.keys(VERSIONS.node).map(Number);
const OLDEST_NODE = Math.min(...NODE_MAJORS);
const NEWEST_NODE = Math.max(...NODE_MAJORS);

const NAME = 'cdk-ivs-realtime-events';
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
  // (on the runner image) and Go (stable; go.mod's toolchain line fetches a newer one if needed).
  // These steps also run in the publish jobs, before their checkout: no file of the repository here.
  workflowBootstrapSteps: [
    { name: 'Set up Python', uses: 'actions/setup-python@v7.0.0', with: { 'python-version': '3.12' } },
    { name: 'Set up Go', uses: 'actions/setup-go@v7.0.0', with: { 'go-version': 'stable', 'cache': false } },
  ],

  cdkVersion: CDK_VERSION,
  constructsVersion: CONSTRUCTS_VERSION,
  jsiiVersion: JSII_VERSION,
  minNodeVersion: `${OLDEST_NODE}.0.0`,
  // projen would run workflows on exactly the minimum, 22.0.0: run them on the newest supported release.
  workflowNodeVersion: `${NEWEST_NODE}.x`,
  integrationTestAutoDiscover: false,
  devDeps: [
    `@aws-cdk/integ-tests-alpha@${INTEG_TESTS_ALPHA_VERSION}`,
    `@aws-cdk/integ-runner@${INTEG_RUNNER_VERSION}`,
    `cdk-nag@${CDK_NAG_VERSION}`,
    `fast-check@${FAST_CHECK_VERSION}`,
    `@aws-sdk/client-dynamodb@${AWS_SDK_VERSION}`,
    `@aws-sdk/client-ivs-realtime@${AWS_SDK_IVS_VERSION}`,
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
  gitignore: ['/assets/', '/.tools/', 'cdk.out/', '/examples/cdk.out/', '/test/conformance/target/', '.jsii.tabl.json'],
  npmIgnoreOptions: { ignorePatterns: ['/examples/', '/rosetta/', '/scripts/', '/.ci/', '/.tools/', '/bench/'] },
  tsconfigDevFile: 'tsconfig.dev.json',
  tsconfigDev: { include: ['.projenrc.ts'] },
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'examples', 'projenrc', 'scripts', 'bench'], projectService: false, tsconfigPath: './tsconfig.dev.json' },
});

// This project's machines have Node 20, which jsii no longer supports: the build's jsii, rosetta,
// pacmak, integ-runner and the consumer projects' jsii runtime knowingly run on it there, while
// the jest suite runs on the supported releases. This silences jsii's end-of-life banner for
// Node 20 only, in this project's tasks only: users never get it. Drop it when the machines move.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');

// The jest suite on every supported Node.js: projen's jest step (coverage, snapshots, arguments
// of `npx projen test`) on the newest, then a pass on each older one.
const jestStep = project.testTask.steps.findIndex(step => step.execArgs?.[0] === 'jest');
project.testTask.updateStep(jestStep, {
  ...project.testTask.steps[jestStep],
  execArgs: ['bash', 'scripts/with-node.sh', `${NEWEST_NODE}`, ...project.testTask.steps[jestStep].execArgs!],
});
NODE_MAJORS.filter(major => major !== NEWEST_NODE).forEach((major, i) => {
  const onNode = project.addTask(`test:node${major}`, {
    description: `Run the jest suite on Node.js ${major} (fetched from the npm registry into .tools/node${major})`,
    exec: `bash scripts/with-node.sh ${major} jest --ci --coverage=false --maxWorkers=2`,
    receiveArgs: true,
  });
  project.testTask.insertStep(jestStep + 1 + i, { spawn: onNode.name });
});
// Users install the newest aws-cdk-lib their peer range allows, not CDK_VERSION: the jest suite
// runs against the newest 2.x the npm registry serves too (scripts/newest-cdk.sh says how).
const newestCdk = project.addTask('test:newest-cdk', {
  description: 'Run the jest suite against the newest aws-cdk-lib 2.x on the npm registry (installed into .tools/newest-cdk)',
  exec: `bash scripts/newest-cdk.sh ${NEWEST_NODE} --maxWorkers=2`,
  receiveArgs: true,
});
project.testTask.insertStep(jestStep + NODE_MAJORS.length, { spawn: newestCdk.name });

// event-ruler (the engine behind EventBridge) checks every synthesized pattern in jest.
const conformanceSetup = project.addTask('conformance:setup', {
  description: 'Download event-ruler jars for the pattern conformance tests',
  exec: `${MVN} -q -f test/conformance/pom.xml dependency:copy-dependencies -DoutputDirectory=target/lib`,
});
project.testTask.prependSpawn(conformanceSetup);

// The tracker's handler is tested against moto's DynamoDB server (never Amazon's DynamoDB Local).
const trackerSetup = project.addTask('tracker:setup', {
  description: 'Install moto\'s DynamoDB server for the tracker tests where it is missing',
  exec: 'bash scripts/tracker-setup.sh',
});
project.testTask.prependSpawn(trackerSetup);

// The tracker's Lambda handler, bundled at build time into assets/ (packaged with the
// library in every language); the AWS SDK v3 comes from the Lambda runtime.
const bundleTracker = project.addTask('bundle:tracker', {
  description: 'Bundle the tracker\'s Lambda handler (src/tracker/handler) into assets/tracker-handler',
  exec: 'esbuild src/tracker/handler/index.ts --bundle --platform=node --target=node22 --format=cjs '
    + '--external:@aws-sdk/* --outfile=assets/tracker-handler/index.js --log-level=warning',
});
project.preCompileTask.spawn(bundleTracker);

// integ-runner synthesizes every integ test at once, each through ts-node, which type-checked
// the whole program once per test: five of them on two CPUs ran over a minute each, and
// integ-runner printed "Test is taking a very long time" for every one. One tsc pass
// type-checks them (and every other file of tsconfig.dev.json) instead; ts-node only transpiles.
const typecheck = project.addTask('typecheck', {
  description: 'Type-check the tests, integ tests, examples, scripts and benchmarks (tsconfig.dev.json)',
  exec: 'tsc --noEmit -p tsconfig.dev.json',
});
const INTEG_ENV = { ...OFFLINE_AWS_ENV, TS_NODE_TRANSPILE_ONLY: 'true' };
const integ = project.addTask('integ', {
  description: 'Verify the committed integ-runner snapshots (offline, never deploys)',
  env: INTEG_ENV,
});
integ.spawn(typecheck);
integ.exec('integ-runner --language typescript --directory test', { receiveArgs: true });
const integSnapshot = project.addTask('integ:snapshot', {
  description: 'Re-synthesize integ-runner snapshots (--dry-run: never deploys)',
  env: INTEG_ENV,
});
integSnapshot.spawn(typecheck);
integSnapshot.exec('integ-runner --language typescript --directory test --update-on-failed --dry-run', { receiveArgs: true });
const cfnLint = project.addTask('cfn-lint', {
  description: 'cfn-lint every committed integ snapshot template',
  exec: 'bash scripts/cfn-lint.sh',
});
project.testTask.spawn(integ);
project.testTask.spawn(cfnLint);

// README examples must compile against the real API.
project.postCompileTask.exec('jsii-rosetta extract --strict --fail');

// The tracker's part runs the bundled handler file against moto: both are set up first.
const bench = project.addTask('bench', {
  description: 'Benchmark synth time, rules, alarms and fixed cost against hand-written aws-cdk-lib, and the state tracker\'s '
    + 'handler against a naive one on moto (events/s, DynamoDB requests, cost per million events); writes docs/benchmarks.md',
});
bench.spawn(trackerSetup);
bench.spawn(bundleTracker);
bench.exec('ts-node --project tsconfig.dev.json bench/run.ts');

project.addTask('example', {
  description: 'Synthesize the example app offline and print what it creates',
  exec: 'ts-node --project tsconfig.dev.json examples/main.ts',
});

// No machine here has the dotnet SDK; skip .NET loudly instead of failing the build,
// while a release machine with the SDK still packages it.
project.tasks.tryFind('package:dotnet')?.addCondition('bash scripts/has-dotnet.sh');
// Go builds only where the Go module proxy serves aws-cdk-go at CDK_VERSION (see the script).
project.tasks.tryFind('package:go')?.reset('bash scripts/package-go.sh');
// The test task packages Python, Java and Go for the consumer projects, and `build` packaged them
// all again outside CI (package-all): now each is packaged once per compile.
for (const language of ['python', 'java', 'go']) {
  project.tasks.tryFind(`package:${language}`)!.addCondition(`bash scripts/needs-package.sh ${language}`);
}

// npm, Python, Java and Go users, last in the test task: on every build, CI too (where projen's
// package step builds only js). The README is the source of every command and program they run.
const consumers = project.addTask('test:consumers', {
  description: 'Build the packages with the README\'s commands, then run its install commands and quick start in each language (test/consumers)',
});
consumers.exec('bash test/consumers/build.sh');
for (const language of ['npm', 'python', 'java', 'go']) {
  consumers.exec(`bash test/consumers/${language}/run.sh`);
}
project.testTask.spawn(consumers);

// A release rehearsed in a temporary copy (bump from conventional commits, compile, every package
// this machine builds, unbump); never the release task itself, whose build runs this test task.
const releaseCheck = project.addTask('test:release', {
  description: 'Rehearse a release in a temporary copy: bump, compile, package every language, check each carries the new version',
  exec: 'bash scripts/release-check.sh',
});
project.testTask.spawn(releaseCheck);

// Last: the test task passed, so write down the versions it passed with (dist/tested-versions.md);
// a maintainer records them in docs/ (a build never changes a tracked file).
project.addTask('tested-versions:record', {
  description: 'Record the versions the last passing test task used (dist/tested-versions.md) in docs/tested-versions.md',
  exec: 'cp dist/tested-versions.md docs/tested-versions.md',
});
project.testTask.spawn(project.addTask('tested-versions', {
  description: 'Write the versions the test task passed with to dist/tested-versions.md, and say whether docs/ records them',
  exec: `bash scripts/tested-versions.sh ${NODE_MAJORS.join(' ')}`,
}));

project.synth();
