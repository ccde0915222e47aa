import { Annotations, Duration, Lazy, RemovalPolicy, Stack, Token, TokenComparison } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { checkAccountQuotas } from './account-quotas';
import { MAX_TARGETS_PER_RULE } from './aws-facts';
import { allowEventBridgeToUseKey } from './encryption';
import { suppressNag } from './nag';

export interface DeliveryOptions {
  readonly deadLetterQueue: sqs.IQueue;
  readonly retryAttempts: number;
  readonly maxEventAge: Duration;
  /** What targets receive unless they set their own input; the matched event when absent. */
  readonly defaultInput?: events.RuleTargetInput;
}

export interface ReliableRuleProps extends events.RuleProps {
  readonly delivery: DeliveryOptions;
}

/**
 * A rule whose every target, however it is added (our `addTarget`, `rule.addTarget`
 * from user code, or `targets` at construction), gets a dead-letter queue and an
 * explicit retry policy: without them EventBridge drops an event silently once its
 * retries run out.
 */
export class ReliableRule extends events.Rule {
  private readonly delivery: DeliveryOptions;
  private targetCount = 0;

  constructor(scope: Construct, id: string, props: ReliableRuleProps) {
    const { delivery, targets, ...ruleProps } = props;
    super(scope, id, ruleProps);
    this.delivery = delivery;
    checkAccountQuotas(this);
    allowRuleToSendToQueue(this, delivery.deadLetterQueue);
    for (const target of targets ?? []) {
      this.addTarget(target);
    }
  }

  public addTarget(target?: events.IRuleTarget): void {
    if (!target) {
      return;
    }
    if (this.targetCount >= MAX_TARGETS_PER_RULE) {
      throw new Error(`\`targets\` can hold at most ${MAX_TARGETS_PER_RULE} targets per EventBridge rule, got ${this.targetCount + 1}; `
        + 'fan out through one SNS topic or EventBridge bus target, or create another rule');
    }
    this.targetCount += 1;
    super.addTarget(new ReliableTarget(target, this.delivery));
  }
}

/**
 * Adds the dead-letter queue, retry policy and input a target did not set itself; a
 * target configured with its own keeps them.
 */
class ReliableTarget implements events.IRuleTarget {
  constructor(private readonly inner: events.IRuleTarget, private readonly delivery: DeliveryOptions) {}

  public bind(rule: events.IRule, id?: string): events.RuleTargetConfig {
    const config = this.inner.bind(rule, id);
    return {
      ...config,
      input: config.input ?? this.delivery.defaultInput,
      deadLetterConfig: config.deadLetterConfig ?? { arn: this.delivery.deadLetterQueue.queueArn },
      retryPolicy: config.retryPolicy ?? {
        maximumRetryAttempts: this.delivery.retryAttempts,
        maximumEventAgeInSeconds: this.delivery.maxEventAge.toSeconds(),
      },
    };
  }
}

/**
 * EventBridge writes to a dead-letter queue with the rule's service identity, so the
 * queue policy must allow it (eb-rule-dlq.html). One statement per queue, however many rules
 * share it: a statement per rule passed SQS's 20 statements and 8,192 bytes at a few dozen
 * rules. It names the rules' ARNs while they are few, and beyond that every rule of this
 * account and region, which keeps its size fixed. A queue in another account cannot be
 * changed from here: the user must add that statement themselves.
 */
function allowRuleToSendToQueue(rule: events.Rule, queue: sqs.IQueue): void {
  if (!sameDimension(rule.env.region, queue.env.region)) {
    throw new Error(`\`deadLetterQueue\` must be in the rule's region (${rule.env.region}), got a queue in ${queue.env.region}`);
  }
  if (!sameDimension(rule.env.account, queue.env.account)) {
    Annotations.of(rule).addWarningV2('cdk-ivs-realtime-events:deadLetterQueueOtherAccount',
      `The dead-letter queue is in account ${queue.env.account}: add a queue policy there allowing events.amazonaws.com to sqs:SendMessage from ${rule.ruleArn}, or undelivered events are lost.`);
    return;
  }
  let sources = queueSources.get(queue);
  if (!sources) {
    const arns: string[] = [];
    const stack = Stack.of(rule);
    const everyRule = stack.formatArn({ service: 'events', resource: 'rule', resourceName: '*' });
    const { statementAdded } = queue.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowEventBridgeRulesToSendUndeliveredEvents',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [queue.queueArn],
      // Only aws:SourceArn: it is the key EventBridge's DLQ documentation shows on this path
      // (eb-rule-dlq.html); a key the request lacks would make every dead letter fail.
      conditions: {
        ArnLike: { 'aws:SourceArn': Lazy.list({ produce: () => arns.length <= MAX_LISTED_SOURCE_RULES ? arns : [everyRule] }) },
      },
    }));
    if (!statementAdded) {
      Annotations.of(rule).addWarningV2('cdk-ivs-realtime-events:deadLetterQueuePolicyNotUpdated',
        `The dead-letter queue ${queue.queueArn} is not managed by this app: add a queue policy allowing events.amazonaws.com to `
        + 'sqs:SendMessage from the rules that use it (aws:SourceArn), or undelivered events are lost.');
    }
    sources = arns;
    queueSources.set(queue, sources);
  }
  sources.push(rule.ruleArn);
}

/**
 * Rules a dead-letter queue's policy names one by one: 10 ARNs of at most ~375 characters
 * (a 256-character bus name and a 64-character rule name) keep it far below SQS's 8,192 bytes.
 */
const MAX_LISTED_SOURCE_RULES = 10;

const queueSources = new WeakMap<sqs.IQueue, string[]>();

function sameDimension(a: string, b: string): boolean {
  return [TokenComparison.SAME, TokenComparison.ONE_UNRESOLVED, TokenComparison.BOTH_UNRESOLVED]
    .includes(Token.compareStrings(a, b));
}

/** The dead-letter props every construct takes: the shape of the public `DeadLetterOptions`. */
export interface DeadLetterProps {
  readonly deadLetterQueue?: sqs.IQueue;
  readonly encryptionKey?: kms.IKey;
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The one delivery-defaults decision for a construct's dead-letter queue: the given queue
 * (standard, unencrypted by us), or one this construct creates, encrypted with
 * `encryptionKey` or SSE-SQS. Either way, a KMS key on the queue lets EventBridge use it.
 */
export function deadLetterQueueFor(scope: Construct, props: DeadLetterProps): sqs.IQueue {
  if (props.deadLetterQueue && props.encryptionKey) {
    throw new Error('`encryptionKey` applies only to the dead-letter queue this construct creates: '
      + `encrypt the given \`deadLetterQueue\` (${props.deadLetterQueue.node.path}) yourself, or drop one of the two`);
  }
  if (props.deadLetterQueue?.fifo) {
    throw new Error(`\`deadLetterQueue\` must be a standard queue: EventBridge cannot use a FIFO queue as dead-letter queue, got ${props.deadLetterQueue.node.path}`);
  }
  const queue = props.deadLetterQueue ?? createDeadLetterQueue(scope, props.encryptionKey, props.removalPolicy);
  if (queue.encryptionMasterKey) {
    allowEventBridgeToUseKey(scope, queue.encryptionMasterKey);
  }
  return queue;
}

/**
 * The dead-letter queue the library creates for EventBridge targets: TLS only, 14 days
 * to inspect and redrive, encrypted with `encryptionMasterKey` (SSE-SQS without one).
 */
function createDeadLetterQueue(scope: Construct, encryptionMasterKey?: kms.IKey, removalPolicy?: RemovalPolicy): sqs.Queue {
  const queue = new sqs.Queue(scope, 'DeadLetterQueue', {
    encryption: encryptionMasterKey ? sqs.QueueEncryption.KMS : sqs.QueueEncryption.SQS_MANAGED,
    encryptionMasterKey,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    removalPolicy,
  });
  suppressNag(queue, [{
    id: 'AwsSolutions-SQS3',
    reason: 'This queue is itself the dead-letter queue of the EventBridge rule\'s targets (cdk-nag only recognizes SQS redrive DLQs); a DLQ of a DLQ would have nothing to catch.',
  }]);
  return queue;
}
