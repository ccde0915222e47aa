import * as cxapi from 'aws-cdk-lib/cx-api';
import { fixedMonthlyCost, PRICES, REQUEST_PRICES } from '../devkit/prices';

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
    if (value?.Ref === 'AWS::Partition') {
      return 'aws';
    }
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
    lines.push(`  - ${paths.get(id) ?? id}${rule.EventBusName ? ` (bus ${show(rule.EventBusName)})` : ''}`);
    if (rule.ScheduleExpression) {
      lines.push(`      schedule: ${rule.ScheduleExpression}`);
    } else {
      const branches: any[] = rule.EventPattern.$or ?? [rule.EventPattern];
      const stages = branches.flatMap(b => b.resources ?? b.detail?.stage_arn ?? []).map(show);
      // A branch without event names takes every event of its detail-types, including new ones.
      const names = branches.flatMap(b => b.detail?.event_name ?? b['detail-type'].map((d: string) => `every ${d} event`));
      lines.push(`      events: ${names.join(', ')}`);
      lines.push(`      stages: ${stages.length > 0 ? [...new Set(stages)].join(', ') : 'all'}`);
    }
    for (const target of rule.Targets ?? []) {
      const retry = target.RetryPolicy;
      lines.push(`      -> ${show(target.Arn)}${target.InputTransformer ? ' (message)' : ''}; `
        + `dead-letter queue ${target.DeadLetterConfig ? show(target.DeadLetterConfig.Arn) : rule.ScheduleExpression ? 'none (scheduled: a failed run is '
          + 'alarmed, and the next run does its work)' : 'NONE'}; `
        + `${retry ? `${retry.MaximumRetryAttempts} retries${retry.MaximumEventAgeInSeconds ? ` within ${retry.MaximumEventAgeInSeconds}s` : ''}` : 'default retries'}`);
    }
  }
  const alarms = of('AWS::CloudWatch::Alarm');
  lines.push(`  Alarms (${alarms.length}):`);
  for (const [id, { Properties: alarm }] of alarms) {
    const metric = alarm.MetricName ? `${alarm.Namespace} ${alarm.MetricName} (${alarm.Statistic})`
      : alarm.Metrics.find((m: any) => m.Expression)?.Expression ?? 'metric math';
    const operator = { GreaterThanOrEqualToThreshold: '>=', GreaterThanThreshold: '>' }[alarm.ComparisonOperator as string] ?? alarm.ComparisonOperator;
    const actions = [...new Set<string>((alarm.AlarmActions ?? []).map(show))];
    lines.push(`  - ${alarm.AlarmName ? show(alarm.AlarmName) : paths.get(id) ?? id}: ${metric} ${operator} ${alarm.Threshold} over ${alarm.EvaluationPeriods} x ${alarm.Period ?? alarm.Metrics?.[1]?.MetricStat?.Period}s; `
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
  for (const [type, describe] of Object.entries(DESCRIBE)) {
    lines.push(...of(type).map(([id, r]) => `  ${describe(r.Properties ?? {}, paths.get(id) ?? id, show)}`));
  }
  if (of('AWS::StepFunctions::StateMachine').length > 0) {
    lines.push(`  Usage on top: Step Functions bills $${REQUEST_PRICES.stepFunctionsTransitionThousand} per 1,000 state transitions; a run takes about `
      + `${Object.entries(RUN_TRANSITIONS).map(([run, n]) => `${n} (${run})`).join(', ')} (docs/state-tracker.md, docs/compositions-and-recordings.md)`);
  }
  if (of('AWS::IVS::StorageConfiguration').length > 0) {
    lines.push('  Usage on top: IVS bills recording and each composition by the hour, per its output (aws.amazon.com/ivs/pricing)');
  }
  if (of('AWS::DynamoDB::Table').length > 0) {
    lines.push(`  Usage on top: the state tracker's SQS, Lambda and DynamoDB cost about $${TRACKER_PER_MILLION_EVENTS.join(' to $')} per million events, `
      + 'plus its reconciler\'s runs and IVS calls (docs/benchmarks.md)');
  }
  return lines.join('\n');
}

/**
 * State transitions of one run, counted on the real ASL interpreter by the constructs' tests
 * (test/tracker/idle-grace.test.ts, test/compositions/auto-composition-runs.test.ts,
 * test/recordings/ivs-recording-ready.run.test.ts) and written in the guides.
 */
export const RUN_TRANSITIONS = {
  'idle confirmed': 7, 'composition started (two destinations)': 11, 'compositions stopped (one running)': 12, 'recording announced at once': 21,
};

/** The state tracker's cost per million IVS events at the benchmark's mix (docs/benchmarks.md, "State tracker"). */
const TRACKER_PER_MILLION_EVENTS = [2, 3];

/**
 * One line per resource of these types, in this order: what a construct adds beyond rules,
 * alarms, topics, queues, keys, roles, log groups, archives and dashboards (the state tracker's
 * table, functions, pipes and state machines). A construct with new kinds of resources adds rows.
 */
const DESCRIBE: Record<string, (props: any, path: string, show: (value: any) => string) => string> = {
  'AWS::DynamoDB::Table': (table, path, show) => `DynamoDB table ${path}: ${table.BillingMode === 'PAY_PER_REQUEST' ? 'on demand' : 'provisioned'}; `
    + `${table.SSESpecification?.KMSMasterKeyId ? `encrypted with ${show(table.SSESpecification.KMSMasterKeyId)}` : 'encrypted with the AWS managed key'}`
    + `${table.StreamSpecification ? `; stream ${table.StreamSpecification.StreamViewType}` : ''}`,
  'AWS::Lambda::Function': (fn, path) => `Function ${path}: ${fn.Runtime ?? 'runtime from its image'}, ${fn.MemorySize ?? 128} MB, `
    + `timeout ${fn.Timeout ?? 3}s`,
  'AWS::Pipes::Pipe': (pipe, path, show) => `Pipe ${path}: ${show(pipe.Source)} -> ${show(pipe.Target)}`,
  'AWS::StepFunctions::StateMachine': (machine, path, show) => {
    const definition = JSON.parse(show(machine.DefinitionString));
    return `State machine ${path}: ${machine.StateMachineType ?? 'STANDARD'}, ${statesOf(definition)} states; ${definition.Comment ?? 'no comment'}`;
  },
};

/** Every state of a definition, those of Parallel branches and Map iterations included. */
function statesOf(definition: any): number {
  return Object.values<any>(definition?.States ?? {})
    .reduce((n, state) => n + 1 + [...(state.Branches ?? []), state.ItemProcessor ?? state.Iterator].reduce((m, sub) => m + statesOf(sub), 0), 0);
}

/** What a stack creates and costs, for tools (`npx projen example -- --json`). */
export interface StackSummary {
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  /** Resource type -> how many. */
  readonly resources: Record<string, number>;
  readonly resourceCount: number;
  /** Alarm name (or construct path) -> its actions are enabled. */
  readonly alarms: Record<string, boolean>;
  /** Alarm metrics, KMS keys and dashboards, in US dollars a month before any traffic. */
  readonly fixedMonthlyCost: number;
}

/** The summary as data: every stack, and the totals. */
export function summaryData(assembly: cxapi.CloudAssembly) {
  const stacks: StackSummary[] = assembly.stacks.map(stack => {
    const resources: Array<[string, any]> = Object.entries<any>(stack.template.Resources ?? {});
    const paths = new Map(stack.findMetadataByType('aws:cdk:logicalId').map(m => [m.data as string, m.path.replace(/\/Resource$/, '')]));
    const counts: Record<string, number> = {};
    resources.forEach(([, r]) => counts[r.Type] = (counts[r.Type] ?? 0) + 1);
    return {
      stackName: stack.stackName,
      account: stack.environment.account,
      region: stack.environment.region,
      resources: Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b))),
      resourceCount: resources.length,
      alarms: Object.fromEntries(resources.filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm')
        .map(([id, r]) => [typeof r.Properties.AlarmName === 'string' ? r.Properties.AlarmName : paths.get(id) ?? id, r.Properties.ActionsEnabled !== false])),
      fixedMonthlyCost: Math.round(fixedMonthlyCost(stack.template) * 100) / 100,
    };
  });
  return {
    stacks,
    resourceCount: stacks.reduce((n, s) => n + s.resourceCount, 0),
    fixedMonthlyCost: Math.round(stacks.reduce((sum, s) => sum + s.fixedMonthlyCost, 0) * 100) / 100,
    prices: { date: PRICES.date, region: 'us-east-1', source: 'devkit/prices.ts' },
  };
}
