import { Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { suppressNag } from '../private/nag';


/**
 * The Node.js runtime this release is tested on: the jest suite runs the bundled handler on the
 * newest Node.js major of `toolchain/versions.json` (test/tracker/function-runtime.test.ts holds
 * the two equal), and `npx projen upgrade:toolchain` moves both once the suite passes on them.
 * Never "the newest aws-cdk-lib knows" (`Runtime.ALL`, `NODEJS_LATEST`): that would move
 * deployed functions, and the AWS SDK the bundle relies on, to a runtime nobody tested.
 */
export const TESTED_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** The oldest Node.js major the handler bundle is built for (esbuild `--target=node22`). */
const OLDEST_NODE_MAJOR = 22;

/** The runtime of the construct's functions, refused at synth unless Node.js 22 or newer. */
export function functionRuntime(runtime: lambda.Runtime | undefined): lambda.Runtime {
  if (runtime === undefined || Token.isUnresolved(runtime.name)) {
    return runtime ?? TESTED_RUNTIME;
  }
  const major = /^nodejs(\d+)\.x$/.exec(runtime.name)?.[1];
  if (major === undefined || Number(major) < OLDEST_NODE_MAJOR) {
    throw new Error(`\`runtime\` must be Node.js ${OLDEST_NODE_MAJOR} or newer (the handler is built for it and uses the AWS SDK v3 `
      + `the runtime provides), got ${runtime.name}`);
  }
  return runtime;
}

/**
 * On a function left on the tested runtime, cdk-nag's L1 (compared with the newest Node.js the
 * user's aws-cdk-lib knows) is a finding only a newer release of this library can act on:
 * recorded as a suppression that says so, and how to choose another runtime.
 */
export function explainTestedRuntime(fn: IConstruct, chosen: lambda.Runtime | undefined): void {
  if (chosen !== undefined) {
    return;
  }
  suppressNag(fn, [{
    id: 'AwsSolutions-L1',
    reason: `The function runs on ${TESTED_RUNTIME.name}, the runtime this release of cdk-ivs-realtime-events is tested on `
      + '(its handler and the AWS SDK v3 it relies on); set the `runtime` prop to choose a newer Node.js runtime.',
  }]);
}
