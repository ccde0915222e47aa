import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaEventSources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as pipes from 'aws-cdk-lib/aws-pipes';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { createActivityPipes } from './activity-pipes';
import { recordComplianceReasons } from './compliance';
import { explainTestedRuntime, functionRuntime } from './function-runtime';
import { FunctionRuntimeOptions } from './function-runtime-options';
import { IdleGrace } from './idle-grace';
import { createReconciler } from './reconciler-function';
import { StageActivity, StageIdleOptions } from './stage-activity';
import { createStateTable } from './state-table';
import { METRICS_NAMESPACE } from './table-keys';
import { createTrackerAlarms } from './tracker-alarms';
import { HANDLER_BUNDLE, trackerLogGroup } from './tracker-resources';
import { AlarmActionsOptions } from '../alarms/alarm-actions';
import { IvsEvent } from '../events/ivs-event';
import { DYNAMODB_ITEM_ACTIONS, EVENT_AGE_SECONDS, MAX_RETRY_ATTEMPTS } from '../private/aws-facts';
import { QueueTarget, ReliableRule, deadLetterQueueFor } from '../private/reliable-rule';
import { stageArnsOf } from '../private/stages';
import {
  validateIntegerRange, validateKnownDuration, validateLocalBus, validateSchedule, validateSecondsRange,
} from '../private/validation';
import { EncryptionOptions, RemovalPolicyOptions, StageSelectionOptions } from '../rules/event-source-options';
import { IvsStageEventRule } from '../rules/ivs-stage-event-rule';

/** The function's timeout; SQS hides a received message six times as long, as Lambda's SQS guide advises. */
const FUNCTION_TIMEOUT = Duration.seconds(30);

/**
 * Properties for an `IvsStageStateTracker`.
 */
export interface IvsStageStateTrackerProps extends StageSelectionOptions, EncryptionOptions, RemovalPolicyOptions, AlarmActionsOptions,
  FunctionRuntimeOptions {
  /**
   * How long a participant's item is kept once it stops publishing (DynamoDB TTL on
   * `expiresAt`). A publishing participant never expires, so expiry never changes a count.
   *
   * @default Duration.days(7)
   */
  readonly finishedParticipantRetention?: Duration;

  /**
   * The bus that receives `StageActivity` events (a stage became active or idle).
   *
   * @default - the account's default event bus
   */
  readonly activityEventBus?: events.IEventBus;

  /**
   * How many times a record is received before it goes to the dead-letter queue.
   *
   * @default 5
   */
  readonly maxReceiveCount?: number;

  /**
   * The most concurrent invocations of the function (SQS event source maximum concurrency, 2-1000).
   *
   * @default 2
   */
  readonly maxConcurrency?: number;

  /**
   * When the reconciler asks IVS which participants publish, to repair events IVS never
   * delivered (lost Published and Unpublished events, sessions that ended unseen). Each run
   * continues from a cursor kept in the table, so every stage is reached on any schedule (the
   * state tracker guide (docs/state-tracker.md) gives the bound).
   *
   * @default Schedule.rate(Duration.minutes(5))
   */
  readonly reconcileSchedule?: events.Schedule;

  /**
   * IVS API calls one reconciler run may make once its first stage is checked (about 1 per idle
   * stage, 2 plus 1 per publishing participant per active one); the stages beyond it are the
   * next run's. A run's first stage is always finished, so at least one stage is checked per run.
   *
   * @default 500
   */
  readonly reconcilerMaxApiCalls?: number;
}

/**
 * Keeps the state of IVS stages, participants and compositions in a DynamoDB table, right
 * even when IVS delivers events late, twice, out of order: events reach an SQS queue, and a
 * Lambda function applies each one only if it is newer than what the table holds, with
 * conditional writes and transactions (see the state tracker guide (docs/state-tracker.md)).
 */
export class IvsStageStateTracker extends Construct {
  /** The table: `pk` (stage ARN) and `sk` (see the table contract in docs/state-tracker.md). */
  public readonly table: dynamodb.ITable;
  /** The queue between EventBridge and the function. */
  public readonly queue: sqs.IQueue;
  /** Where records go after `maxReceiveCount` failed receives. */
  public readonly deadLetterQueue: sqs.IQueue;
  /** The function applying events to the table. */
  public readonly handler: lambda.IFunction;
  /** The rule sending IVS events to `queue`. */
  public readonly rule: IvsStageEventRule;
  /** ALARM on dead letters, on events waiting too long, on function errors, and on a stage the reconciler fails on repeatedly. */
  public readonly alarms: cloudwatch.Alarm[];
  /**
   * The scheduled function repairing what IVS never delivered; it reports the `Repairs`,
   * `Failures` and `StagesFailingRepeatedly` metrics. With listed stages it also writes their list
   * into the table when the stack deploys (`Custom::IvsTrackedStages`).
   */
  public readonly reconciler: lambda.IFunction;
  /** The bus `StageActivity` events are put on. */
  public readonly activityEventBus: events.IEventBus;
  /** The ARNs of the stages it tracks (`stages` and `stageArns` merged); empty when it tracks every stage of its account and region. */
  public readonly stageArns: string[];
  private readonly props: IvsStageStateTrackerProps;
  private readonly activityPipes: pipes.CfnPipe[];

  constructor(scope: Construct, id: string, props: IvsStageStateTrackerProps = {}) {
    super(scope, id);
    this.props = props;
    validateIntegerRange('maxReceiveCount', props.maxReceiveCount, 1, 1000);
    validateIntegerRange('maxConcurrency', props.maxConcurrency, 2, 1000);
    validateSchedule('reconcileSchedule', props.reconcileSchedule?.expressionString);
    validateLocalBus(this, 'activityEventBus', props.activityEventBus);
    // At least a day, EventBridge's longest retry: a late duplicate of a finished participant's
    // events must find its item, or it recreates the participant. At most ten years, against typos.
    validateSecondsRange('finishedParticipantRetention', props.finishedParticipantRetention, EVENT_AGE_SECONDS.max, 10 * 365 * 86400);
    const runtime = functionRuntime(props.runtime);
    const stageArns = stageArnsOf(props);
    this.stageArns = stageArns;
    const key = props.encryptionKey;
    const queueEncryption = { encryption: key ? sqs.QueueEncryption.KMS : sqs.QueueEncryption.SQS_MANAGED, encryptionMasterKey: key };

    const table = createStateTable(this, { encryptionKey: key, removalPolicy: props.removalPolicy });
    this.table = table;
    // The one dead-letter queue of every delivery the tracker makes: its rules' targets, its event
    // queue's redrive, its pipes.
    this.deadLetterQueue = deadLetterQueueFor(this, { encryptionKey: key, removalPolicy: props.removalPolicy });
    const queue = new sqs.Queue(this, 'Queue', {
      ...queueEncryption,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(FUNCTION_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(14),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
      removalPolicy: props.removalPolicy,
    });
    this.queue = queue;

    const role = new iam.Role(this, 'HandlerRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const logGroup = trackerLogGroup(this, 'HandlerLogs', 'functions', key, props.removalPolicy);
    logGroup.grantWrite(role);
    const handler = new lambda.Function(this, 'Handler', {
      runtime,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(HANDLER_BUNDLE),
      role,
      logGroup,
      timeout: FUNCTION_TIMEOUT,
      memorySize: 256,
      description: `Applies Amazon IVS events to ${this.node.path}'s table, latest event first`,
      environment: {
        TABLE_NAME: this.table.tableName,
        RETENTION_SECONDS: String((props.finishedParticipantRetention ?? Duration.days(7)).toSeconds()),
        ACCOUNT_ID: Stack.of(this).account,
      },
    });
    // applyChange's calls, on the table alone: GetItem, UpdateItem, transactions of Updates (allowed by UpdateItem).
    const itemActions = [DYNAMODB_ITEM_ACTIONS.get, DYNAMODB_ITEM_ACTIONS.update];
    handler.addToRolePolicy(new iam.PolicyStatement({ actions: itemActions, resources: [table.tableArn] }));
    table.encryptionKey?.grantEncryptDecrypt(handler);
    handler.addEventSource(new lambdaEventSources.SqsEventSource(queue, {
      batchSize: 10,
      reportBatchItemFailures: true,
      maxConcurrency: props.maxConcurrency ?? 2,
    }));
    this.handler = handler;
    this.reconciler = createReconciler(this, {
      runtime,
      table: this.table,
      stageArns,
      logGroup,
      schedule: props.reconcileSchedule,
      maxApiCalls: props.reconcilerMaxApiCalls,
      retention: props.finishedParticipantRetention,
    });
    [handler, this.reconciler].forEach(fn => explainTestedRuntime(fn, props.runtime));

    this.rule = new IvsStageEventRule(this, 'Events', {
      events: IvsEvent.all(),
      stageArns,
      maxPatternLength: props.maxPatternLength,
      // The tracker's one, alarmed dead-letter queue: an undelivered event is never silent.
      deadLetterQueue: this.deadLetterQueue,
      // The library's statement in the queue policy (aws:SourceArn, aws:SourceAccount), whatever the flags and the key.
      targets: [new QueueTarget(queue)],
    });

    this.alarms = createTrackerAlarms(this, {
      table, deadLetterQueue: this.deadLetterQueue, queue, reconciler: this.reconciler, handler, alarmActions: props,
    });

    this.activityEventBus = props.activityEventBus ?? events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.activityPipes = createActivityPipes(this, { table, bus: this.activityEventBus, deadLetterQueue: this.deadLetterQueue });
    recordComplianceReasons(this, table, role);
  }

  /**
   * A rule on `activityEventBus` for `StageActivity.STAGE_ACTIVE` events: e.g. start a
   * composition on a stage's first publisher. The target gets a dead-letter queue and
   * retries as every rule of this library.
   */
  public onStageActive(id: string, target: events.IRuleTarget): events.Rule {
    return this.onActivity(id, StageActivity.STAGE_ACTIVE, target);
  }

  /**
   * A rule on `activityEventBus` for `StageActivity.STAGE_IDLE` events: e.g. stop a
   * composition. With `gracePeriod`, for `StageActivity.STAGE_IDLE_CONFIRMED` events instead:
   * only stages still idle when the grace period ends.
   */
  public onStageIdle(id: string, target: events.IRuleTarget, options: StageIdleOptions = {}): events.Rule {
    if (options.gracePeriod === undefined) {
      return this.onActivity(id, StageActivity.STAGE_IDLE, target);
    }
    const grace = this.idleGrace(options.gracePeriod);
    const rule = this.onActivity(id, StageActivity.STAGE_IDLE_CONFIRMED, target, { gracePeriodSeconds: [grace.gracePeriodSeconds] });
    // Updated after the machine that puts the confirmations (see onActivity).
    rule.node.addDependency(grace.stateMachine.node.defaultChild!);
    return rule;
  }

  /**
   * How many changes the reconciler wrote because IVS had not delivered them: events lost
   * on the way, worth a graph and an alarm. Sent only by runs (embedded metric format).
   *
   * @default - Sum over 1 hour
   */
  public metricRepairs(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: 'Repairs',
      dimensionsMap: { TableName: this.table.tableName },
      statistic: cloudwatch.Stats.SUM,
      period: Duration.hours(1),
      ...props,
    });
  }

  /** Lets `grantee` read the table (its items and its indexes). */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.table.grantReadData(grantee);
  }

  private onActivity(id: string, activity: StageActivity, target: events.IRuleTarget, detail?: Record<string, unknown>): events.Rule {
    const rule = new ReliableRule(this, id, {
      eventBus: this.activityEventBus,
      // Only this tracker's events: trackers of other environments may put theirs on the same bus.
      eventPattern: { source: [activity.source], detailType: [activity.detailType], resources: [this.table.tableArn], detail },
      description: `${activity.detailType} events of ${this.node.path}`,
      targets: [target],
      delivery: { deadLetterQueue: this.deadLetterQueue, retryAttempts: MAX_RETRY_ATTEMPTS, maxEventAge: Duration.seconds(EVENT_AGE_SECONDS.max) },
    });
    // CloudFormation updates the rule after the pipes: a rule that matches on `resources` never
    // waits on a pipe that does not yet put them, so a stack updated from a release without them
    // loses no event on the way.
    rule.node.addDependency(...this.activityPipes);
    return rule;
  }

  /** One state machine per grace period, shared by every `onStageIdle` with it, so each idle is confirmed once. */
  private idleGrace(gracePeriod: Duration): IdleGrace {
    validateKnownDuration('gracePeriod', gracePeriod, 'the state machine\'s timeout and the rule\'s pattern are computed from it');
    const id = `IdleGrace${gracePeriod.toSeconds({ integral: false })}s`.replace('.', '_');
    const existing = this.node.tryFindChild(id) as IdleGrace | undefined;
    if (existing) return existing;
    const grace = new IdleGrace(this, id, {
      table: this.table,
      bus: this.activityEventBus,
      gracePeriod,
      alarmActions: this.props,
      key: this.props.encryptionKey,
      removalPolicy: this.props.removalPolicy,
    });
    this.onActivity(`${id}Start`, StageActivity.STAGE_IDLE, new targets.SfnStateMachine(grace.stateMachine));
    recordComplianceReasons(grace);
    this.alarms.push(grace.alarm);
    return grace;
  }
}
