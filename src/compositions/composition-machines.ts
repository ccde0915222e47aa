import { Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { CompositionActivity } from './composition-activity';
import { COMPOSITION_NON_RETRYABLE_ERRORS, COMPOSITION_RUNNING_STATES } from '../private/aws-facts';
import { ConditionedPutEvents } from '../private/put-events';
import { readStageItem } from '../tracker/stage-read';
import { DESTINATION_RECORDING_ATTRIBUTES, DESTINATION_SK_FORMAT } from '../tracker/table-keys';

/**
 * The first Retry of every IVS call: what waiting cannot cure fails at once (to the Catch). It must
 * come first: a Retry entry takes the errors no earlier entry matched.
 */
const NO_RETRY: sfn.RetryProps = { errors: [...COMPOSITION_NON_RETRYABLE_ERRORS], maxAttempts: 0 };

/**
 * StartComposition's retry on everything else, by any name (throttling is modeled by no IVS
 * operation, so its name is not one to match): a composition of the account or the stage stops,
 * the 5 TPS quota frees up. Full jitter spreads the stages that became active together.
 * Waits are at most 5, 10, 20, 40, 80, 120, 120 and 120 seconds: `START_RETRY_BOUND_SECONDS`.
 */
export const START_RETRY: sfn.RetryProps = {
  errors: ['States.TaskFailed'],
  interval: Duration.seconds(5),
  backoffRate: 2,
  maxAttempts: 8,
  maxDelay: Duration.minutes(2),
  jitterStrategy: sfn.JitterType.FULL,
};

/** `error` of the start's failure event when the composition started but its S3 recording prefix could not be kept. */
export const PREFIX_NOT_KEPT = 'RecordingPrefixNotKept';

/** The longest a start waits between its attempts, in total, before it reports the failure. */
export const START_RETRY_BOUND_SECONDS = Array.from({ length: START_RETRY.maxAttempts! },
  (_, i) => Math.min(START_RETRY.interval!.toSeconds() * START_RETRY.backoffRate! ** i, START_RETRY.maxDelay!.toSeconds()))
  .reduce((a, b) => a + b, 0);

/** DynamoDB and EventBridge calls: throttling and transient errors pass within a minute. */
const AWS_RETRY: sfn.RetryProps = { errors: ['States.TaskFailed'], interval: Duration.seconds(2), maxAttempts: 6, backoffRate: 2 };

/** StopComposition and ListCompositions, after `NO_RETRY`: the 5 TPS quota, internal errors, by any name. */
const IVS_RETRY: sfn.RetryProps = {
  errors: ['States.TaskFailed'],
  interval: Duration.seconds(2),
  maxAttempts: 6,
  backoffRate: 2,
  jitterStrategy: sfn.JitterType.FULL,
};

export interface MachineProps {
  readonly table: dynamodb.ITable;
  readonly bus: events.IEventBus;
}

export interface StartProps extends MachineProps {
  readonly destinations: Record<string, unknown>[];
  readonly layout: Record<string, unknown>;
  /** The channel, storage and encoder configurations the destinations name. */
  readonly resourceArns: string[];
  /** Whether a destination names an encoder configuration. */
  readonly namesEncoder: boolean;
  /** The bucket of the S3 destination, if there is one. */
  readonly bucketName?: string;
  /**
   * 8 characters of `[0-9a-f]` proper to the construct, after the transition in the idempotency
   * token: two constructs on one stage start one composition each, not one between them.
   */
  readonly tokenSuffix: string;
}

const ivsArn = (scope: Construct, resource: string) => Stack.of(scope).formatArn({ service: 'ivs', resource, resourceName: '*' });

/** A failure event, then the run fails (and the alarm on failed runs fires). */
function reportFailure(scope: Construct, id: string, bus: events.IEventBus, activity: CompositionActivity): sfn.IChainable {
  return new ConditionedPutEvents(scope, `Report${id}`, {
    entries: [{
      eventBus: bus,
      source: activity.source,
      detailType: activity.detailType,
      detail: sfn.TaskInput.fromObject({
        'stageArn.$': '$.detail.stageArn',
        'transitionId.$': '$.detail.transitionId',
        'error.$': '$.failure.Error',
        'cause.$': '$.failure.Cause',
        'stateMachineArn.$': '$$.StateMachine.Id',
      }),
    }],
    resultPath: sfn.JsonPath.DISCARD,
  }).addRetry(AWS_RETRY).next(new sfn.Fail(scope, id, { errorPath: '$.failure.Error', causePath: '$.failure.Cause' }));
}

/**
 * On `IVS Stage Active`: if the stage is still active from that transition (a strongly consistent
 * read), StartComposition, idempotent by the transition (however often the event is delivered, IVS
 * starts one composition for it), then the recording prefix of each S3 destination, which only
 * this answer carries, onto the destination's item of the tracker's table.
 */
export function startDefinition(scope: Construct, props: StartProps): sfn.IChainable {
  const failed = reportFailure(scope, 'StartFailed', props.bus, CompositionActivity.START_FAILED);
  const read = readStageItem(scope, props.table).addRetry(AWS_RETRY);
  read.addCatch(failed, { resultPath: '$.failure' });
  const start = new tasks.CallAwsService(scope, 'StartComposition', {
    service: 'ivsrealtime',
    action: 'startComposition',
    iamAction: 'ivs:StartComposition',
    // Its resource types (Service Authorization Reference, Amazon IVS): Stage and
    // Encoder-Configuration required, Channel and Storage-Configuration when named. The stage comes
    // from the event; without an encoder configuration of yours, IVS's default one is authorized.
    iamResources: [ivsArn(scope, 'stage'), ...props.resourceArns,
      ...(props.namesEncoder ? [] : [ivsArn(scope, 'encoder-configuration')])],
    parameters: {
      StageArn: sfn.JsonPath.stringAt('$.detail.stageArn'),
      // 32 hexadecimal digits, '-' and 8 more: 41 of the 64 characters IDEMPOTENCY_TOKEN allows.
      IdempotencyToken: sfn.JsonPath.format('{}-{}', sfn.JsonPath.stringAt('$.detail.transitionId'), props.tokenSuffix),
      Destinations: props.destinations,
      Layout: props.layout,
    },
    resultSelector: { 'arn.$': '$.Composition.Arn', 'destinations.$': '$.Composition.Destinations' },
    resultPath: '$.composition',
  }).addRetry(NO_RETRY).addRetry(START_RETRY);
  start.addCatch(failed, { resultPath: '$.failure' });
  const started = new sfn.Succeed(scope, 'Started');
  const begin = read.next(stillActive(scope, start));
  if (props.bucketName === undefined) {
    start.next(started);
    return begin;
  }
  const keep = new tasks.DynamoUpdateItem(scope, 'KeepRecordingPrefix', {
    table: props.table,
    key: {
      pk: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.stageArn')),
      sk: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.format(DESTINATION_SK_FORMAT,
        sfn.JsonPath.stringAt('$.compositionArn'), sfn.JsonPath.stringAt('$.destination.Id'))),
    },
    // These two attributes only: the destination's state is the tracker handler's, from IVS's events.
    updateExpression: 'SET #bucket = :bucket, #prefix = :prefix',
    expressionAttributeNames: { '#bucket': DESTINATION_RECORDING_ATTRIBUTES.bucket, '#prefix': DESTINATION_RECORDING_ATTRIBUTES.prefix },
    expressionAttributeValues: {
      ':bucket': tasks.DynamoAttributeValue.fromString(props.bucketName),
      ':prefix': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.destination.Detail.S3.RecordingPrefix')),
    },
    resultPath: sfn.JsonPath.DISCARD,
  }).addRetry(AWS_RETRY);
  const each = new sfn.Map(scope, 'EachDestination', {
    itemsPath: '$.composition.destinations',
    itemSelector: {
      'stageArn.$': '$.detail.stageArn',
      'compositionArn.$': '$.composition.arn',
      'destination.$': '$$.Map.Item.Value',
    },
    resultPath: sfn.JsonPath.DISCARD,
  });
  each.itemProcessor(new sfn.Choice(scope, 'RecordedToS3')
    .when(sfn.Condition.isPresent('$.destination.Detail.S3.RecordingPrefix'), keep)
    .otherwise(new sfn.Succeed(scope, 'NotRecorded')));
  // The composition runs, but IVS deletes it minutes after it stops: without the prefix, its
  // recording cannot be announced. Said as such (the event and the alarm), not as a DynamoDB error.
  each.addCatch(new sfn.Pass(scope, 'PrefixNotKept', {
    parameters: {
      'Error': PREFIX_NOT_KEPT,
      'Cause.$': "States.Format('Composition {} started, but the recording prefix of its S3 destination could not be kept in the tracker table ({}: {})', "
        + '$.composition.arn, $.failure.Error, $.failure.Cause)',
    },
    resultPath: '$.failure',
  }).next(failed), { resultPath: '$.failure' });
  start.next(each).next(started);
  return begin;
}

/**
 * Whether the stage of `$.stage` (its item, read after the event) is still active from the event's
 * transition: it has publishers, and every change of count since (each one moves `version` by 1
 * and `publishers` by 1) added one: `version - detail.version = publishers - 1`. A late run (the
 * event delivered late, or the start retried for minutes) of a stage idle since starts nothing,
 * nor one of a stage that may have been idle in between: a later transition, with its own event,
 * starts that activity's composition. A publisher who left since makes it undecidable: skipped.
 */
function stillActive(scope: Construct, start: sfn.IChainable): sfn.IChainable {
  const since = new sfn.Pass(scope, 'ChangesSinceTransition', {
    parameters: {
      'versionPlusOne.$': 'States.MathAdd(States.StringToJson($.stage.Item.version.N), 1)',
      'publishersPlusEventVersion.$': 'States.MathAdd(States.StringToJson($.stage.Item.publishers.N), States.StringToJson($.detail.version))',
    },
    resultPath: '$.since',
  });
  since.next(new sfn.Choice(scope, 'OnlyGainedPublishers')
    .when(sfn.Condition.and(
      sfn.Condition.not(sfn.Condition.stringEquals('$.stage.Item.publishers.N', '0')),
      sfn.Condition.numberEqualsJsonPath('$.since.versionPlusOne', '$.since.publishersPlusEventVersion'),
    ), start)
    .otherwise(new sfn.Succeed(scope, 'NoLongerActive')));
  return new sfn.Choice(scope, 'HasStageState')
    .when(sfn.Condition.and(
      sfn.Condition.isPresent('$.stage.Item.publishers.N'),
      sfn.Condition.isPresent('$.stage.Item.version.N'),
    ), since)
    .otherwise(new sfn.Succeed(scope, 'NoStageStateToStart'));
}

/**
 * On `IVS Stage Idle Confirmed`: if the stage is still idle from that transition (a strongly
 * consistent read, as the grace period's), every composition of the stage that runs
 * (ListCompositions filtered by stage, page by page) is stopped, one at a time (5 TPS), each
 * after reading the stage again (a stage active again keeps them); one that is already gone is
 * no error.
 */
export function stopDefinition(scope: Construct, props: MachineProps): sfn.IChainable {
  const failed = reportFailure(scope, 'StopFailed', props.bus, CompositionActivity.STOP_FAILED);
  const hasState = sfn.Condition.and(
    sfn.Condition.isPresent('$.stage.Item.publishers.N'),
    sfn.Condition.isPresent('$.stage.Item.version.N'),
  );
  // Once `hasState` holds (a path to a missing field is a States.Runtime error, which no Catch takes).
  const stillIdle = sfn.Condition.and(
    sfn.Condition.stringEquals('$.stage.Item.publishers.N', '0'),
    sfn.Condition.stringEqualsJsonPath('$.stage.Item.version.N', '$.detail.version'),
  );
  const read = readStageItem(scope, props.table).addRetry(AWS_RETRY);
  read.addCatch(failed, { resultPath: '$.failure' });

  const list = (id: string, nextToken?: string) => {
    const task = new tasks.CallAwsService(scope, id, {
      service: 'ivsrealtime',
      action: 'listCompositions',
      iamAction: 'ivs:ListCompositions',
      // A List action whose resource types (Stage, Encoder-Configuration) are optional (Service
      // Authorization Reference): granted on all, as the SAR's List actions are.
      iamResources: ['*'],
      parameters: {
        FilterByStageArn: sfn.JsonPath.stringAt('$.detail.stageArn'),
        MaxResults: 100,
        ...(nextToken ? { NextToken: sfn.JsonPath.stringAt(nextToken) } : {}),
      },
      resultPath: '$.page',
    }).addRetry(NO_RETRY).addRetry(IVS_RETRY);
    task.addCatch(failed, { resultPath: '$.failure' });
    return task;
  };
  const stop = new tasks.CallAwsService(scope, 'StopComposition', {
    service: 'ivsrealtime',
    action: 'stopComposition',
    iamAction: 'ivs:StopComposition',
    iamResources: [ivsArn(scope, 'composition')],
    parameters: { Arn: sfn.JsonPath.stringAt('$.arn') },
    resultPath: sfn.JsonPath.DISCARD,
  }).addRetry(NO_RETRY).addRetry(IVS_RETRY);
  // Stopped or deleted since it was listed: nothing runs, which is what a stop wants.
  stop.addCatch(new sfn.Succeed(scope, 'AlreadyGone'), { errors: ['IvsRealTime.ResourceNotFoundException'] });
  // Read again right before each stop: a new activity may have begun since the first check (or
  // while the previous compositions were stopped), and its composition must not be stopped.
  const recheck = readStageItem(scope, props.table, 'ReadStageBeforeStop').addRetry(AWS_RETRY);
  recheck.next(new sfn.Choice(scope, 'HasStageStateBeforeStop')
    .when(hasState, new sfn.Choice(scope, 'StillIdleBeforeStop')
      .when(stillIdle, stop)
      .otherwise(new sfn.Succeed(scope, 'ActiveAgainBeforeStop')))
    .otherwise(new sfn.Succeed(scope, 'NoStageStateBeforeStop')));
  const each = new sfn.Map(scope, 'EachComposition', {
    itemsPath: '$.page.Compositions',
    itemSelector: { 'arn.$': '$$.Map.Item.Value.Arn', 'state.$': '$$.Map.Item.Value.State', 'detail.$': '$.detail' },
    // One at a time: StopComposition allows 5 requests a second per account.
    maxConcurrency: 1,
    resultPath: sfn.JsonPath.DISCARD,
  });
  each.itemProcessor(new sfn.Choice(scope, 'Running')
    .when(sfn.Condition.or(...COMPOSITION_RUNNING_STATES.map(s => sfn.Condition.stringEquals('$.state', s))), recheck)
    .otherwise(new sfn.Succeed(scope, 'NotRunning')));
  each.addCatch(failed, { resultPath: '$.failure' });
  const more = list('ListMoreCompositions', '$.page.NextToken');
  more.next(each);
  each.next(new sfn.Choice(scope, 'MorePages')
    .when(sfn.Condition.isPresent('$.page.NextToken'), more)
    .otherwise(new sfn.Succeed(scope, 'Stopped')));

  const firstCheck = new sfn.Choice(scope, 'StillIdleFromThatTransition')
    .when(hasState, new sfn.Choice(scope, 'SameVersionNoPublisher')
      .when(stillIdle, list('ListCompositions').next(each))
      .otherwise(new sfn.Succeed(scope, 'ActiveAgain')))
    .otherwise(new sfn.Succeed(scope, 'NoStageState'));
  return read.next(firstCheck);
}
