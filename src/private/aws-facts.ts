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

/**
 * Rules per event bus, per account and region: 300 by default, 100 in the regions the page
 * names (af-south-1, eu-south-1); adjustable ("Number of rules", checked 2026-12-06).
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html
 */
export const RULES_PER_BUS: { readonly default: number; readonly regions: { readonly [region: string]: number } } = {
  default: MAX_RULES_PER_BUS,
  regions: { 'af-south-1': 100, 'eu-south-1': 100 },
};

/**
 * Registered state machines per account and region: 100,000 by default, adjustable
 * ("Quotas related to accounts", Step Functions service quotas).
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 */
export const STATE_MACHINES_PER_ACCOUNT = 100000;

/**
 * EventBridge pipes per account and region (EventBridge Pipes quotas, adjustable).
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html#eb-pipes-limits
 */
export const PIPES_PER_ACCOUNT = 1000;

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

/** EventBridge rule descriptions: at most 512 characters (PutRule, Description). */
export const MAX_DESCRIPTION_LENGTH = 512;

/** EventBridge input templates: at most 8,192 characters (InputTransformer.InputTemplate). */
export const MAX_INPUT_TEMPLATE_LENGTH = 8192;

/**
 * CloudFormation: 500 resources per stack.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */
export const MAX_RESOURCES_PER_STACK = 500;

/**
 * SQS queue policies: at most 20 statements and 8,192 bytes.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-policies.html
 */
export const MAX_QUEUE_POLICY_STATEMENTS = 20;
export const MAX_QUEUE_POLICY_BYTES = 8192;

/**
 * CloudWatch Logs resource policies: 10 per account and region ("This quota can't be
 * changed"), each document at most 5,120 characters (AWS::Logs::ResourcePolicy PolicyDocument).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html
 */
export const MAX_LOGS_RESOURCE_POLICIES = 10;
export const MAX_LOGS_RESOURCE_POLICY_LENGTH = 5120;

/**
 * Lambda: all environment variables of a function together at most 4 KB, keys and values
 * ("Function configuration, deployment, and execution" quotas: not adjustable).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export const MAX_LAMBDA_ENVIRONMENT_BYTES = 4096;

/**
 * IAM: a managed policy at most 6,144 characters; the inline policies of one role at most
 * 10,240 characters together (whitespace excluded; "IAM and AWS STS quotas", not adjustable).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
export const MAX_MANAGED_POLICY_CHARACTERS = 6144;
export const MAX_ROLE_INLINE_POLICY_CHARACTERS = 10240;

/** CloudWatch Logs `RetentionInDays`: only these values (PutRetentionPolicy, retentionInDays). */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/**
 * What `Ref` of an AWS::Events::Rule returns: the rule name on the default bus, but
 * `<bus name>|<rule name>` on a custom bus, although the CloudFormation documentation
 * says "the rule ID" (cloudformation-coverage-roadmap issues 1131 and 1949; the resource
 * handler's CompositePID: a bus given as `default`, by name or by same-account ARN, gives
 * the bare name).
 */
export const RULE_REF_SEPARATOR = '|';

/**
 * AWS/Events metrics carry `RuleName` alone for rules on the default bus, and
 * `EventBusName` with `RuleName` for rules on a custom bus ("Metrics that specify both the
 * EventBusName and RuleName dimensions refer to a custom event bus").
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html
 */
export const EVENTS_NAMESPACE = 'AWS/Events';

/**
 * The AWS/IVSRealTime metrics the library reads, with every dimension set IVS publishes
 * them with ([] = account-wide, no dimension). `Stage` is the stage's resource id, the last
 * part of its ARN. Statistics: Average, Minimum, Maximum. Data points exist only while
 * there is activity.
 * @see https://docs.aws.amazon.com/ivs/latest/RealTimeUserGuide/stage-health.html ("CloudWatch Metrics: IVS Real-Time Streaming")
 */
export const IVS_REALTIME_NAMESPACE = 'AWS/IVSRealTime';
const QUALITY_DIMENSIONS: readonly (readonly string[])[] = [
  [], ['Platform'], ['Platform', 'SDKVersion'], ['Stage'], ['Stage', 'Participant'], ['Stage', 'Platform'],
  ['Stage', 'Platform', 'SDKVersion'], ['Stage', 'SubscriberCountryCode'], ['SubscriberCountryCode'],
];
export const IVS_REALTIME_METRICS: { readonly [metricName: string]: readonly (readonly string[])[] } = {
  DownloadPacketLoss: QUALITY_DIMENSIONS,
  DroppedFrames: QUALITY_DIMENSIONS,
  Publishers: [['Stage']],
  Subscribers: [['Stage']],
  ConcurrentPublishers: [[]],
  ConcurrentSubscriptions: [[]],
};

/**
 * An event bus policy: at most 10,240 bytes (PutPermission; EventBridge quotas page).
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html
 */
export const MAX_EVENT_BUS_POLICY_BYTES = 10240;

/**
 * A Step Functions Standard workflow execution runs at most one year ("Maximum execution
 * time", a hard quota); a Wait state's `Seconds` is a whole number.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 */
export const STANDARD_WORKFLOW_MAX_SECONDS = 365 * 24 * 3600;

/**
 * A Standard workflow execution's history holds at most 25,000 events ("Maximum execution
 * history size", a hard quota): an execution that reaches it fails ("Avoid reaching the
 * history quota", checked 2026-12-06).
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/bp-history-limit.html
 */
export const STANDARD_WORKFLOW_MAX_HISTORY_EVENTS = 25000;

/**
 * The IAM actions of DynamoDB item operations. A TransactWriteItems or TransactGetItems
 * request is allowed by the actions of the items it holds (Put, Update, Delete and Get by
 * PutItem, UpdateItem, DeleteItem and GetItem; ConditionCheck by ConditionCheckItem), not by
 * an action of its own ("Using IAM with DynamoDB transactions", checked 2026-12-06).
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html
 */
export const DYNAMODB_ITEM_ACTIONS = {
  get: 'dynamodb:GetItem',
  put: 'dynamodb:PutItem',
  update: 'dynamodb:UpdateItem',
  delete: 'dynamodb:DeleteItem',
  conditionCheck: 'dynamodb:ConditionCheckItem',
  query: 'dynamodb:Query',
} as const;

/**
 * The service condition keys `events:PutEvents` takes (Service Authorization Reference, Amazon
 * EventBridge, PutEvents: `events:detail-type`, `events:source`, `events:eventBusInvocation`).
 * `events:source` and `events:detail-type` are multivalued (ArrayOfString: one value per entry of
 * the request), so a grant compares them with `ForAllValues:StringEquals`, as AWS's example
 * policy does ("Example policy: Send events to a custom bus in a different account", which limits
 * PutEvents by source and detail-type); a request that carries no value passes that operator.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-example-policy-cross-account-custom-bus-source.html
 */
export const PUT_EVENTS_CONDITION_KEYS = ['events:source', 'events:detail-type', 'events:eventBusInvocation'] as const;

/**
 * IVS Real-Time composition quotas (IVS Real-Time service quotas page, checked 2026-12-06):
 * concurrent compositions per stage and per account and region (both adjustable; the account's
 * was 5 until October 2025), destinations per composition (one `channel`, one `s3`, or one of
 * each: Composition.destinations), StartComposition and StopComposition requests per second.
 * @see https://docs.aws.amazon.com/ivs/latest/RealTimeUserGuide/service-quotas.html
 * @see https://docs.aws.amazon.com/ivs/latest/RealTimeAPIReference/API_Composition.html
 */
export const COMPOSITION_QUOTAS = { perStage: 5, perAccount: 20, destinations: 2, requestsPerSecond: 5 } as const;

/**
 * The errors of IVS's composition actions that waiting cannot cure, as Step Functions' AWS SDK
 * integrations name them (`<Service>.<Exception>`, the suffix added where the API reference
 * leaves it out, as for `PendingVerification`): the modeled errors of StartComposition (403
 * AccessDenied, 409 Conflict, 403 PendingVerification, 404 ResourceNotFound, 400 Validation).
 * Everything else is retried: the concurrency quota (402 ServiceQuotaExceeded, which frees up as
 * compositions stop), internal errors, and throttling of the 5 TPS quota, which no operation
 * models, so that it reaches Step Functions under a name no reference lists (the service's
 * generic `IvsRealTime.IvsRealTimeException`, as an S3 403 arrives as `S3.S3Exception`): a Retry
 * of `States.TaskFailed` after one of these with `MaxAttempts: 0` catches it by any name.
 * StopComposition and ListCompositions model a subset of them (no PendingVerification).
 * @see https://docs.aws.amazon.com/ivs/latest/RealTimeAPIReference/API_StartComposition.html
 * @see https://docs.aws.amazon.com/ivs/latest/RealTimeAPIReference/API_StopComposition.html
 * @see https://docs.aws.amazon.com/ivs/latest/RealTimeAPIReference/API_ListCompositions.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
 */
export const COMPOSITION_NON_RETRYABLE_ERRORS = [
  'IvsRealTime.AccessDeniedException', 'IvsRealTime.ValidationException', 'IvsRealTime.ResourceNotFoundException',
  'IvsRealTime.ConflictException', 'IvsRealTime.PendingVerificationException',
] as const;

/**
 * StartComposition's `idempotencyToken`: 1-64 characters of `[a-zA-Z0-9-_]` (same page).
 * The tracker's `transitionId` (a DynamoDB stream record's `eventID`, 32 hexadecimal digits) is one.
 */
export const IDEMPOTENCY_TOKEN = /^[a-zA-Z0-9_-]{1,64}$/;

/** A composition's `state` (Composition.state): the ones that run and can be stopped come first. */
export const COMPOSITION_RUNNING_STATES = ['STARTING', 'ACTIVE'] as const;

/** CompositionThumbnailConfiguration.targetIntervalSeconds: 1 to 86,400 (default 60). */
export const THUMBNAIL_INTERVAL_SECONDS = { min: 1, max: 86400 } as const;

/**
 * What IVS writes under a recording's S3 key prefix, individual participant and composite
 * recordings alike: `events/recording-started.json`, then `events/recording-ended.json` or
 * `events/recording-failed.json` ("A given events folder contains recording-started.json and
 * either recording-ended.json or recording-failed.json"), and the media under `media/`. Both
 * files carry `recording_status`, `recording_started_at`, `recording_ended_at` and `media.hls`
 * (`duration_ms`, `path`, `playlist`, `renditions[]` of `path` and `playlist`), all relative
 * to the prefix; thumbnails are `media.thumbnails.path` and `media.latest_thumbnail.path`
 * when configured (their variants are `renditions` for individual recordings, `resolutions`
 * for composite ones). Individual files also carry `stage_arn`, `session_id` and
 * `participant_id`; composite files only `stage_arn` ("JSON Metadata Files", checked 2026-12-06).
 * @see https://docs.aws.amazon.com/ivs/latest/RealTimeUserGuide/rt-individual-participant-recording.html
 * @see https://docs.aws.amazon.com/ivs/latest/RealTimeUserGuide/rt-composite-recording.html
 */
export const RECORDING_FILES = { ended: 'events/recording-ended.json', failed: 'events/recording-failed.json' } as const;

/**
 * The default encryption IVS needs of a bucket it records into, both kinds of recording: "The
 * Default Encryption setting must be Server-side encryption with Amazon S3 managed keys
 * (SSE-S3)" for an existing bucket, on the individual participant recording page ("Create an S3
 * Bucket") and on the server-side composition page ("Prerequisites"), which composite recording
 * is a use of; the composite recording page itself names only Object Ownership (checked
 * 2026-12-06).
 * @see https://docs.aws.amazon.com/ivs/latest/RealTimeUserGuide/rt-individual-participant-recording.html
 * @see https://docs.aws.amazon.com/ivs/latest/RealTimeUserGuide/ssc-getting-started.html
 */
export const RECORDING_BUCKET_ENCRYPTION = {
  encryption: 'SSE-S3 (Amazon S3 managed keys)',
  pages: ['rt-individual-participant-recording.html', 'ssc-getting-started.html'],
} as const;

/**
 * S3 GetObject answers a missing key with 404 NoSuchKey only to a caller allowed
 * `s3:ListBucket` on the bucket, 403 AccessDenied otherwise (GetObject, "Permissions").
 * Step Functions' SDK integrations name the error `S3.NoSuchKeyException` (service name plus
 * the exception, "Handling errors" of the SDK integrations).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
 */
export const S3_NO_SUCH_KEY_ERROR = 'S3.NoSuchKeyException';
