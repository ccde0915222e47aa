// Deploys IvsStageStateTracker for one stage and checks against AWS what only a real account
// can show: the deployed rule takes the stage's IVS events (TestEventPattern), and an event
// delivered to the tracker's queue ends in the table: a Participant Published makes the
// participant PUBLISHED and the stage's count 1, a later Unpublished brings it back to 0,
// the stage becoming active reaches a user's target through the table's stream, a pipe and
// `onStageActive`, and its becoming idle reaches an `onStageIdle` target once the stage has
// stayed idle for the grace period (Step Functions), both events naming the tracker's table in
// `resources`; the deployment wrote the reconciler's stage
// list into the table, the stage's ARN resolved. IVS events cannot be put on a bus (PutEvents rejects `aws.*`
// sources), so they go to the queue as EventBridge delivers them: the event itself as the
// message body.
import { ExpectedResult, IApiCall, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Aws, Duration, Stack } from 'aws-cdk-lib';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IvsStageStateTracker, StageActivity } from '../src';
import { IvsEventJson, loadFixture, withStage } from './util/fixtures';
import { expectPatternMatch, jsonParameter } from './util/integ';
import { RECONCILER_PK, STAGE_LIST_SK } from '../src/tracker/table-keys';

const app = new App();
const stack = new Stack(app, 'IvsStageStateTrackerInteg');
const stage = new ivs.CfnStage(stack, 'Stage', { name: 'integ-tracker-stage' });
const tracker = new IvsStageStateTracker(stack, 'Tracker', { stages: [stage] });
const activity = new sqs.Queue(stack, 'ActivityTarget', { enforceSSL: true });
tracker.onStageActive('StageActive', new targets.SqsQueue(activity));
const idleAfterGrace = new sqs.Queue(stack, 'IdleTarget', { enforceSSL: true });
tracker.onStageIdle('StageIdleAfterGrace', new targets.SqsQueue(idleAfterGrace), { gracePeriod: Duration.seconds(30) });

const integ = new IntegTest(app, 'StageStateTracker', { testCases: [stack] });

const published = withStage(loadFixture('realtime/participant-published.json'), stage.attrArn);
const unpublished = { ...withStage(loadFixture('realtime/participant-unpublished.json'), stage.attrArn), id: 'integ-unpublished', time: '2020-06-23T20:12:40Z' };
const otherStage = loadFixture('realtime/participant-published.json').event;

// The deployed rule takes the tracked stage's events and no other stage's.
expectPatternMatch(integ, tracker.rule, published, true);
expectPatternMatch(integ, tracker.rule, unpublished, true);
expectPatternMatch(integ, tracker.rule, otherStage, false);

const participantKey = { pk: { S: stage.attrArn }, sk: { S: `PARTICIPANT#${published.detail.session_id}#${published.detail.participant_id}` } };
const stageKey = { pk: { S: stage.attrArn }, sk: { S: 'STAGE' } };
const waitForTable = { totalTimeout: Duration.minutes(10), interval: Duration.seconds(30) };

/** `event` on the tracker's queue, in this account, as the rule's SQS target would put it there. */
function deliver(event: IvsEventJson): IApiCall {
  return integ.assertions.awsApiCall('SQS', 'sendMessage', {
    QueueUrl: tracker.queue.queueUrl,
    MessageBody: jsonParameter(stack, { ...event, account: Aws.ACCOUNT_ID, region: Aws.REGION }),
  });
}

/** Until a `activityType` event about the stage arrives on `queue`. */
function expectActivity(queue: sqs.IQueue, activityType: StageActivity): IApiCall {
  return integ.assertions.awsApiCall('SQS', 'receiveMessage', { QueueUrl: queue.queueUrl, WaitTimeSeconds: 20 })
    .expect(ExpectedResult.objectLike({
      Messages: Match.arrayWith([Match.objectLike({
        Body: Match.serializedJson(Match.objectLike({
          'source': activityType.source,
          'detail-type': activityType.detailType,
          // The tracker the event comes from: its table.
          'resources': [tracker.table.tableArn],
          'detail': Match.objectLike({ stageArn: stage.attrArn }),
        })),
      })]),
    }))
    .waitForAssertions(waitForTable);
}

/** The item at `key`, read strongly consistent until it is like `expected`. */
function expectItem(key: Record<string, unknown>, expected: Record<string, unknown>): IApiCall {
  return integ.assertions.awsApiCall('DynamoDB', 'getItem', { TableName: tracker.table.tableName, Key: key, ConsistentRead: true })
    .expect(ExpectedResult.objectLike({ Item: expected }))
    .waitForAssertions(waitForTable);
}

// One step after the other: the Unpublished must reach the table after the Published was applied.
deliver(published)
  .next(expectItem(participantKey, { publishState: { S: 'PUBLISHED' }, userId: { S: published.detail.user_id } }))
  .next(expectItem(stageKey, { publishers: { N: '1' } }))
  .next(expectActivity(activity, StageActivity.STAGE_ACTIVE))
  .next(deliver(unpublished))
  .next(expectItem(participantKey, { publishState: { S: 'UNPUBLISHED' } }))
  .next(expectItem(stageKey, { publishers: { N: '0' }, version: { N: '2' } }))
  .next(expectActivity(idleAfterGrace, StageActivity.STAGE_IDLE_CONFIRMED));

// The reconciler's stage list, written by Custom::IvsTrackedStages when the stack deployed.
expectItem({ pk: { S: RECONCILER_PK }, sk: { S: STAGE_LIST_SK } }, { stageArns: { L: [{ S: stage.attrArn }] } });
