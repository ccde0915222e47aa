import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { deployedDefinition, runLocally, sdkError } from './local-sfn';
import { testStack } from './stack';

// The harness is only worth its name if a Retry really retries, MaxAttempts really bounds it and
// a Catch sees the SDK error's name: shown here on a two-state machine.
function machine() {
  const stack = testStack();
  const call = new tasks.CallAwsService(stack, 'Call', {
    service: 'ivsrealtime', action: 'getStage', iamResources: ['*'], parameters: { Arn: sfn.JsonPath.stringAt('$.arn') },
  }).addRetry({ errors: ['IvsRealTime.ThrottlingException'], interval: Duration.seconds(2), backoffRate: 3, maxAttempts: 3 })
    .addCatch(new sfn.Pass(stack, 'Caught'), { resultPath: '$.error' });
  new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(call) });
  return deployedDefinition(stack);
}

test('given a throttled call, when it keeps failing, then it is tried MaxAttempts + 1 times with backoff and then caught', async () => {
  const run = await runLocally(machine(), { arn: 'a' }, {
    'arn:aws:states:::aws-sdk:ivsrealtime:getStage': () => { throw sdkError('IvsRealTime.ThrottlingException'); },
  });
  expect(run.calls.map(c => c.attempt)).toEqual([1, 2, 3, 4]);
  expect(run.retryWaits.Call).toEqual([2, 6, 18]);
  expect(run.output.error.Error).toBe('IvsRealTime.ThrottlingException');
});

test('given an error no retrier names, when the call fails, then it is not retried', async () => {
  const run = await runLocally(machine(), { arn: 'a' }, {
    'arn:aws:states:::aws-sdk:ivsrealtime:getStage': () => { throw sdkError('IvsRealTime.ResourceNotFoundException'); },
  });
  expect(run.calls).toHaveLength(1);
  expect(run.output.error.Error).toBe('IvsRealTime.ResourceNotFoundException');
});

test('given a Task without a handler, when it runs, then the test fails loudly', async () => {
  await expect(runLocally(machine(), { arn: 'a' }, {})).rejects.toThrow(/no handler for arn:aws:states:::aws-sdk:ivsrealtime:getStage/);
});

test('given a filter that matches nothing, when a state reads it, then it is an empty list, as on AWS', async () => {
  const stack = testStack();
  new sfn.StateMachine(stack, 'Machine', {
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Pick', {
      parameters: { 'none.$': "$.items[?(@.Name == 'LEFT')]", 'some.$': "$.items[?(@.Name == 'JOINED')]" },
    })),
  });
  const run = await runLocally(deployedDefinition(stack), { items: [{ Name: 'JOINED' }] }, {});
  expect(run.output).toEqual({ none: [], some: [{ Name: 'JOINED' }] });
});
