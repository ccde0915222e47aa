import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { suppressNag } from '../private/nag';
import { validateIntegerRange } from '../private/validation';

/** Where the build puts the bundled handler (`npx projen bundle:tracker`), next to `lib/` in the package. */
export const HANDLER_BUNDLE = path.join(__dirname, '..', '..', 'assets', 'tracker-handler');

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
 * The bundle's reconciler, on a schedule. IAM: the IVS reads it makes, GetStage on the
 * tracked stages (every stage, with ListStages, when none are listed).
 */
export function createReconciler(scope: Construct, options: ReconcilerOptions): lambda.Function {
  validateIntegerRange('reconcilerMaxApiCalls', options.maxApiCalls, 1, 10000);
  const { stageArns } = options;
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
      STAGE_ARNS: JSON.stringify(stageArns),
      MAX_API_CALLS: String(options.maxApiCalls ?? 500),
      RETENTION_SECONDS: String((options.retention ?? Duration.days(7)).toSeconds()),
    },
  });
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['ivs:GetStage'],
    resources: stageArns.length > 0 ? stageArns : ['*'],
  }));
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['ivs:ListParticipants', 'ivs:ListParticipantEvents', ...(stageArns.length > 0 ? [] : ['ivs:ListStages'])],
    resources: ['*'],
  }));
  options.table.grantReadWriteData(reconciler);
  new events.Rule(scope, 'ReconcileSchedule', {
    schedule: options.schedule ?? events.Schedule.rate(Duration.minutes(5)),
    // A missed run is repaired by the next one.
    targets: [new targets.LambdaFunction(reconciler, { retryAttempts: 0 })],
    description: `Runs ${scope.node.path}'s reconciler`,
  });
  suppressNag(role.node.findChild('DefaultPolicy'), [{
    id: 'AwsSolutions-IAM5',
    reason: 'Read-only IVS list actions (ListParticipants, ListParticipantEvents, ListStages), called for the tracked stages only, '
      + 'and the wildcards of aws-cdk-lib grants on the one table and log group (kms:GenerateDataKey*, log streams Lambda names itself).',
  }]);
  return reconciler;
}
