// The service limits the library checks at synth time, each with its source, in one place:
// a template that passes them can still deploy.

/**
 * EventBridge's default quota on the length of an event pattern.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html
 */
export const DEFAULT_MAX_PATTERN_LENGTH = 2048;

/** The longest pattern EventBridge accepts once the quota is raised (the API maximum, same page). */
export const MAX_PATTERN_LENGTH = 4096;

/** EventBridge's default quota of rules per event bus (same page). */
export const MAX_RULES_PER_BUS = 300;

/** EventBridge's hard limit of targets per rule (same page). */
export const MAX_TARGETS_PER_RULE = 5;

/**
 * CloudWatch's limit of metrics in one alarm's metric math.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html
 */
export const MAX_ALARM_METRICS = 10;

/** CloudWatch alarm names: 1-255 characters (PutMetricAlarm, AlarmName). */
export const MAX_ALARM_NAME_LENGTH = 255;

/** EventBridge target retries: 0-185 attempts (RetryPolicy.MaximumRetryAttempts). */
export const MAX_RETRY_ATTEMPTS = 185;

/** EventBridge keeps retrying an event for 60 seconds to 24 hours (RetryPolicy.MaximumEventAgeInSeconds). */
export const EVENT_AGE_SECONDS = { min: 60, max: 86400 } as const;
