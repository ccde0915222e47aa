import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { tieCheck } from './idle-tie-check';
import { StageActivity } from './stage-activity';
import { readStageItem } from './stage-read';
import { trackerLogGroup } from './tracker-resources';
import { AlarmActionsOptions } from '../alarms/alarm-actions';
import { createAlarms } from '../private/alarm-actions';
import { STANDARD_WORKFLOW_MAX_SECONDS } from '../private/aws-facts';
import { unfinishedRuns } from '../private/metrics';
import { suppressNag } from '../private/nag';
import { ConditionedPutEvents } from '../private/put-events';
import { validateSecondsRange } from '../private/validation';

/** Time a run may spend after its wait: the read, the put, and their retries. */
const AFTER_WAIT = Duration.hours(1);

/** The longest grace period: a Standard workflow runs at most a year, and the checks follow the wait. */
export const MAX_GRACE_SECONDS = STANDARD_WORKFLOW_MAX_SECONDS - AFTER_WAIT.toSeconds();

export interface IdleGraceProps {
  readonly table: dynamodb.ITable;
  readonly bus: events.IEventBus;
  readonly gracePeriod: Duration;
  readonly alarmActions: AlarmActionsOptions;
  readonly key?: kms.IKey;
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Waits out a grace period after each `IVS Stage Idle` event, then puts an
 * `IVS Stage Idle Confirmed` event on the bus only if the stage is still idle from that
 * same transition: a strongly consistent read of the stage item, whose `version` grows with
 * every change of its count. A stage that became active within the grace (and maybe idle
 * again since) has a newer version: that later idle is confirmed by its own run. A stage whose
 * participant holds a same-second publish tie the rank decided is confirmed only if IVS says
 * nobody of its live session publishes (see idle-tie-check.ts): an idle decided by rank may not
 * be real. No code: Step Functions' own DynamoDB, IVS and EventBridge integrations.
 */
export class IdleGrace extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  public readonly gracePeriodSeconds: number;
  /** ALARM when a run failed: a stage that stayed idle may not have been reported. */
  public readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: IdleGraceProps) {
    super(scope, id);
    validateSecondsRange('gracePeriod', props.gracePeriod, 1, MAX_GRACE_SECONDS);
    this.gracePeriodSeconds = props.gracePeriod.toSeconds();
    const retry = { errors: ['States.TaskFailed'], interval: Duration.seconds(2), maxAttempts: 6, backoffRate: 2 };

    const read = readStageItem(this, props.table).addRetry(retry);
    const confirm = new ConditionedPutEvents(this, 'ConfirmIdle', {
      entries: [{
        eventBus: props.bus,
        source: StageActivity.STAGE_IDLE_CONFIRMED.source,
        detailType: StageActivity.STAGE_IDLE_CONFIRMED.detailType,
        // As the pipes' events: the table names the tracker the confirmation comes from.
        resources: [props.table.tableArn],
        detail: sfn.TaskInput.fromObject({
          'stageArn.$': '$.detail.stageArn',
          'transitionId.$': '$.detail.transitionId',
          'changedAt.$': '$.detail.changedAt',
          'sequence.$': '$.detail.sequence',
          'version.$': '$.detail.version',
          'gracePeriodSeconds': this.gracePeriodSeconds,
        }),
      }],
    }).addRetry(retry);
    const stale = new sfn.Succeed(this, 'NotIdleSinceThen');
    // A stage item without `version` predates it: nothing can be confirmed about it.
    const versioned = new sfn.Choice(this, 'HasVersion')
      .when(sfn.Condition.and(sfn.Condition.isPresent('$.stage.Item.publishers.N'), sfn.Condition.isPresent('$.stage.Item.version.N')),
        new sfn.Choice(this, 'StillIdleFromThatTransition')
          .when(sfn.Condition.and(
            sfn.Condition.stringEquals('$.stage.Item.publishers.N', '0'),
            sfn.Condition.stringEqualsJsonPath('$.stage.Item.version.N', '$.detail.version'),
          ), tieCheck(this, { table: props.table, idle: confirm, publishing: new sfn.Succeed(this, 'TiedParticipantPublishesPerIvs') }, retry))
          .otherwise(stale))
      .otherwise(stale);

    // One log group for every grace period of a tracker, under /aws/vendedlogs/: vended logs
    // there need no CloudWatch Logs resource policy (at most 10 per account and region).
    const logGroup = scope.node.tryFindChild('IdleGraceLogs') as logs.ILogGroup | undefined
      ?? trackerLogGroup(scope, 'IdleGraceLogs', 'idle-grace', props.key, props.removalPolicy, '/aws/vendedlogs/states');
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(
        new sfn.Wait(this, 'GracePeriod', { time: sfn.WaitTime.duration(props.gracePeriod) }).next(read).next(versioned),
      ),
      timeout: props.gracePeriod.plus(AFTER_WAIT),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      comment: `Confirms that a stage is still idle ${this.gracePeriodSeconds} seconds after it went idle`,
      removalPolicy: props.removalPolicy,
    });
    [this.alarm] = createAlarms(this, [{
      id: 'Failures',
      description: `Idle stages could not be confirmed after ${this.gracePeriodSeconds} seconds (runs failed, timed out or were aborted): `
        + 'onStageIdle targets may have missed them.',
      // A run that timed out or was aborted confirmed nothing either.
      metric: unfinishedRuns(this.stateMachine, 'Runs that confirmed nothing'),
    }], props.alarmActions);
    // The read of an encrypted table needs its key; the task's own grant covers GetItem only.
    props.table.encryptionKey?.grantDecrypt(this.stateMachine);
    suppressNag(this.stateMachine.role.node.findChild('DefaultPolicy'), [{
      id: 'AwsSolutions-IAM5',
      reason: 'Log delivery and X-Ray actions have no resource-level permissions (Service Authorization Reference); '
        + 'the read names the one table and its sparse index, the put the one bus, the IVS reads stage/* of this account and region '
        + '(the stage comes from the idle event, so no fixed list can name it).',
      appliesTo: ['Resource::*', { regex: '/^Resource::arn:<AWS::Partition>:ivs:[^:]+:[^:]+:stage\\/\\*$/g' }],
    }]);
  }
}
