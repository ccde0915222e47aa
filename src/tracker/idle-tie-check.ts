import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ACTIVE_INDEX } from './table-keys';

export interface TieCheckProps {
  readonly table: dynamodb.ITable;
  /** Where a stage nobody publishes on goes: the confirmation. */
  readonly idle: sfn.IChainable;
  /** Where a stage goes when IVS says a participant the table holds as tied publishes now. */
  readonly publishing: sfn.IChainable;
}

/**
 * Before the grace machine confirms an idle stage: does a participant of the stage hold a
 * same-second publish tie the rank decided (the sparse index `activeParticipants` holds exactly
 * those, and the publishing ones, which a stage at 0 has none of)? If none, it confirms without
 * asking IVS. If one does, it asks IVS the way the reconciler does: GetStage for the live session,
 * then ListParticipantEvents of each held participant of that session, one at a time (the IVS
 * control plane allows about 5 requests a second; none of this is on the event path).
 * ListParticipants' `published` filter would not do: it means "published at some point in the
 * session". A participant publishes now if it has not left and has started publishing more often
 * than it stopped or failed to (ListParticipantEvents, Event.name): the same answer as the
 * reconciler's latest publish event, since IVS records a participant's starts and stops in turn,
 * without comparing times, which Amazon States Language cannot do over a list. Step Functions' AWS SDK
 * integrations take and return PascalCase names (Step Functions developer guide, "AWS SDK service
 * integrations"), hence `Stage.ActiveSessionId` and `Events[].Name`.
 */
export function tieCheck(scope: Construct, props: TieCheckProps, retry: sfn.RetryProps): sfn.IChainable {
  const stages = Stack.of(scope).formatArn({ service: 'ivs', resource: 'stage', resourceName: '*' });
  const held = new tasks.CallAwsService(scope, 'ReadHeldParticipants', {
    service: 'dynamodb',
    action: 'query',
    iamAction: 'dynamodb:Query',
    iamResources: [`${props.table.tableArn}/index/${ACTIVE_INDEX.name}`],
    parameters: {
      TableName: props.table.tableName,
      IndexName: ACTIVE_INDEX.name,
      KeyConditionExpression: '#active = :stage',
      ExpressionAttributeNames: { '#active': ACTIVE_INDEX.partitionKey },
      ExpressionAttributeValues: { ':stage': { S: sfn.JsonPath.stringAt('$.detail.stageArn') } },
    },
    resultSelector: { 'items.$': '$.Items', 'count.$': '$.Count' },
    resultPath: '$.held',
  }).addRetry(retry);
  const stage = new tasks.CallAwsService(scope, 'GetLiveSession', {
    service: 'ivsrealtime',
    action: 'getStage',
    iamAction: 'ivs:GetStage',
    iamResources: [stages],
    parameters: { Arn: sfn.JsonPath.stringAt('$.detail.stageArn') },
    resultSelector: { 'stage.$': '$.Stage' },
    resultPath: '$.ivs',
  }).addRetry(retry);

  // One held participant: is it publishing now, by IVS's own events of the live session?
  const split = new sfn.Pass(scope, 'ParticipantOfItem', {
    parameters: {
      'stageArn.$': '$.stageArn',
      'session.$': '$.session',
      // sk = PARTICIPANT#<session_id>#<participant_id> (the table contract in docs/state-tracker.md)
      'itemSession.$': "States.ArrayGetItem(States.StringSplit($.sk, '#'), 1)",
      'participantId.$': "States.ArrayGetItem(States.StringSplit($.sk, '#'), 2)",
      'counts': { started: 0, stopped: 0, left: 0 },
    },
  });
  const eventsRequest = (next: boolean) => ({
    StageArn: sfn.JsonPath.stringAt('$.stageArn'),
    SessionId: sfn.JsonPath.stringAt('$.session'),
    ParticipantId: sfn.JsonPath.stringAt('$.participantId'),
    MaxResults: 100,
    ...(next ? { NextToken: sfn.JsonPath.stringAt('$.page.NextToken') } : {}),
  });
  const page = (id: string, next: boolean) => new tasks.CallAwsService(scope, id, {
    service: 'ivsrealtime',
    action: 'listParticipantEvents',
    iamAction: 'ivs:ListParticipantEvents',
    iamResources: [stages],
    parameters: eventsRequest(next),
    resultPath: '$.page',
  }).addRetry(retry);
  // One name per filter: a JSONPath filter with `||` is not a valid ASL payload template (asl-validator).
  const named = (name: string) => `$.page.Events[?(@.Name == '${name}')]`;
  const pick = new sfn.Pass(scope, 'PickPublishEvents', {
    parameters: { 'started.$': named('PUBLISH_STARTED'), 'stopped.$': named('PUBLISH_STOPPED'), 'failed.$': named('PUBLISH_ERROR'), 'left.$': named('LEFT') },
    resultPath: '$.picked',
  });
  const add = (key: string) => `States.MathAdd($.counts.${key}, States.ArrayLength($.picked.${key}))`;
  const tally = new sfn.Pass(scope, 'TallyPublishEvents', {
    parameters: {
      'started.$': add('started'),
      // A failed attempt ends publishing as a stop does.
      'stopped.$': `States.MathAdd(${add('stopped')}, States.ArrayLength($.picked.failed))`,
      'left.$': add('left'),
    },
    resultPath: '$.counts',
  });
  const yes = new sfn.Pass(scope, 'PublishesNow', { result: sfn.Result.fromBoolean(true) });
  const no = new sfn.Pass(scope, 'DoesNotPublishNow', { result: sfn.Result.fromBoolean(false) });
  const verdict = new sfn.Choice(scope, 'PublishingNow')
    .when(sfn.Condition.and(sfn.Condition.numberEquals('$.counts.left', 0), sfn.Condition.numberGreaterThanJsonPath('$.counts.started', '$.counts.stopped')), yes)
    .otherwise(no);
  pick.next(tally).next(new sfn.Choice(scope, 'MoreEvents')
    .when(sfn.Condition.isPresent('$.page.NextToken'), page('NextEventsPage', true).next(pick))
    .otherwise(verdict));
  const oneParticipant = split.next(new sfn.Choice(scope, 'OfTheLiveSession')
    .when(sfn.Condition.stringEqualsJsonPath('$.itemSession', '$.session'), page('FirstEventsPage', false).next(pick))
    // A participant of an ended session publishes no more.
    .otherwise(no));

  const each = new sfn.Map(scope, 'AskIvsAboutEachHeld', {
    itemsPath: '$.held.items',
    itemSelector: { 'stageArn.$': '$.detail.stageArn', 'session.$': '$.ivs.stage.ActiveSessionId', 'sk.$': '$$.Map.Item.Value.sk.S' },
    maxConcurrency: 1,
    resultPath: '$.publishing',
  });
  each.itemProcessor(oneParticipant);
  const anyone = new sfn.Pass(scope, 'AnyHeldPublishes', {
    parameters: { 'publishing.$': 'States.ArrayContains($.publishing, true)' },
    resultPath: '$.verdict',
  });
  return held.next(new sfn.Choice(scope, 'AnyHeld')
    .when(sfn.Condition.numberEquals('$.held.count', 0), props.idle)
    .otherwise(stage.next(new sfn.Choice(scope, 'LiveSession')
      .when(sfn.Condition.isPresent('$.ivs.stage.ActiveSessionId'),
        each.next(anyone).next(new sfn.Choice(scope, 'TiedParticipantPublishes')
          .when(sfn.Condition.booleanEquals('$.verdict.publishing', true), props.publishing)
          .otherwise(props.idle)))
      .otherwise(props.idle))));
}

