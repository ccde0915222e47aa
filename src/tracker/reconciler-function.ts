import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { RECONCILER_PK } from './table-keys';
import { HANDLER_BUNDLE } from './tracker-resources';
import { suppressNag } from '../private/nag';
import { validateIntegerRange } from '../private/validation';

/**
 * The most stages the reconciler's list holds: one table item (DynamoDB: 400 KB) written from one
 * custom resource request (Lambda: 256 KB per asynchronous invocation), at about 70 bytes a stage.
 */
export const MAX_LISTED_STAGES = 2000;

export interface ReconcilerOptions {
  readonly runtime: lambda.Runtime;
  readonly table: dynamodb.ITable;
  readonly stageArns: string[];
  readonly logGroup: logs.ILogGroup;
  readonly schedule?: events.Schedule;
  readonly maxApiCalls?: number;
  readonly retention?: Duration;
}

/**
 * The bundle's reconciler, on a schedule.
 *
 * Its stage list is not in its environment (Lambda: 4 KB for every variable together, passed at
 * 69 stages): the deployment writes it into the table's reconciler partition, through a custom
 * resource served by the reconciler itself, and each run reads it with one GetItem. The table,
 * not an S3 asset, because stage ARNs are often tokens (`CfnStage.attrArn`) that only
 * CloudFormation resolves, and because the run's cursor lives next to it. Without listed stages
 * it pages ListStages, from the same cursor.
 */
export function createReconciler(scope: Construct, options: ReconcilerOptions): lambda.Function {
  validateIntegerRange('reconcilerMaxApiCalls', options.maxApiCalls, 1, 10000);
  const { stageArns } = options;
  if (stageArns.length > MAX_LISTED_STAGES) {
    throw new Error(`\`stageArns\` and \`stages\` may list at most ${MAX_LISTED_STAGES} stages for the tracker `
      + `(its reconciler keeps them in one table item), got ${stageArns.length}`);
  }
  // A role of its own: the reconciler reads IVS, the event handler never does.
  const role = new iam.Role(scope, 'ReconcilerRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  options.logGroup.grantWrite(role);
  const reconciler = new lambda.Function(scope, 'Reconciler', {
    runtime: options.runtime,
    handler: 'index.reconcileHandler',
    code: lambda.Code.fromAsset(HANDLER_BUNDLE),
    role,
    logGroup: options.logGroup,
    timeout: Duration.minutes(5),
    memorySize: 256,
    description: `Repairs ${scope.node.path}'s table from what IVS reports`,
    environment: {
      TABLE_NAME: options.table.tableName,
      STAGES_FROM: stageArns.length > 0 ? 'table' : 'ListStages',
      MAX_API_CALLS: String(options.maxApiCalls ?? 500),
      RETENTION_SECONDS: String((options.retention ?? Duration.days(7)).toSeconds()),
    },
  });
  // Every IVS action it calls takes the Stage resource type (Service Authorization Reference,
  // Amazon Interactive Video Service, Actions table: GetStage, ListParticipants,
  // ListParticipantEvents and ListStages all list Stage*), so one pattern of the account and
  // region covers them, whatever the number of stages.
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['ivs:GetStage', 'ivs:ListParticipants', 'ivs:ListParticipantEvents', ...(stageArns.length > 0 ? [] : ['ivs:ListStages'])],
    resources: [Stack.of(scope).formatArn({ service: 'ivs', resource: 'stage', resourceName: '*' })],
  }));
  // Only what it calls: reads and conditional updates of stage and participant items, the sparse
  // index (IAM names indexes apart from their table), and transactions (authorized as their
  // UpdateItem parts, DynamoDB developer guide, "Using IAM with DynamoDB transactions").
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
    resources: [options.table.tableArn, `${options.table.tableArn}/index/*`],
  }));
  // Whole items it writes only in its own partition: the stage list and the cursor.
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['dynamodb:PutItem'],
    resources: [options.table.tableArn],
    conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [RECONCILER_PK] } },
  }));
  options.table.encryptionKey?.grantEncryptDecrypt(role);
  if (stageArns.length > 0) {
    // CloudFormation resolves the ARNs (tokens included) and asks the reconciler to write them.
    new CustomResource(scope, 'StageList', {
      serviceToken: reconciler.functionArn,
      resourceType: 'Custom::IvsTrackedStages',
      properties: { StageArns: stageArns },
    });
  }
  new events.Rule(scope, 'ReconcileSchedule', {
    schedule: options.schedule ?? events.Schedule.rate(Duration.minutes(5)),
    // A missed run is repaired by the next one.
    targets: [new targets.LambdaFunction(reconciler, { retryAttempts: 0 })],
    description: `Runs ${scope.node.path}'s reconciler`,
  });
  suppressNag(role.node.findChild('DefaultPolicy'), [{
    id: 'AwsSolutions-IAM5',
    reason: 'Read-only IVS actions on stage/* of this account and region (the stages it checks are listed in the table or by ListStages, '
      + 'so no fixed list can name them), the table\'s indexes (index/*), and the wildcards of aws-cdk-lib grants on the one table key '
      + 'and log group (kms:GenerateDataKey*, kms:ReEncrypt*, log streams Lambda names itself).',
    appliesTo: [
      'Action::kms:GenerateDataKey*', 'Action::kms:ReEncrypt*',
      { regex: '/^Resource::<[^>]+\\.Arn>\\/index\\/\\*$/g' },
      { regex: '/^Resource::arn:<AWS::Partition>:ivs:[^:]+:[^:]+:stage\\/\\*$/g' },
    ],
  }]);
  return reconciler;
}
