import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { MotoServer } from '../../devkit/moto';
import { RUN_TRANSITIONS } from '../../examples/summarize';
import { IvsRecordingReady, IvsStageStateTracker, RecordingNotReadyReason, RecordingReadiness } from '../../src';
import { RECORDING_FILES, S3_NO_SUCH_KEY_ERROR } from '../../src/private/aws-facts';
import { DESTINATION_RECORDING_ATTRIBUTES, destinationSk } from '../../src/tracker/table-keys';
import { TaskCall, deployedDefinition, runLocally, sdkError } from '../util/local-sfn';
import { testStack } from '../util/stack';

// The readiness state machine run on a real ASL interpreter, S3 and DynamoDB answered by moto.

const BUCKET = 'ivs-recordings';
const TABLE = 'tracker';
const STAGE = 'arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij';
const COMPOSITION = 'arn:aws:ivs:us-east-1:123456789012:composition/s2AdaGUbvQgp';
const PREFIX = 'AbCdef1G2hij/st-ZyXwvu1T2s/xYz1c2d3e4f/2024-01-01T12-00-55Z';
const GET_OBJECT = 'arn:aws:states:::aws-sdk:s3:getObject';
/** `$$.StateMachine.Id` of the runs: the state machine's ARN. */
const STATE_MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:Ready';

/** recording-ended.json as the individual participant recording page's example shows it. */
const ENDED = {
  version: 'v1',
  stage_arn: STAGE,
  session_id: 'st-ZyXwvu1T2s',
  participant_id: 'xYz1c2d3e4f',
  recording_started_at: '2024-03-13T19:44:19Z',
  recording_ended_at: '2024-03-13T19:55:04Z',
  recording_status: 'RECORDING_ENDED',
  media: {
    hls: { duration_ms: 645237, path: 'media/hls', playlist: 'multivariant.m3u8', renditions: [{ path: 'high', playlist: 'playlist.m3u8' }] },
    thumbnails: { path: 'media/thumbnails', renditions: [{ path: 'high' }] },
    latest_thumbnail: { path: 'media/latest_thumbnail', renditions: [{ path: 'high' }] },
  },
};

function recordingEnd(prefix: string, eventName = 'Recording End') {
  return {
    'version': '0',
    'id': `event-${prefix}`,
    'detail-type': 'IVS Participant Recording State Change',
    'source': 'aws.ivs',
    'account': '123456789012',
    'time': '2024-03-13T22:19:04Z',
    'region': 'us-east-1',
    'resources': [STAGE],
    'detail': {
      session_id: 'st-ZyXwvu1T2s',
      event_name: eventName,
      participant_id: 'xYz1c2d3e4f',
      recording_s3_bucket_name: BUCKET,
      recording_s3_key_prefix: prefix,
      recording_duration_ms: 547327,
    },
  };
}

function destinationEnd(destinationId: string, eventName = 'Destination End') {
  return {
    'version': '0',
    'id': `event-${destinationId}`,
    'detail-type': 'IVS Composition State Change',
    'source': 'aws.ivs',
    'account': '123456789012',
    'time': '2024-03-13T22:19:04Z',
    'region': 'us-east-1',
    'resources': [COMPOSITION],
    'detail': { event_name: eventName, stage_arn: STAGE, id: destinationId },
  };
}

let moto: MotoServer;
let s3Client: S3Client;
let definition: any;
let ready: IvsRecordingReady;

beforeAll(async () => {
  moto = await MotoServer.start();
  s3Client = new S3Client({
    endpoint: moto.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  await s3Client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await moto.createTable(TABLE);
  const stack = testStack();
  const tracker = new IvsStageStateTracker(stack, 'Tracker');
  ready = new IvsRecordingReady(stack, 'Ready', { buckets: [s3.Bucket.fromBucketName(stack, 'Recordings', BUCKET)], tracker });
  definition = deployedDefinition(stack, 'Ready');
}, 60_000);
afterAll(() => moto?.stop());

const put = (key: string, body: string) => s3Client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));

/** Runs the machine for `event`; `beforeRead` may write files before a read is answered. Returns the events put and the reads. */
async function run(event: unknown, beforeRead: (call: TaskCall) => Promise<unknown> | void = () => undefined) {
  const entries: any[] = [];
  const result = await runLocally(definition, event, {
    [GET_OBJECT]: async (params, call) => {
      await beforeRead(call);
      try {
        const object = await s3Client.send(new GetObjectCommand({ Bucket: params.Bucket, Key: params.Key }));
        // The SDK integration answers the body as a string (Step Functions: "Body" of GetObject).
        return { Body: await object.Body!.transformToString(), ContentType: object.ContentType };
      } catch (error: any) {
        if (error.name === 'NoSuchKey') throw sdkError(S3_NO_SUCH_KEY_ERROR);
        throw error;
      }
    },
    'arn:aws:states:::dynamodb:getItem': params => moto.client().send(new GetItemCommand({ ...params, TableName: TABLE })),
    'arn:aws:states:::events:putEvents': async params => { entries.push(...params.Entries); return { Entries: [{ EventId: 'e' }] }; },
  }, { StateMachine: { Id: STATE_MACHINE, Name: 'Ready' } });
  const reads = result.calls.filter(c => c.resource === GET_OBJECT).map(c => c.parameters.Key);
  return { result, entries, reads };
}

describe('individual participant recordings', () => {
  test('given recording-ended.json written, when Recording End arrives, then one ready event carries every key under the prefix', async () => {
    const prefix = `${PREFIX}/now`;
    await put(`${prefix}/${RECORDING_FILES.ended}`, JSON.stringify(ENDED));
    const { entries, reads, result } = await run(recordingEnd(prefix));
    expect(reads).toEqual([`${prefix}/${RECORDING_FILES.ended}`]);
    // What the guide and the example app's summary say one announcement costs.
    expect(result.transitions).toBe(RUN_TRANSITIONS['recording announced at once']);
    expect(entries).toEqual([{
      Source: RecordingReadiness.RECORDING_READY.source,
      DetailType: RecordingReadiness.RECORDING_READY.detailType,
      EventBusName: 'arn:aws:events:us-east-1:123456789012:event-bus/default',
      // The construct's rules take only the events of its own state machine.
      Resources: [STATE_MACHINE],
      Detail: {
        kind: 'INDIVIDUAL',
        bucket: BUCKET,
        prefix,
        stageArn: STAGE,
        sessionId: 'st-ZyXwvu1T2s',
        participantId: 'xYz1c2d3e4f',
        sourceEventId: `event-${prefix}`,
        masterPlaylistKey: `${prefix}/media/hls/multivariant.m3u8`,
        renditionPlaylistKeys: [`${prefix}/media/hls/high/playlist.m3u8`],
        thumbnailPrefixes: [`${prefix}/media/thumbnails/high`],
        latestThumbnailPrefixes: [`${prefix}/media/latest_thumbnail/high`],
        durationMs: 645237,
        recordingStartedAt: '2024-03-13T19:44:19Z',
        recordingEndedAt: '2024-03-13T19:55:04Z',
      },
    }]);
  }, 60_000);

  test('given the file written after three looks, when the machine looks again, then it is ready, both files read each time before', async () => {
    const prefix = `${PREFIX}/late`;
    const { entries, reads } = await run(recordingEnd(prefix), async call => {
      if (call.state === 'ReadEndedFile' && call.attempt === 4) await put(`${prefix}/${RECORDING_FILES.ended}`, JSON.stringify(ENDED));
    });
    expect(reads).toHaveLength(3 * 2 + 1);
    expect(entries.map(e => e.DetailType)).toEqual([RecordingReadiness.RECORDING_READY.detailType]);
  }, 60_000);

  test('given no file ever, when the bound passes, then MISSING after exactly `attempts` looks at each file', async () => {
    const prefix = `${PREFIX}/missing`;
    const { entries, reads, result } = await run(recordingEnd(prefix));
    expect(reads).toHaveLength(2 * ready.attempts);
    // Each wait is the poll interval (30 s by default), between looks.
    expect(result.calls.filter(c => c.state === 'ReadEndedFile')).toHaveLength(ready.attempts);
    expect(entries.map(e => [e.DetailType, e.Detail.reason, e.Detail.attempts, e.Resources])).toEqual([
      [RecordingReadiness.RECORDING_NOT_READY.detailType, RecordingNotReadyReason.MISSING.value, ready.attempts, [STATE_MACHINE]],
    ]);
  }, 60_000);

  test('given recording-failed.json, when Recording End Failure arrives, then not ready: FAILED', async () => {
    const prefix = `${PREFIX}/failed`;
    await put(`${prefix}/${RECORDING_FILES.failed}`, JSON.stringify({ ...ENDED, recording_status: 'RECORDING_ENDED_WITH_FAILURE' }));
    const { entries } = await run(recordingEnd(prefix, 'Recording End Failure'));
    expect(entries.map(e => e.Detail)).toEqual([{
      kind: 'INDIVIDUAL',
      bucket: BUCKET,
      prefix,
      stageArn: STAGE,
      sessionId: 'st-ZyXwvu1T2s',
      participantId: 'xYz1c2d3e4f',
      sourceEventId: `event-${prefix}`,
      reason: RecordingNotReadyReason.FAILED.value,
    }]);
  }, 60_000);

  test.each([
    ['not JSON', '{"version": "v1", "media": '],
    ['JSON without the HLS playlist', JSON.stringify({ ...ENDED, media: { hls: { path: 'media/hls' } } })],
    ['JSON that is not an object', '"recording"'],
  ])('given a recording-ended.json that is %s, then not ready: MALFORMED, and the run succeeds', async (name, body) => {
    const prefix = `${PREFIX}/malformed-${name.length}`;
    await put(`${prefix}/${RECORDING_FILES.ended}`, body);
    const { entries, result } = await run(recordingEnd(prefix));
    expect(result.error).toBeUndefined();
    expect(entries.map(e => [e.DetailType, e.Detail.reason])).toEqual([[RecordingReadiness.RECORDING_NOT_READY.detailType, 'MALFORMED']]);
  }, 60_000);

  // Any error but NoSuchKey takes this path; the name an unmodeled S3 error (403) gets from the SDK integration is not relied on.
  test('given S3 refusing the read (no permission), then the run fails after retries: the alarm, not a wrong event', async () => {
    const { result, entries } = await run(recordingEnd(`${PREFIX}/denied`), () => { throw sdkError('S3.S3Exception', 'Access Denied'); });
    expect(result.error).toBe('S3.S3Exception');
    expect(result.calls.filter(c => c.state === 'ReadEndedFile')).toHaveLength(5);
    expect(entries).toEqual([]);
  }, 60_000);
});

describe('composite recordings', () => {
  test('given the destination item, when Destination Failure arrives and IVS writes recording-failed.json, then not ready: FAILED, with the composition', async () => {
    // GIVEN
    const prefix = 'MNALAcH9j2EJ/s2AdaGUbvQgp/failedDest/composite';
    await moto.client().send(new PutItemCommand({
      TableName: TABLE,
      Item: {
        pk: { S: STAGE },
        sk: { S: destinationSk(COMPOSITION, 'failedDest') },
        [DESTINATION_RECORDING_ATTRIBUTES.prefix]: { S: prefix },
        [DESTINATION_RECORDING_ATTRIBUTES.bucket]: { S: BUCKET },
      },
    }));
    const { session_id: _s, participant_id: _p, ...file } = ENDED;
    await put(`${prefix}/${RECORDING_FILES.failed}`, JSON.stringify({ ...file, recording_status: 'RECORDING_ENDED_WITH_FAILURE' }));
    // WHEN
    const { entries } = await run(destinationEnd('failedDest', 'Destination Failure'));
    // THEN
    expect(entries.map(e => e.Detail)).toEqual([{
      kind: 'COMPOSITE',
      stageArn: STAGE,
      compositionArn: COMPOSITION,
      destinationId: 'failedDest',
      sourceEventId: 'event-failedDest',
      bucket: BUCKET,
      prefix,
      reason: RecordingNotReadyReason.FAILED.value,
    }]);
  }, 60_000);

  test('given the destination item with its prefix and bucket, when Destination End arrives, then ready with the composition', async () => {
    const prefix = 'MNALAcH9j2EJ/s2AdaGUbvQgp/2pBRKrNgX1ff/composite';
    await moto.client().send(new PutItemCommand({
      TableName: TABLE,
      Item: {
        pk: { S: STAGE },
        sk: { S: destinationSk(COMPOSITION, '2pBRKrNgX1ff') },
        [DESTINATION_RECORDING_ATTRIBUTES.prefix]: { S: prefix },
        [DESTINATION_RECORDING_ATTRIBUTES.bucket]: { S: BUCKET },
      },
    }));
    // The composite layout: no session or participant, thumbnails by resolution.
    const { session_id: _s, participant_id: _p, ...file } = ENDED;
    await put(`${prefix}/${RECORDING_FILES.ended}`, JSON.stringify({
      ...file,
      media: {
        hls: file.media.hls,
        thumbnails: {
          path: 'media/thumbnails',
          resolutions: [{ path: '1280x720', resolution_width: 1280, resolution_height: 720 }, { path: '640x360', resolution_width: 640, resolution_height: 360 }],
        },
      },
    }));
    const { entries } = await run(destinationEnd('2pBRKrNgX1ff'));
    expect(entries.map(e => e.Detail)).toEqual([expect.objectContaining({
      kind: 'COMPOSITE',
      compositionArn: COMPOSITION,
      destinationId: '2pBRKrNgX1ff',
      stageArn: STAGE,
      bucket: BUCKET,
      prefix,
      masterPlaylistKey: `${prefix}/media/hls/multivariant.m3u8`,
      thumbnailPrefixes: [`${prefix}/media/thumbnails/1280x720`, `${prefix}/media/thumbnails/640x360`],
    })]);
    expect(entries[0].Detail).not.toHaveProperty('sessionId');
    expect(entries[0].Detail).not.toHaveProperty('latestThumbnailPrefixes');
  }, 60_000);

  test.each<[string, Record<string, any> | undefined]>([
    ['no destination item (the tracker has not written it)', undefined],
    // What the tracker writes for every destination from IVS's events: state, no prefix nor bucket.
    ['a destination item without recording prefix (a composition started elsewhere, or a channel destination)', {
      compositionArn: { S: COMPOSITION }, destinationId: { S: 'channelDest' }, state: { S: 'STOPPED' },
    }],
  ])('given %s, when Destination End arrives, then the run ends quietly: no event, and S3 is not read', async (_name, attributes) => {
    // GIVEN
    const destinationId = attributes ? 'channelDest' : 'unknownDest';
    if (attributes) {
      await moto.client().send(new PutItemCommand({
        TableName: TABLE, Item: { pk: { S: STAGE }, sk: { S: destinationSk(COMPOSITION, destinationId) }, ...attributes },
      }));
    }
    // WHEN
    const { entries, reads, result } = await run(destinationEnd(destinationId));
    // THEN
    expect(result.error).toBeUndefined();
    expect(reads).toEqual([]);
    expect(entries).toEqual([]);
    // WhichRecording, ReadDestination, PrefixKept, the Succeed: what the guide's cost table says.
    expect(result.transitions).toBe(4);
  }, 60_000);
});
