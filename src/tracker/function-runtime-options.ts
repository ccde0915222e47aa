import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * Properties of a construct that creates Lambda functions.
 */
export interface FunctionRuntimeOptions {
  /**
   * The Lambda runtime of the functions this construct creates: Node.js 22 or newer (the
   * handler is built for Node.js 22 and uses the AWS SDK for JavaScript v3 the runtime
   * provides). Changing it updates the deployed functions in place; their table and queues
   * are kept.
   *
   * @default - `nodejs24.x`, the runtime this release is tested on; cdk-nag's AwsSolutions-L1
   * (a newer Node.js runtime exists) is suppressed on the functions with that reason
   */
  readonly runtime?: lambda.Runtime;
}
