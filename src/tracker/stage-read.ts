import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { STAGE_SK } from './table-keys';

/**
 * The stage item of an activity event's `detail.stageArn`, read strongly consistent into
 * `$.stage`: what a state machine acting on a stage's activity checks first, since the event may
 * be stale by then (its `version` against the item's). `id` names the state, for a machine that reads
 * it more than once.
 */
export function readStageItem(scope: Construct, table: dynamodb.ITable, id = 'ReadStage'): tasks.DynamoGetItem {
  return new tasks.DynamoGetItem(scope, id, {
    table,
    key: {
      pk: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.detail.stageArn')),
      sk: tasks.DynamoAttributeValue.fromString(STAGE_SK),
    },
    consistentRead: true,
    resultPath: '$.stage',
  });
}
