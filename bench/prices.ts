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
