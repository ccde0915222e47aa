// Deploys IvsAutoComposition for one stage, with a channel and an S3 recording, and runs its state
// machines against IVS itself: the start machine, given a Stage Active event of the stage (whose
// item, seeded as the tracker's handler would write it, says it is still active from that
// transition: nobody publishes on the integ stage), starts a
// composition (IVS accepts a stage without participants and deletes the composition a minute
// later) and keeps the S3 destination's recording prefix on the tracker's table; given the same
// event again, it gets the same composition (the idempotency token); the stop machine, given an
// idle confirmation the stage item does not hold (no such version), stops nothing and succeeds.
import { ExpectedResult, IApiCall, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { CompositionDestination, IvsAutoComposition, IvsStageStateTracker, StageActivity } from '../src';
import { jsonParameter } from './util/integ';
import { STAGE_SK } from '../src/tracker/table-keys';

const app = new App();
const stack = new Stack(app, 'IvsAutoCompositionInteg');
const stage = new ivs.CfnStage(stack, 'Stage', { name: 'integ-compositions-stage' });
// Composite recording wants SSE-S3 and bucket-owner object ownership (IVS real-time user guide, server-side composition).
const bucket = new s3.Bucket(stack, 'Recordings', {
  encryption: s3.BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  removalPolicy: RemovalPolicy.DESTROY,
  autoDeleteObjects: true,
});
const storage = new ivs.CfnStorageConfiguration(stack, 'Storage', { s3: { bucketName: bucket.bucketName } });
const encoder = new ivs.CfnEncoderConfiguration(stack, 'Encoder', {});
const channel = new ivs.CfnChannel(stack, 'Channel', { name: 'integ-compositions-channel' });
const tracker = new IvsStageStateTracker(stack, 'Tracker', { stages: [stage], removalPolicy: RemovalPolicy.DESTROY });
const compositions = new IvsAutoComposition(stack, 'Compositions', {
  tracker,
  stages: [stage],
  destinations: [
    CompositionDestination.channel(channel),
    CompositionDestination.s3({ storageConfiguration: storage, encoderConfiguration: encoder }),
  ],
  stopGracePeriod: Duration.seconds(30),
  removalPolicy: RemovalPolicy.DESTROY,
});

const integ = new IntegTest(app, 'AutoComposition', { testCases: [stack] });
const waitForRun = { totalTimeout: Duration.minutes(15), interval: Duration.seconds(30) };

/** Runs `machine` on a tracker event of the stage, then waits until the run succeeded. */
function run(machine: sfn.IStateMachine, name: string, detailType: string, detail: Record<string, unknown>): IApiCall {
  const start = integ.assertions.awsApiCall('StepFunctions', 'startExecution', {
    stateMachineArn: machine.stateMachineArn,
    name,
    input: jsonParameter(stack, { 'source': StageActivity.STAGE_ACTIVE.source, 'detail-type': detailType, detail }),
  });
  return start.next(integ.assertions.awsApiCall('StepFunctions', 'describeExecution', { executionArn: start.getAttString('executionArn') })
    .expect(ExpectedResult.objectLike({ status: 'SUCCEEDED', output: Match.stringLikeRegexp('composition/') }))
    .waitForAssertions(waitForRun));
}

const active = { stageArn: stage.attrArn, transitionId: 'integ-transition-1', changedAt: 1, sequence: '1', version: '1' };
const stop = integ.assertions.awsApiCall('StepFunctions', 'startExecution', {
  stateMachineArn: compositions.stopStateMachine.stateMachineArn,
  name: 'integ-stop-not-idle',
  input: jsonParameter(stack, { 'detail-type': StageActivity.STAGE_IDLE_CONFIRMED.detailType, 'detail': { ...active, version: '99' } }),
});

// The stage item of a stage that became active at version 1 (one publisher): the start's check.
integ.assertions.awsApiCall('DynamoDB', 'putItem', {
  TableName: tracker.table.tableName,
  Item: { pk: { S: stage.attrArn }, sk: { S: STAGE_SK }, publishers: { N: '1' }, version: { N: '1' } },
})
  .next(run(compositions.startStateMachine, 'integ-start-1', StageActivity.STAGE_ACTIVE.detailType, active))
  // The same transition again: the same composition (IVS's idempotency), the run succeeds.
  .next(run(compositions.startStateMachine, 'integ-start-2', StageActivity.STAGE_ACTIVE.detailType, active))
  // The S3 destination's item holds the prefix only StartComposition answered, and the bucket.
  .next(integ.assertions.awsApiCall('DynamoDB', 'query', {
    TableName: tracker.table.tableName,
    KeyConditionExpression: 'pk = :stage AND begins_with(sk, :composition)',
    ExpressionAttributeValues: { ':stage': { S: stage.attrArn }, ':composition': { S: 'COMPOSITION#' } },
    ConsistentRead: true,
  }).expect(ExpectedResult.objectLike({
    Items: Match.arrayWith([Match.objectLike({ recordingBucket: { S: bucket.bucketName }, recordingPrefix: { S: Match.stringLikeRegexp('.+') } })]),
  })).waitForAssertions(waitForRun))
  .next(stop)
  .next(integ.assertions.awsApiCall('StepFunctions', 'describeExecution', { executionArn: stop.getAttString('executionArn') })
    .expect(ExpectedResult.objectLike({ status: 'SUCCEEDED' }))
    .waitForAssertions(waitForRun));
