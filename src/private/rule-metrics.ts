import { Duration, Fn, Token } from 'aws-cdk-lib';
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
 * `RULE_REF_SEPARATOR`), so the name is its second part.
 *
 * @param givenName the name the rule was created with, when it is known at synth time
 */
export function ruleNameOf(rule: events.IRule, bus: events.IEventBus | undefined, givenName?: string): string {
  if (givenName !== undefined && !Token.isUnresolved(givenName)) {
    return givenName;
  }
  if (isDefaultBus(bus)) {
    return rule.ruleName;
  }
  if (!isKnownCustomBus(bus!)) {
    throw new Error(`internal: the rule ${rule.node.path} on a bus of unknown name needs a name of its own (ruleNeedsName)`);
  }
  return Fn.select(1, Fn.split(RULE_REF_SEPARATOR, rule.ruleName));
}

/**
 * Whether a rule on `bus` must be given a physical name for its metrics to be named: a bus
 * whose name is a token and that was not declared in this app may turn out to be the
 * default bus (Ref: the name) or a custom one (Ref: `<bus>|<name>`), and a CloudFormation
 * condition cannot tell them apart (conditions cannot read resources or imports).
 */
export function ruleNeedsName(bus: events.IEventBus | undefined): boolean {
  return !isDefaultBus(bus) && !isKnownCustomBus(bus!);
}

/** A bus declared in this app is custom (aws-cdk-lib refuses the name `default`), as is one whose name is known and not `default`. */
function isKnownCustomBus(bus: events.IEventBus): boolean {
  return bus.node.defaultChild instanceof events.CfnEventBus || (knownBusName(bus) !== undefined && knownBusName(bus) !== 'default');
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
