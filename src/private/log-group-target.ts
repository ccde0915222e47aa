import { Names, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

const POLICY_ID = 'CdkIvsRealtimeEventsLogsResourcePolicy';

/**
 * A CloudWatch Logs target without the Lambda-backed custom resource that
 * `aws-events-targets.CloudWatchLogGroup` deploys to write the log resource policy: the
 * policy is a native AWS::Logs::ResourcePolicy, one per stack for every log group this
 * library writes to (an account holds at most 10 per region).
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
  const policy = (stack.node.tryFindChild(POLICY_ID) as LogsResourcePolicy | undefined) ?? new LogsResourcePolicy(stack, POLICY_ID);
  policy.allow(logGroup);
}

class LogsResourcePolicy extends Construct {
  private readonly statement = new iam.PolicyStatement({
    sid: 'EventBridgeToCloudWatchLogs',
    principals: [new iam.ServicePrincipal('events.amazonaws.com'), new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  });
  private readonly allowed = new Set<string>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new logs.ResourcePolicy(this, 'Resource', {
      resourcePolicyName: Names.uniqueResourceName(this, { maxLength: 255 }),
      policyStatements: [this.statement],
    });
  }

  public allow(logGroup: logs.ILogGroup): void {
    if (!this.allowed.has(logGroup.node.path)) {
      this.allowed.add(logGroup.node.path);
      this.statement.addResources(logGroup.logGroupArn);
    }
  }
}
