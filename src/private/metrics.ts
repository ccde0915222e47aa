import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';

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

/**
 * Runs of a state machine that did not finish their work: failed, timed out or aborted, summed
 * over 5 minutes. Every state machine of the library alarms on it (a run that timed out or was
 * aborted did its work no more than a failed one).
 */
export function unfinishedRuns(machine: sfn.IStateMachine, label: string): cloudwatch.IMetric {
  return new cloudwatch.MathExpression({
    expression: 'failed + timedOut + aborted',
    usingMetrics: {
      failed: machine.metricFailed({ statistic: cloudwatch.Stats.SUM }),
      timedOut: machine.metricTimedOut({ statistic: cloudwatch.Stats.SUM }),
      aborted: machine.metricAborted({ statistic: cloudwatch.Stats.SUM }),
    },
    label,
    period: Duration.minutes(5),
  });
}
