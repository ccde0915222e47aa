import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';

/** Whether `bus` is known, at synth time, to be the account's default event bus. */
export function isDefaultBus(bus: events.IEventBus | undefined): boolean {
  return bus === undefined || (!Token.isUnresolved(bus.eventBusName) && bus.eventBusName === 'default');
}

/**
 * The AWS/Events metric of one rule: the one place the library names a rule's metric
 * dimensions (RuleName, plus EventBusName on a custom bus).
 *
 * @default - Sum over 5 minutes
 */
export function ruleMetric(rule: events.IRule, bus: events.IEventBus | undefined, metricName: string,
  props?: cloudwatch.MetricOptions): cloudwatch.Metric {
  const dimensionsMap: Record<string, string> = { RuleName: rule.ruleName };
  if (!isDefaultBus(bus)) {
    dimensionsMap.EventBusName = bus!.eventBusName;
  }
  return new cloudwatch.Metric({
    namespace: 'AWS/Events',
    metricName,
    dimensionsMap,
    statistic: cloudwatch.Stats.SUM,
    period: Duration.minutes(5),
    ...props,
  });
}
