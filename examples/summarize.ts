import * as cxapi from 'aws-cdk-lib/cx-api';

/**
 * A readable account of what each stack of a synthesized assembly creates: its rules
 * (events, stage scope, targets and their delivery), alarms (condition and actions),
 * notification topics, log groups, archives and dashboards. Read from the templates, so
 * it shows what would deploy rather than what the code meant.
 */
export function summarize(assembly: cxapi.CloudAssembly): string {
  return assembly.stacks.map(summarizeStack).join('\n\n');
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

  const lines = [`Stack ${stack.stackName} (${stack.environment.account}/${stack.environment.region})`];
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
  lines.push(...of('AWS::Logs::LogGroup').map(([, r]) => `  Log group ${r.Properties.LogGroupName}: ${r.Properties.RetentionInDays ?? 'never expire'} days`));
  lines.push(...of('AWS::Events::Archive').map(([, r]) => `  Archive ${r.Properties.ArchiveName}: ${r.Properties.RetentionDays ?? 'indefinite'} days`));
  lines.push(...of('AWS::CloudWatch::Dashboard').map(([, r]) => `  Dashboard ${r.Properties.DashboardName}`));
  return lines.join('\n');
}
