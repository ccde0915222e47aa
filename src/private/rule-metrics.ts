import { CfnCondition, Duration, Fn, Names, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import { EVENTS_NAMESPACE, RULE_REF_SEPARATOR } from './aws-facts';

/** Whether `bus` is known, at synth time, to be the account's default event bus. */
export function isDefaultBus(bus: events.IEventBus | undefined): boolean {
  return bus === undefined || knownBusName(bus) === 'default';
}

/** The bus's name when it is known at synth time: its `eventBusName`, or the name the bus was declared with here. */
export function knownBusName(bus: events.IEventBus): string | undefined {
  const declared = (bus.node.defaultChild as events.CfnEventBus | undefined)?.name;
  return [bus.eventBusName, declared].find(n => n !== undefined && !Token.isUnresolved(n));
}

/**
 * A rule's name as EventBridge's API and CloudWatch know it. `Ref` (`rule.ruleName`) is
 * that name only on the default bus: on a custom bus it is `<bus>|<name>` (see
 * `RULE_REF_SEPARATOR`), so the name is its second part. A bus whose name is a token may
 * be either, so CloudFormation decides at deploy time.
 *
 * @param givenName the name the rule was created with, when it is known at synth time
 */
export function ruleNameOf(rule: events.IRule, bus: events.IEventBus | undefined, givenName?: string): string {
  if (isDefaultBus(bus) || (givenName !== undefined && !Token.isUnresolved(givenName))) {
    return givenName ?? rule.ruleName;
  }
  const afterBus = Fn.select(1, Fn.split(RULE_REF_SEPARATOR, rule.ruleName));
  if (knownBusName(bus!) !== undefined) {
    return afterBus;
  }
  return Token.asString(Fn.conditionIf(defaultBusCondition(rule, bus!).logicalId, rule.ruleName, afterBus));
}

/** One condition per bus and stack: whether the token-named bus turns out to be `default`. */
function defaultBusCondition(scope: events.IRule, bus: events.IEventBus): CfnCondition {
  const stack = Stack.of(scope);
  const id = `IsDefaultBus${Names.uniqueId(bus)}`.slice(0, 255);
  return (stack.node.tryFindChild(id) as CfnCondition | undefined)
    ?? new CfnCondition(stack, id, { expression: Fn.conditionEquals(bus.eventBusName, 'default') });
}

/**
 * The AWS/Events metric of one rule: the one place the library names a rule's metric
 * dimensions (RuleName, plus EventBusName on a custom bus; see `EVENTS_NAMESPACE`).
 *
 * @default - Sum over 5 minutes
 */
export function ruleMetric(ruleName: string, bus: events.IEventBus | undefined, metricName: string,
  props?: cloudwatch.MetricOptions): cloudwatch.Metric {
  const dimensionsMap: Record<string, string> = { RuleName: ruleName };
  if (!isDefaultBus(bus)) {
    dimensionsMap.EventBusName = bus!.eventBusName;
  }
  return new cloudwatch.Metric({
    namespace: EVENTS_NAMESPACE,
    metricName,
    dimensionsMap,
    statistic: cloudwatch.Stats.SUM,
    period: Duration.minutes(5),
    ...props,
  });
}
