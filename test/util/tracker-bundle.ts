// The tracker's bundled handler file itself, as Lambda loads it (a CommonJS bundle built by
// `npx projen bundle:tracker` in pre-compile), pointed at a local DynamoDB API by the
// environment variables Lambda and the AWS SDK read.
import * as fs from 'fs';
import * as path from 'path';

export const TRACKER_BUNDLE = path.join(__dirname, '..', '..', 'assets', 'tracker-handler', 'index.js');

export interface SqsBatchResponse {
  readonly batchItemFailures: { itemIdentifier: string }[];
}

export interface TrackerBundle {
  readonly handler: (batch: { Records: { messageId: string; body: string }[] }) => Promise<SqsBatchResponse>;
}

/** Sets the function's environment (the caller restores `process.env`) and loads the bundle. */
export function loadTrackerBundle(tableName: string, dynamodbEndpoint: string): TrackerBundle {
  if (!fs.existsSync(TRACKER_BUNDLE)) {
    throw new Error(`${TRACKER_BUNDLE} not found: run \`npx projen bundle:tracker\` (part of the build's pre-compile step)`);
  }
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    ACCOUNT_ID: '123456789012',
    AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(TRACKER_BUNDLE);
}
