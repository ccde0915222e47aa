// One price table for every cost the project prints: the benchmark (docs/benchmarks.md) and the
// example app's summary. us-east-1 list prices, as AWS publishes them on its pricing pages
// (CloudWatch, KMS, SQS, Lambda, DynamoDB), written down on the date below. Check the pricing
// pages before relying on them; free tiers are left out.
export const PRICES = {
  date: '2026-11-27',
  alarmMetricMonth: 0.10, // standard resolution, per metric an alarm evaluates (metric math: each metric)
  kmsKeyMonth: 1.00, // customer managed key; automatic rotation adds up to $2 over the first two rotations
  dashboardMonth: 3.00, // beyond the 3 free dashboards per account
};

/**
 * Per-request prices of the state tracker's path (EventBridge to SQS to Lambda to DynamoDB), us-east-1,
 * written down on the date below; free tiers left out.
 */
export const REQUEST_PRICES = {
  date: '2026-11-29',
  // https://aws.amazon.com/sqs/pricing/ : standard queue, first 100 billion requests a month;
  // every API action is a request, and each 64 KB chunk of a payload counts as one.
  sqsRequestMillion: 0.40,
  // https://aws.amazon.com/lambda/pricing/ : requests, and duration in the first tier (6 billion
  // GB-seconds a month for x86, 7.5 billion for Arm), billed per invocation rounded up to 1 ms.
  lambdaRequestMillion: 0.20,
  lambdaGbSecond: { x86_64: 0.0000166667, arm64: 0.0000133334 } as Record<string, number>,
  // https://aws.amazon.com/dynamodb/pricing/on-demand/ : standard table class, after the
  // on-demand throughput price cut of 2024-11-01 (half the earlier $1.25 and $0.25).
  dynamodbWriteRequestUnitMillion: 0.625,
  dynamodbReadRequestUnitMillion: 0.125,
  // https://aws.amazon.com/step-functions/pricing/ : Standard workflows, per state transition
  // (retries count), beyond the 4,000 free a month.
  stepFunctionsTransitionThousand: 0.025,
};

type Template = Record<string, any>;

function resources(template: Template): any[] {
  return Object.values<any>(template.Resources ?? {});
}

/** Metrics the account pays for: an alarm on one metric pays for one, a metric math alarm for each metric it reads. */
export function alarmMetrics(template: Template): number {
  return resources(template).filter(r => r.Type === 'AWS::CloudWatch::Alarm')
    .reduce((n, alarm) => n + (alarm.Properties.Metrics ? alarm.Properties.Metrics.filter((m: any) => m.MetricStat).length : 1), 0);
}

/** What a template costs per month before any traffic: alarm metrics, customer managed keys and dashboards. */
export function fixedMonthlyCost(template: Template): number {
  const count = (type: string) => resources(template).filter(r => r.Type === type).length;
  return alarmMetrics(template) * PRICES.alarmMetricMonth + count('AWS::KMS::Key') * PRICES.kmsKeyMonth
    + count('AWS::CloudWatch::Dashboard') * PRICES.dashboardMonth;
}
