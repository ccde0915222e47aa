import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { RecordingNotReadyReason, RecordingReadiness } from './recording-readiness';
import { RECORDING_FILES, S3_NO_SUCH_KEY_ERROR } from '../private/aws-facts';
import { ConditionedPutEvents } from '../private/put-events';
import { DESTINATION_RECORDING_ATTRIBUTES } from '../tracker/table-keys';

export interface ReadinessDefinitionProps {
  readonly bus: events.IEventBus;
  /** How many times each file is looked for, `pollInterval` apart. */
  readonly attempts: number;
  readonly pollInterval: Duration;
  /** The object ARNs the reads may get: the recording files of the given buckets. */
  readonly recordingFiles: string[];
  /** The tracker's table, whose destination items hold composite recordings' prefixes; composite events are not handled without it. */
  readonly table?: dynamodb.ITable;
}

/**
 * The history events of one look again, measured from the definition (test): the Choice, the
 * Wait and the counting Pass are entered and exited (2 each); each of the two reads, caught
 * on NoSuchKey, is entered, scheduled, started, failed and exited (5 each).
 */
export const HISTORY_EVENTS_PER_LOOK = 16;

/**
 * The most looks one run may take: 16,000 history events, the other third of the history
 * left for the parse (one Map iteration per variant), the put, and the reads' retries.
 */
export const MAX_LOOKS = 1000;

/** The context object's ARN of the running state machine ("Context object", StateMachine.Id). */
const STATE_MACHINE_ARN_PATH = '$$.StateMachine.Id';

/** Transient S3, DynamoDB and EventBridge failures: retried, then the run fails (and alarms). */
const TRANSIENT = { errors: [sfn.Errors.ALL], interval: Duration.seconds(2), maxAttempts: 4, backoffRate: 2 };

/**
 * The readiness state machine's definition, no code: Step Functions' S3 GetObject SDK
 * integration reads the file (its body arrives as a string) and intrinsics parse it.
 *
 * A missing file is looked for again: `recording-ended.json`, then `recording-failed.json`,
 * every `pollInterval`, `attempts` times. Parsing runs inside a Parallel state so that a file
 * that is not JSON, or lacks a field, is caught (`States.ALL`) and becomes a MALFORMED event:
 * a Pass state has no Catch, and a path to a missing field is a `States.Runtime` error no Catch
 * sees ("Handling errors in Step Functions workflows"), so fields are checked by a Choice first.
 * That page does not name the error of a StringToJson on text that is not JSON: were it
 * `States.Runtime`, the run fails and the construct's alarm reports it.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
export function readinessDefinition(scope: Construct, props: ReadinessDefinitionProps): sfn.IChainable {
  const notReady = new sfn.Pass(scope, 'NotReadyDetail', {
    parameters: { 'detail.$': 'States.JsonMerge($.recording, $.notReady, false)' },
  }).next(put(scope, 'PutNotReady', props.bus, RecordingReadiness.RECORDING_NOT_READY));
  const because = (id: string, reason: RecordingNotReadyReason, extra: Record<string, string> = {}) =>
    new sfn.Pass(scope, id, { parameters: { reason: reason.value, ...extra }, resultPath: '$.notReady' }).next(notReady);

  const readEnded = read(scope, 'ReadEndedFile', RECORDING_FILES.ended, props.recordingFiles);
  const readFailed = read(scope, 'ReadFailedFile', RECORDING_FILES.failed, props.recordingFiles);
  const lookAgain = new sfn.Choice(scope, 'LookedLongEnough')
    .when(sfn.Condition.numberGreaterThanEquals('$.attempts.count', props.attempts),
      because('Missing', RecordingNotReadyReason.MISSING, { 'attempts.$': '$.attempts.count' }))
    .otherwise(new sfn.Wait(scope, 'WaitForFile', { time: sfn.WaitTime.duration(props.pollInterval) })
      .next(new sfn.Pass(scope, 'CountAttempt', { parameters: { 'count.$': 'States.MathAdd($.attempts.count, 1)' }, resultPath: '$.attempts' }))
      .next(readEnded));
  readFailed.addCatch(lookAgain, { errors: [S3_NO_SUCH_KEY_ERROR], resultPath: sfn.JsonPath.DISCARD });
  readFailed.next(because('Failed', RecordingNotReadyReason.FAILED));
  readEnded.addCatch(readFailed, { errors: [S3_NO_SUCH_KEY_ERROR], resultPath: sfn.JsonPath.DISCARD });
  readEnded.next(parse(scope)
    .addCatch(because('Malformed', RecordingNotReadyReason.MALFORMED), { errors: [sfn.Errors.ALL], resultPath: sfn.JsonPath.DISCARD })
    .next(put(scope, 'PutReady', props.bus, RecordingReadiness.RECORDING_READY)));

  const start = new sfn.Pass(scope, 'FirstLook', { result: sfn.Result.fromObject({ count: 1 }), resultPath: '$.attempts' }).next(readEnded);
  const individual = new sfn.Pass(scope, 'IndividualRecording', {
    parameters: {
      recording: {
        'kind': 'INDIVIDUAL',
        'bucket.$': '$.detail.recording_s3_bucket_name',
        'prefix.$': '$.detail.recording_s3_key_prefix',
        'stageArn.$': '$.resources[0]',
        'sessionId.$': '$.detail.session_id',
        'participantId.$': '$.detail.participant_id',
        'sourceEventId.$': '$.id',
      },
    },
  }).next(start);
  const which = new sfn.Choice(scope, 'WhichRecording')
    .when(sfn.Condition.isPresent('$.detail.recording_s3_key_prefix'), individual);
  if (props.table) {
    which.when(sfn.Condition.isPresent('$.detail.stage_arn'), composite(scope, props.table, start));
  }
  return which.otherwise(new sfn.Fail(scope, 'NotARecordingEvent', { error: 'NotARecordingEvent', cause: 'The input is neither a Recording End nor a Destination End or Failure event' }));
}

function read(scope: Construct, id: string, file: string, recordingFiles: string[]): tasks.CallAwsService {
  const task = new tasks.CallAwsService(scope, id, {
    service: 's3',
    action: 'getObject',
    parameters: { 'Bucket.$': '$.recording.bucket', 'Key.$': `States.Format('{}/${file}', $.recording.prefix)` },
    iamAction: 's3:GetObject',
    iamResources: recordingFiles,
    resultSelector: { 'body.$': '$.Body' },
    resultPath: '$.file',
  });
  // A missing file is no S3 fault: straight to the Catch, whatever retrier follows.
  task.addRetry({ errors: [S3_NO_SUCH_KEY_ERROR], maxAttempts: 0 }).addRetry(TRANSIENT);
  return task;
}

/** Parses `$.file.body` and builds `$.detail`; fails (to the Parallel's Catch) on anything but a complete file. */
function parse(scope: Construct): sfn.Parallel {
  const hls = '$.file.media.hls';
  const describe = new sfn.Pass(scope, 'Describe', {
    parameters: {
      'masterPlaylistKey.$': `States.Format('{}/{}/{}', $.recording.prefix, ${hls}.path, ${hls}.playlist)`,
      'durationMs.$': `${hls}.duration_ms`,
      'recordingStartedAt.$': '$.file.recording_started_at',
      'recordingEndedAt.$': '$.file.recording_ended_at',
    },
    resultPath: '$.ready',
  });
  const renditions = new sfn.Map(scope, 'RenditionKeys', {
    itemsPath: `${hls}.renditions`,
    itemSelector: { 'key.$': `States.Format('{}/{}/{}/{}', $.recording.prefix, ${hls}.path, $$.Map.Item.Value.path, $$.Map.Item.Value.playlist)` },
    resultPath: '$.renditions',
  });
  renditions.itemProcessor(new sfn.Pass(scope, 'RenditionKey', { outputPath: '$.key' }));
  // One folder key per thumbnail variant: `renditions` in individual files, `resolutions` in composite ones.
  const variantFolders = (id: string, field: string, name: string, next: sfn.IChainable) => {
    const media = `$.file.media.${field}`;
    const keysOf = (list: string) => {
      const map = new sfn.Map(scope, `${id}Of${list}`, {
        itemsPath: `${media}.${list}`,
        itemSelector: { 'key.$': `States.Format('{}/{}/{}', $.recording.prefix, ${media}.path, $$.Map.Item.Value.path)` },
        resultPath: `$.${name}`,
      });
      map.itemProcessor(new sfn.Pass(scope, `${id}Of${list}Key`, { outputPath: '$.key' }));
      return map.next(new sfn.Pass(scope, `${id}Of${list}Found`, { parameters: { [`${name}.$`]: `$.${name}` }, resultPath: `$.${name}` })).next(next);
    };
    return new sfn.Choice(scope, `Has${id}`)
      .when(sfn.Condition.isPresent(`${media}.renditions`), keysOf('renditions'))
      .when(sfn.Condition.isPresent(`${media}.resolutions`), keysOf('resolutions'))
      .otherwise(new sfn.Pass(scope, `No${id}`, { result: sfn.Result.fromObject({}), resultPath: `$.${name}` }).next(next));
  };
  const detail = new sfn.Pass(scope, 'ReadyDetail', {
    parameters: {
      'detail.$': 'States.JsonMerge(States.JsonMerge(States.JsonMerge($.recording, $.ready, false), '
        + 'States.JsonMerge($.thumbnailPrefixes, $.latestThumbnailPrefixes, false), false), $.renditionKeys, false)',
    },
  });
  const collect = new sfn.Pass(scope, 'CollectRenditions', { parameters: { 'renditionPlaylistKeys.$': '$.renditions' }, resultPath: '$.renditionKeys' });
  const complete = sfn.Condition.and(
    ...[`${hls}.path`, `${hls}.playlist`, `${hls}.renditions`, `${hls}.duration_ms`, '$.file.recording_started_at', '$.file.recording_ended_at']
      .map(path => sfn.Condition.isPresent(path)),
  );
  const branch = new sfn.Pass(scope, 'ParseFile', { parameters: { 'recording.$': '$.recording', 'file.$': 'States.StringToJson($.file.body)' } })
    .next(new sfn.Choice(scope, 'FileComplete')
      .when(complete, describe.next(renditions).next(collect)
        .next(variantFolders('Thumbnails', 'thumbnails', 'thumbnailPrefixes',
          variantFolders('LatestThumbnail', 'latest_thumbnail', 'latestThumbnailPrefixes', detail))))
      .otherwise(new sfn.Fail(scope, 'IncompleteFile', { error: 'IncompleteRecordingFile', cause: 'recording-ended.json lacks the HLS playlist, duration or times' })));
  return new sfn.Parallel(scope, 'ParseEndedFile', { resultSelector: { 'detail.$': '$[0].detail' } }).branch(branch);
}

/**
 * A composition's S3 destination ended: its prefix and bucket are on the tracker's destination
 * item (Destination End carries neither), read strongly consistent. The composition construct
 * writes both, in one update, only for the S3 destinations it started (a failed write is its
 * alarm's); the tracker writes the item of every destination, without them. A destination
 * without them is not ours to announce (a composition started elsewhere, or a channel
 * destination): the run ends quietly, not with a Not Ready event per such composition.
 */
function composite(scope: Construct, table: dynamodb.ITable, start: sfn.IChainable): sfn.IChainable {
  const item = '$.destination.Item';
  const bucket = `${item}.${DESTINATION_RECORDING_ATTRIBUTES.bucket}.S`;
  const prefix = `${item}.${DESTINATION_RECORDING_ATTRIBUTES.prefix}.S`;
  return new tasks.DynamoGetItem(scope, 'ReadDestination', {
    table,
    key: {
      pk: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.detail.stage_arn')),
      // compositionDestinationSk() of src/tracker/table-keys.ts, as an intrinsic.
      sk: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.format('COMPOSITION#{}#DESTINATION#{}',
        sfn.JsonPath.stringAt('$.resources[0]'), sfn.JsonPath.stringAt('$.detail.id'))),
    },
    consistentRead: true,
    resultPath: '$.destination',
  }).addRetry(TRANSIENT).next(new sfn.Choice(scope, 'PrefixKept')
    .when(sfn.Condition.and(sfn.Condition.isPresent(prefix), sfn.Condition.isPresent(bucket)), new sfn.Pass(scope, 'CompositeRecording', {
      parameters: {
        recording: {
          'kind': 'COMPOSITE',
          'bucket.$': bucket,
          'prefix.$': prefix,
          'stageArn.$': '$.detail.stage_arn',
          'compositionArn.$': '$.resources[0]',
          'destinationId.$': '$.detail.id',
          'sourceEventId.$': '$.id',
        },
      },
    }).next(start))
    .otherwise(new sfn.Succeed(scope, 'NotStartedByTheLibrary')));
}

function put(scope: Construct, id: string, bus: events.IEventBus, readiness: RecordingReadiness): sfn.TaskStateBase {
  return new ConditionedPutEvents(scope, id, {
    entries: [{ eventBus: bus, source: readiness.source, detailType: readiness.detailType, detail: sfn.TaskInput.fromJsonPathAt('$.detail') }],
    // This state machine's ARN (the context object's StateMachine.Id; its Ref inside its own
    // definition would be circular): the construct's rules take only its own events.
    resourcesPath: `States.Array(${STATE_MACHINE_ARN_PATH})`,
    resultPath: sfn.JsonPath.DISCARD,
  }).addRetry(TRANSIENT);
}
