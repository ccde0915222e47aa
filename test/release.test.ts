import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

const ROOT = path.join(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const PACKAGE = JSON.parse(read('package.json'));
const TASKS = JSON.parse(read('.projen/tasks.json')).tasks;

describe('release workflow', () => {
  const workflow = parse(read('.github/workflows/release.yml'));
  const jobs: Record<string, any> = workflow.jobs;
  const publishJob = (registry: string) => Object.values(jobs).find(job => job.name === `Publish to ${registry}`);
  const secretsOf = (job: any): string[] => job.steps.flatMap((step: any) => Object.values(step.env ?? {}))
    .flatMap((value: any) => [...String(value).matchAll(/secrets\.(\w+)/g)].map(m => m[1])).sort();
  const commandOf = (job: any): string => job.steps.find((step: any) => step.name === 'Release').run;

  test('is the one workflow besides the pull request title check: CI runs .ci/run, pinned versions are moved by hand', () => {
    expect(fs.readdirSync(path.join(ROOT, '.github', 'workflows')).sort()).toEqual(['pull-request-lint.yml', 'release.yml']);
    expect(fs.existsSync(path.join(ROOT, '.mergify.yml'))).toBe(false);
  });

  test('pull request titles, which become the squashed commits the version is computed from, are conventional', () => {
    const lint = parse(read('.github/workflows/pull-request-lint.yml'));
    const types = lint.jobs.validate.steps.find((step: any) => step.uses?.startsWith('amannn/action-semantic-pull-request')).with.types.split('\n');
    expect(types).toEqual(expect.arrayContaining(['feat', 'fix', 'docs', 'test', 'build', 'ci', 'refactor', 'chore']));
  });

  test('releases every push to main, and on demand with a dry run', () => {
    expect(workflow.on.push.branches).toEqual(['main']);
    expect(workflow.on.workflow_dispatch.inputs.dry_run.type).toBe('boolean');
  });

  test('builds once with the release task, which bumps the version from the conventional commits', () => {
    expect(jobs.release.steps.map((step: any) => step.run)).toContain('npx projen release');
    // the release build runs the test task, which needs Python and Go (Java and Maven are on the runner image)
    const uses = jobs.release.steps.map((step: any) => step.uses?.split('@')[0]);
    expect(uses).toEqual(expect.arrayContaining(['actions/setup-python', 'actions/setup-go', 'actions/setup-node']));
    expect(uses.indexOf('actions/setup-go')).toBeLessThan(jobs.release.steps.findIndex((step: any) => step.run === 'npx projen release'));
    expect(TASKS.release.steps).toEqual(expect.arrayContaining([{ spawn: 'bump' }, { spawn: 'build' }, { spawn: 'unbump' }]));
    // 0.x: a breaking change bumps the minor version; a 1.0 is a decision, not an accident.
    expect(TASKS.release.env.MAJOR).toBe('0');
    expect(TASKS.bump.env.CHANGELOG).toBe('dist/changelog.md');
  });

  test.each([
    ['npm', 'publib-npm', 'package:js', ['NPM_TOKEN']],
    ['PyPI', 'publib-pypi', 'package:python', ['TWINE_PASSWORD', 'TWINE_USERNAME']],
    ['Maven Central', 'publib-maven', 'package:java',
      ['MAVEN_GPG_PRIVATE_KEY', 'MAVEN_GPG_PRIVATE_KEY_PASSPHRASE', 'MAVEN_PASSWORD', 'MAVEN_STAGING_PROFILE_ID', 'MAVEN_USERNAME']],
    ['NuGet Gallery', 'publib-nuget', 'package:dotnet', ['NUGET_API_KEY']],
    ['GitHub Go Module Repository', 'publib-golang', 'package:go', ['GO_GITHUB_TOKEN']],
  ])('publishes to %s with %s, from the released build, with the secrets %#', (registry, publisher, packageTask, secrets) => {
    const job = publishJob(registry);
    expect(job).toBeDefined();
    expect(job.needs).toBe('release');
    // only the build that was tagged, never a commit that main has already moved past
    expect(job.if).toContain("needs.release.outputs.tag_exists != 'true'");
    expect(job.steps.map((step: any) => step.run)).toContain(`cd .repo && npx projen ${packageTask}`);
    expect(commandOf(job)).toContain(publisher);
    expect(secretsOf(job)).toEqual(secrets);
  });

  test('creates the GitHub release, with the generated changelog, only after every registry has the packages', () => {
    const job = publishJob('GitHub Releases');
    const publishers = Object.entries(jobs).filter(([, j]) => j.name?.startsWith('Publish to ') && j !== job).map(([id]) => id);
    expect(publishers).toHaveLength(5);
    expect(job.needs).toEqual(['release', ...publishers]);
    expect(job.steps.find((step: any) => step.name === 'Release').env.CHANGELOG_FILE).toBe('dist/changelog.md');
  });

  test('the publish settings match what the packages are built with', () => {
    const targets = PACKAGE.jsii.targets;
    expect(targets.python.distName).toBe(PACKAGE.name);
    expect(targets.java.maven.artifactId).toBe(PACKAGE.name);
    expect(targets.dotnet.packageId).toBe('CdkIvsRealtimeEvents');
    // publib-golang pushes the module to the repository its path names
    expect(targets.go.moduleName).toBe(`github.com/${PACKAGE.name}/${PACKAGE.name}-go`);
  });
});

describe('release rehearsal', () => {
  const spawned = (task: string): string[] =>
    (TASKS[task].steps ?? []).flatMap((step: any) => (step.spawn ? [step.spawn, ...spawned(step.spawn)] : []));

  test('the gate rehearses a release in a temporary copy', () => {
    expect(spawned('build')).toContain('test:release');
    expect(TASKS['test:release'].steps).toEqual([{ exec: 'bash scripts/release-check.sh' }]);
  });

  test('the gate never runs the release task, whose build runs the gate', () => {
    expect(spawned('gate')).not.toContain('release');
    expect(spawned('build')).not.toContain('release');
    const rehearsed = [...read('scripts/release-check.sh').matchAll(/^run (\S+)$/gm)].map(m => m[1]);
    // the release task's steps (bump twice: a docs commit alone, then a fix and a breaking feat), its build without the test step
    expect(rehearsed).toEqual(['bump', 'bump', 'pre-compile', 'compile', 'post-compile', 'package-all', 'unbump']);
    expect(rehearsed.flatMap(task => [task, ...spawned(task)])).not.toContain('test');
    expect(rehearsed.flatMap(task => [task, ...spawned(task)])).not.toContain('gate');
  });
});

describe('Construct Hub metadata', () => {
  // Construct Hub lists jsii libraries published to npm under a permissive licence with one of
  // the keywords it recognizes (`awscdk`, `cdk8s`, `cdktf`), per the AWS Open Source Blog's "Best
  // practices for discoverability of a construct library on Construct Hub"; it shows their
  // description, stability and language targets.
  test('keywords, licence and stability', () => {
    expect(PACKAGE.keywords).toEqual(expect.arrayContaining(['awscdk', 'cdk', 'aws-cdk', 'ivs', 'eventbridge']));
    expect(PACKAGE.license).toBe('Apache-2.0');
    expect(PACKAGE.stability).toBe('experimental');
    expect(read('README.md')).toContain('Status: experimental (0.x)');
  });

  test('description and repository', () => {
    expect(PACKAGE.description).toMatch(/^AWS CDK constructs .*Amazon IVS Real-Time/);
    expect(PACKAGE.description.length).toBeLessThanOrEqual(200);
    expect(PACKAGE.repository).toEqual({ type: 'git', url: 'https://github.com/cdk-ivs-realtime-events/cdk-ivs-realtime-events.git' });
  });

  test('a jsii library with a target per language, depending on aws-cdk-lib and constructs as peers', () => {
    expect(Object.keys(PACKAGE.jsii.targets).sort()).toEqual(['dotnet', 'go', 'java', 'python']);
    expect(PACKAGE.types).toBe('lib/index.d.ts');
    expect(Object.keys(PACKAGE.peerDependencies).sort()).toEqual(['aws-cdk-lib', 'constructs']);
  });
});
