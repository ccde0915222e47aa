import { Duration, Token } from 'aws-cdk-lib';

/** Stage ARNs as IVS issues them (RealTimeAPIReference, Stage.arn), in any partition. */
const STAGE_ARN = /^arn:aws[a-z-]*:ivs:[a-z0-9-]+:\d{12}:stage\/[a-zA-Z0-9-]+$/;
const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;

/** Throws when `value` is a resolved string that is not an IVS stage ARN. */
export function validateStageArn(prop: string, value: string): void {
  if (!Token.isUnresolved(value) && !STAGE_ARN.test(value)) {
    throw new Error(`\`${prop}\` must contain IVS stage ARNs (arn:<partition>:ivs:<region>:<account>:stage/<id>), got '${value}'`);
  }
}

/** EventBridge rule names: 1-64 characters of `.-_A-Za-z0-9`. */
export function validateRuleName(value: string | undefined): void {
  if (value !== undefined && !Token.isUnresolved(value) && !RULE_NAME.test(value)) {
    throw new Error(`\`ruleName\` must be 1-64 characters of letters, digits, '.', '-' and '_', got '${value}'`);
  }
}

export function validateDescription(value: string | undefined): void {
  if (value !== undefined && !Token.isUnresolved(value) && value.length > 512) {
    throw new Error(`\`description\` must be at most 512 characters, got ${value.length}`);
  }
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
