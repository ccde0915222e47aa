import * as path from 'path';
import { Names, RemovalPolicy } from 'aws-cdk-lib';
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
 * A log group of the tracker, named `<prefix>/<tracker's unique id>/<purpose>`, encrypted
 * with `key` when one is given (whose policy then lets CloudWatch Logs use it for them).
 */
export function trackerLogGroup(scope: Construct, id: string, purpose: string, key?: kms.IKey, removalPolicy?: RemovalPolicy,
  prefix = '/cdk-ivs-realtime-events/tracker'): logs.LogGroup {
  const base = `${prefix}/${Names.uniqueResourceName(scope, { maxLength: 128 })}`;
  if (key) {
    allowLogsToUseKey(scope, key, `${base}/*`);
  }
  return new logs.LogGroup(scope, id, {
    logGroupName: `${base}/${purpose}`, retention: logs.RetentionDays.THREE_MONTHS, encryptionKey: key, removalPolicy,
  });
}
