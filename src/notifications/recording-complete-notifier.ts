import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RecordingMessage } from './recording-message';
import { AlarmActionsOptions } from '../alarms/alarm-actions';
import { DeliveryAlarms } from '../alarms/delivery-alarms';
import { IvsEvent } from '../events/ivs-event';
import { MAX_TARGETS_PER_RULE } from '../private/aws-facts';
import { allowEventBridgeToUseKey, warnIfAwsManagedSnsKey } from '../private/encryption';
import { deadLetterQueueFor } from '../private/reliable-rule';
import { stageArnsOf } from '../private/stages';
import { ParticipantFilterOptions } from '../rules/event-filter-options';
import { DeadLetterOptions, IvsEventSourceOptions, RemovalPolicyOptions } from '../rules/event-source-options';
import { IvsStageEventRule } from '../rules/ivs-stage-event-rule';

/**
 * Properties for a `RecordingCompleteNotifier`.
 */
export interface RecordingCompleteNotifierProps extends AlarmActionsOptions, IvsEventSourceOptions, ParticipantFilterOptions,
  DeadLetterOptions, RemovalPolicyOptions {
  /**
   * The topic that receives one message per recording. It must not be encrypted with the
   * AWS-managed `alias/aws/sns` key.
   *
   * @default - a topic encrypted with `encryptionKey` (a key this construct creates when
   * none is given), TLS enforced
   */
  readonly topic?: sns.ITopic;

  /**
   * Properties of the topic this construct creates.
   *
   * @default - an encrypted topic with a generated name
   */
  readonly topicProps?: sns.TopicProps;

  /**
   * Queues that also receive every message.
   *
   * @default - none
   */
  readonly queues?: sqs.IQueue[];

  /**
   * Functions invoked with every message.
   *
   * @default - none
   */
  readonly functions?: lambda.IFunction[];

  /**
   * Any further targets. They receive the message unless configured with their own input.
   * The topic, queues, functions and targets together are at most 5 (an EventBridge limit).
   *
   * @default - none
   */
  readonly targets?: events.IRuleTarget[];

  /**
   * Whether Recording Start Failure and Recording End Failure send a failure message.
   *
   * @default true
   */
  readonly notifyFailures?: boolean;

  /**
   * Where failure messages go.
   *
   * @default - the same destinations as the completion messages
   */
  readonly failureTopic?: sns.ITopic;

  /**
   * Whether to alarm when a message lands in the dead-letter queue or a delivery fails.
   *
   * @default true
   */
  readonly deliveryAlarms?: boolean;

  /**
   * Prefix of the delivery alarms' names.
   *
   * @default - names CloudFormation generates
   */
  readonly alarmNamePrefix?: string;
}

/**
 * Sends one message per finished IVS participant recording (Recording End), and one per
 * failed recording, to an SNS topic and any other destinations.
 *
 * The messages are JSON documents built by EventBridge input transformers (see
 * `RecordingMessage`). Because EventBridge leaves a missing path empty, events with and
 * without `recording_duration_ms` are matched by separate rules, so that `durationMs`
 * is present exactly when IVS sent it.
 */
export class RecordingCompleteNotifier extends Construct {
  /** The topic that receives completion messages. */
  public readonly topic: sns.ITopic;
  /** The topic that receives failure messages, when one was given. */
  public readonly failureTopic?: sns.ITopic;
  /** The key encrypting the topic and dead-letter queue this construct created; undefined when it created neither. */
  public readonly encryptionKey?: kms.IKey;
  /** The queue holding messages no destination could take, shared by every rule. */
  public readonly deadLetterQueue: sqs.IQueue;
  /** Every rule: completion with and without duration, then (if on) failures with and without duration. */
  public readonly rules: IvsStageEventRule[];
  /** The rules of completed recordings (with and without duration): what a count of finished recordings sums. */
  public readonly completedRules: IvsStageEventRule[];
  /** The dead-letter queue and failed-invocation alarms, when `deliveryAlarms` is on. */
  public readonly deliveryAlarms?: DeliveryAlarms;

  constructor(scope: Construct, id: string, props: RecordingCompleteNotifierProps = {}) {
    super(scope, id);

    if (props.topic && props.topicProps) {
      throw new Error(`\`topic\` and \`topicProps\` cannot both be given: \`topicProps\` configures the topic this construct creates, but \`topic\` (${props.topic.node.path}) was given`);
    }
    const destinations = 1 + (props.queues?.length ?? 0) + (props.functions?.length ?? 0) + (props.targets?.length ?? 0);
    if (destinations > MAX_TARGETS_PER_RULE) {
      throw new Error(`\`topic\`, \`queues\`, \`functions\` and \`targets\` together can hold at most ${MAX_TARGETS_PER_RULE} destinations, got ${destinations}; `
        + 'subscribe further destinations to the topic instead');
    }

    if (props.failureTopic && props.notifyFailures === false) {
      throw new Error(`\`failureTopic\` (${props.failureTopic.node.path}) receives failure messages, which \`notifyFailures: false\` turns off: drop one of the two`);
    }
    if (props.topic && props.deadLetterQueue && props.encryptionKey) {
      throw new Error('`encryptionKey` encrypts the topic and dead-letter queue this construct creates, but both `topic` and `deadLetterQueue` '
        + `were given: drop \`encryptionKey\` (${props.encryptionKey.node.path}) or one of the two`);
    }
    // SNS has no service-managed key that EventBridge can publish with: a topic we create
    // needs a customer-managed key, which then encrypts the dead-letter queue too.
    this.encryptionKey = props.encryptionKey ?? (props.topic ? undefined : new kms.Key(this, 'Key', {
      enableKeyRotation: true,
      description: `Encrypts the topic and dead-letter queue of ${this.node.path}`,
      removalPolicy: props.removalPolicy,
    }));
    this.topic = props.topic ?? new sns.Topic(this, 'Topic', { masterKey: this.encryptionKey, enforceSSL: true, ...props.topicProps });
    // A key from `topicProps` replaces ours: EventBridge must be allowed to use it too.
    if (!props.topic && this.topic.masterKey) {
      allowEventBridgeToUseKey(this, this.topic.masterKey);
    }
    this.failureTopic = props.failureTopic;
    for (const [prop, topic] of [['topic', props.topic], ['failureTopic', props.failureTopic]] as const) {
      if (topic) {
        warnIfAwsManagedSnsKey(this, topic, prop);
      }
    }
    this.deadLetterQueue = deadLetterQueueFor(this, {
      deadLetterQueue: props.deadLetterQueue,
      encryptionKey: props.deadLetterQueue ? undefined : this.encryptionKey,
      removalPolicy: props.removalPolicy,
    });

    const completionTargets = (): events.IRuleTarget[] => [
      new targets.SnsTopic(this.topic),
      ...(props.queues ?? []).map(q => new targets.SqsQueue(q)),
      ...(props.functions ?? []).map(f => new targets.LambdaFunction(f)),
      ...(props.targets ?? []),
    ];
    const failureTargets = () => props.failureTopic ? [new targets.SnsTopic(props.failureTopic)] : completionTargets();

    this.completedRules = this.rulePair('Completed', [IvsEvent.RECORDING_END], RecordingMessage.complete, completionTargets, props);
    this.rules = [
      ...this.completedRules,
      ...(props.notifyFailures ?? true
        ? this.rulePair('Failed', IvsEvent.recordingFailures(), RecordingMessage.failure, failureTargets, props)
        : []),
    ];

    if (props.deliveryAlarms ?? true) {
      this.deliveryAlarms = new DeliveryAlarms(this, 'Delivery', { ...props, rules: this.rules });
    }
  }

  /** Lets `grantee` subscribe to the completion topic. */
  public grantSubscribe(grantee: iam.IGrantable): iam.Grant {
    return this.topic.grantSubscribe(grantee);
  }

  /**
   * Two rules for the same events: one for events that carry `recording_duration_ms`
   * (the message has `durationMs`), one for events that do not.
   */
  private rulePair(
    id: string,
    recordingEvents: IvsEvent[],
    message: (withDuration: boolean) => events.RuleTargetInput,
    destinations: () => events.IRuleTarget[],
    props: RecordingCompleteNotifierProps,
  ): IvsStageEventRule[] {
    const stageArns = stageArnsOf(props);
    // Every filter the props type offers, checked complete by the compiler.
    const filters: { [K in keyof Required<ParticipantFilterOptions>]: ParticipantFilterOptions[K] } = {
      sessionIds: props.sessionIds,
      sessionIdPrefixes: props.sessionIdPrefixes,
      participantIds: props.participantIds,
      participantIdPrefixes: props.participantIdPrefixes,
    };
    return [true, false].map(withDuration => new IvsStageEventRule(this, `${id}${withDuration ? 'WithDuration' : 'WithoutDuration'}`, {
      ...filters,
      events: recordingEvents,
      stageArns,
      eventBus: props.eventBus,
      maxPatternLength: props.maxPatternLength,
      detailFieldsPresent: withDuration ? [DURATION_FIELD] : undefined,
      detailFieldsAbsent: withDuration ? undefined : [DURATION_FIELD],
      deadLetterQueue: this.deadLetterQueue,
      targetInput: message(withDuration),
      targets: destinations(),
    }));
  }
}

/** Present on some Recording End (Failure) events only: the message carries it when it is. */
const DURATION_FIELD = 'recording_duration_ms';
