import * as fs from 'fs';
import * as path from 'path';
import { Aspects, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks, INagLogger, NagLoggerComplianceData, NagLoggerSuppressedData } from 'cdk-nag';
import { IvsRealTimeMonitoring, IvsStageStateTracker } from '../../src';
import { TESTED_RUNTIME } from '../../src/tracker/function-runtime';
import { testStack } from '../util/stack';

const STAGE = 'arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij';
const VERSIONS = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'toolchain', 'versions.json'), 'utf8'));

// aws-cdk-lib 2.278 added nodejs26.x, which cdk-nag's AwsSolutions-L1 then takes as "the newest":
// a Runtime constructed here joins Runtime.ALL in this test file's module registry just as one
// of a newer aws-cdk-lib would (the newest-cdk run has it already).
const NEWER = lambda.Runtime.ALL.find(r => r.name === 'nodejs26.x') ?? new lambda.Runtime('nodejs26.x', lambda.RuntimeFamily.NODEJS);

/** What AwsSolutions-L1 said of each function: suppressed (with the reason) or a finding. */
function l1Results(stack: Stack): { path: string; suppressed?: string }[] {
  const results: { path: string; suppressed?: string }[] = [];
  const logger: INagLogger = {
    onCompliance: () => {},
    onNotApplicable: () => {},
    onError: () => {},
    onSuppressedError: () => {},
    onNonCompliance: (data: NagLoggerComplianceData) => {
      if (data.ruleId === 'AwsSolutions-L1') results.push({ path: data.resource.node.path });
    },
    onSuppressed: (data: NagLoggerSuppressedData) => {
      if (data.ruleId === 'AwsSolutions-L1') results.push({ path: data.resource.node.path, suppressed: data.suppressionReason });
    },
  };
  Aspects.of(stack).add(new AwsSolutionsChecks({ reports: false, additionalLoggers: [logger] }));
  Template.fromStack(stack);
  return results.sort((a, b) => a.path.localeCompare(b.path));
}

describe('the runtime of the tracker\'s functions', () => {
  test('the default is the Node.js the jest suite runs the handler on, the newest major of toolchain/versions.json', () => {
    const newestTested = Math.max(...Object.keys(VERSIONS.node).map(Number));
    expect(TESTED_RUNTIME.name).toBe(`nodejs${newestTested}.x`);
  });

  test('on the default runtime, a newer Node.js in aws-cdk-lib shows as L1 suppressed on both functions, with the prop to change it', () => {
    // GIVEN an aws-cdk-lib that knows a newer Node.js than the tested one
    const stack = testStack();

    // WHEN
    new IvsStageStateTracker(stack, 'Tracker', { stageArns: [STAGE] });

    // THEN
    const reason = `The function runs on ${TESTED_RUNTIME.name}, the runtime this release of cdk-ivs-realtime-events is tested on `
      + '(its handler and the AWS SDK v3 it relies on); set the `runtime` prop to choose a newer Node.js runtime.';
    expect(l1Results(stack)).toEqual([
      { path: 'Stack/Tracker/Handler/Resource', suppressed: reason },
      { path: 'Stack/Tracker/Reconciler/Resource', suppressed: reason },
    ]);
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::Lambda::Function', { Runtime: TESTED_RUNTIME.name }, 2);
  });

  test('`runtime` moves both functions, and L1 has nothing to say of the newest runtime', () => {
    const stack = testStack();
    new IvsStageStateTracker(stack, 'Tracker', { stageArns: [STAGE], runtime: NEWER });
    expect(l1Results(stack)).toEqual([]);
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::Lambda::Function', { Runtime: 'nodejs26.x' }, 2);
  });

  test('a runtime the user chose is theirs to answer for: an older one is an L1 finding, not suppressed', () => {
    const stack = testStack();
    new IvsStageStateTracker(stack, 'Tracker', { stageArns: [STAGE], runtime: lambda.Runtime.NODEJS_22_X });
    expect(l1Results(stack)).toEqual([{ path: 'Stack/Tracker/Handler/Resource' }, { path: 'Stack/Tracker/Reconciler/Resource' }]);
  });

  test('IvsRealTimeMonitoring gives `runtime` to its state tracker', () => {
    const stack = testStack();
    new IvsRealTimeMonitoring(stack, 'Monitoring', { environmentName: 'prod', stateTracking: true, runtime: NEWER });
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::Lambda::Function', { Runtime: 'nodejs26.x' }, 2);
  });

  test.each([
    [lambda.Runtime.NODEJS_20_X, '`runtime` must be Node.js 22 or newer (the handler is built for it and uses the AWS SDK v3 the runtime provides), got nodejs20.x'],
    [lambda.Runtime.PYTHON_3_12, '`runtime` must be Node.js 22 or newer (the handler is built for it and uses the AWS SDK v3 the runtime provides), got python3.12'],
    [lambda.Runtime.FROM_IMAGE, '`runtime` must be Node.js 22 or newer (the handler is built for it and uses the AWS SDK v3 the runtime provides), got FROM_IMAGE'],
  ])('refuses %s', (runtime, message) => {
    expect(() => new IvsStageStateTracker(testStack(), 'Tracker', { runtime })).toThrow(message);
  });

  test.each([
    [undefined, '`runtime` (nodejs24.x) applies to the state tracker\'s functions, which `stateTracking` unset does not create: drop `runtime` or set `stateTracking: true`'],
    [false, '`runtime` (nodejs24.x) applies to the state tracker\'s functions, which `stateTracking` false does not create: drop `runtime` or set `stateTracking: true`'],
  ])('IvsRealTimeMonitoring refuses `runtime` with `stateTracking` %s', (stateTracking, message) => {
    expect(() => new IvsRealTimeMonitoring(testStack(), 'Monitoring', { environmentName: 'prod', stateTracking, runtime: lambda.Runtime.NODEJS_24_X }))
      .toThrow(message);
  });
});
