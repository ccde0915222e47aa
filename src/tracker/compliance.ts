import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { suppressComplianceNag, suppressNag } from '../private/nag';

/**
 * The reasons, for cdk-nag's HIPAA, NIST 800-53 R5 and PCI DSS packs (and AwsSolutions on the
 * handler's role), why the tracker's resources are as they are; recorded on each resource so
 * that a security review sees them.
 */
export function recordComplianceReasons(scope: IConstruct, table?: dynamodb.Table, handlerRole?: iam.IRole): void {
  if (handlerRole) {
    suppressNag(handlerRole.node.findChild('DefaultPolicy'), [{
      id: 'AwsSolutions-IAM5',
      reason: 'kms:GenerateDataKey* and kms:ReEncrypt* of aws-cdk-lib\'s grants on the tracker\'s one key (table, queue, log group): '
        + 'the variants of those actions, on that key only.',
      appliesTo: ['Action::kms:GenerateDataKey*', 'Action::kms:ReEncrypt*'],
    }]);
  }
  for (const child of scope.node.findAll()) {
    if (child instanceof iam.Policy) {
      suppressComplianceNag(child, [{
        rule: 'IAMNoInlinePolicy',
        reason: 'The policies of aws-cdk-lib grants, each attached to one role of this construct and scoped to its resources; '
          + 'a managed policy could be attached to other principals.',
      }]);
    } else if (child instanceof lambda.Function) {
      suppressComplianceNag(child, [
        {
          rule: 'LambdaInsideVPC',
          reason: 'The functions call only AWS APIs (DynamoDB, and IVS for the reconciler) over TLS with IAM; they reach no private network resource.',
        },
        {
          rule: 'LambdaDLQ',
          reason: 'The event handler is fed by SQS, whose redrive policy dead-letters what it cannot apply; '
            + 'the reconciler runs on a schedule, and a failed run is made up for by the next one (its errors are alarmed).',
        },
        {
          rule: 'LambdaConcurrency',
          reason: 'Concurrency is bounded without reserving any: the SQS event source\'s maximum concurrency for the handler, '
            + 'the schedule for the reconciler; reserved concurrency would take from the account\'s unreserved pool.',
        },
      ]);
    }
  }
  if (table) {
    suppressComplianceNag(table, [{
      rule: 'DynamoDBInBackupPlan',
      reason: 'Point-in-time recovery is on (35 days); adding the table to an AWS Backup plan is the account owner\'s choice, and the reconciler '
        + 'rebuilds publishing state from IVS.',
    }]);
  }
}
