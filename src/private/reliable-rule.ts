import { Annotations, Duration, Lazy, RemovalPolicy, Stack, Token, TokenComparison } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
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
    const config = this.inner.bind(bindingRule(this.inner, rule), id);
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
 * aws-cdk-lib's SqsQueue target writes one queue-policy statement per rule it is bound to: a
 * target given to the rules a stage list was split into (25 rules at 200 stages) passed SQS's
 * 20 statements and 8,192 bytes. Bound to a second rule, it is bound as if to the first (the
 * same statement, which the policy document writes once), and every rule is named in the one
 * statement of `allowRuleToSendToQueue` instead. A target with its own dead-letter queue is
 * left alone: its dead-letter statement must name each rule.
 */
function bindingRule(target: events.IRuleTarget, rule: events.IRule): events.IRule {
  if (!(target instanceof eventsTargets.SqsQueue) || (target as unknown as { props?: eventsTargets.SqsQueueProps }).props?.deadLetterQueue) {
    return rule;
  }
  const first = firstRules.get(target);
  if (!first) {
    firstRules.set(target, rule);
    return rule;
  }
  allowRuleToSendToQueue(first, target.queue, 'targets');
  allowRuleToSendToQueue(rule, target.queue, 'targets');
  return first;
}

const firstRules = new WeakMap<events.IRuleTarget, events.IRule>();

/** Why EventBridge sends to a queue: each purpose has its own statement in the queue's policy. */
type QueueUse = 'deadLetters' | 'targets';

const QUEUE_USES: Record<QueueUse, { sid: string; prop: string; what: string; lost: string; sourceAccount: boolean }> = {
  // Only aws:SourceArn on the dead-letter path: it is the key EventBridge's DLQ documentation
  // shows (eb-rule-dlq.html); a key the request lacked would make every dead letter fail.
  deadLetters: { sid: 'AllowEventBridgeRulesToSendUndeliveredEvents', prop: 'deadLetterQueue', what: 'The dead-letter queue', lost: 'undelivered events are lost', sourceAccount: false },
  // Targets: aws:SourceArn and aws:SourceAccount, the keys EventBridge sets when it calls SQS
  // as a service principal (aws-cdk-lib's SqsQueue target uses the one or the other).
  targets: { sid: 'AllowEventBridgeRulesToSendEvents', prop: 'targets', what: 'The target queue', lost: 'the events sent to it are refused', sourceAccount: true },
};

/**
 * EventBridge writes to a queue with the rule's service identity, so the queue policy must
 * allow it. One statement per queue and use, however many rules share it: a statement per
 * rule (what aws-cdk-lib's SqsQueue target writes) passed SQS's 20 statements and 8,192
 * bytes at a few dozen rules. It names the rules' ARNs while they are few; beyond that every
 * rule of this account and region, which keeps its size fixed. Not a prefix of the rule
 * names: CloudFormation truncates the stack name and logical id in the names it generates,
 * so a prefix could miss a rule, and that rule's events would be refused silently. A queue
 * in another account cannot be changed from here: the user must add that statement.
 */
export function allowRuleToSendToQueue(rule: events.IRule, queue: sqs.IQueue, use: QueueUse = 'deadLetters'): void {
  const { sid, prop, what, lost, sourceAccount } = QUEUE_USES[use];
  if (!sameDimension(rule.env.region, queue.env.region)) {
    throw new Error(`\`${prop}\` must be in the rule's region (${rule.env.region}), got a queue in ${queue.env.region}`);
  }
  if (!sameDimension(rule.env.account, queue.env.account)) {
    Annotations.of(rule).addWarningV2('cdk-ivs-realtime-events:deadLetterQueueOtherAccount',
      `${what} is in account ${queue.env.account}: add a queue policy there allowing events.amazonaws.com to sqs:SendMessage from ${rule.ruleArn}, or ${lost}.`);
    return;
  }
  const key = `${use}`;
  const perUse = queueSources.get(queue) ?? new Map<string, string[]>();
  queueSources.set(queue, perUse);
  let sources = perUse.get(key);
  if (!sources) {
    const arns: string[] = [];
    const stack = Stack.of(rule);
    const everyRule = stack.formatArn({ service: 'events', resource: 'rule', resourceName: '*' });
    const { statementAdded } = queue.addToResourcePolicy(new iam.PolicyStatement({
      sid,
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [queue.queueArn],
      conditions: {
        ArnLike: { 'aws:SourceArn': Lazy.list({ produce: () => arns.length <= MAX_LISTED_SOURCE_RULES ? arns : [everyRule] }) },
        ...(sourceAccount ? { StringEquals: { 'aws:SourceAccount': stack.account } } : {}),
      },
    }));
    if (!statementAdded) {
      Annotations.of(rule).addWarningV2('cdk-ivs-realtime-events:deadLetterQueuePolicyNotUpdated',
        `${what} ${queue.queueArn} is not managed by this app: add a queue policy allowing events.amazonaws.com to `
        + `sqs:SendMessage from the rules that use it (aws:SourceArn), or ${lost}.`);
    }
    sources = arns;
    perUse.set(key, sources);
  }
  if (!sources.includes(rule.ruleArn)) {
    sources.push(rule.ruleArn);
  }
}

/**
 * Rules a queue's policy names one by one: 10 ARNs of at most ~375 characters
 * (a 256-character bus name and a 64-character rule name) keep it far below SQS's 8,192 bytes.
 */
const MAX_LISTED_SOURCE_RULES = 10;

const queueSources = new WeakMap<sqs.IQueue, Map<string, string[]>>();

/**
 * A queue as a rule's target, with the one statement of `allowRuleToSendToQueue` for all the
 * rules that send to it, conditioned on their ARNs and this account.
 */
export class QueueTarget implements events.IRuleTarget {
  constructor(private readonly queue: sqs.IQueue) {}

  public bind(rule: events.IRule, _id?: string): events.RuleTargetConfig {
    allowRuleToSendToQueue(rule, this.queue, 'targets');
    return { arn: this.queue.queueArn, targetResource: this.queue };
  }
}

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
