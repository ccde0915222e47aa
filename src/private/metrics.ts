import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * One metric as it is; several as the metric math sum of them (`m0`, `m1`, ...): how the
 * library adds up the same metric over several EventBridge rules.
 */
export function sumOfMetrics(metrics: cloudwatch.IMetric[], label: string, period: Duration): cloudwatch.IMetric {
  if (metrics.length === 1) {
    return metrics[0];
  }
  return new cloudwatch.MathExpression({
    expression: `SUM([${metrics.map((_, i) => `m${i}`).join(',')}])`,
    usingMetrics: Object.fromEntries(metrics.map((metric, i) => [`m${i}`, metric])),
    label,
    period,
  });
}
