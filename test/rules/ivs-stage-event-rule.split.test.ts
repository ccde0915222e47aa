// Stage lists longer than one pattern allows are split across as few rules as needed.
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CompositionFailureAlarm, IvsRealTimeMonitoring, IvsStageEventRule } from '../../src';
import { eventRulerMatches } from '../conformance/event-ruler';
import { realtimeFixtures, withStage } from '../util/fixtures';
import { testStack } from '../util/stack';
import { deployedPatterns } from '../util/template';

const stageArns = (n: number) => Array.from({ length: n }, (_, i) => `arn:aws:ivs:us-west-2:123456789012:stage/Stage${String(i).padStart(7, '0')}`);

function rulesOf(stack: Stack): any[] {
  return Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule')).map(r => r.Properties);
}

/** Every stage a rule's pattern names, branch by branch (each branch names the same stages). */
function stagesOf(rule: any): string[] {
  const branches: any[] = rule.EventPattern.$or ?? [rule.EventPattern];
  const perBranch = branches.map(b => b.resources ?? b.detail.stage_arn);
  perBranch.forEach(stages => expect(stages).toEqual(perBranch[0]));
  return perBranch[0];
}

describe('IvsStageEventRule stage splitting', () => {
  test('a list that fits makes one rule and no warning; one stage more splits in two, with a warning', () => {
    // GIVEN: 8 stage ARNs of this length fit 2048 characters on every event (measured)
    const fits = testStack('Fits');
    const over = testStack('Over');

    // WHEN
    new IvsStageEventRule(fits, 'Rule', { stageArns: stageArns(8) });
    const split = new IvsStageEventRule(over, 'Rule', { stageArns: stageArns(9) });

    // THEN
    expect(rulesOf(fits)).toHaveLength(1);
    expect(JSON.stringify(rulesOf(fits)[0].EventPattern).length).toBeLessThanOrEqual(2048);
    Annotations.fromStack(fits).hasNoWarning('*', Match.stringLikeRegexp('^The event pattern'));
    expect(split.rules).toHaveLength(2);
    expect(split.rule).toBe(split.rules[0]);
    Annotations.fromStack(over).hasWarning('/Over/Rule', Match.stringLikeRegexp(
      '^The event pattern for 9 stages would exceed `maxPatternLength` 2048: the stages are split across 2 rules, each with the same targets, '
      + 'dead-letter queue and retry policy; metrics sum over all of them.'));
  });

  test('every stage of a split list is in exactly one rule, and every pattern is within the quota', () => {
    // GIVEN
    const stack = testStack();
    const arns = stageArns(30);

    // WHEN
    new IvsStageEventRule(stack, 'Rule', { stageArns: arns });

    // THEN
    const rules = rulesOf(stack);
    expect(rules).toHaveLength(4); // ceil(30 / 8)
    expect(rules.flatMap(stagesOf).sort()).toEqual([...arns].sort());
    rules.forEach(rule => expect(JSON.stringify(rule.EventPattern).length).toBeLessThanOrEqual(2048));
  });

  test('event-ruler: each stage\'s events are matched by exactly one of the split rules', () => {
    // GIVEN
    const stack = testStack();
    const arns = stageArns(20);
    new IvsStageEventRule(stack, 'Rule', { stageArns: arns });
    const patterns = Object.values(deployedPatterns(stack));
    const events = arns.flatMap(arn => realtimeFixtures().map(f => withStage(f, arn)));

    // WHEN
    const results = eventRulerMatches(events.flatMap(event => patterns.map(pattern => ({ pattern, event }))));

    // THEN
    const matchesPerEvent = events.map((_, e) => results.slice(e * patterns.length, (e + 1) * patterns.length).filter(Boolean).length);
    expect(matchesPerEvent).toEqual(events.map(() => 1));
  });

  test('targets, dead-letter queue and retries are wired the same on every rule, however added', () => {
    // GIVEN
    const stack = testStack();
    const topic = new sns.Topic(stack, 'Topic');

    // WHEN
    const rule = new IvsStageEventRule(stack, 'Rule', { stageArns: stageArns(20), targets: [new targets.SnsTopic(topic)], ruleName: 'ivs-events' });
    rule.addTarget(new targets.SnsTopic(topic));

    // THEN
    const rules = rulesOf(stack);
    expect(rules.map(r => r.Name)).toEqual(['ivs-events', 'ivs-events-2', 'ivs-events-3']);
    for (const r of rules) {
      expect(r.Targets).toHaveLength(2);
      r.Targets.forEach((t: any) => expect(t).toMatchObject({
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/^RuleDeadLetterQueue/), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
      }));
    }
    Template.fromStack(stack).resourceCountIs('AWS::SQS::Queue', 1);
  });

  test('metrics sum over every split rule', () => {
    // GIVEN
    const stack = testStack();
    const rule = new IvsStageEventRule(stack, 'Rule', { stageArns: stageArns(20) });

    // WHEN
    const metric = rule.metricTriggeredRules() as cloudwatch.MathExpression;

    // THEN
    expect(metric.expression).toEqual('SUM([m0,m1,m2])');
    expect(Object.values(metric.usingMetrics).map(m => stack.resolve(m.toMetricConfig().metricStat!.dimensions))).toEqual(
      rule.rules.map(r => [{ name: 'RuleName', value: stack.resolve(r.ruleName) }]));
    expect(rule.metricForEachRule('TriggeredRules')).toHaveLength(3);
  });

  test('a raised quota (maxPatternLength 4096) needs fewer rules', () => {
    const stack = testStack();
    const rule = new IvsStageEventRule(stack, 'Rule', { stageArns: stageArns(30), maxPatternLength: 4096 });
    expect(rule.rules).toHaveLength(2);
    rulesOf(stack).forEach(r => expect(JSON.stringify(r.EventPattern).length).toBeLessThanOrEqual(4096));
  });

  test('stage ARN tokens are counted at their longest', () => {
    // GIVEN: 12 tokens x 3 branches x 64 characters pass the quota only if counted short
    const stack = testStack();
    const stages = Array.from({ length: 12 }, (_, i) => new ivs.CfnStage(stack, `Stage${i}`, {}));

    // WHEN
    const rule = new IvsStageEventRule(stack, 'Rule', { stages });

    // THEN
    expect(rule.rules.length).toBeGreaterThan(1);
    expect(rulesOf(stack).flatMap(stagesOf)).toHaveLength(12);
  });

  test('an alarm sums at most 10 split rules', () => {
    const stack = testStack();
    expect(() => new CompositionFailureAlarm(stack, 'Alarm', { stageArns: stageArns(400) })).toThrow(
      /^The stages split this alarm's events across \d+ rules, more than the 10 metrics a CloudWatch alarm can sum: raise `maxPatternLength`/);
    expect(() => new CompositionFailureAlarm(testStack(), 'Alarm', { stageArns: stageArns(100) })).not.toThrow();
  });

  test('more than 300 rules on one bus, counted over the stacks of one account and region, warn (an adjustable quota)', () => {
    // GIVEN
    const app = new App();
    const stacks = [0, 1].map(s => new Stack(app, `Stack${s}`, { env: { account: '123456789012', region: 'us-east-1' } }));

    // WHEN
    for (let i = 0; i < 301; i++) {
      new IvsStageEventRule(stacks[i % 2], `Rule${i}`);
    }

    // THEN
    Annotations.fromStack(stacks[0]).hasWarning('*', Match.stringLikeRegexp(
      '^2 stack\\(s\\) of this app \\(Stack0, Stack1\\) put 301 rules on the event bus default in account 123456789012, region us-east-1, more than EventBridge\'s default quota of 300'));
  });

  test('a monitoring stack over CloudFormation\'s 500 resources fails synthesis', () => {
    // GIVEN: two health alarms per named stage
    const stack = testStack();

    // WHEN
    new IvsRealTimeMonitoring(stack, 'Monitoring', { environmentName: 'big', stageArns: stageArns(260), perStageHealthAlarms: true });

    // THEN
    expect(() => Template.fromStack(stack)).toThrow(/Number of resources in stack '.*': \d+ is greater than allowed maximum of 500/);
  });

  test('no Lambda function on any path of a fully scoped, split monitoring stack', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    new IvsRealTimeMonitoring(stack, 'Monitoring', { environmentName: 'scoped', stageArns: stageArns(60), warningTopics: [new sns.Topic(stack, 'Chat')] });

    // THEN
    const types = Object.values(Template.fromStack(stack).toJSON().Resources).map((r: any) => r.Type as string);
    expect(types.filter(t => t.startsWith('AWS::Lambda::') || t.startsWith('Custom::'))).toEqual([]);
    expect(types.filter(t => t === 'AWS::Events::Rule').length).toBeGreaterThan(8);
  });

  describe('bad input', () => {
    test.each([100, 4097, 2048.5])('maxPatternLength %d', (maxPatternLength) => {
      expect(() => new IvsStageEventRule(testStack(), 'Rule', { maxPatternLength }))
        .toThrow(`\`maxPatternLength\` must be a whole number from 256 to 4096, got ${maxPatternLength}`);
    });

    test('a stage list that would need more than 300 rules', () => {
      expect(() => new IvsStageEventRule(testStack(), 'Rule', { stageArns: stageArns(2409) })).toThrow(
        '2409 entries in `stageArns`/`stages` would need 302 rules at `maxPatternLength` 2048, more than the 300 rules an event bus holds by default: '
        + 'monitor every stage of the account (no stage list), raise `maxPatternLength`, or narrow `events`.');
    });

    test('a pattern too long for even one stage', () => {
      const participantIds = Array.from({ length: 60 }, (_, i) => `participant-${String(i).padStart(20, '0')}`);
      expect(() => new IvsStageEventRule(testStack(), 'Rule', { stageArns: stageArns(2), participantIds })).toThrow(
        /^The event pattern would be \d+ characters even for a single stage, over `maxPatternLength` 2048 \(7 entries in `events`, 60 id filters; a token counts as 64\): narrow `events` and the id filters, or raise `maxPatternLength` \(up to 4096 with a raised EventBridge quota\)\.$/);
    });
  });
});
