import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { aws_ivs as ivsRefs } from 'aws-cdk-lib/interfaces';
import { Construct } from 'constructs';
import { IvsEvent } from '../events/ivs-event';
import { sumOfMetrics } from '../private/alarms';
import { allowEventBridgeToUseKey } from '../private/encryption';
import {
  DEFAULT_MAX_PATTERN_LENGTH, MAX_PATTERN_LENGTH, ValueMatcher, planStageGroups, renderPattern,
} from '../private/pattern';
import { ReliableRule, createDeadLetterQueue } from '../private/reliable-rule';
import { checkRuleQuota } from '../private/rule-quota';
import {
  validateDescription, validateIdentifiers, validateIntegerRange, validateRuleName, validateSecondsRange, validateStageArn,
} from '../private/validation';

/**
 * Properties for an `IvsStageEventRule`.
 */
export interface IvsStageEventRuleProps {
  /**
   * The IVS events the rule matches.
   *
   * @default - every event in the catalog (`IvsEvent.all()`) that the given filters can
   * match: with a session or participant filter (`sessionIds`, `participantIds` or their
   * `...Prefixes`) only Stage Update and Participant Recording events, with a user filter
   * (`userIds`, `userIdPrefixes`) only Stage Update events
   */
  readonly events?: IvsEvent[];

  /**
   * Only events of these stages. Tokens such as `CfnStage.attrArn` are accepted.
   *
   * The stage is `resources` for Stage Update and Participant Recording events and
   * `detail.stage_arn` for Composition events; the rule reads the right one for each.
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
   * Only events of these stage sessions (`detail.session_id`, e.g. `st-ZyXwvu1T2s`).
   * Composition events carry no session id.
   *
   * @default - any session
   */
  readonly sessionIds?: string[];

  /**
   * Only events whose `detail.session_id` starts with one of these prefixes.
   * Combined with `sessionIds` (either matches).
   *
   * @default - no prefix filter
   */
  readonly sessionIdPrefixes?: string[];

  /**
   * Only events of these participants (`detail.participant_id`).
   * Composition events carry no participant id.
   *
   * @default - any participant
   */
  readonly participantIds?: string[];

  /**
   * Only events whose `detail.participant_id` starts with one of these prefixes.
   * Combined with `participantIds` (either matches).
   *
   * @default - no prefix filter
   */
  readonly participantIdPrefixes?: string[];

  /**
   * Only events of these users (`detail.user_id`, the `userId` of the participant token).
   * Only Stage Update events carry a user id; it may be the empty string.
   *
   * @default - any user
   */
  readonly userIds?: string[];

  /**
   * Only events whose `detail.user_id` starts with one of these prefixes.
   * Combined with `userIds` (either matches).
   *
   * @default - no prefix filter
   */
  readonly userIdPrefixes?: string[];

  /**
   * Targets to invoke for every matching event. At most 5 (an EventBridge limit).
   * Each gets the dead-letter queue and retry policy below unless it sets its own.
   *
   * @default - no targets; add them with `addTarget()`
   */
  readonly targets?: events.IRuleTarget[];

  /**
   * The rule's name: 1-64 characters of letters, digits, `.`, `-` and `_`.
   *
   * @default - a name CloudFormation generates
   */
  readonly ruleName?: string;

  /**
   * The rule's description, at most 512 characters.
   *
   * @default - a description listing the matched events
   */
  readonly description?: string;

  /**
   * Whether the rule is enabled.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The event bus the rule is on. IVS publishes only to the account's default bus:
   * give another bus only when events are forwarded to it.
   *
   * @default - the account's default event bus
   */
  readonly eventBus?: events.IEventBus;

  /**
   * Where events that could not be delivered to a target go once retries run out.
   * Must be a standard (not FIFO) queue in the rule's region.
   *
   * @default - one queue for this construct: SQS-managed encryption, TLS enforced,
   * 14-day retention
   */
  readonly deadLetterQueue?: sqs.IQueue;

  /**
   * The customer-managed key that encrypts the dead-letter queue this construct creates.
   * Its key policy is extended so that EventBridge can write to the queue.
   *
   * @default - SQS-managed server-side encryption (SSE-SQS)
   */
  readonly deadLetterQueueEncryptionKey?: kms.IKey;

  /**
   * What every target receives, unless the target was configured with its own input.
   *
   * @default - the matched IVS event, unchanged
   */
  readonly targetInput?: events.RuleTargetInput;

  /**
   * The longest event pattern a rule may have: EventBridge's quota in your account
   * (2048 by default, adjustable up to 4096). When the stages make the pattern longer,
   * they are split across as few rules as needed, each with the same targets,
   * dead-letter queue and retry policy; the metrics sum over all of them.
   *
   * @default 2048
   */
  readonly maxPatternLength?: number;

  /**
   * How many times EventBridge retries a failed delivery to a target (0-185).
   *
   * @default 185
   */
  readonly retryAttempts?: number;

  /**
   * How long EventBridge keeps retrying an event (60 seconds to 24 hours).
   *
   * @default Duration.hours(24)
   */
  readonly maxEventAge?: Duration;
}

/**
 * An EventBridge rule on Amazon IVS Real-Time Streaming events, filtered by event,
 * stage, session, participant and user, whose targets never drop an event silently.
 *
 * All selected events are matched by one rule: a detail-type per `$or` branch, so that
 * each branch reads the stage where that detail-type keeps it.
 */
export class IvsStageEventRule extends Construct {
  /**
   * The EventBridge rule: the first of `rules`. Targets added to it directly also get the
   * dead-letter queue, but only this rule gets them: use `addTarget()` to reach all.
   */
  public readonly rule: events.Rule;
  /** Every EventBridge rule: one, unless the stages had to be split across several. */
  public readonly rules: events.Rule[];
  /** The queue that receives events no target could take. */
  public readonly deadLetterQueue: sqs.IQueue;
  /** The events this rule matches. */
  public readonly events: IvsEvent[];
  private readonly eventBus?: events.IEventBus;

  constructor(scope: Construct, id: string, props: IvsStageEventRuleProps = {}) {
    super(scope, id);

    const stageArns = dedupe([...(props.stageArns ?? []), ...(props.stages ?? []).map(s => s.stageRef.stageArn)]);
    stageArns.forEach(arn => validateStageArn(props.stageArns?.includes(arn) ? 'stageArns' : 'stages', arn));
    validateIdentifiers('sessionIds', props.sessionIds);
    validateIdentifiers('participantIds', props.participantIds);
    for (const prop of ['sessionIdPrefixes', 'participantIdPrefixes', 'userIdPrefixes'] as const) {
      validateIdentifiers(prop, props[prop]);
    }
    validateRuleName(props.ruleName);
    validateDescription(props.description);
    validateIntegerRange('retryAttempts', props.retryAttempts, 0, 185);
    validateSecondsRange('maxEventAge', props.maxEventAge, 60, 86400);
    if (props.deadLetterQueue && props.deadLetterQueueEncryptionKey) {
      throw new Error('`deadLetterQueueEncryptionKey` applies only to the queue this construct creates: '
        + `encrypt the given \`deadLetterQueue\` (${props.deadLetterQueue.node.path}) yourself, or drop one of the two`);
    }
    if (props.deadLetterQueue?.fifo) {
      throw new Error(`\`deadLetterQueue\` must be a standard queue: EventBridge cannot use a FIFO queue as dead-letter queue, got ${props.deadLetterQueue.node.path}`);
    }

    const filters = {
      session_id: { prop: 'sessionIds', matchers: matchers(props.sessionIds, props.sessionIdPrefixes) },
      participant_id: { prop: 'participantIds', matchers: matchers(props.participantIds, props.participantIdPrefixes) },
      user_id: { prop: 'userIds', matchers: matchers(props.userIds, props.userIdPrefixes) },
    };
    const activeFilters = Object.entries(filters).filter(([, f]) => f.matchers.length > 0);
    this.events = props.events
      ? [...props.events]
      : IvsEvent.all().filter(e => activeFilters.every(([key]) => e.detailType.hasDetailField(key)));
    if (this.events.length === 0) {
      throw new Error('`events` must name at least one IVS event, got []');
    }
    for (const [key, filter] of activeFilters) {
      const unreachable = this.events.filter(e => !e.detailType.hasDetailField(key));
      if (unreachable.length > 0) {
        throw new Error(`\`${filter.prop}\` filters on detail.${key}, which ${unreachable.map(e => `'${e}'`).join(', ')} never carr${unreachable.length === 1 ? 'ies' : 'y'}: `
          + `remove ${unreachable.length === 1 ? 'it' : 'them'} from \`events\` or drop the filter`);
      }
    }

    const maxLength = props.maxPatternLength ?? DEFAULT_MAX_PATTERN_LENGTH;
    validateIntegerRange('maxPatternLength', props.maxPatternLength, 256, MAX_PATTERN_LENGTH);
    const spec = { events: this.events, stageArns, detailFilters: Object.fromEntries(activeFilters.map(([key, f]) => [key, f.matchers])) };
    const stageGroups = planStageGroups(spec, maxLength);
    if (stageGroups.length > 1) {
      Annotations.of(this).addWarningV2('cdk-ivs-realtime-events:patternSplit',
        `The event pattern for ${stageArns.length} stages would exceed \`maxPatternLength\` ${maxLength}: the stages are split across `
        + `${stageGroups.length} rules, each with the same targets, dead-letter queue and retry policy; metrics sum over all of them.`);
    }

    this.deadLetterQueue = props.deadLetterQueue ?? createDeadLetterQueue(this, props.deadLetterQueueEncryptionKey);
    if (this.deadLetterQueue.encryptionMasterKey) {
      allowEventBridgeToUseKey(this, this.deadLetterQueue.encryptionMasterKey);
    }

    this.eventBus = props.eventBus;
    if (props.eventBus && !isDefaultBus(props.eventBus)) {
      Annotations.of(this).addWarningV2('cdk-ivs-realtime-events:customEventBus',
        `IVS publishes events only to the default event bus; this rule is on '${props.eventBus.eventBusName}' and matches nothing unless IVS events are forwarded there.`);
    }

    const description = props.description ?? truncate(`Amazon IVS real-time events: ${this.events.map(e => e.eventName).join(', ')}`, 512);
    this.rules = stageGroups.map((group, i) => new ReliableRule(this, i === 0 ? 'Rule' : `Rule${i + 1}`, {
      ruleName: props.ruleName === undefined || i === 0 ? props.ruleName : splitRuleName(props.ruleName, i + 1),
      description,
      enabled: props.enabled,
      eventBus: props.eventBus,
      // `$or` is not part of the typed EventPattern; Rule renders unknown keys verbatim.
      eventPattern: renderPattern({ ...spec, stageArns: group }) as events.EventPattern,
      targets: props.targets,
      delivery: {
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: props.retryAttempts ?? 185,
        maxEventAge: props.maxEventAge ?? Duration.hours(24),
        defaultInput: props.targetInput,
      },
    }));
    this.rule = this.rules[0];
    checkRuleQuota(this);
  }

  /**
   * Adds a target (at most 5 per rule). It gets this construct's dead-letter queue and
   * retry policy unless it was configured with its own.
   */
  public addTarget(target: events.IRuleTarget): void {
    this.rules.forEach(rule => rule.addTarget(target));
  }

  /**
   * An AWS/Events metric of this construct: of its rule, or the sum over its rules
   * (metric math) when the stages were split across several. RuleName dimension, plus
   * EventBusName on a custom bus.
   *
   * @default - Sum over 5 minutes
   */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    const perRule = this.metricForEachRule(metricName, props);
    return sumOfMetrics(perRule, props?.label ?? `${metricName} (${perRule.length} rules)`, props?.period ?? Duration.minutes(5));
  }

  /**
   * The AWS/Events metric of each rule in `rules`, e.g. to alarm on them in groups.
   *
   * @default - Sum over 5 minutes
   */
  public metricForEachRule(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric[] {
    return this.rules.map(rule => {
      const dimensionsMap: Record<string, string> = { RuleName: rule.ruleName };
      if (this.eventBus && !isDefaultBus(this.eventBus)) {
        dimensionsMap.EventBusName = this.eventBus.eventBusName;
      }
      return new cloudwatch.Metric({
        namespace: 'AWS/Events',
        metricName,
        dimensionsMap,
        statistic: cloudwatch.Stats.SUM,
        period: Duration.minutes(5),
        ...props,
      });
    });
  }

  /**
   * Events that matched this rule. EventBridge sends it only for rules with targets.
   *
   * @default - Sum over 5 minutes
   */
  public metricTriggeredRules(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('TriggeredRules', props);
  }

  /**
   * Target invocations, successful or failed, retries excluded.
   *
   * @default - Sum over 5 minutes
   */
  public metricInvocations(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('Invocations', props);
  }

  /**
   * Invocations that failed permanently. Sent only when non-zero.
   *
   * @default - Sum over 5 minutes
   */
  public metricFailedInvocations(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('FailedInvocations', props);
  }

  /**
   * Events sent to the dead-letter queue instead of a target.
   *
   * @default - Sum over 5 minutes
   */
  public metricDeadLetterInvocations(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('DeadLetterInvocations', props);
  }

  /**
   * Rule runs that were throttled.
   *
   * @default - Sum over 5 minutes
   */
  public metricThrottledRules(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('ThrottledRules', props);
  }
}

function matchers(exact: string[] | undefined, prefixes: string[] | undefined): ValueMatcher[] {
  return [...dedupe(exact ?? []), ...dedupe(prefixes ?? []).map(prefix => ({ prefix }))];
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}

function isDefaultBus(bus: events.IEventBus): boolean {
  return !Token.isUnresolved(bus.eventBusName) && bus.eventBusName === 'default';
}

/** `<ruleName>-<n>` for the n-th rule of a split; EventBridge allows 64 characters. */
function splitRuleName(ruleName: string, n: number): string {
  const name = `${ruleName}-${n}`;
  validateRuleName(name);
  return name;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}
