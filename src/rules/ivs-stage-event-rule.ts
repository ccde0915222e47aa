import { Annotations, Duration, Names } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { IvsEventFilterOptions } from './event-filter-options';
import { planStageGroups, renderPattern } from './event-pattern';
import { DeadLetterOptions, IvsEventSourceOptions, RemovalPolicyOptions } from './event-source-options';
import { planFilters } from './rule-filters';
import { IvsDetailType } from '../events/ivs-detail-type';
import { IvsEvent } from '../events/ivs-event';
import {
  DEFAULT_MAX_PATTERN_LENGTH, EVENT_AGE_SECONDS, MAX_DESCRIPTION_LENGTH, MAX_PATTERN_LENGTH, MAX_RETRY_ATTEMPTS,
} from '../private/aws-facts';
import { sumOfMetrics } from '../private/metrics';
import { ReliableRule, deadLetterQueueFor } from '../private/reliable-rule';
import { isDefaultBus, knownBusName, ruleMetric, ruleNameOf, ruleNeedsName } from '../private/rule-metrics';
import { stageArnsOf, warnOfStagesElsewhere } from '../private/stages';
import {
  splitRuleName, truncate, validateDescription, validateIntegerRange, validateLocalBus, validateRuleName, validateSecondsRange,
} from '../private/validation';

/**
 * Properties for an `IvsStageEventRule`.
 */
export interface IvsStageEventRuleProps extends IvsEventSourceOptions, IvsEventFilterOptions, DeadLetterOptions, RemovalPolicyOptions {
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
   * Match every event of these detail-types, whatever its `event_name`: those in the
   * catalog and those IVS adds later (for example the participant replication Stage
   * Update events). What a rule that keeps or forwards "every event" needs. Exclusive
   * with `events`.
   *
   * @default - the events named by `events`
   */
  readonly detailTypes?: IvsDetailType[];

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
   * What every target receives, unless the target was configured with its own input.
   *
   * @default - the matched IVS event, unchanged
   */
  readonly targetInput?: events.RuleTargetInput;

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
  /**
   * The name of each rule in `rules` as EventBridge's API and CloudWatch know it. On a
   * custom bus this is not `rule.ruleName`, CloudFormation's `Ref`, which is
   * `<bus>|<name>` there.
   */
  public readonly ruleNames: string[];
  /** The queue that receives events no target could take. */
  public readonly deadLetterQueue: sqs.IQueue;
  /**
   * The catalog events this rule matches; with `detailTypes`, every catalog event of those
   * detail-types (and the rule also matches event names the catalog lacks).
   */
  public readonly events: IvsEvent[];
  private readonly eventBus?: events.IEventBus;

  constructor(scope: Construct, id: string, props: IvsStageEventRuleProps = {}) {
    super(scope, id);

    const stageArns = stageArnsOf(props);
    if (isDefaultBus(props.eventBus)) {
      warnOfStagesElsewhere(this, stageArns);
    }
    validateLocalBus(this, 'eventBus', props.eventBus);
    validateRuleName(props.ruleName);
    validateDescription(props.description);
    validateIntegerRange('retryAttempts', props.retryAttempts, 0, MAX_RETRY_ATTEMPTS);
    validateSecondsRange('maxEventAge', props.maxEventAge, EVENT_AGE_SECONDS.min, EVENT_AGE_SECONDS.max);
    validateIntegerRange('maxPatternLength', props.maxPatternLength, 256, MAX_PATTERN_LENGTH);

    const spec = planFilters(props, stageArns);
    this.events = [...spec.events, ...IvsEvent.all().filter(e => spec.anyEventOf.some(d => d.name === e.detailType.name))];
    const maxLength = props.maxPatternLength ?? DEFAULT_MAX_PATTERN_LENGTH;
    const stageGroups = planStageGroups(spec, maxLength);
    if (stageGroups.length > 1) {
      Annotations.of(this).addWarningV2('cdk-ivs-realtime-events:patternSplit',
        `The event pattern for ${stageArns.length} stages would exceed \`maxPatternLength\` ${maxLength}: the stages are split across `
        + `${stageGroups.length} rules, each with the same targets, dead-letter queue and retry policy; metrics sum over all of them.`);
    }

    this.deadLetterQueue = deadLetterQueueFor(this, props);

    this.eventBus = props.eventBus;
    if (!isDefaultBus(props.eventBus)) {
      Annotations.of(this).addWarningV2('cdk-ivs-realtime-events:customEventBus',
        `IVS publishes events only to the default event bus; this rule is on '${knownBusName(props.eventBus!) ?? props.eventBus!.node.path}' `
        + 'and matches nothing unless IVS events are forwarded there.');
    }

    const description = props.description ?? truncate(spec.anyEventOf.length > 0
      ? `Every Amazon IVS event of: ${spec.anyEventOf.map(d => d.name).join(', ')}`
      : `Amazon IVS real-time events: ${this.events.map(e => e.eventName).join(', ')}`, MAX_DESCRIPTION_LENGTH);
    // On a bus whose name is not known at synth time, Ref cannot be turned into the rule's
    // name: the rules get names of their own, so that their metrics can be named.
    const baseName = props.ruleName ?? (ruleNeedsName(props.eventBus) ? Names.uniqueResourceName(this, { maxLength: 60 }) : undefined);
    const names = stageGroups.map((_, i) => baseName === undefined || i === 0 ? baseName : splitRuleName(baseName, i + 1, stageGroups.length));
    this.rules = stageGroups.map((group, i) => new ReliableRule(this, i === 0 ? 'Rule' : `Rule${i + 1}`, {
      ruleName: names[i],
      description,
      enabled: props.enabled,
      eventBus: props.eventBus,
      // `$or` is not part of the typed EventPattern; Rule renders unknown keys verbatim.
      eventPattern: renderPattern({ ...spec, stageArns: group }) as events.EventPattern,
      targets: props.targets,
      delivery: {
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: props.retryAttempts ?? MAX_RETRY_ATTEMPTS,
        maxEventAge: props.maxEventAge ?? Duration.seconds(EVENT_AGE_SECONDS.max),
        defaultInput: props.targetInput,
      },
    }));
    this.rule = this.rules[0];
    this.ruleNames = this.rules.map((rule, i) => ruleNameOf(rule, props.eventBus, names[i]));
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
    return this.ruleNames.map(name => ruleMetric(name, this.eventBus, metricName, props));
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
