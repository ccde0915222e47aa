import { Annotations, ArnFormat, Names, RemovalPolicy, Stack, Stage, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { MAX_LOGS_RESOURCE_POLICIES, MAX_LOGS_RESOURCE_POLICY_LENGTH } from './aws-facts';
import { allowLogsToUseKey } from './encryption';

const POLICY_ID = 'CdkIvsRealtimeEventsLogsResourcePolicy';

/** Every log group the library names starts with this, so that one resource ARN covers them all. */
export const LOG_GROUP_PREFIX = '/aws/events/ivs-realtime';

/**
 * Set this context key to `existing` (on the app or a stack) when the account and region
 * already have a CloudWatch Logs resource policy that lets events.amazonaws.com write to
 * `/aws/events/*` (the EventBridge console's `TrustEventsToStoreLogEvent`, or one stack of
 * yours): the stacks then create none, which keeps them within the quota of 10 per account
 * and region.
 */
export const LOGS_POLICY_CONTEXT = '@cdk-ivs-realtime-events/logsResourcePolicy';

/**
 * A CloudWatch Logs target without the Lambda-backed custom resource that
 * `aws-events-targets.CloudWatchLogGroup` deploys to write the log resource policy: the
 * policy is a native AWS::Logs::ResourcePolicy, one per stack, whose size does not grow
 * with the library's log groups.
 */
export class LogGroupTarget implements events.IRuleTarget {
  constructor(private readonly logGroup: logs.ILogGroup) {}

  public bind(_rule: events.IRule, _id?: string): events.RuleTargetConfig {
    allowEventBridgeToWriteLogs(this.logGroup);
    return { arn: this.logGroup.logGroupArn, targetResource: this.logGroup };
  }
}

function allowEventBridgeToWriteLogs(logGroup: logs.ILogGroup): void {
  const stack = Stack.of(logGroup);
  if (stack.node.tryGetContext(LOGS_POLICY_CONTEXT) === 'existing') {
    return;
  }
  const policy = (stack.node.tryFindChild(POLICY_ID) as LogsResourcePolicy | undefined) ?? new LogsResourcePolicy(stack, POLICY_ID);
  policy.allow(logGroup);
}

/**
 * events.amazonaws.com alone, as in EventBridge's CloudWatch Logs example
 * (eb-use-resource-based.html): `delivery.logs.amazonaws.com` is not needed for a rule
 * target. No condition: no AWS document shows aws:SourceArn or aws:SourceAccount on this
 * path, and a key the request lacked would silently stop every log write.
 */
class LogsResourcePolicy extends Construct {
  private readonly statement: iam.PolicyStatement;
  private readonly allowed = new Set<string>();

  constructor(scope: Stack, id: string) {
    super(scope, id);
    this.statement = new iam.PolicyStatement({
      sid: 'EventBridgeToCloudWatchLogs',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [scope.formatArn({ service: 'logs', resource: 'log-group', resourceName: `${LOG_GROUP_PREFIX}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
    });
    new logs.ResourcePolicy(this, 'Resource', {
      resourcePolicyName: Names.uniqueResourceName(this, { maxLength: 255 }),
      policyStatements: [this.statement],
    });
    this.node.addValidation({ validate: () => [...this.checkSize(), ...checkPoliciesPerAccount(scope)] });
  }

  /** The library's own log groups are covered by the prefix; others are added one by one. */
  public allow(logGroup: logs.ILogGroup): void {
    const declared = (logGroup.node.defaultChild as logs.CfnLogGroup | undefined)?.logGroupName;
    const name = [logGroup.logGroupName, declared].find(n => n !== undefined && !Token.isUnresolved(n));
    const covered = name !== undefined && name.startsWith(LOG_GROUP_PREFIX);
    if (!covered && !this.allowed.has(logGroup.node.path)) {
      this.allowed.add(logGroup.node.path);
      this.statement.addResources(logGroup.logGroupArn);
    }
  }

  private checkSize(): string[] {
    // An unresolved log group ARN resolves to at most ~600 characters (a 512-character name).
    const length = JSON.stringify(Stack.of(this).resolve(this.statement.toStatementJson())).length + 64;
    const estimate = length + 600 * [...this.allowed].length;
    return estimate > MAX_LOGS_RESOURCE_POLICY_LENGTH
      ? [`The CloudWatch Logs resource policy would be about ${estimate} characters, more than the ${MAX_LOGS_RESOURCE_POLICY_LENGTH} `
        + `CloudWatch Logs allows: name the log groups you give (\`logGroup\`) under ${LOG_GROUP_PREFIX}, which one statement covers.`]
      : [];
  }
}

/** Fails synth where the app alone would create more CloudWatch Logs resource policies in one account and region than AWS allows. */
function checkPoliciesPerAccount(stack: Stack): string[] {
  const stage = Stage.of(stack);
  const stacks = stage ? stage.node.findAll().filter((c): c is Stack => Stack.isStack(c) && c.node.tryFindChild(POLICY_ID) !== undefined) : [stack];
  const sameEnv = stacks.filter(s => s.account === stack.account && s.region === stack.region);
  if (sameEnv[0] !== stack) {
    return []; // reported once, by the first stack
  }
  const where = Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)
    ? 'one account and region (environment-agnostic stacks)' : `account ${stack.account}, region ${stack.region}`;
  if (sameEnv.length > MAX_LOGS_RESOURCE_POLICIES) {
    return [`${sameEnv.length} stacks (${sameEnv.map(s => s.stackName).join(', ')}) would each create a CloudWatch Logs resource policy in ${where}: `
      + `CloudWatch Logs allows ${MAX_LOGS_RESOURCE_POLICIES} per account and region. `
      + `Set the context key ${LOGS_POLICY_CONTEXT} to 'existing' on all stacks but one (or on all, where the account already has such a policy).`];
  }
  if (sameEnv.length > 1) {
    Annotations.of(stack).addWarningV2('cdk-ivs-realtime-events:logsResourcePolicyQuota',
      `${sameEnv.length} stacks of this app each create a CloudWatch Logs resource policy in ${where}; `
      + `the account holds at most ${MAX_LOGS_RESOURCE_POLICIES}, other tools' included. Set the context key ${LOGS_POLICY_CONTEXT} to 'existing' `
      + 'on all stacks but one to use a single policy.');
  }
  return [];
}

export interface EventLogGroupProps {
  /** Below `LOG_GROUP_PREFIX`, so that the one resource policy statement covers it. */
  readonly logGroupName: string;
  readonly retention: logs.RetentionDays;
  readonly encryptionKey?: kms.IKey;
  readonly removalPolicy?: RemovalPolicy;
}

/** A log group the library creates for IVS events: named under the prefix, encrypted with the construct's key when it has one. */
export function createEventLogGroup(scope: Construct, id: string, props: EventLogGroupProps): logs.LogGroup {
  if (!props.logGroupName.startsWith(LOG_GROUP_PREFIX)) {
    throw new Error(`internal: log group ${props.logGroupName} is outside ${LOG_GROUP_PREFIX}`);
  }
  if (props.encryptionKey) {
    allowLogsToUseKey(scope, props.encryptionKey, `${LOG_GROUP_PREFIX}*`);
  }
  return new logs.LogGroup(scope, id, {
    logGroupName: props.logGroupName,
    retention: props.retention,
    encryptionKey: props.encryptionKey,
    removalPolicy: props.removalPolicy,
  });
}
