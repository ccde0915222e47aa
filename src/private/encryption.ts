import { Annotations, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IConstruct } from 'constructs';

/**
 * EventBridge publishes to encrypted SNS topics and SQS queues (targets and dead-letter
 * queues) with its own service identity, so the key policy, not IAM, must let it use the
 * key; without this statement deliveries fail and, for a dead-letter queue, the event is
 * lost. The statement is the one the EventBridge troubleshooting guide prescribes
 * (eb-troubleshooting.html, encrypted SNS topic / SQS queue), without a source condition:
 * the SNS developer guide says `aws:SourceAccount`, `aws:SourceArn` and `aws:SourceOrgID` in a
 * KMS key policy are "not supported for EventBridge-to-encrypted topics" (sns-key-management.html,
 * compatibility with AWS services), and one key serves the construct's topics and queues alike.
 * CloudWatch Logs' statement (below) carries the condition its guide documents
 * (`kms:EncryptionContext:aws:logs:arn`, encrypt-log-data-kms.html).
 */
const keysAllowed = new WeakSet<kms.IKey>();

export function allowEventBridgeToUseKey(scope: IConstruct, key: kms.IKey): void {
  validateKeyRegion(scope, key);
  if (keysAllowed.has(key)) {
    return;
  }
  keysAllowed.add(key);
  const { statementAdded } = key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowEventBridgeToEncryptForTargets',
    principals: [new iam.ServicePrincipal('events.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
  }), /* allowNoOp */ true);
  if (!statementAdded) {
    Annotations.of(scope).addWarningV2('cdk-ivs-realtime-events:keyPolicyNotUpdated',
      `The key ${key.keyArn} is not managed by this app: make sure its key policy allows events.amazonaws.com kms:Decrypt and kms:GenerateDataKey*, or EventBridge cannot deliver to what it encrypts.`);
  }
}

/**
 * A topic encrypted with the AWS-managed `alias/aws/sns` key can receive nothing from
 * EventBridge or CloudWatch alarms (its key policy cannot be changed to let them use it),
 * and deliveries fail silently (SNS developer guide, sns-key-management: event sources
 * from AWS services need a customer-managed key).
 */
export function warnIfAwsManagedSnsKey(scope: IConstruct, topic: sns.ITopic | undefined, prop: string,
  sender: 'EventBridge' | 'CloudWatch' = 'EventBridge'): void {
  const key = topic?.masterKey;
  if (!key) {
    return;
  }
  const names = [key.keyArn, (key as Partial<kms.IAlias>).aliasName].filter((n): n is string => typeof n === 'string');
  if (names.some(n => n.endsWith('alias/aws/sns'))) {
    const what = sender === 'EventBridge' ? 'events sent to it are dropped' : 'alarm notifications sent to it are dropped';
    const principal = sender === 'EventBridge' ? 'events.amazonaws.com' : 'cloudwatch.amazonaws.com';
    Annotations.of(scope).addWarningV2('cdk-ivs-realtime-events:awsManagedSnsKey',
      `\`${prop}\` is encrypted with the AWS-managed key alias/aws/sns, which ${sender} cannot use: ${what}. `
      + `Encrypt it with a customer-managed key whose policy allows ${principal}.`);
  }
}

/**
 * CloudWatch Logs encrypts a log group with a customer-managed key only when the key
 * policy lets the regional logs service principal use it, bound by the encryption context
 * to log groups (CloudWatch Logs user guide, encrypt-log-data-kms): without it the log
 * group cannot even be created.
 */
const patternsAllowedForLogs = new WeakMap<kms.IKey, string[]>();

export function allowLogsToUseKey(scope: IConstruct, key: kms.IKey, logGroupNamePattern: string): void {
  validateKeyRegion(scope, key);
  const aliasName = (key as Partial<kms.IAlias>).aliasName;
  if (aliasName !== undefined || (!Token.isUnresolved(key.keyArn) && key.keyArn.includes(':alias/'))) {
    throw new Error('`encryptionKey` must be a key, not an alias, where CloudWatch Logs encrypts with it (a log group\'s KmsKeyId is a key ARN), '
      + `got ${aliasName ?? key.keyArn}: give the key itself (kms.Key.fromKeyArn)`);
  }
  const allowed = patternsAllowedForLogs.get(key) ?? [];
  if (allowed.includes(logGroupNamePattern)) {
    return;
  }
  patternsAllowedForLogs.set(key, [...allowed, logGroupNamePattern]);
  const stack = Stack.of(scope);
  const { statementAdded } = key.addToResourcePolicy(new iam.PolicyStatement({
    // One statement per pattern; statement ids are unique within a key policy.
    sid: `AllowCloudWatchLogsToEncryptLogGroups${allowed.length === 0 ? '' : allowed.length + 1}`,
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: {
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
          service: 'logs', resource: 'log-group', resourceName: logGroupNamePattern, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    },
  }), /* allowNoOp */ true);
  if (!statementAdded) {
    Annotations.of(scope).addWarningV2('cdk-ivs-realtime-events:keyPolicyNotUpdated',
      `The key ${key.keyArn} is not managed by this app: make sure its key policy allows logs.<region>.amazonaws.com to use it for `
      + `log groups ${logGroupNamePattern}, or the log groups it encrypts cannot be created.`);
  }
}

/**
 * SQS, DynamoDB and CloudWatch Logs encrypt only with a key of their own region (a KMS key
 * is regional; multi-Region replicas have their own ARN in each region).
 */
function validateKeyRegion(scope: IConstruct, key: kms.IKey): void {
  const region = Stack.of(scope).region;
  const keyRegion = key.env.region;
  if (!Token.isUnresolved(region) && !Token.isUnresolved(keyRegion) && keyRegion !== region) {
    throw new Error(`\`encryptionKey\` must be a key in this stack's region (${region}): SQS, DynamoDB and CloudWatch Logs encrypt only with a key `
      + `of their own region, got ${key.keyArn}`);
  }
}
