import { ExpectedResult, IApiCall, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { Aws, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { IvsEventJson } from './fixtures';
import { IvsStageEventRule } from '../../src';

const describeCalls = new WeakMap<IvsStageEventRule, IApiCall>();

/**
 * Asks EventBridge itself, through TestEventPattern, whether `rule`'s pattern as deployed
 * (read back with DescribeRule, not as synthesized) matches `event`. IVS events cannot be
 * injected into a real account (PutEvents rejects `aws.*` sources), so this is what a
 * deployment can check beyond event-ruler. The event gets the deployment's account and
 * region: TestEventPattern insists on a complete envelope.
 */
export function expectPatternMatch(
  integ: IntegTest, rule: IvsStageEventRule, event: IvsEventJson, expected: boolean, eventBus?: events.IEventBus,
): void {
  let describe = describeCalls.get(rule);
  if (!describe) {
    describe = integ.assertions.awsApiCall('EventBridge', 'describeRule', { Name: rule.rule.ruleName, EventBusName: eventBus?.eventBusName });
    describeCalls.set(rule, describe);
  }
  integ.assertions.awsApiCall('EventBridge', 'testEventPattern', {
    EventPattern: describe.getAttString('EventPattern'),
    Event: Stack.of(rule).toJsonString({ ...event, account: Aws.ACCOUNT_ID, region: Aws.REGION }),
  }).expect(ExpectedResult.objectLike({ Result: expected }));
}
