import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as pipes from 'aws-cdk-lib/aws-pipes';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { StageActivity } from './stage-activity';
import { STAGE_SK } from './table-keys';
import { suppressNag } from '../private/nag';
import { putEventsStatement } from '../private/put-events';

const changedStage = { Keys: { sk: { S: [STAGE_SK] } } };
const someone = { N: [{ 'anything-but': ['0'] }] };
const nobody = { N: ['0'] };

/**
 * The DynamoDB stream records of a stage's publisher count crossing 0, as EventBridge Pipes
 * filter patterns (the EventBridge pattern syntax, on stream records). A stage item first
 * written with publishers is active; one changed from 0 to more is active; one changed to
 * 0 is idle. Other items, and counts that only change size, match neither.
 */
export const ACTIVITY_FILTERS = {
  active: [
    { eventName: ['INSERT'], dynamodb: { ...changedStage, NewImage: { publishers: someone } } },
    { eventName: ['MODIFY'], dynamodb: { ...changedStage, NewImage: { publishers: someone }, OldImage: { publishers: nobody } } },
  ],
  idle: [
    { eventName: ['MODIFY'], dynamodb: { ...changedStage, NewImage: { publishers: nobody }, OldImage: { publishers: someone } } },
  ],
};

/**
 * `StageActivityEventDetail`, from the stream record: the record's id is the same for every
 * delivery. Pipes put a string in place without its quotes, so the template writes them
 * (EventBridge Pipes input transformation); `changedAt` is a number.
 */
export const ACTIVITY_DETAIL_TEMPLATE = '{"stageArn": "<$.dynamodb.Keys.pk.S>", "transitionId": "<$.eventID>", '
  + '"changedAt": <$.dynamodb.ApproximateCreationDateTime>, "sequence": "<$.dynamodb.SequenceNumber>", "version": "<$.dynamodb.NewImage.version.N>"}';

export interface ActivityPipesProps {
  readonly table: dynamodb.Table;
  readonly bus: events.IEventBus;
  readonly deadLetterQueue: sqs.IQueue;
}

/**
 * Two pipes from the table's stream to the bus, one per `StageActivity`: no code on the
 * path. A record a pipe cannot deliver goes to the dead-letter queue after its retries.
 */
export function createActivityPipes(scope: Construct, props: ActivityPipesProps): pipes.CfnPipe[] {
  const role = new iam.Role(scope, 'ActivityPipeRole', { assumedBy: new iam.ServicePrincipal('pipes.amazonaws.com') });
  // What a pipe reads a DynamoDB stream with (EventBridge Pipes, DynamoDB stream source); written
  // out because aws-cdk-lib's grantStreamRead prints a deprecation warning of its own at synth.
  role.addToPolicy(new iam.PolicyStatement({
    actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
    resources: [props.table.tableStreamArn!],
  }));
  role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:ListStreams'], resources: ['*'] }));
  props.table.encryptionKey?.grantDecrypt(role);
  // Only the events the pipes publish, on the one bus.
  role.addToPolicy(putEventsStatement(props.bus.eventBusArn, StageActivity.STAGE_ACTIVE.source,
    [StageActivity.STAGE_ACTIVE.detailType, StageActivity.STAGE_IDLE.detailType]));
  props.deadLetterQueue.grantSendMessages(role);
  suppressNag(role.node.findChild('DefaultPolicy'), [{
    id: 'AwsSolutions-IAM5',
    reason: 'dynamodb:ListStreams, which a pipe needs to read a stream, has no resource-level permission (Service Authorization Reference); '
      + 'kms:GenerateDataKey* and kms:ReEncrypt* are aws-cdk-lib\'s grant on the dead-letter queue\'s one key. Every other action names '
      + 'the table\'s stream, the bus or the queue.',
    appliesTo: ['Resource::*', 'Action::kms:GenerateDataKey*', 'Action::kms:ReEncrypt*'],
  }]);
  return ([['Active', StageActivity.STAGE_ACTIVE, ACTIVITY_FILTERS.active], ['Idle', StageActivity.STAGE_IDLE, ACTIVITY_FILTERS.idle]] as const)
    .map(([id, activity, filters]) => {
      const pipe = new pipes.CfnPipe(scope, `${id}Pipe`, {
        roleArn: role.roleArn,
        source: props.table.tableStreamArn!,
        sourceParameters: {
          dynamoDbStreamParameters: {
            startingPosition: 'LATEST',
            batchSize: 1,
            maximumRetryAttempts: 10,
            deadLetterConfig: { arn: props.deadLetterQueue.queueArn },
          },
          filterCriteria: { filters: filters.map(pattern => ({ pattern: JSON.stringify(pattern) })) },
        },
        target: props.bus.eventBusArn,
        targetParameters: {
          // The table names the tracker: its rules match on it (see StageActivityEventDetail).
          eventBridgeEventBusParameters: { detailType: activity.detailType, source: activity.source, resources: [props.table.tableArn] },
          inputTemplate: ACTIVITY_DETAIL_TEMPLATE,
        },
        description: `${activity.detailType}: a stage's publisher count crossing 0 in ${props.table.node.path}`,
      });
      // The role's policy must exist before the pipe starts reading the stream (the role itself
      // is already a dependency through roleArn).
      pipe.node.addDependency(role.node.findChild('DefaultPolicy'));
      return pipe;
    });
}
