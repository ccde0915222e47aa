import { awscdk, javascript, ReleasableCommits } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';
import { ReleaseTrigger } from 'projen/lib/release';

// One constant per pinned version.
// aws-cdk-lib stays at 2.245.0, paired with @aws-cdk/integ-tests-alpha 2.245.0-alpha.0: newer releases write cloud-assembly schema 54+, which the newest @aws-cdk/integ-runner (2.197.x) cannot read.
const CDK_VERSION = '2.245.0';
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

const NAME = 'cdk-ivs-realtime-events';
const REPOSITORY = `https://github.com/${NAME}/${NAME}.git`;
// Integ snapshots are only ever verified or re-synthesized offline; these keep
// integ-runner from probing for a region or instance credentials.
const OFFLINE_AWS_ENV = { AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' };

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
  jsiiVersion: JSII_VERSION,
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

// event-ruler (the engine behind EventBridge) checks every synthesized pattern in jest.
const conformanceSetup = project.addTask('conformance:setup', {
  description: 'Download event-ruler jars for the pattern conformance tests',
  exec: 'mvn -q -B -f test/conformance/pom.xml dependency:copy-dependencies -DoutputDirectory=target/lib',
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

const integ = project.addTask('integ', {
  description: 'Verify the committed integ-runner snapshots (offline, never deploys)',
  env: OFFLINE_AWS_ENV,
  exec: 'integ-runner --language typescript --directory test',
  receiveArgs: true,
});
project.addTask('integ:snapshot', {
  description: 'Re-synthesize integ-runner snapshots (--dry-run: never deploys)',
  env: OFFLINE_AWS_ENV,
  exec: 'integ-runner --language typescript --directory test --update-on-failed --dry-run',
  receiveArgs: true,
});
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

project.synth();
