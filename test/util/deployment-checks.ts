import { Stack } from 'aws-cdk-lib';
import { DeployedTemplate } from './deployed';
import {
  DEFAULT_MAX_PATTERN_LENGTH, IVS_REALTIME_METRICS, LOG_RETENTION_DAYS, MAX_ALARM_METRICS, MAX_ALARM_NAME_LENGTH,
  MAX_INPUT_TEMPLATE_LENGTH, MAX_LAMBDA_ENVIRONMENT_BYTES, MAX_LOGS_RESOURCE_POLICY_LENGTH, MAX_MANAGED_POLICY_CHARACTERS,
  MAX_QUEUE_POLICY_BYTES, MAX_QUEUE_POLICY_STATEMENTS, MAX_RESOURCES_PER_STACK, MAX_ROLE_INLINE_POLICY_CHARACTERS,
  MAX_RULES_PER_BUS, MAX_TARGETS_PER_RULE,
} from '../../src/private/aws-facts';
import { METRICS_NAMESPACE, RECONCILER_METRICS } from '../../src/tracker/table-keys';

interface MetricRef {
  readonly where: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
}

/**
 * Everything in `stack` that AWS would get wrong once deployed, as readable lines; empty
 * when the stack would deploy and every alarm and graph watches a metric AWS publishes:
 * (a) each AWS/Events metric names a rule of the stack by the name CloudWatch publishes it
 * under (with EventBusName exactly on a custom bus), each AWS/SQS metric a queue, each
 * AWS/IVSRealTime metric a published metric and dimension set; (b) every pattern, policy,
 * name and count within its service quota.
 */
export function deploymentProblems(stack: Stack | DeployedTemplate, options: { maxPatternLength?: number } = {}): string[] {
  const t = stack instanceof DeployedTemplate ? stack : DeployedTemplate.of(stack);
  return [...t.conditionProblems(), ...metricProblems(t), ...quotaProblems(t, options.maxPatternLength ?? DEFAULT_MAX_PATTERN_LENGTH)];
}

function metricProblems(t: DeployedTemplate): string[] {
  const rules = t.ofType('AWS::Events::Rule').map(r => ({ name: t.physicalName(r.id, 'Name'), bus: t.ruleBus(r.id) }));
  const queues = t.ofType('AWS::SQS::Queue').map(q => t.physicalName(q.id, 'QueueName'));
  const functions = t.ofType('AWS::Lambda::Function').map(f => t.physicalName(f.id, 'FunctionName'));
  const tables = t.ofType('AWS::DynamoDB::Table').map(f => t.physicalName(f.id, 'TableName'));
  const stateMachines = t.ofType('AWS::StepFunctions::StateMachine').map(f => t.physicalName(f.id, 'StateMachineName'));
  const problems: string[] = [];
  for (const m of allMetrics(t)) {
    const dims = Object.keys(m.dimensions).sort().join(',');
    const what = `${m.where}: ${m.namespace} ${m.metricName} ${JSON.stringify(m.dimensions)}`;
    if (m.namespace === 'AWS/Events') {
      const rule = rules.find(r => r.name === m.dimensions.RuleName);
      const bus = m.dimensions.EventBusName ?? 'default';
      if (!rule) {
        problems.push(`${what} names no rule of the stack (rules: ${rules.map(r => r.name).join(', ')})`);
      } else if (rule.bus !== bus || (m.dimensions.EventBusName !== undefined && rule.bus === 'default')) {
        problems.push(`${what}: the rule is on bus ${rule.bus}, so CloudWatch publishes ${rule.bus === 'default' ? 'RuleName alone' : `EventBusName ${rule.bus}`}`);
      }
    } else if (m.namespace === 'AWS/SQS') {
      if (!queues.includes(m.dimensions.QueueName)) {
        problems.push(`${what} names no queue of the stack`);
      }
    } else if (m.namespace === 'AWS/Lambda') {
      // AWS/Lambda publishes per FunctionName (Lambda developer guide, monitoring-metrics).
      if (dims !== 'FunctionName' || !functions.includes(m.dimensions.FunctionName)) {
        problems.push(`${what} names no function of the stack by FunctionName`);
      }
    } else if (m.namespace === 'AWS/States') {
      // Execution metrics are published per StateMachineArn (Step Functions developer guide, procedure-cw-metrics).
      if (dims !== 'StateMachineArn' || !stateMachines.includes(m.dimensions.StateMachineArn)) {
        problems.push(`${what} names no state machine of the stack by StateMachineArn`);
      }
    } else if (m.namespace === 'AWS/IVSRealTime') {
      const published = IVS_REALTIME_METRICS[m.metricName];
      if (!published || !published.some(set => [...set].sort().join(',') === dims)) {
        problems.push(`${what}: IVS publishes ${m.metricName} ${published ? `only with dimensions ${published.map(s => `[${s.join(',')}]`).join(' or ')}` : 'not at all'}`);
      }
    } else if (m.namespace === METRICS_NAMESPACE) {
      // The tracker's reconciler writes these itself (embedded metric format), per TableName.
      if (dims !== 'TableName' || !tables.includes(m.dimensions.TableName) || !(RECONCILER_METRICS as readonly string[]).includes(m.metricName)) {
        problems.push(`${what}: the reconciler writes only ${RECONCILER_METRICS.join(', ')}, per TableName of a table of the stack`);
      }
    } else {
      problems.push(`${what}: a namespace these checks do not know`);
    }
  }
  return problems;
}

/** Every metric an alarm or a dashboard widget reads. */
function allMetrics(t: DeployedTemplate): MetricRef[] {
  const dims = (list: any[] | undefined) => Object.fromEntries((list ?? []).map((d: any) => [d.Name, String(d.Value)]));
  const metrics: MetricRef[] = [];
  for (const { id, props } of t.ofType('AWS::CloudWatch::Alarm')) {
    if (props.MetricName) {
      metrics.push({ where: `alarm ${id}`, namespace: props.Namespace, metricName: props.MetricName, dimensions: dims(props.Dimensions) });
    }
    for (const m of props.Metrics ?? []) {
      if (m.MetricStat) {
        const metric = m.MetricStat.Metric;
        metrics.push({ where: `alarm ${id}`, namespace: metric.Namespace, metricName: metric.MetricName, dimensions: dims(metric.Dimensions) });
      }
    }
  }
  for (const { id, props } of t.ofType('AWS::CloudWatch::Dashboard')) {
    const body = JSON.parse(props.DashboardBody);
    for (const widget of body.widgets) {
      for (const metric of widget.properties?.metrics ?? []) {
        if (typeof metric[0] !== 'string') {
          continue; // a metric math expression: its inputs are listed as metrics too
        }
        const [namespace, metricName, ...rest] = metric;
        const pairs = rest.filter((x: unknown) => typeof x === 'string');
        metrics.push({
          where: `dashboard ${id} "${widget.properties.title}"`,
          namespace,
          metricName,
          dimensions: Object.fromEntries(Array.from({ length: pairs.length / 2 }, (_, i) => [pairs[2 * i], pairs[2 * i + 1]])),
        });
      }
    }
  }
  return metrics;
}

function quotaProblems(t: DeployedTemplate, maxPatternLength: number): string[] {
  const problems: string[] = [];
  const over = (what: string, value: number, max: number, quota: string) => {
    if (value > max) {
      problems.push(`${what}: ${value} > ${max} (${quota})`);
    }
  };
  over('resources', Object.keys(t.resources).length, MAX_RESOURCES_PER_STACK, 'CloudFormation resources per stack');
  const perBus = new Map<string, number>();
  for (const { id, props } of t.ofType('AWS::Events::Rule')) {
    over(`rule ${id} pattern`, JSON.stringify(props.EventPattern ?? {}).length, maxPatternLength, 'EventBridge event pattern length');
    over(`rule ${id} targets`, (props.Targets ?? []).length, MAX_TARGETS_PER_RULE, 'EventBridge targets per rule');
    for (const target of props.Targets ?? []) {
      over(`rule ${id} input template`, String(target.InputTransformer?.InputTemplate ?? '').length, MAX_INPUT_TEMPLATE_LENGTH, 'EventBridge input template');
    }
    const bus = t.ruleBus(id);
    perBus.set(bus, (perBus.get(bus) ?? 0) + 1);
  }
  perBus.forEach((count, bus) => over(`rules on bus ${bus}`, count, MAX_RULES_PER_BUS, 'EventBridge rules per bus'));
  const policiesPerQueue = new Map<string, any[]>();
  for (const { id, props } of t.ofType('AWS::SQS::QueuePolicy')) {
    for (const queue of props.Queues) {
      policiesPerQueue.set(queue, [...(policiesPerQueue.get(queue) ?? []), ...props.PolicyDocument.Statement]);
    }
    over(`queue policy ${id} bytes`, JSON.stringify(props.PolicyDocument).length, MAX_QUEUE_POLICY_BYTES, 'SQS policy size');
  }
  policiesPerQueue.forEach((statements, queue) => over(`queue ${queue} policy statements`, statements.length, MAX_QUEUE_POLICY_STATEMENTS, 'SQS policy statements'));
  for (const { id, props } of t.ofType('AWS::Logs::ResourcePolicy')) {
    over(`logs resource policy ${id}`, String(props.PolicyDocument).length, MAX_LOGS_RESOURCE_POLICY_LENGTH, 'CloudWatch Logs resource policy size');
  }
  for (const { id, props } of t.ofType('AWS::CloudWatch::Alarm')) {
    over(`alarm ${id} name`, String(props.AlarmName ?? t.physicalName(id, 'AlarmName')).length, MAX_ALARM_NAME_LENGTH, 'CloudWatch alarm name');
    over(`alarm ${id} metrics`, (props.Metrics ?? []).filter((m: any) => m.MetricStat).length, MAX_ALARM_METRICS, 'CloudWatch metrics per alarm');
  }
  for (const { id, props } of t.ofType('AWS::Lambda::Function')) {
    const variables: Record<string, string> = props.Environment?.Variables ?? {};
    over(`function ${id} environment`, Object.entries(variables).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0),
      MAX_LAMBDA_ENVIRONMENT_BYTES, 'Lambda environment variables');
  }
  // IAM counts policy characters without whitespace.
  const iamLength = (document: unknown) => JSON.stringify(document).replace(/\s/g, '').length;
  for (const { id, props } of t.ofType('AWS::IAM::ManagedPolicy')) {
    over(`managed policy ${id}`, iamLength(props.PolicyDocument), MAX_MANAGED_POLICY_CHARACTERS, 'IAM managed policy size');
  }
  const inlinePerRole = new Map<string, number>();
  for (const { id, props } of t.ofType('AWS::IAM::Role')) {
    inlinePerRole.set(t.ref(id), (props.Policies ?? []).reduce((sum: number, p: any) => sum + iamLength(p.PolicyDocument), 0));
  }
  for (const { props } of t.ofType('AWS::IAM::Policy')) {
    for (const role of props.Roles ?? []) {
      inlinePerRole.set(role, (inlinePerRole.get(role) ?? 0) + iamLength(props.PolicyDocument));
    }
  }
  inlinePerRole.forEach((length, role) => over(`inline policies of role ${role}`, length, MAX_ROLE_INLINE_POLICY_CHARACTERS, 'IAM inline policies per role'));
  for (const { id, props } of t.ofType('AWS::Logs::LogGroup')) {
    if (props.RetentionInDays !== undefined && !LOG_RETENTION_DAYS.includes(props.RetentionInDays)) {
      problems.push(`log group ${id}: RetentionInDays ${props.RetentionInDays} is not one CloudWatch Logs accepts`);
    }
  }
  return problems;
}
