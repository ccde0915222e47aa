import { RemovalPolicy } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { aws_ivs as ivsRefs } from 'aws-cdk-lib/interfaces';

/**
 * Which stages' events a construct takes, shared by every construct of this library.
 */
export interface StageSelectionOptions {
  /**
   * Only events of these stages. Tokens such as `CfnStage.attrArn` are accepted.
   *
   * The stage is `resources` for Stage Update and Participant Recording events and
   * `detail.stage_arn` for Composition events; the rules read the right one for each.
   *
   * @default - events of every stage in the account and region
   */
  readonly stageArns?: string[];

  /**
   * Only events of these stages, given as stage resources (e.g. `CfnStage`).
   * Combined with `stageArns`.
   *
   * @default - no stages beyond `stageArns`
   */
  readonly stages?: ivsRefs.IStageRef[];

  /**
   * The longest event pattern a rule may have: EventBridge's quota in your account
   * (2048 by default, adjustable up to 4096). When the stages make a pattern longer,
   * they are split across as few rules as needed, each with the same targets,
   * dead-letter queue and retry policy; metrics and alarms sum over all of them.
   *
   * @default 2048
   */
  readonly maxPatternLength?: number;
}

/**
 * Where a rule-backed construct reads IVS events: its stages and its event bus.
 */
export interface IvsEventSourceOptions extends StageSelectionOptions {
  /**
   * The event bus the events are on. IVS publishes only to the account's default bus:
   * give another bus only when IVS events are forwarded to it (e.g. a central
   * monitoring account).
   *
   * @default - the account's default event bus
   */
  readonly eventBus?: events.IEventBus;
}

/**
 * How a construct encrypts what it creates to hold events.
 *
 * Queues the library creates use SQS-managed encryption (SSE-SQS) unless a key is
 * given. A construct that creates an SNS topic, or a whole environment's monitoring,
 * creates one customer-managed key when none is given: SNS has no service-managed
 * encryption that EventBridge and CloudWatch can publish with.
 */
export interface EncryptionOptions {
  /**
   * The customer-managed key that encrypts every queue, topic and log group this construct
   * creates, and the state tracker's DynamoDB table (`IvsStageStateTracker`, or
   * `IvsRealTimeMonitoring` with `stateTracking`). Its key policy is extended so that
   * EventBridge (and CloudWatch Logs, for the library's log groups) can use it.
   *
   * @default - queues: SSE-SQS; the tracker's table: DynamoDB's AWS managed key (`alias/aws/dynamodb`); topics and
   * monitoring environments: a key the construct creates, with rotation enabled
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * Where events that could not be delivered go.
 */
export interface DeadLetterOptions extends EncryptionOptions {
  /**
   * Where events that could not be delivered to a target go once retries run out, e.g.
   * one queue shared by several constructs. A standard (not FIFO) queue in the same
   * region; `encryptionKey` does not apply to it.
   *
   * @default - one queue for this construct: encrypted (see `encryptionKey`), TLS
   * enforced, 14-day retention
   */
  readonly deadLetterQueue?: sqs.IQueue;
}

/**
 * What happens to what a construct creates to hold events when it leaves the stack (or
 * the stack is deleted): its queues, log groups, archive, keys, and the state tracker's
 * table and grace-period state machines.
 */
export interface RemovalPolicyOptions {
  /**
   * The removal policy of every queue, log group, archive and key this construct creates,
   * and of the state tracker's DynamoDB table and its grace-period state machines
   * (`IvsStageStateTracker`, or `IvsRealTimeMonitoring` with `stateTracking`): `DESTROY`
   * deletes the table with every stage's state.
   *
   * @default - each type's CloudFormation default in aws-cdk-lib: log groups, keys and the
   * tracker's table are retained, queues, the archive and state machines are deleted
   */
  readonly removalPolicy?: RemovalPolicy;
}
