import * as cxapi from 'aws-cdk-lib/cx-api';
import { fixedMonthlyCost, PRICES } from '../devkit/prices';

/**
 * A readable account of what each stack of a synthesized assembly creates: its resources per
 * type, rules (events, stage scope, targets and their delivery), alarms (condition and actions),
 * notification topics, queues, KMS keys, roles, log groups, archives and dashboards, and what it
 * costs per month before any traffic. Read from the templates, so it shows what would deploy
 * rather than what the code meant.
 */
export function summarize(assembly: cxapi.CloudAssembly): string {
  const stacks = assembly.stacks;
  const costs = stacks.map(stack => `${stack.stackName} $${fixedMonthlyCost(stack.template).toFixed(2)}`);
  const total = stacks.reduce((sum, stack) => sum + fixedMonthlyCost(stack.template), 0);
  return [
    'How to read this: "-> target" is where a rule delivers; "(message)" means EventBridge delivers a message it builds '
      + 'from the event (an input transformer: a readable alert, or the recording notifier\'s JSON), not the event itself.',
    ...stacks.map(summarizeStack),
    `All ${stacks.length} stacks: ${totals(stacks.flatMap(stack => Object.values<any>(stack.template.Resources ?? {})))}`,
    `Fixed cost per month: ${costs.join(', ')}; $${total.toFixed(2)} in all. That is what the resources cost before any `
      + `event (alarm metrics, customer managed KMS keys, dashboards), at the us-east-1 list prices of ${PRICES.date} `
      + '(devkit/prices.ts, free tiers left out); events, messages and logs are paid per use on top.',
  ].join('\n\n');
}

/** `N resources: count type, ...`, most numerous first. */
function totals(resources: any[]): string {
  const counts = new Map<string, number>();
  resources.forEach(r => counts.set(r.Type, (counts.get(r.Type) ?? 0) + 1));
  const byCount = [...counts].sort(([a, m], [b, n]) => n - m || a.localeCompare(b));
  return `${resources.length} resources: ${byCount.map(([type, n]) => `${n} ${type}`).join(', ')}`;
}

function summarizeStack(stack: cxapi.CloudFormationStackArtifact): string {
  const resources: Record<string, any> = stack.template.Resources ?? {};
  const paths = new Map(stack.findMetadataByType('aws:cdk:logicalId').map(m => [m.data as string, m.path.replace(/\/Resource$/, '')]));
  const of = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const show = (value: any): string => {
    const id = value?.Ref ?? value?.['Fn::GetAtt']?.[0];
    if (id && resources[id]) {
      return paths.get(id) ?? id;
    }
    if (value?.['Fn::Select'] && value['Fn::Select'][1]?.['Fn::Split']) {
      return `<id of ${show(value['Fn::Select'][1]['Fn::Split'][1])}>`;
    }
    if (value?.['Fn::Join']) {
      return value['Fn::Join'][1].map(show).join(value['Fn::Join'][0]);
    }
    return typeof value === 'string' ? value : JSON.stringify(value);
  };

  const lines = [`Stack ${stack.stackName} (${stack.environment.account}/${stack.environment.region})`,
    `  ${totals(Object.values(resources))}`,
    `  Fixed cost: $${fixedMonthlyCost(stack.template).toFixed(2)} a month`];
  const rules = of('AWS::Events::Rule');
  lines.push(`  Rules (${rules.length}):`);
  for (const [id, { Properties: rule }] of rules) {
    const branches: any[] = rule.EventPattern.$or ?? [rule.EventPattern];
    const stages = branches.flatMap(b => b.resources ?? b.detail?.stage_arn ?? []).map(show);
    lines.push(`  - ${paths.get(id) ?? id}${rule.EventBusName ? ` (bus ${show(rule.EventBusName)})` : ''}`);
    // A branch without event names takes every event of its detail-types, including new ones.
    lines.push(`      events: ${branches.flatMap(b => b.detail?.event_name ?? b['detail-type'].map((d: string) => `every ${d} event`)).join(', ')}`);
    lines.push(`      stages: ${stages.length > 0 ? [...new Set(stages)].join(', ') : 'all'}`);
    for (const target of rule.Targets ?? []) {
      const retry = target.RetryPolicy;
      lines.push(`      -> ${show(target.Arn)}${target.InputTransformer ? ' (message)' : ''}; `
        + `dead-letter queue ${target.DeadLetterConfig ? show(target.DeadLetterConfig.Arn) : 'NONE'}; `
        + `${retry ? `${retry.MaximumRetryAttempts} retries within ${retry.MaximumEventAgeInSeconds}s` : 'default retries'}`);
    }
  }
  const alarms = of('AWS::CloudWatch::Alarm');
  lines.push(`  Alarms (${alarms.length}):`);
  for (const [, { Properties: alarm }] of alarms) {
    const metric = alarm.MetricName ? `${alarm.Namespace} ${alarm.MetricName} (${alarm.Statistic})`
      : alarm.Metrics.find((m: any) => m.Expression)?.Expression ?? 'metric math';
    const operator = { GreaterThanOrEqualToThreshold: '>=', GreaterThanThreshold: '>' }[alarm.ComparisonOperator as string] ?? alarm.ComparisonOperator;
    const actions = [...new Set<string>((alarm.AlarmActions ?? []).map(show))];
    lines.push(`  - ${show(alarm.AlarmName)}: ${metric} ${operator} ${alarm.Threshold} over ${alarm.EvaluationPeriods} x ${alarm.Period ?? alarm.Metrics?.[1]?.MetricStat?.Period}s; `
      + `actions ${actions.length > 0 ? actions.join(', ') : 'none'}${alarm.ActionsEnabled === false ? ' (DISABLED by the profile)' : ''}`);
  }
  for (const [id, { Properties: bus }] of of('AWS::Events::EventBus')) {
    const accounts = (bus.Policy?.Statement ?? []).flatMap((st: any) => [st.Principal?.AWS ?? []].flat()
      .map((p: any) => show(p).replace(/^arn:.*:iam::(\d+):root$/, '$1'))
      .map((p: string) => (p === '*' && st.Condition?.StringEquals?.['aws:PrincipalOrgID'] ? `organization ${st.Condition.StringEquals['aws:PrincipalOrgID']}` : p)));
    lines.push(`  Event bus ${bus.Name} (${paths.get(id) ?? id}) accepts events from: ${accounts.join(', ') || 'this account only'}`);
  }
  const topics = of('AWS::SNS::Topic').map(([id]) => paths.get(id) ?? id);
  lines.push(`  Topics: ${topics.join(', ') || 'none'}`);
  lines.push(...of('AWS::SQS::Queue').map(([id, { Properties: queue }]) => `  Queue ${paths.get(id) ?? id}: keeps messages `
    + `${(queue?.MessageRetentionPeriod ?? 345600) / 86400} days; ${queue?.KmsMasterKeyId ? `encrypted with ${show(queue.KmsMasterKeyId)}` : 'SQS-managed encryption'}`));
  lines.push(...of('AWS::KMS::Key').map(([id, { Properties: key }]) => `  KMS key ${paths.get(id) ?? id}: `
    + `rotation ${key.EnableKeyRotation ? 'on' : 'off'}, $${PRICES.kmsKeyMonth.toFixed(2)} a month`));
  lines.push(...of('AWS::IAM::Role').map(([id, { Properties: role }]) => `  Role ${paths.get(id) ?? id}: assumed by `
    + `${[...new Set(role.AssumeRolePolicyDocument.Statement.flatMap((st: any) => [st.Principal?.Service ?? []].flat()))].join(', ')}`));
  lines.push(...of('AWS::Logs::LogGroup').map(([, r]) => `  Log group ${r.Properties.LogGroupName}: ${r.Properties.RetentionInDays ?? 'never expire'} days`));
  lines.push(...of('AWS::Events::Archive').map(([, r]) => `  Archive ${r.Properties.ArchiveName}: ${r.Properties.RetentionDays ?? 'indefinite'} days`));
  lines.push(...of('AWS::CloudWatch::Dashboard').map(([, r]) => `  Dashboard ${r.Properties.DashboardName}`));
  return lines.join('\n');
}
