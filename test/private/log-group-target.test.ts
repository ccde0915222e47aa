import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CompositionFailureAlarm } from '../../src';
import { LOGS_POLICY_CONTEXT } from '../../src/private/log-group-target';
import { DeployedTemplate } from '../util/deployed';
import { testStack } from '../util/stack';

const ENV = { account: '123456789012', region: 'us-east-1' };

describe('the CloudWatch Logs resource policy', () => {
  test('a log group of your own outside the library prefix is added by its ARN', () => {
    // GIVEN
    const stack = testStack();
    const mine = new logs.LogGroup(stack, 'Mine', { logGroupName: '/team/ivs-failures' });

    // WHEN
    new CompositionFailureAlarm(stack, 'Composition', { logGroup: mine });

    // THEN
    const [policy] = DeployedTemplate.of(stack).ofType('AWS::Logs::ResourcePolicy');
    expect(JSON.parse(policy.props.PolicyDocument).Statement[0].Resource).toEqual([
      'arn:aws:logs:us-east-1:123456789012:log-group:/aws/events/ivs-realtime*',
      'arn:aws:logs:us-east-1:123456789012:log-group:/team/ivs-failures:*',
    ]);
  });

  test(`the context key ${LOGS_POLICY_CONTEXT}=existing relies on a policy the account already has`, () => {
    const app = new App({ context: { [LOGS_POLICY_CONTEXT]: 'existing' } });
    const stack = new Stack(app, 'Stack', { env: ENV });
    new CompositionFailureAlarm(stack, 'Composition');
    Template.fromStack(stack).resourceCountIs('AWS::Logs::ResourcePolicy', 0);
  });

  test('two stacks in one account and region are told they spend two of the 10 policies', () => {
    const app = new App();
    const stacks = [1, 2].map(i => new Stack(app, `S${i}`, { env: ENV }));
    stacks.forEach(stack => new CompositionFailureAlarm(stack, 'Composition'));
    Annotations.fromStack(stacks[0]).hasWarning('/S1', Match.stringLikeRegexp(
      '^2 stacks of this app each create a CloudWatch Logs resource policy in account 123456789012, region us-east-1; the account holds at most 10'));
  });

  test('more stacks in one account and region than CloudWatch Logs allows policies fail synth, naming the quota and the way out', () => {
    // GIVEN
    const app = new App();
    for (let i = 1; i <= 11; i++) {
      new CompositionFailureAlarm(new Stack(app, `S${i}`, { env: ENV }), 'Composition');
    }
    // Stacks in other accounts do not count.
    new CompositionFailureAlarm(new Stack(app, 'Elsewhere', { env: { ...ENV, account: '210987654321' } }), 'Composition');

    // THEN
    expect(() => app.synth()).toThrow(/11 stacks \(S1, S2, .*S11\) would each create a CloudWatch Logs resource policy in account 123456789012, region us-east-1: CloudWatch Logs allows 10 per account and region. Set the context key @cdk-ivs-realtime-events\/logsResourcePolicy to 'existing'/);
  });
});
