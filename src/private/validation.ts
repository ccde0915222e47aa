import { Duration, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { LOG_RETENTION_DAYS, MAX_ALARM_NAME_LENGTH, MAX_DESCRIPTION_LENGTH } from './aws-facts';

const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;

/** EventBridge rule names: 1-64 characters of `.-_A-Za-z0-9`. */
export function validateRuleName(value: string | undefined): void {
  if (value !== undefined && !Token.isUnresolved(value) && !RULE_NAME.test(value)) {
    throw new Error(`\`ruleName\` must be 1-64 characters of letters, digits, '.', '-' and '_', got '${value}'`);
  }
}

/** `<ruleName>-<n>` for the n-th rule of a split, within EventBridge's 64 characters. */
export function splitRuleName(ruleName: string, n: number, of: number): string {
  const room = 64 - `-${of}`.length;
  if (!Token.isUnresolved(ruleName) && ruleName.length > room) {
    throw new Error(`\`ruleName\` must be at most ${room} characters when the stages are split across ${of} rules (named \`<ruleName>-2\` ... \`<ruleName>-${of}\`), `
      + `got '${ruleName}' (${ruleName.length} characters)`);
  }
  return `${ruleName}-${n}`;
}

export function validateDescription(value: string | undefined): void {
  if (value !== undefined && !Token.isUnresolved(value) && value.length > MAX_DESCRIPTION_LENGTH) {
    throw new Error(`\`description\` must be at most ${MAX_DESCRIPTION_LENGTH} characters, got ${value.length}`);
  }
}

/** `text`, cut to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

/** An integer in `[min, max]`, unless it is a token. */
export function validateIntegerRange(prop: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`\`${prop}\` must be a whole number from ${min} to ${max}, got ${value}`);
  }
}

/** A duration of whole seconds in `[min, max]` seconds, unless it is a token. */
export function validateSecondsRange(prop: string, value: Duration | undefined, min: number, max: number): void {
  if (value === undefined || value.isUnresolved()) {
    return;
  }
  const seconds = value.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < min || seconds > max) {
    throw new Error(`\`${prop}\` must be a whole number of seconds from ${min} to ${max}, got ${seconds} seconds`);
  }
}

/** Non-empty identifiers, unless tokens: an empty string would match only events that lack the id. */
export function validateIdentifiers(prop: string, values: string[] | undefined): void {
  for (const value of values ?? []) {
    if (!Token.isUnresolved(value) && value.length === 0) {
      throw new Error(`\`${prop}\` must not contain empty strings, got ${JSON.stringify(values)}`);
    }
  }
}

/** A count of events that sets off an alarm: a whole number, 1 or more, unless a token. */
export function validateThreshold(prop: string, value: number | undefined): void {
  if (value !== undefined && !Token.isUnresolved(value) && (!Number.isInteger(value) || value < 1)) {
    throw new Error(`\`${prop}\` must be a whole number of events, 1 or more, got ${value}`);
  }
}

/** A CloudWatch alarm period of whole minutes from 1 minute to 1 day, unless a token. */
export function validateAlarmPeriod(prop: string, period: Duration | undefined): void {
  if (period === undefined || period.isUnresolved()) {
    return;
  }
  const seconds = period.toSeconds({ integral: false });
  if (seconds % 60 !== 0 || seconds < 60 || seconds > 86400) {
    throw new Error(`\`${prop}\` must be a whole number of minutes from 1 minute to 1 day, got ${seconds} seconds`);
  }
}

/** Evaluation periods of 1-100 whose range stays within CloudWatch's one day. */
export function validateEvaluationRange(periodProp: string, period: Duration, evaluationPeriods: number): void {
  validateIntegerRange('evaluationPeriods', evaluationPeriods, 1, 100);
  if (!period.isUnresolved() && !Token.isUnresolved(evaluationPeriods) && period.toSeconds() * evaluationPeriods > 86400) {
    throw new Error(`\`${periodProp}\` x \`evaluationPeriods\` must not exceed 1 day (CloudWatch's limit), got ${period.toSeconds()} seconds x ${evaluationPeriods}`);
  }
}

/** A percentage above 0 and at most 100, unless a token. */
export function validatePercent(prop: string, value: number | undefined): void {
  if (value !== undefined && !Token.isUnresolved(value) && !(value > 0 && value <= 100)) {
    throw new Error(`\`${prop}\` must be a percentage above 0 and at most 100, got ${value}`);
  }
}

/** CDK's `RetentionDays.INFINITE`: no RetentionInDays at all. */
const RETAIN_FOREVER = 9999;

/** A log retention CloudWatch Logs accepts (`LOG_RETENTION_DAYS`), unless a token. */
export function validateLogRetention(prop: string, days: number | undefined): void {
  if (days !== undefined && !Token.isUnresolved(days) && days !== RETAIN_FOREVER && !LOG_RETENTION_DAYS.includes(days)) {
    throw new Error(`\`${prop}\` must be a retention CloudWatch Logs accepts (${LOG_RETENTION_DAYS.join(', ')} days, or RetentionDays.INFINITE), got ${days}`);
  }
}

/**
 * An alarm name, and the longest name derived from it (`<name><suffix>`), within
 * CloudWatch's 255 characters, unless a token.
 */
export function validateAlarmName(prop: string, name: string | undefined, longestSuffix = ''): void {
  if (name === undefined || Token.isUnresolved(name)) {
    return;
  }
  if (name.length === 0 || name.length + longestSuffix.length > MAX_ALARM_NAME_LENGTH) {
    const room = MAX_ALARM_NAME_LENGTH - longestSuffix.length;
    throw new Error(`\`${prop}\` must be 1-${room} characters${longestSuffix ? ` (CloudWatch allows ${MAX_ALARM_NAME_LENGTH}, and '${longestSuffix}' is added to it)` : ''}, `
      + `got '${name}' (${name.length} characters)`);
  }
}

/**
 * A duration the template is computed from (a timeout with a margin, a number in an event
 * pattern): a token would give the wrong template silently, so it is refused.
 */
export function validateKnownDuration(prop: string, value: Duration | undefined, why: string): void {
  if (value !== undefined && value.isUnresolved()) {
    throw new Error(`\`${prop}\` must be known at synth time (${why}), got a token: ${value.toString()}`);
  }
}

/** EventBridge schedules: a rate of at least 1 (`rate(0 minutes)` is refused only at deploy), or a cron expression. */
export function validateSchedule(prop: string, expression: string | undefined): void {
  if (expression === undefined || Token.isUnresolved(expression)) {
    return;
  }
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (expression.startsWith('rate(') && (!rate || Number(rate[1]) < 1)) {
    throw new Error(`\`${prop}\` must be a rate of at least 1 minute or a cron expression, got ${expression}`);
  }
}

/**
 * A bus a rule is created on: of the stack's own account and region. Given a bus imported
 * from elsewhere, CloudFormation creates the rule on a local bus of the same name (or fails),
 * and the rule matches nothing. Unknown accounts or regions (tokens) are left to deployment.
 */
export function validateLocalBus(scope: IConstruct, prop: string,
  bus: { readonly env: { account: string; region: string }; readonly eventBusArn: string } | undefined): void {
  if (!bus) {
    return;
  }
  const stack = Stack.of(scope);
  const differs = (ours: string, theirs: string) => !Token.isUnresolved(ours) && !Token.isUnresolved(theirs) && ours !== theirs;
  if (differs(stack.account, bus.env.account) || differs(stack.region, bus.env.region)) {
    throw new Error(`\`${prop}\` must be an event bus in this stack's account and region (${stack.account}, ${stack.region}): `
      + `a rule can only be created on a bus of its own account and region, got ${bus.eventBusArn}`);
  }
}

/** A whole number of at least `min` (an API field with no documented maximum), unless a token. */
export function validateWholeAtLeast(prop: string, value: number | undefined, min: number): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`\`${prop}\` must be a whole number of at least ${min}, got ${value}`);
  }
}

/** A string of the shape `pattern` (described by `what`), unless a token. */
export function validatePattern(prop: string, value: string | undefined, pattern: RegExp, what: string): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (!pattern.test(value)) {
    throw new Error(`\`${prop}\` must be ${what}, got ${JSON.stringify(value)}`);
  }
}
