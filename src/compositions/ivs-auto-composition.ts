import { createHash } from 'crypto';
import { Duration, Names, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { CompositionActivity } from './composition-activity';
import { CompositionDestination } from './composition-destination';
import { CompositionLayout } from './composition-layout';
import { startDefinition, stopDefinition } from './composition-machines';
import { AlarmActionsOptions } from '../alarms/alarm-actions';
import { registerCompositions } from '../private/account-quotas';
import { createAlarms } from '../private/alarm-actions';
import { COMPOSITION_QUOTAS, DEFAULT_MAX_PATTERN_LENGTH, EVENT_AGE_SECONDS, MAX_RETRY_ATTEMPTS } from '../private/aws-facts';
import { unfinishedRuns } from '../private/metrics';
import { suppressNag } from '../private/nag';
import { ReliableRule } from '../private/reliable-rule';
import { stageArnsOf } from '../private/stages';
import { validateKnownDuration, validateSecondsRange } from '../private/validation';
import { EncryptionOptions, RemovalPolicyOptions, StageSelectionOptions } from '../rules/event-source-options';
import { recordComplianceReasons } from '../tracker/compliance';
import { MAX_GRACE_SECONDS } from '../tracker/idle-grace';
import { IvsStageStateTracker } from '../tracker/ivs-stage-state-tracker';
import { trackerLogGroup } from '../tracker/tracker-resources';

/** A stage ARN as a token may resolve to: at most 128 characters (Composition.stageArn), with quotes and a comma. */
const TOKEN_ARN_LENGTH = 131;
/**
 * What a rule's pattern holds besides the stage list: source, detail-type, grace period (300,
 * generously), and the tracker's table ARN in `resources`, which may be a token: a table name
 * has at most 255 characters (DynamoDB naming rules), its ARN's other parts about 70.
 */
const PATTERN_OVERHEAD = 300 + 255 + 70;

/**
 * Properties of an `IvsAutoComposition`.
 */
export interface IvsAutoCompositionProps extends StageSelectionOptions, AlarmActionsOptions, EncryptionOptions, RemovalPolicyOptions {
  /** The tracker whose `IVS Stage Active` and `IVS Stage Idle Confirmed` events start and stop the compositions, and whose table keeps their state. */
  readonly tracker: IvsStageStateTracker;

  /** Where each composition goes: one or two destinations, at most one channel and one S3 recording. */
  readonly destinations: CompositionDestination[];

  /**
   * How the composition arranges the participants.
   *
   * @default CompositionLayout.grid()
   */
  readonly layout?: CompositionLayout;

  /**
   * How long a stage must stay idle (no publisher) before its compositions are stopped: the
   * tracker's `onStageIdle` grace period: whole seconds, from 1 second to a year less an hour
   * (a Standard run's longest, less the run's checks). IVS itself ends a composition only a minute
   * after every participant, subscribers included, has left.
   *
   * @default Duration.minutes(2)
   */
  readonly stopGracePeriod?: Duration;
}

/**
 * Starts a composition on each stage that becomes active, once per activity transition however
 * often the event is delivered, and stops the stage's compositions once it has stayed idle for
 * a grace period. Two Step Functions Standard state machines, no code: a strongly consistent
 * read of the stage (a stage no longer active from that transition starts nothing),
 * StartComposition (with the transition and the construct as idempotency token, retried with backoff on the
 * concurrency quota and throttling), then the recording prefix of an S3 destination onto the
 * tracker's table;
 * a strongly consistent re-read of the stage, ListCompositions and StopComposition. A start or
 * stop that fails puts a `CompositionActivity` event on the tracker's bus and raises an alarm.
 */
export class IvsAutoComposition extends Construct {
  /** The state machine that starts a stage's composition on `IVS Stage Active`. */
  public readonly startStateMachine: sfn.StateMachine;
  /** The state machine that stops a stage's compositions on `IVS Stage Idle Confirmed`: every one that runs, other constructs' and others' included. */
  public readonly stopStateMachine: sfn.StateMachine;
  /** ALARM when a start or a stop failed (runs failed, timed out or were aborted). */
  public readonly alarms: cloudwatch.Alarm[];
  /** The stages automated: empty for every stage the tracker tracks. */
  public readonly stageArns: string[];
  private readonly tracker: IvsStageStateTracker;

  constructor(scope: Construct, id: string, props: IvsAutoCompositionProps) {
    super(scope, id);
    validateDestinations(props.destinations);
    // Before the tracker's own checks, which would name its `gracePeriod`, not this prop.
    validateKnownDuration('stopGracePeriod', props.stopGracePeriod,
      'the tracker\'s grace state machine and the stop rule\'s pattern are computed from it');
    validateSecondsRange('stopGracePeriod', props.stopGracePeriod, 1, MAX_GRACE_SECONDS);
    this.tracker = props.tracker;
    this.stageArns = stageArnsOf(props);
    const gracePeriod = props.stopGracePeriod ?? Duration.minutes(2);
    const tracker = props.tracker;
    const s3 = props.destinations.find(d => d.kind === 's3');
    const logGroup = trackerLogGroup(this, 'Logs', 'compositions', props.encryptionKey, props.removalPolicy, '/aws/vendedlogs/states');
    const machine = (machineId: string, comment: string, definition: sfn.IChainable) => new sfn.StateMachine(this, machineId, {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: Duration.minutes(30),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      comment,
      removalPolicy: props.removalPolicy,
    });
    const machineProps = { table: tracker.table, bus: tracker.activityEventBus };
    this.startStateMachine = machine('Start', 'Starts a composition of a stage that became active, once per transition',
      startDefinition(new Construct(this, 'StartStates'), {
        ...machineProps,
        destinations: props.destinations.map(d => d._render()),
        layout: (props.layout ?? CompositionLayout.grid())._render(),
        resourceArns: props.destinations.flatMap(d => d._arns()),
        namesEncoder: props.destinations.some(d => d._namesEncoder()),
        bucketName: s3?.bucketName,
        tokenSuffix: createHash('sha256').update(Names.uniqueId(this)).digest('hex').slice(0, 8),
      }));
    this.stopStateMachine = machine('Stop', `Stops the compositions of a stage idle for ${gracePeriod.toSeconds()} seconds`,
      stopDefinition(new Construct(this, 'StopStates'), machineProps));
    // The tasks' grants name the table; a customer-managed key of the table needs its own.
    tracker.table.encryptionKey?.grantEncryptDecrypt(this.startStateMachine);
    tracker.table.encryptionKey?.grantDecrypt(this.stopStateMachine);

    const uid = Names.uniqueId(this);
    chunksOf(stagesToFilter(this.stageArns, tracker)).forEach((stages, i) => {
      const suffix = this.stageArns.length > 0 ? String(i) : '';
      const active = tracker.onStageActive(`${uid}Start${suffix}`, new targets.SfnStateMachine(this.startStateMachine));
      const idle = tracker.onStageIdle(`${uid}Stop${suffix}`, new targets.SfnStateMachine(this.stopStateMachine), { gracePeriod });
      if (stages.length > 0) {
        [active, idle].forEach(rule => rule.addEventPattern({ detail: { stageArn: stages } }));
      }
    });
    // Without a list of its own it automates the tracker's stages: every stage only when the tracker tracks every one.
    registerCompositions(this, this.stageArns.length > 0 ? this.stageArns : tracker.stageArns);

    this.alarms = createAlarms(this, [
      failureRow('StartFailures', this.startStateMachine, 'Compositions could not be started (StartComposition refused after retries, or the run failed)'),
      failureRow('StopFailures', this.stopStateMachine, 'Compositions of idle stages could not be stopped: they keep running, and costing'),
    ], props);
    for (const m of [this.startStateMachine, this.stopStateMachine]) {
      suppressNag(m.role.node.findChild('DefaultPolicy'), [{
        id: 'AwsSolutions-IAM5',
        reason: 'Log delivery, X-Ray and ivs:ListCompositions have no resource-level permissions (Service Authorization Reference); '
          + 'the stage comes from the activity event and the composition is created or listed at run time, so stage/* and composition/* '
          + '(and encoder-configuration/*, IVS\'s default encoding, when no destination names one: StartComposition requires that resource type) '
          + 'of this account and region; the DynamoDB and PutEvents grants name the one table and bus (PutEvents conditioned on source and detail-type).',
        appliesTo: ['Resource::*', { regex: '/^Resource::arn:<AWS::Partition>:ivs:[^:]+:[^:]+:(stage|composition|encoder-configuration)\\/\\*$/g' }],
      }]);
    }
    recordComplianceReasons(this);
  }

  /** A rule on the tracker's bus for this construct's `CompositionActivity.START_FAILED` events, with the library's dead-letter queue and retries. */
  public onStartFailed(id: string, target: events.IRuleTarget): events.Rule {
    return this.onActivity(id, CompositionActivity.START_FAILED, target);
  }

  /** A rule on the tracker's bus for this construct's `CompositionActivity.STOP_FAILED` events, with the library's dead-letter queue and retries. */
  public onStopFailed(id: string, target: events.IRuleTarget): events.Rule {
    return this.onActivity(id, CompositionActivity.STOP_FAILED, target);
  }

  private onActivity(id: string, activity: CompositionActivity, target: events.IRuleTarget): events.Rule {
    return new ReliableRule(this, id, {
      eventBus: this.tracker.activityEventBus,
      eventPattern: {
        source: [activity.source],
        detailType: [activity.detailType],
        // Other IvsAutoComposition constructs of the tracker put theirs on the same bus.
        detail: {
          stateMachineArn: [(activity === CompositionActivity.START_FAILED ? this.startStateMachine : this.stopStateMachine)
            .stateMachineArn],
        },
      },
      description: `${activity.detailType} events of ${this.node.path}`,
      targets: [target],
      delivery: {
        deadLetterQueue: this.tracker.deadLetterQueue, retryAttempts: MAX_RETRY_ATTEMPTS, maxEventAge: Duration.seconds(EVENT_AGE_SECONDS.max),
      },
    });
  }
}

function failureRow(id: string, machine: sfn.StateMachine, description: string) {
  return {
    id,
    description: `${description}: see the state machine's failed runs, and the ${id.startsWith('Start') ? 'START_FAILED' : 'STOP_FAILED'} events.`,
    metric: unfinishedRuns(machine, 'Runs that failed'),
  };
}

function validateDestinations(destinations: CompositionDestination[]): void {
  const kinds = destinations.map(d => d.kind);
  if (destinations.length < 1 || destinations.length > COMPOSITION_QUOTAS.destinations) {
    throw new Error(`\`destinations\` must hold 1 or ${COMPOSITION_QUOTAS.destinations} destinations (IVS composes to at most `
      + `${COMPOSITION_QUOTAS.destinations}), got ${destinations.length}${kinds.length ? ` (${kinds.join(', ')})` : ''}`);
  }
  if (new Set(kinds).size !== kinds.length) {
    throw new Error(`\`destinations\` must hold at most one channel and one s3 destination (StartComposition), got ${kinds.join(', ')}`);
  }
}

/**
 * The stages the activity rules must filter on: none when the list covers every stage of the
 * tracker, whose events are only of its stages (its rule takes only theirs): 2 rules, not 2 per
 * 2,048 characters of ARNs. Only a list that leaves out some of the tracker's stages, or any list
 * on a tracker of every stage, needs the filter.
 */
function stagesToFilter(stageArns: string[], tracker: IvsStageStateTracker): string[] {
  const tracked = tracker.stageArns;
  const listed = new Set(stageArns);
  return tracked.length > 0 && tracked.every(arn => listed.has(arn)) ? [] : stageArns;
}

/** The stage list in parts whose rule patterns fit EventBridge's default 2,048 characters; one part, empty, for every stage. */
function chunksOf(stageArns: string[]): string[][] {
  if (stageArns.length === 0) {
    return [[]];
  }
  const chunks: string[][] = [[]];
  let length = 0;
  for (const arn of stageArns) {
    const size = Token.isUnresolved(arn) ? TOKEN_ARN_LENGTH : arn.length + 3;
    if (length + size > DEFAULT_MAX_PATTERN_LENGTH - PATTERN_OVERHEAD && chunks[chunks.length - 1].length > 0) {
      chunks.push([]);
      length = 0;
    }
    chunks[chunks.length - 1].push(arn);
    length += size;
  }
  return chunks;
}
