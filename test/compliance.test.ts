// The HIPAA, NIST 800-53 R5 and PCI DSS 3.2.1 cdk-nag packs over the library's own
// resources (AwsSolutions is held at zero in every construct's own test). The README's
// "Security review" table is these numbers.
import { Aspects, Duration, IAspect, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import {
  CompositionDestination, CompositionFailureAlarm, IvsAutoComposition, IvsRealTimeCentralMonitoring, IvsRealTimeMonitoring, IvsRecordingReady,
  IvsStageEventRule, IvsStageStateTracker, RecordingCompleteNotifier,
} from '../src';
import { testStack } from './util/stack';

const STAGE = 'arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij';
const PACKS: [string, () => IAspect][] = [
  ['HIPAA', () => new HIPAASecurityChecks()],
  ['NIST 800-53 R5', () => new NIST80053R5Checks()],
  ['PCI DSS 3.2.1', () => new PCIDSS321Checks()],
];

/** Every construct, as a user who gives topics and a key would configure it. */
function configured(stack: Stack): void {
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const oncall = new sns.Topic(stack, 'Oncall', { enforceSSL: true, masterKey: key });
  new IvsRealTimeMonitoring(stack, 'Monitoring', {
    environmentName: 'prod', stageArns: [STAGE], perStageHealthAlarms: true, criticalTopics: [oncall], warningTopics: [oncall],
  });
  new IvsRealTimeCentralMonitoring(stack, 'Central', { sourceAccounts: ['111111111111'], criticalTopics: [oncall], warningTopics: [oncall] });
  new IvsStageEventRule(stack, 'Rule', { encryptionKey: key });
  new CompositionFailureAlarm(stack, 'Alarm', { encryptionKey: key, alarmTopic: oncall });
  new RecordingCompleteNotifier(stack, 'Notifier', { encryptionKey: key, alarmTopic: oncall });
  const tracker = new IvsStageStateTracker(stack, 'Tracker', { stageArns: [STAGE], encryptionKey: key, alarmTopic: oncall });
  const stops = new sqs.Queue(stack, 'Stops', {
    enforceSSL: true,
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: key,
    deadLetterQueue: { queue: tracker.deadLetterQueue, maxReceiveCount: 3 },
  });
  tracker.onStageActive('Start', new targets.SqsQueue(stops));
  tracker.onStageIdle('Stop', new targets.SqsQueue(stops), { gracePeriod: Duration.minutes(2) });
  new IvsAutoComposition(stack, 'Compositions', {
    tracker,
    encryptionKey: key,
    alarmTopic: oncall,
    stageArns: [STAGE],
    destinations: [
      CompositionDestination.channel(new ivs.CfnChannel(stack, 'Channel', {})),
      CompositionDestination.s3({
        storageConfiguration: new ivs.CfnStorageConfiguration(stack, 'Storage', { s3: { bucketName: 'recordings' } }),
        encoderConfiguration: new ivs.CfnEncoderConfiguration(stack, 'Encoder', {}),
      }),
    ],
  });
  const recordings = new IvsRecordingReady(stack, 'Recordings', {
    buckets: [s3.Bucket.fromBucketName(stack, 'Bucket', 'ivs-recordings')], tracker, encryptionKey: key, alarmTopic: oncall,
  });
  recordings.notify('Mail', oncall);
}

/** Every construct with nothing but what it needs. */
function bare(stack: Stack): void {
  new IvsRealTimeMonitoring(stack, 'Monitoring', { environmentName: 'prod' });
  new IvsStageEventRule(stack, 'Rule');
  new CompositionFailureAlarm(stack, 'Alarm');
  new RecordingCompleteNotifier(stack, 'Notifier');
  const tracker = new IvsStageStateTracker(stack, 'Tracker');
  new IvsAutoComposition(stack, 'Compositions', { tracker, destinations: [CompositionDestination.channel(new ivs.CfnChannel(stack, 'Channel', {}))] });
  new IvsRecordingReady(stack, 'Recordings', { buckets: [s3.Bucket.fromBucketName(stack, 'Bucket', 'ivs-recordings')] });
}

function findings(build: (stack: Stack) => void, pack: () => IAspect): Record<string, number> {
  const stack = testStack();
  build(stack);
  Aspects.of(stack).add(pack());
  const annotations = Annotations.fromStack(stack);
  const rules = [...annotations.findError('*', Match.anyValue()), ...annotations.findWarning('*', Match.anyValue())]
    .map(f => String(f.entry.data).split(':')[0])
    .filter(rule => /^(HIPAA|NIST|PCI)/.test(rule));
  return rules.reduce<Record<string, number>>((counts, rule) => ({ ...counts, [rule.replace(/^.*-/, '')]: (counts[rule.replace(/^.*-/, '')] ?? 0) + 1 }), {});
}

describe.each(PACKS)('cdk-nag %s', (_name, pack) => {
  test('configured with alarm topics: no finding', () => {
    expect(findings(configured, pack)).toEqual({});
  });

  test('bare: only alarms with nowhere to report, and the log groups of a standalone alarm, of the tracker\'s functions and grace machine, '
    + 'of the compositions\' machines and of the recording-ready state machine on CloudWatch Logs\' own encryption', () => {
    const counts = findings(bare, pack);
    // An alarm without actions is the user's choice (no topic given); a log group without a
    // customer-managed key is encrypted by CloudWatch Logs at rest: give `encryptionKey`.
    expect(Object.keys(counts).filter(rule => !['CloudWatchAlarmAction', 'CloudWatchLogGroupEncrypted'].includes(rule))).toEqual([]);
    expect(counts.CloudWatchLogGroupEncrypted).toEqual(5);
  });
});
