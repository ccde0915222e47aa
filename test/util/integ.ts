import { ExpectedResult, IApiCall, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { Aws, IResolveContext, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { IConstruct } from 'constructs';
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
    Event: jsonParameter(rule, { ...event, account: Aws.ACCOUNT_ID, region: Aws.REGION }),
  }).expect(ExpectedResult.objectLike({ Result: expected }));
}

function describeRule(integ: IntegTest, rule: IvsStageEventRule, eventBus?: events.IEventBus): IApiCall {
  // The rule's name, not its Ref: on a custom bus Ref is `<bus>|<rule>`, which DescribeRule rejects.
  return integ.assertions.awsApiCall('EventBridge', 'describeRule', { Name: rule.ruleNames[0], EventBusName: eventBus?.eventBusName });
}

/**
 * `value` as the JSON text an API call of the assertions receives. Their provider
 * JSON-encodes each parameter at synthesis and `JSON.parse`s it in its function, but a
 * token inside a string is not escaped by that encoding: `stack.toJsonString(value)` would
 * reach the API wrapped in quotes. Here the literal parts are escaped once more; the values
 * of tokens (ARNs, account, region, URLs) hold no character JSON escapes.
 */
export function jsonParameter(scope: IConstruct, value: unknown): string {
  const stack = Stack.of(scope);
  const escape = (text: string) => JSON.stringify(text).slice(1, -1);
  return Token.asString({
    creationStack: [],
    resolve: (context: IResolveContext) => {
      const resolved = context.resolve(stack.toJsonString(value));
      if (typeof resolved === 'string') {
        return escape(resolved);
      }
      const [delimiter, parts] = resolved['Fn::Join'] as [string, unknown[]];
      return { 'Fn::Join': [delimiter, parts.map(part => (typeof part === 'string' ? escape(part) : part))] };
    },
    toString: () => 'jsonParameter',
  });
}
