// Deploys IvsRecordingReady over a recordings bucket and checks against AWS what only a real
// account can show: Step Functions' S3 GetObject integration answers the body as a string that
// States.StringToJson parses, the grants (GetObject on the recording files, ListBucket so that a
// file not yet written is a NoSuchKey the machine waits out) let the reads through, and the
// derived events reach `onRecordingReady` and `onRecordingNotReady` targets. IVS events cannot
// be put on a bus (PutEvents rejects `aws.*` sources), so each run is started with a Recording
// End event as EventBridge would deliver it, after the file is written as IVS writes it.
import { ExpectedResult, IApiCall, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IvsRecordingReady, RecordingNotReadyReason, RecordingReadiness } from '../src';
import { jsonParameter } from './util/integ';
import { RECORDING_FILES } from '../src/private/aws-facts';

const app = new App();
const stack = new Stack(app, 'IvsRecordingReadyInteg');
// SSE-S3: what IVS requires of a bucket it records into (individual participant recording and server-side composition pages).
const bucket = new s3.Bucket(stack, 'Recordings', {
  enforceSSL: true, encryption: s3.BucketEncryption.S3_MANAGED, removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true,
});
const recordings = new IvsRecordingReady(stack, 'Ready', { buckets: [bucket], fileWaitTimeout: Duration.minutes(1), pollInterval: Duration.seconds(20) });
const ready = new sqs.Queue(stack, 'ReadyTarget', { enforceSSL: true });
recordings.onRecordingReady('Ready', new targets.SqsQueue(ready));
const notReady = new sqs.Queue(stack, 'NotReadyTarget', { enforceSSL: true });
recordings.onRecordingNotReady('NotReady', new targets.SqsQueue(notReady));

const integ = new IntegTest(app, 'RecordingReady', { testCases: [stack] });

const STAGE = 'arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij';
const ENDED = {
  version: 'v1',
  stage_arn: STAGE,
  session_id: 'st-ZyXwvu1T2s',
  participant_id: 'xYz1c2d3e4f',
  recording_started_at: '2024-03-13T19:44:19Z',
  recording_ended_at: '2024-03-13T19:55:04Z',
  recording_status: 'RECORDING_ENDED',
  media: { hls: { duration_ms: 645237, path: 'media/hls', playlist: 'multivariant.m3u8', renditions: [{ path: 'high', playlist: 'playlist.m3u8' }] } },
};

/** Writes `body` as the prefix's recording-ended.json, then starts the machine with the Recording End event of that prefix. */
function recordingEnds(prefix: string, body: string): IApiCall {
  return integ.assertions.awsApiCall('S3', 'putObject', { Bucket: bucket.bucketName, Key: `${prefix}/${RECORDING_FILES.ended}`, Body: body })
    .next(integ.assertions.awsApiCall('SFN', 'startExecution', {
      stateMachineArn: recordings.stateMachine.stateMachineArn,
      input: jsonParameter(stack, {
        'version': '0',
        'id': `integ-${prefix}`,
        'detail-type': 'IVS Participant Recording State Change',
        'source': 'aws.ivs',
        'account': Aws.ACCOUNT_ID,
        'time': '2024-03-13T22:19:04Z',
        'region': Aws.REGION,
        'resources': [STAGE],
        'detail': {
          session_id: 'st-ZyXwvu1T2s',
          event_name: 'Recording End',
          participant_id: 'xYz1c2d3e4f',
          recording_s3_bucket_name: bucket.bucketName,
          recording_s3_key_prefix: prefix,
        },
      }),
    }));
}

/** Until an event of `readiness` whose detail is like `detail` arrives on `queue`. */
function expectEvent(queue: sqs.IQueue, readiness: RecordingReadiness, detail: Record<string, unknown>): IApiCall {
  return integ.assertions.awsApiCall('SQS', 'receiveMessage', { QueueUrl: queue.queueUrl, WaitTimeSeconds: 20 })
    .expect(ExpectedResult.objectLike({
      Messages: Match.arrayWith([Match.objectLike({
        Body: Match.serializedJson(Match.objectLike({ 'source': readiness.source, 'detail-type': readiness.detailType, 'detail': Match.objectLike(detail) })),
      })]),
    }))
    .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(20) });
}

const prefix = 'AbCdef1G2hij/st-ZyXwvu1T2s/xYz1c2d3e4f/2024-01-01T12-00-55Z';
recordingEnds(prefix, JSON.stringify(ENDED)).next(expectEvent(ready, RecordingReadiness.RECORDING_READY, {
  kind: 'INDIVIDUAL',
  masterPlaylistKey: `${prefix}/media/hls/multivariant.m3u8`,
  durationMs: 645237,
  renditionPlaylistKeys: [`${prefix}/media/hls/high/playlist.m3u8`],
}));
const malformed = 'AbCdef1G2hij/st-ZyXwvu1T2s/malformed/2024-01-01T12-00-55Z';
recordingEnds(malformed, '{"version": "v1", "media": ').next(expectEvent(notReady, RecordingReadiness.RECORDING_NOT_READY, {
  prefix: malformed, reason: RecordingNotReadyReason.MALFORMED.value,
}));
