import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IvsRecordingReady, IvsRecordingReadyProps, IvsStageStateTracker, RecordingReadiness } from '../../src';
import { STANDARD_WORKFLOW_MAX_HISTORY_EVENTS } from '../../src/private/aws-facts';
import { HISTORY_EVENTS_PER_LOOK, MAX_LOOKS } from '../../src/recordings/readiness-definition';
import { deploymentProblems } from '../util/deployment-checks';
import { deployedDefinition } from '../util/local-sfn';
import { expectNoNagFindings } from '../util/nag';
import { describeSnapshots } from '../util/snapshots';
import { testStack } from '../util/stack';

const STAGE = 'arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij';

function recordings(stack: Stack): s3.IBucket {
  return new s3.Bucket(stack, 'Recordings', { enforceSSL: true, encryption: s3.BucketEncryption.S3_MANAGED });
}

/** The state machine role's statements. */
function statements(template: Template): any[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter(p => JSON.stringify(p.Properties.Roles).includes('ReadyStateMachine')).flatMap(p => p.Properties.PolicyDocument.Statement);
}

describe('IvsRecordingReady', () => {
  test('given buckets, when synthesized, then Recording End and Recording End Failure start a Standard state machine that reads only recording files', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    new IvsRecordingReady(stack, 'Ready', { buckets: [recordings(stack)] });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Events::Rule', {
      Description: 'Amazon IVS real-time events: Recording End, Recording End Failure',
      Targets: [Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })],
    });
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineType: 'STANDARD', TracingConfiguration: { Enabled: true } });
    const s3Statements = statements(template).filter(s => [s.Action].flat().some((a: string) => a.startsWith('s3:')));
    expect(s3Statements.map(s => [s.Action, JSON.stringify(s.Resource)])).toEqual([
      ['s3:GetObject', expect.stringMatching(/"\/\*\/events\/recording-\*\.json"\]\]\}$/)],
      // ListBucket: a file not yet written answers 404 NoSuchKey, which is waited out, instead of 403.
      ['s3:ListBucket', expect.stringMatching(/Recordings.*Arn/)],
    ]);
    // Each put may put only its own detail-type, of the construct's source.
    const puts = statements(template).filter(s => s.Action === 'events:PutEvents').map(s => s.Condition['ForAllValues:StringEquals']);
    expect(puts).toEqual([RecordingReadiness.RECORDING_READY, RecordingReadiness.RECORDING_NOT_READY].map(r => ({
      'events:source': [r.source], 'events:detail-type': [r.detailType],
    })));
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'ExecutionsTimedOut' }) }) })]),
    });
  });

  test('given a tracker, then Destination End is matched too, events go to its activity bus, and its table is read strongly consistent', () => {
    const stack = testStack();
    const bus = new events.EventBus(stack, 'Activity');
    const tracker = new IvsStageStateTracker(stack, 'Tracker', { activityEventBus: bus });
    const ready = new IvsRecordingReady(stack, 'Ready', { buckets: [recordings(stack)], tracker });
    expect(ready.eventBus).toBe(bus);
    const template = Template.fromStack(stack);
    const definition = JSON.stringify(Object.values(template.findResources('AWS::StepFunctions::StateMachine')).filter(m => JSON.stringify(m).includes('ReadDestination')));
    expect(definition).toContain('\\"ConsistentRead\\":true');
    expect(definition).toContain('COMPOSITION#{}#DESTINATION#{}');
    template.hasResourceProperties('AWS::Events::Rule', { Description: 'Amazon IVS real-time events: Recording End, Recording End Failure, Destination End, Destination Failure' });
  });

  test('onRecordingReady, onRecordingNotReady and notify: rules on the bus with the dead-letter queue and retries', () => {
    const stack = testStack();
    const ready = new IvsRecordingReady(stack, 'Ready', { buckets: [recordings(stack)] });
    const queue = new sqs.Queue(stack, 'Q', { enforceSSL: true });
    ready.onRecordingReady('Ready', new targets.SqsQueue(queue));
    ready.onRecordingNotReady('NotReady', new targets.SqsQueue(queue));
    const topic = new sns.Topic(stack, 'T', { enforceSSL: true, masterKey: new kms.Key(stack, 'K', { enableKeyRotation: true }) });
    expect(ready.notify('Mail', topic)).toHaveLength(2);
    const template = Template.fromStack(stack);
    for (const readiness of [RecordingReadiness.RECORDING_READY, RecordingReadiness.RECORDING_NOT_READY]) {
      expect(template.findResources('AWS::Events::Rule', {
        Properties: { EventPattern: { 'source': [readiness.source], 'detail-type': [readiness.detailType] } },
      })).toEqual(expect.any(Object));
    }
    const rules = Object.values(template.findResources('AWS::Events::Rule')).filter(r => JSON.stringify(r).includes(RecordingReadiness.RECORDING_READY.source));
    expect(rules).toHaveLength(4);
    for (const rule of rules) {
      expect(rule.Properties.Targets[0].DeadLetterConfig).toBeDefined();
    }
    const message = rules.map(r => r.Properties.Targets[0].InputTransformer?.InputTemplate).find(t => t);
    expect(message).toContain('"recording":<detail>');
  });

  test('a KMS-encrypted bucket: kms:Decrypt is granted, and a warning says both kinds of recording need SSE-S3', () => {
    const stack = testStack();
    const bucket = new s3.Bucket(stack, 'Encrypted', { enforceSSL: true, encryptionKey: new kms.Key(stack, 'K', { enableKeyRotation: true }) });
    new IvsRecordingReady(stack, 'Ready', { buckets: [bucket] });
    expect(JSON.stringify(statements(Template.fromStack(stack)))).toContain('kms:Decrypt');
    Annotations.fromStack(stack).hasWarning('/Stack/Ready',
      'The bucket Stack/Encrypted is encrypted with a KMS key: IVS records only into buckets whose default encryption is SSE-S3 '
      + '(Amazon S3 managed keys), individual participant recordings and server-side composition (composite recording) alike '
      + '(IVS Real-Time user guide: rt-individual-participant-recording.html, ssc-getting-started.html). '
      + '[ack: cdk-ivs-realtime-events:recordingBucketKms]');
  });

  test.each<[string, (stack: Stack) => Partial<IvsRecordingReadyProps>, string]>([
    ['no bucket', () => ({ buckets: [] }), '`buckets` must name at least one bucket IVS records into, got []'],
    ['a poll interval of 0', () => ({ pollInterval: Duration.seconds(0) }), '`pollInterval` must be a whole number of seconds from 1 to 3600, got 0 seconds'],
    ['a poll interval of 1.5 s', () => ({ pollInterval: Duration.millis(1500) }), '`pollInterval` must be a whole number of seconds from 1 to 3600, got 1.5 seconds'],
    ['a wait shorter than the interval', () => ({ pollInterval: Duration.minutes(1), fileWaitTimeout: Duration.seconds(30) }),
      '`fileWaitTimeout` must be a whole number of seconds from 60 to 86400, got 30 seconds'],
    ['a wait over a day', () => ({ fileWaitTimeout: Duration.days(2) }), '`fileWaitTimeout` must be a whole number of seconds from 30 to 86400, got 172800 seconds'],
    ['a bus of another account', stack => ({ eventBus: events.EventBus.fromEventBusArn(stack, 'Bus', 'arn:aws:events:us-east-1:999999999999:event-bus/b') }),
      '`eventBus` must be an event bus in this stack\'s account and region (123456789012, us-east-1)'],
    // A Standard workflow's history holds 25,000 events: a run may look at most 1,000 times.
    ['a day every second', () => ({ fileWaitTimeout: Duration.days(1), pollInterval: Duration.seconds(1) }),
      '`fileWaitTimeout` 86400 seconds with `pollInterval` 1 second would look for the files 86401 times, more than the 1000 looks '
      + 'a run can hold (a Standard workflow\'s history holds 25000 events, a look costs 16): raise `pollInterval` or lower `fileWaitTimeout`'],
    ['an hour every 3 seconds', () => ({ fileWaitTimeout: Duration.hours(1), pollInterval: Duration.seconds(3) }),
      '`fileWaitTimeout` 3600 seconds with `pollInterval` 3 seconds would look for the files 1201 times, more than the 1000 looks '
      + 'a run can hold (a Standard workflow\'s history holds 25000 events, a look costs 16): raise `pollInterval` or lower `fileWaitTimeout`'],
  ])('%s is refused, naming the prop', (_name, props, message) => {
    const stack = testStack();
    expect(() => new IvsRecordingReady(stack, 'Ready', { buckets: [recordings(stack)], ...props(stack) })).toThrow(message);
  });

  test('the bound: 10 minutes every 30 seconds is 21 looks at each file, and the run may last that plus an hour', () => {
    const stack = testStack();
    const ready = new IvsRecordingReady(stack, 'Ready', { buckets: [recordings(stack)] });
    expect(ready.attempts).toBe(21);
    const custom = new IvsRecordingReady(stack, 'Custom', { buckets: [recordings(new Stack())], fileWaitTimeout: Duration.minutes(2), pollInterval: Duration.seconds(40) });
    expect(custom.attempts).toBe(4);
  });

  test('the most looks a run may take: 999 seconds every second, each look within the history events it is counted at', () => {
    // GIVEN
    const stack = testStack();
    // WHEN
    const ready = new IvsRecordingReady(stack, 'Ready', { buckets: [recordings(stack)], fileWaitTimeout: Duration.seconds(999), pollInterval: Duration.seconds(1) });
    // THEN
    expect(ready.attempts).toBe(1000);
    // The loop of one look, read from the definition: history events per state type (Step Functions
    // history event types: a Task caught after failing is entered, scheduled, started, failed, exited).
    const states = deployedDefinition(stack, 'Ready').States;
    const loop = ['LookedLongEnough', 'WaitForFile', 'CountAttempt', 'ReadEndedFile', 'ReadFailedFile'];
    const eventsOf: Record<string, number> = { Choice: 2, Wait: 2, Pass: 2, Task: 5 };
    expect(loop.reduce((n, name) => n + eventsOf[states[name].Type], 0)).toBe(HISTORY_EVENTS_PER_LOOK);
    expect(states.WaitForFile.Next).toBe('CountAttempt');
    expect(states.CountAttempt.Next).toBe('ReadEndedFile');
    expect(states.ReadEndedFile.Catch[0].Next).toBe('ReadFailedFile');
    expect(states.ReadFailedFile.Catch[0].Next).toBe('LookedLongEnough');
    expect(states.LookedLongEnough.Default).toBe('WaitForFile');
    expect(MAX_LOOKS * HISTORY_EVENTS_PER_LOOK).toBeLessThanOrEqual(STANDARD_WORKFLOW_MAX_HISTORY_EVENTS * 2 / 3);
  });

  test.each([1, 20, 1000])('%i listed stages, with a tracker, deploy within every quota', (n) => {
    const stack = testStack();
    const stageArns = Array.from({ length: n }, (_, i) => `arn:aws:ivs:us-east-1:123456789012:stage/Stage${String(i).padStart(7, '0')}`);
    const tracker = new IvsStageStateTracker(stack, 'Tracker', { stageArns });
    new IvsRecordingReady(stack, 'Ready', { buckets: [recordings(stack)], tracker, stageArns }).notify('Mail', new sns.Topic(stack, 'Mail', { enforceSSL: true }));
    expect(deploymentProblems(stack)).toEqual([]);
  });

  test('cdk-nag AwsSolutions: no finding, with a tracker and every rule', () => {
    const stack = testStack();
    const tracker = new IvsStageStateTracker(stack, 'Tracker');
    // The user's bucket, imported: its own access logs are the user's choice.
    const ready = new IvsRecordingReady(stack, 'Ready', { buckets: [s3.Bucket.fromBucketName(stack, 'Recordings', 'ivs-recordings')], tracker });
    ready.onRecordingReady('R', new targets.SqsQueue(new sqs.Queue(stack, 'Q', { enforceSSL: true, deadLetterQueue: { queue: ready.deadLetterQueue, maxReceiveCount: 3 } })));
    expectNoNagFindings(stack);
  });
});

describeSnapshots({
  default: stack => new IvsRecordingReady(stack, 'Ready', { buckets: [recordings(stack)] }),
  fullyConfigured: stack => {
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const tracker = new IvsStageStateTracker(stack, 'Tracker', { encryptionKey: key });
    const alarmTopic = new sns.Topic(stack, 'Oncall', { enforceSSL: true, masterKey: key });
    const ready = new IvsRecordingReady(stack, 'Ready', {
      buckets: [recordings(stack)],
      tracker,
      stageArns: [STAGE],
      encryptionKey: key,
      alarmTopic,
      fileWaitTimeout: Duration.minutes(30),
      pollInterval: Duration.minutes(1),
    });
    ready.notify('Mail', alarmTopic);
  },
});
