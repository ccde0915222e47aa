import { Annotations, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { HISTORY_EVENTS_PER_LOOK, MAX_LOOKS, readinessDefinition } from './readiness-definition';
import { readinessMessage } from './readiness-message';
import { RecordingReadiness } from './recording-readiness';
import { AlarmActionsOptions } from '../alarms/alarm-actions';
import { IvsEvent } from '../events/ivs-event';
import { createAlarms } from '../private/alarm-actions';
import { EVENT_AGE_SECONDS, MAX_RETRY_ATTEMPTS, RECORDING_BUCKET_ENCRYPTION, STANDARD_WORKFLOW_MAX_HISTORY_EVENTS } from '../private/aws-facts';
import { warnIfAwsManagedSnsKey } from '../private/encryption';
import { unfinishedRuns } from '../private/metrics';
import { suppressNag } from '../private/nag';
import { ReliableRule, deadLetterQueueFor } from '../private/reliable-rule';
import { stageArnsOf } from '../private/stages';
import { validateLocalBus, validateSecondsRange } from '../private/validation';
import { DeadLetterOptions, RemovalPolicyOptions, StageSelectionOptions } from '../rules/event-source-options';
import { IvsStageEventRule } from '../rules/ivs-stage-event-rule';
import { recordComplianceReasons } from '../tracker/compliance';
import { IvsStageStateTracker } from '../tracker/ivs-stage-state-tracker';
import { trackerLogGroup } from '../tracker/tracker-resources';

/** The keys of `RECORDING_FILES` under any recording prefix (IAM's `*` spans `/`). */
const RECORDING_FILES_PATTERN = 'events/recording-*.json';

/** Time a run may spend beyond its looking for the files: the reads, the put and their retries. */
const AFTER_LOOKING = Duration.hours(1);

/**
 * Properties for an `IvsRecordingReady`.
 */
export interface IvsRecordingReadyProps extends StageSelectionOptions, DeadLetterOptions, RemovalPolicyOptions, AlarmActionsOptions {
  /**
   * The buckets IVS records into (those of your storage configurations). The state machine may
   * read only their recording files (`*&#47;events/recording-*.json`) and list them (so that a
   * file not yet written answers 404, not 403). Only participant recordings into them start a
   * check; a composite recording in another bucket fails its run.
   */
  readonly buckets: s3.IBucket[];

  /**
   * The state tracker whose table holds the recording prefix and bucket of the compositions the
   * library starts: with it, a composition's S3 destination that ends or fails is announced too.
   *
   * @default - individual participant recordings only
   */
  readonly tracker?: IvsStageStateTracker;

  /**
   * The bus that receives `RecordingReadiness` events.
   *
   * @default - the tracker's `activityEventBus` with a tracker, else the account's default bus
   */
  readonly eventBus?: events.IEventBus;

  /**
   * How long to look for `recording-ended.json` (or `recording-failed.json`) after the IVS
   * event: IVS may write it after the event. Then an `IVS Recording Not Ready` event (MISSING).
   * Whole seconds, from `pollInterval` to 24 hours, and at most 999 `pollInterval`s: a run
   * looks at most 1,000 times (a Standard workflow's history holds 25,000 events).
   *
   * @default Duration.minutes(10)
   */
  readonly fileWaitTimeout?: Duration;

  /**
   * How long to wait between two looks for the files. Whole seconds, from 1 second to 1 hour.
   *
   * @default Duration.seconds(30)
   */
  readonly pollInterval?: Duration;
}

/**
 * Announces each finished IVS recording once its files are written: reads the recording's
 * `events/recording-ended.json` and puts an `IVS Recording Ready` event (the HLS playlists,
 * thumbnails, duration and times, stage, session and participant or composition) on a bus, or
 * an `IVS Recording Not Ready` event with a reason (see `RecordingNotReadyReason`), never
 * silence. Individual participant recordings on Recording End and Recording End Failure;
 * composite recordings, with a `tracker`, on Destination End and Destination Failure. A Step
 * Functions state machine, no Lambda code (see the compositions and recordings guide,
 * docs/compositions-and-recordings.md).
 */
export class IvsRecordingReady extends Construct {
  /** The state machine started by each recording's end. */
  public readonly stateMachine: sfn.StateMachine;
  /** The bus `RecordingReadiness` events are put on. */
  public readonly eventBus: events.IEventBus;
  /** The rule sending IVS recording events to `stateMachine`. */
  public readonly rule: IvsStageEventRule;
  /** Where events go that no target could take: the starts of the state machine and the targets of `onRecordingReady` and the like. */
  public readonly deadLetterQueue: sqs.IQueue;
  /** ALARM when a run failed, timed out or was aborted: a recording may have gone unannounced. */
  public readonly alarm: cloudwatch.Alarm;
  /** How many times each file is looked for before MISSING. */
  public readonly attempts: number;

  constructor(scope: Construct, id: string, props: IvsRecordingReadyProps) {
    super(scope, id);
    if (props.buckets.length === 0) {
      throw new Error('`buckets` must name at least one bucket IVS records into, got []');
    }
    validateLocalBus(this, 'eventBus', props.eventBus);
    validateSecondsRange('pollInterval', props.pollInterval, 1, 3600);
    const pollInterval = props.pollInterval ?? Duration.seconds(30);
    const fileWaitTimeout = props.fileWaitTimeout ?? Duration.minutes(10);
    validateSecondsRange('fileWaitTimeout', props.fileWaitTimeout, pollInterval.toSeconds(), 86400);
    this.attempts = Math.floor(fileWaitTimeout.toSeconds() / pollInterval.toSeconds()) + 1;
    if (this.attempts > MAX_LOOKS) {
      const seconds = (n: number) => `${n} second${n === 1 ? '' : 's'}`;
      throw new Error(`\`fileWaitTimeout\` ${seconds(fileWaitTimeout.toSeconds())} with \`pollInterval\` ${seconds(pollInterval.toSeconds())} `
        + `would look for the files ${this.attempts} times, more than the ${MAX_LOOKS} looks a run can hold (a Standard workflow's history `
        + `holds ${STANDARD_WORKFLOW_MAX_HISTORY_EVENTS} events, a look costs ${HISTORY_EVENTS_PER_LOOK}): raise \`pollInterval\` or lower \`fileWaitTimeout\``);
    }
    this.eventBus = props.eventBus ?? props.tracker?.activityEventBus ?? events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.deadLetterQueue = deadLetterQueueFor(this, props);

    const logGroup = trackerLogGroup(this, 'Logs', 'recording-ready', props.encryptionKey, props.removalPolicy, '/aws/vendedlogs/states');
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(readinessDefinition(this, {
        bus: this.eventBus,
        attempts: this.attempts,
        pollInterval,
        table: props.tracker?.table,
        recordingFiles: props.buckets.map(b => b.arnForObjects(`*/${RECORDING_FILES_PATTERN}`)),
      })),
      timeout: fileWaitTimeout.plus(AFTER_LOOKING),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      comment: `Announces IVS recordings once recording-ended.json is written (looked for ${this.attempts} times)`,
      removalPolicy: props.removalPolicy,
    });
    this.grantReadRecordings(props.buckets);
    props.tracker?.table.encryptionKey?.grantDecrypt(this.stateMachine);

    this.rule = new IvsStageEventRule(this, 'Ends', {
      // A failed S3 destination is announced too: FAILED once recording-failed.json is there, else MISSING.
      events: [IvsEvent.RECORDING_END, IvsEvent.RECORDING_END_FAILURE,
        ...(props.tracker ? [IvsEvent.COMPOSITION_DESTINATION_END, IvsEvent.COMPOSITION_DESTINATION_FAILURE] : [])],
      stageArns: stageArnsOf(props),
      // In an account shared by several environments, only the recordings of the given
      // buckets: another's would be read without permission (403), failing the run.
      recordingBucketNames: props.buckets.map(b => b.bucketName),
      maxPatternLength: props.maxPatternLength,
      deadLetterQueue: this.deadLetterQueue,
      targets: [new targets.SfnStateMachine(this.stateMachine)],
    });

    [this.alarm] = createAlarms(this, [{
      id: 'Failures',
      description: 'IVS recordings could not be checked (runs failed, timed out or were aborted): neither a ready nor a not-ready event was put for them.',
      metric: unfinishedRuns(this.stateMachine, 'Runs that announced nothing'),
    }], props);

    suppressNag(this.stateMachine.role.node.findChild('DefaultPolicy'), [{
      id: 'AwsSolutions-IAM5',
      reason: 'Log delivery and X-Ray actions have no resource-level permissions (Service Authorization Reference); the reads name '
        + 'the given buckets\' recording files (*/events/recording-*.json: the key prefix of a recording comes from its IVS event), '
        + 'the put the one bus, with its source and detail-types.',
      appliesTo: ['Resource::*', { regex: '/^Resource::.*\\/\\*\\/events\\/recording-\\*\\.json$/g' }],
    }]);
    // The compliance packs' reasons, as for the tracker's own state machines (an inline policy of one role).
    recordComplianceReasons(this);
  }

  /** A rule on `eventBus` for `IVS Recording Ready` events, with a dead-letter queue and retries as every rule of this library. */
  public onRecordingReady(id: string, target: events.IRuleTarget): events.Rule {
    return this.on(id, RecordingReadiness.RECORDING_READY, target);
  }

  /** A rule on `eventBus` for `IVS Recording Not Ready` events (every reason). */
  public onRecordingNotReady(id: string, target: events.IRuleTarget): events.Rule {
    return this.on(id, RecordingReadiness.RECORDING_NOT_READY, target);
  }

  /**
   * Sends one readable JSON message per recording, ready or not, to `topic`: what
   * `RecordingCompleteNotifier` sends at Recording End, plus the playlists, thumbnails and
   * duration, or the reason it is not ready. The topic must not be encrypted with the
   * AWS-managed `alias/aws/sns` key.
   */
  public notify(id: string, topic: sns.ITopic): events.Rule[] {
    warnIfAwsManagedSnsKey(this, topic, 'topic');
    return [RecordingReadiness.RECORDING_READY, RecordingReadiness.RECORDING_NOT_READY].map(readiness =>
      this.on(`${id}${readiness === RecordingReadiness.RECORDING_READY ? 'Ready' : 'NotReady'}`, readiness,
        new targets.SnsTopic(topic, { message: readinessMessage(readiness) })));
  }

  private on(id: string, readiness: RecordingReadiness, target: events.IRuleTarget): events.Rule {
    return new ReliableRule(this, id, {
      eventBus: this.eventBus,
      // Its own events only: other constructs may put theirs on the same bus (a shared account's default bus).
      eventPattern: { source: [readiness.source], detailType: [readiness.detailType], resources: [this.stateMachine.stateMachineArn] },
      description: `${readiness.detailType} events of ${this.node.path}`,
      targets: [target],
      delivery: { deadLetterQueue: this.deadLetterQueue, retryAttempts: MAX_RETRY_ATTEMPTS, maxEventAge: Duration.seconds(EVENT_AGE_SECONDS.max) },
    });
  }

  /**
   * Beside GetObject on the buckets' recording files (the read tasks' own grant), ListBucket on
   * the buckets: a missing file must answer 404 NoSuchKey, which the state machine waits out,
   * not 403 (S3 GetObject reference, "Permissions"). IVS records only into SSE-S3 buckets, both
   * kinds of recording (see `RECORDING_BUCKET_ENCRYPTION`): a bucket's KMS key is warned of, and
   * granted so that objects encrypted with it anyway stay readable.
   */
  private grantReadRecordings(buckets: s3.IBucket[]): void {
    this.stateMachine.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: buckets.map(b => b.bucketArn) }));
    for (const bucket of buckets) {
      bucket.encryptionKey?.grantDecrypt(this.stateMachine);
      if (bucket.encryptionKey) {
        Annotations.of(this).addWarningV2('cdk-ivs-realtime-events:recordingBucketKms',
          `The bucket ${bucket.node.path} is encrypted with a KMS key: IVS records only into buckets whose default encryption is `
          + `${RECORDING_BUCKET_ENCRYPTION.encryption}, individual participant recordings and server-side composition (composite recording) alike `
          + `(IVS Real-Time user guide: ${RECORDING_BUCKET_ENCRYPTION.pages.join(', ')}).`);
      }
    }
  }
}
