import { ExpectedResult, IApiCall, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { Aws, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { IvsEventJson } from './fixtures';
import { IvsStageEventRule } from '../../src';

const describeCalls = new WeakMap<IvsStageEventRule, IApiCall>();

export interface PatternMatchOptions {
  /** The bus `rule` is on. @default the account's default bus */
  readonly eventBus?: events.IEventBus;
  /**
   * The deployed pattern to test, read back with {@link deployedPattern}.
   * @default read back by one DescribeRule per rule, shared by every match on it
   */
  readonly pattern?: string;
}

/** `rule`'s pattern as EventBridge stored it, not as synthesized: a DescribeRule call of its own. */
export function deployedPattern(integ: IntegTest, rule: IvsStageEventRule, eventBus?: events.IEventBus): string {
  return describeRule(integ, rule, eventBus).getAttString('EventPattern');
}

/**
 * Asks EventBridge itself, through TestEventPattern, whether `rule`'s pattern as deployed
 * (read back with DescribeRule, not as synthesized) matches `event`. IVS events cannot be
 * injected into a real account (PutEvents rejects `aws.*` sources), so this is what a
 * deployment can check beyond event-ruler. The event gets the deployment's account and
 * region: TestEventPattern insists on a complete envelope.
 */
export function expectPatternMatch(
  integ: IntegTest, rule: IvsStageEventRule, event: IvsEventJson, expected: boolean, options: PatternMatchOptions = {},
): void {
  let pattern = options.pattern;
  if (pattern === undefined) {
    let describe = describeCalls.get(rule);
    if (!describe) {
      describe = describeRule(integ, rule, options.eventBus);
      describeCalls.set(rule, describe);
    }
    pattern = describe.getAttString('EventPattern');
  }
  integ.assertions.awsApiCall('EventBridge', 'testEventPattern', {
    EventPattern: pattern,
    Event: Stack.of(rule).toJsonString({ ...event, account: Aws.ACCOUNT_ID, region: Aws.REGION }),
  }).expect(ExpectedResult.objectLike({ Result: expected }));
}

function describeRule(integ: IntegTest, rule: IvsStageEventRule, eventBus?: events.IEventBus): IApiCall {
  // The rule's name, not its Ref: on a custom bus Ref is `<bus>|<rule>`, which DescribeRule rejects.
  return integ.assertions.awsApiCall('EventBridge', 'describeRule', { Name: rule.ruleNames[0], EventBusName: eventBus?.eventBusName });
}
