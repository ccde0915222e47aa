import * as path from 'path';
import { Aws, Fn, Names, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { allowLogsToUseKey } from '../private/encryption';

// What the tracker's parts (its construct, the reconciler, the idle grace) share.

/**
 * Where the build puts the bundled runtime code (`npx projen bundle:tracker`, from `runtime/tracker/`),
 * next to `lib/` in the package: the handler and the reconciler run the same file.
 */
export const HANDLER_BUNDLE = path.join(__dirname, '..', '..', 'assets', 'tracker-handler');

/**
 * A log group of the tracker, named `<prefix>/<tracker's unique id>/<stack's UUID>/<purpose>`,
 * encrypted with `key` when one is given (whose policy then lets CloudWatch Logs use it for them).
 *
 * Named, because the key policy can only name the groups it covers by their names (a condition on
 * the log group ARN in the encryption context; the ARN itself would be a circular reference), and
 * Step Functions' logs want `/aws/vendedlogs/`. The UUID of `AWS::StackId` changes with each stack
 * created, so a group kept by the removal policy never blocks creating the stack again.
 */
export function trackerLogGroup(scope: Construct, id: string, purpose: string, key?: kms.IKey, removalPolicy?: RemovalPolicy,
  prefix = '/cdk-ivs-realtime-events/tracker'): logs.LogGroup {
  const base = `${prefix}/${Names.uniqueResourceName(scope, { maxLength: 128 })}`;
  if (key) {
    allowLogsToUseKey(scope, key, `${base}/*`);
  }
  const stackUuid = Fn.select(2, Fn.split('/', Aws.STACK_ID));
  return new logs.LogGroup(scope, id, {
    logGroupName: `${base}/${stackUuid}/${purpose}`, retention: logs.RetentionDays.THREE_MONTHS, encryptionKey: key, removalPolicy,
  });
}
