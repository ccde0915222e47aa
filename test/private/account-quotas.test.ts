// The quotas EventBridge counts per account and region, checked across the stacks of an app,
// and the fixed limits every stack is held to at synth.
import { Annotations, App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { CompositionDestination, IvsAutoComposition, IvsStageEventRule, IvsStageStateTracker } from '../../src';
import { RULES_PER_BUS_CONTEXT, RULES_PER_BUS_WARNING, quotaContextKey, rulesPerBusDefault } from '../../src/private/account-quotas';
import { PIPES_PER_ACCOUNT, RULES_PER_BUS, STATE_MACHINES_PER_ACCOUNT } from '../../src/private/aws-facts';

const stageArns = (n: number) => Array.from({ length: n }, (_, i) => `arn:aws:ivs:us-east-1:123456789012:stage/Stage${String(i).padStart(7, '0')}`);

/** `count` stacks in one account and region, each with `rules` rules on the default bus (one rule per 8 stages at 2,048 characters). */
function stacksWithRules(app: App, count: number, rulesEach: number, region = 'us-east-1', account = '123456789012'): Stack[] {
  return Array.from({ length: count }, (_, i) => {
    const stack = new Stack(app, `Stack${i}`, { env: { account, region } });
    for (let r = 0; r < rulesEach; r++) {
      new IvsStageEventRule(stack, `Rule${r}`, { stageArns: stageArns(1) });
    }
    return stack;
  });
}

function warnings(app: App, stacks: Stack[]): string[] {
  const assembly = app.synth();
  return stacks.flatMap(s => assembly.getStackArtifact(s.artifactId).messages)
    .map(m => String(m.entry.data)).filter(m => m.includes(`[ack: ${RULES_PER_BUS_WARNING}]`));
}

test.each([
  ['us-east-1', 300],
  ['af-south-1', 100],
  ['eu-south-1', 100],
])('the default quota of rules per bus in %s is %i (EventBridge quotas page)', (region, quota) => {
  expect(rulesPerBusDefault(region)).toBe(quota);
  expect(RULES_PER_BUS.default).toBe(300);
});

test('rules of several stacks in one account and region add up: one warning, naming the stacks, the count and the quota', () => {
  // GIVEN 3 stacks of 40 rules in af-south-1 (quota 100)
  const app = new App();
  const stacks = stacksWithRules(app, 3, 40, 'af-south-1');
  // WHEN / THEN
  expect(warnings(app, stacks)).toEqual(['3 stack(s) of this app (Stack0, Stack1, Stack2) put 120 rules on the event bus default in account 123456789012, '
    + 'region af-south-1, more than EventBridge\'s default quota of 100 rules per bus there: the deployment past it fails. Monitor every stage of the '
    + 'account instead of a stage list, raise `maxPatternLength`, spread the stacks over accounts or regions, or request a higher "Rules per event bus" '
    + `quota and set it in the context key \`${RULES_PER_BUS_CONTEXT}\`. [ack: ${RULES_PER_BUS_WARNING}]`]);
});

test('stacks in other accounts or regions do not add up', () => {
  const app = new App();
  const stacks = [
    ...stacksWithRules(app, 1, 60, 'af-south-1'),
    new Stack(app, 'Other', { env: { account: '210987654321', region: 'af-south-1' } }),
  ];
  for (let r = 0; r < 60; r++) new IvsStageEventRule(stacks[1], `Rule${r}`, { stageArns: stageArns(1) });
  expect(warnings(app, stacks)).toEqual([]);
});

test('a raised quota set in the context key is the one checked', () => {
  const app = new App({ context: { [RULES_PER_BUS_CONTEXT]: 500 } });
  const stacks = stacksWithRules(app, 3, 40, 'af-south-1');
  expect(warnings(app, stacks)).toEqual([]);
});

test('the warning can be acknowledged on the stacks', () => {
  const app = new App();
  const stacks = stacksWithRules(app, 3, 40, 'af-south-1');
  stacks.forEach(s => Annotations.of(s).acknowledgeWarning(RULES_PER_BUS_WARNING, 'the quota is raised in the console'));
  expect(warnings(app, stacks)).toEqual([]);
});

test('a queue policy past SQS\'s 20 statements fails synth, naming the queue, the count and the way out', () => {
  // GIVEN a user's own queue, the target of 21 rules through aws-cdk-lib's SqsQueue target
  const stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
  const queue = new sqs.Queue(stack, 'Queue');
  for (let r = 0; r < 21; r++) {
    new IvsStageEventRule(stack, `Rule${r}`, { stageArns: stageArns(1), targets: [new targets.SqsQueue(queue)] });
  }
  // WHEN / THEN
  expect(() => Template.fromStack(stack)).toThrow('Stack/Queue/Policy/Resource has 21 queue policy statements, more than the 20 SQS allows (a fixed limit): '
    + 'give the queue to fewer rules (each aws-cdk-lib SqsQueue target adds a statement per rule), or list fewer stages so that they fit in fewer rules.');
});

test('a user\'s SqsQueue target on an IvsStageEventRule split over 200 stages: one statement for every split rule, within SQS\'s limits', () => {
  // GIVEN
  const stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
  const queue = new sqs.Queue(stack, 'Queue');
  // WHEN
  const rule = new IvsStageEventRule(stack, 'Rule', { stageArns: stageArns(200), targets: [new targets.SqsQueue(queue)] });
  // THEN
  expect(rule.rules.length).toBeGreaterThan(20);
  const policies = Template.fromStack(stack).findResources('AWS::SQS::QueuePolicy', { Properties: { Queues: [{ Ref: Match.stringLikeRegexp('^Queue') }] } });
  const statements = Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
  expect(statements).toEqual([
    expect.objectContaining({ Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [expect.any(String), 'Arn'] } } } }),
    {
      Sid: 'AllowEventBridgeRulesToSendEvents',
      Action: 'sqs:SendMessage',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Resource: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
      Condition: {
        ArnLike: { 'aws:SourceArn': [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:us-east-1:123456789012:rule/*']] }] },
        StringEquals: { 'aws:SourceAccount': '123456789012' },
      },
    },
  ]);
});

test('a managed policy past IAM\'s 6,144 characters fails synth, naming it, the count and the way out', () => {
  const stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
  new IvsStageEventRule(stack, 'Rule');
  new iam.ManagedPolicy(stack, 'Policy', {
    statements: [new iam.PolicyStatement({ actions: ['ivs:GetStage'], resources: stageArns(120) })],
  });
  expect(() => Template.fromStack(stack)).toThrow(/^.*Stack\/Policy\/Resource has \d+ characters of managed policy, more than the 6144 IAM allows \(a fixed limit\): name resources by a pattern/s);
});

test('rules of a stack without the library count too, and the warning comes from a stack with it', () => {
  // GIVEN a first stack of the user's own 80 rules, then a library stack of 40, in af-south-1
  const app = new App();
  const own = new Stack(app, 'Own', { env: { account: '123456789012', region: 'af-south-1' } });
  for (let r = 0; r < 80; r++) new events.Rule(own, `Rule${r}`, { eventPattern: { source: ['mine'] } });
  const stacks = [own, ...stacksWithRules(app, 1, 40, 'af-south-1')];
  // WHEN / THEN
  expect(warnings(app, stacks)).toEqual([expect.stringContaining('put 120 rules on the event bus default')]);
});

describe('pipes and state machines, counted per account and region across the app', () => {
  /** `count` trackers, each in its own stack: two pipes each, and one state machine with a grace period. */
  function trackerStacks(app: App, count: number, region = 'us-east-1'): Stack[] {
    return Array.from({ length: count }, (_, i) => {
      const stack = new Stack(app, region === 'us-east-1' ? `Env${i}` : `Env${i}-${region}`, { env: { account: '123456789012', region } });
      const tracker = new IvsStageStateTracker(stack, 'Tracker', { stageArns: stageArns(1) });
      tracker.onStageIdle('Stop', new targets.SqsQueue(new sqs.Queue(stack, 'Q', { enforceSSL: true })), { gracePeriod: Duration.minutes(2) });
      return stack;
    });
  }
  const quotaWarnings = (app: App, stacks: Stack[], id: string) => {
    const assembly = app.synth();
    return stacks.flatMap(s => assembly.getStackArtifact(s.artifactId).messages)
      .map(m => String(m.entry.data)).filter(m => m.includes(`[ack: cdk-ivs-realtime-events:${id}]`));
  };

  test('the defaults are the documented ones', () => {
    expect(PIPES_PER_ACCOUNT).toBe(1000);
    expect(STATE_MACHINES_PER_ACCOUNT).toBe(100000);
  });

  test('20 environments stay far within both defaults', () => {
    const app = new App();
    const stacks = trackerStacks(app, 20);
    expect(quotaWarnings(app, stacks, 'pipesPerAccount')).toEqual([]);
    expect(quotaWarnings(app, stacks, 'stateMachinesPerAccount')).toEqual([]);
  });

  test('past a quota set in context, one warning names the stacks, the count and the key', () => {
    // GIVEN an account granted 3 pipes and 1 state machine, and two trackers in it
    const app = new App({ context: { [quotaContextKey('pipesPerAccount')]: 3, [quotaContextKey('stateMachinesPerAccount')]: 1 } });
    const stacks = trackerStacks(app, 2);
    // THEN
    expect(quotaWarnings(app, stacks, 'pipesPerAccount')).toEqual(['2 stack(s) of this app (Env0, Env1) create 4 EventBridge pipes in account 123456789012, '
      + 'region us-east-1, more than the 3 set in `@cdk-ivs-realtime-events/pipesPerAccountQuota`: the deployment past it fails. Spread the stacks over '
      + 'accounts or regions, or request a higher quota and set it in the context key `@cdk-ivs-realtime-events/pipesPerAccountQuota`. '
      + '[ack: cdk-ivs-realtime-events:pipesPerAccount]']);
    expect(quotaWarnings(app, stacks, 'stateMachinesPerAccount')).toHaveLength(1);
  });

  test('stacks in another region do not add up', () => {
    const app = new App({ context: { [quotaContextKey('pipesPerAccount')]: 3 } });
    const stacks = [...trackerStacks(app, 1), ...trackerStacks(app, 1, 'eu-west-1')];
    expect(stacks.map(s => s.region)).toEqual(['us-east-1', 'eu-west-1']);
    expect(quotaWarnings(app, stacks, 'pipesPerAccount')).toEqual([]);
  });

  test('a quota in context that is not a positive whole number fails synth, naming the key', () => {
    const app = new App({ context: { [quotaContextKey('stateMachinesPerAccount')]: 'lots' } });
    trackerStacks(app, 1);
    expect(() => app.synth()).toThrow('The context key `@cdk-ivs-realtime-events/stateMachinesPerAccountQuota` must be a positive whole number '
      + '(the quota your account was granted), got "lots"');
  });
});

describe('concurrent compositions (IVS: 5 per stage, 20 per account and region, adjustable)', () => {
  const PER_STAGE = 'cdk-ivs-realtime-events:compositionsPerStage';
  const PER_ACCOUNT = 'cdk-ivs-realtime-events:compositionsPerAccount';

  /** In `stack`, a tracker and `composers` IvsAutoComposition constructs on `stages` (every stage when undefined). */
  function composers(stack: Stack, count: number, stages?: string[]): void {
    const tracker = new IvsStageStateTracker(stack, 'Tracker');
    const channel = new ivs.CfnChannel(stack, 'Channel', {});
    for (let i = 0; i < count; i++) {
      new IvsAutoComposition(stack, `Auto${i}`, { tracker, stageArns: stages, destinations: [CompositionDestination.channel(channel)] });
    }
  }

  function quotaWarnings(app: App, stacks: Stack[]): string[] {
    const assembly = app.synth();
    return stacks.flatMap(s => assembly.getStackArtifact(s.artifactId).messages).map(m => String(m.entry.data))
      .filter(m => m.includes(`[ack: ${PER_STAGE}]`) || m.includes(`[ack: ${PER_ACCOUNT}]`));
  }

  const env = (region = 'us-east-1') => ({ env: { account: '123456789012', region } });

  test.each([
    [5, []],
    [6, [PER_STAGE]],
  ])('%i constructs on one stage: warnings %j', (count, expected) => {
    const app = new App();
    const stack = new Stack(app, 'Stack', env());
    composers(stack, count, stageArns(1));
    const found = quotaWarnings(app, [stack]);
    expect(found.map(w => w.match(/\[ack: (.*)\]/)![1])).toEqual(expected);
    if (count > 5) {
      expect(found[0]).toContain(`6 IvsAutoComposition constructs can start a composition on ${stageArns(1)[0]} in account 123456789012, region us-east-1, `
        + 'more than IVS\'s default quota of 5 concurrent compositions per stage');
    }
  });

  test.each([
    [1, false],
    [20, false],
    [21, true],
    [1000, true],
  ])('%i listed stages in one account and region: warned %s', (n, warned) => {
    const app = new App();
    const stack = new Stack(app, 'Stack', env());
    composers(stack, 1, stageArns(n));
    expect(quotaWarnings(app, [stack])).toEqual(warned
      ? [expect.stringContaining(`starts up to ${n} compositions at once on ${n} stages in account 123456789012, region us-east-1, `
        + 'and IVS runs at most its default quota of 20 compositions at once')]
      : []);
  });

  test.each([
    [1, false],
    [21, true],
  ])('no stage list on a tracker of %i listed stages: the tracker\'s stages are the ones automated, warned %s', (n, warned) => {
    const app = new App();
    const stack = new Stack(app, 'Stack', env());
    const tracker = new IvsStageStateTracker(stack, 'Tracker', { stageArns: stageArns(n) });
    new IvsAutoComposition(stack, 'Auto', { tracker, destinations: [CompositionDestination.channel(new ivs.CfnChannel(stack, 'Channel', {}))] });
    expect(quotaWarnings(app, [stack])).toEqual(warned
      ? [expect.stringContaining(`starts up to ${n} compositions at once on ${n} stages in account 123456789012, region us-east-1`)]
      : []);
  });

  test('every stage (no stage list): the account quota bounds the compositions at once, with the quota granted in context', () => {
    const app = new App({ context: { [quotaContextKey('compositionsPerAccount')]: 50 } });
    const stack = new Stack(app, 'Stack', env());
    composers(stack, 1);
    expect(quotaWarnings(app, [stack])).toEqual([expect.stringContaining('starts a composition on every active stage in account 123456789012, '
      + `region us-east-1, and IVS runs at most the 50 set in \`${quotaContextKey('compositionsPerAccount')}\` compositions at once`)]);
  });

  test.each([1, 12, 20, 21])('%i environment stacks, one stage each, in one account and region: counted together, reported once', (count) => {
    const app = new App();
    const stacks = Array.from({ length: count }, (_, i) => {
      const stack = new Stack(app, `Env${i}`, env());
      composers(stack, 1, [stageArns(count)[i]]);
      return stack;
    });
    expect(quotaWarnings(app, stacks)).toEqual(count > 20 ? [expect.stringContaining(`up to ${count} compositions at once on ${count} stages`)] : []);
  });

  test('stacks in other regions do not add up', () => {
    const app = new App();
    const stacks = [new Stack(app, 'East', env()), new Stack(app, 'West', env('us-west-2'))];
    stacks.forEach(s => composers(s, 1, stageArns(15)));
    expect(quotaWarnings(app, stacks)).toEqual([]);
  });

  test('a context value that is no quota fails synth naming the key and the value', () => {
    const stack = new Stack(new App({ context: { [quotaContextKey('compositionsPerStage')]: 0 } }), 'Stack', env());
    composers(stack, 1, stageArns(1));
    expect(() => Template.fromStack(stack)).toThrow(`The context key \`${quotaContextKey('compositionsPerStage')}\` must be a positive whole number `
      + '(the concurrent compositions per stage your account was granted), got 0');
  });
});
