import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import type * as LocalStepFunctions from 'aws-local-stepfunctions' with { 'resolution-mode': 'import' };
import { DeployedTemplate } from './deployed';

// The package is an ES module whose CommonJS build is what jest loads: types from the one, code from the other.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { StateMachine } = require('aws-local-stepfunctions') as typeof LocalStepFunctions;

// One known deviation, corrected: on AWS a `[?(...)]` filter that matches nothing yields `[]`
// (Step Functions evaluates paths with Jayway JsonPath, where a filter is an indefinite path and
// always returns a list; the same difference is reported against moto's interpreter,
// getmoto/moto#10078). aws-local-stepfunctions asks jsonpath-plus with `wrap: false`, which turns
// an empty match into `undefined`, and then fails the state with States.Runtime.
// The instance the interpreter loads, whichever that is.
const interpreterDir = path.dirname(require.resolve('aws-local-stepfunctions'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const jsonPathPlus = require(require.resolve('jsonpath-plus', { paths: [interpreterDir] }));
const evaluatePath = jsonPathPlus.JSONPath;
jsonPathPlus.JSONPath = function emptyFilterIsAList(this: unknown, options: any, ...rest: unknown[]) {
  const result = evaluatePath.call(this, options, ...rest);
  return result === undefined && options?.wrap === false && /\[\?\(/.test(String(options.path)) ? [] : result;
};

// Runs a synthesized state machine on aws-local-stepfunctions (MIT), a real ASL interpreter: Retry
// with backoff and MaxAttempts, Catch, Parallel, Map, Choice and the intrinsic functions behave as
// the language specifies. Each Task is answered by the test, keyed by its Resource
// (`arn:aws:states:::aws-sdk:ivsrealtime:startComposition`, `arn:aws:states:::events:putEvents`,
// ...): moto for DynamoDB and S3, a stub for IVS, which has no local stand-in.

/** Answers one Task: its effective parameters in, its result out; throw `sdkError(...)` to fail it. */
export type TaskHandler = (parameters: any, call: TaskCall) => unknown | Promise<unknown>;

/** One Task invocation, in order. */
export interface TaskCall {
  readonly state: string;
  readonly resource: string;
  readonly parameters: any;
  /** 1 for the first attempt of this state in the run, 2 for its first retry, ... */
  readonly attempt: number;
}

export interface LocalRunResult {
  /** The execution's output when it succeeded. */
  readonly output?: any;
  /** `Error` of a failed execution (the name a Retry or Catch matches). */
  readonly error?: string;
  readonly calls: TaskCall[];
  /** Each retry's wait as the definition computes it (before jitter), per state, in seconds. */
  readonly retryWaits: Record<string, number[]>;
  /**
   * The state transitions Step Functions would bill for the run: every state entered (Map
   * iterations' states included) and every retry (Step Functions pricing: retries count).
   */
  readonly transitions: number;
}

/**
 * The error a Step Functions AWS SDK integration raises: `<Service>.<Exception>` in PascalCase
 * (Step Functions developer guide, "Learning to use AWS service SDK integrations", error names),
 * e.g. `IvsRealTime.ServiceQuotaExceededException`, `S3.NoSuchKeyException`.
 */
export function sdkError(name: string, message = name): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** The definition of the one state machine of `stack` whose logical id starts with `idPrefix`, with every intrinsic resolved as deployed. */
export function deployedDefinition(stack: Stack, idPrefix = ''): any {
  const machines = DeployedTemplate.of(stack).ofType('AWS::StepFunctions::StateMachine').filter(m => m.id.startsWith(idPrefix));
  if (machines.length !== 1) {
    throw new Error(`expected one state machine with a logical id starting with '${idPrefix}', found ${machines.map(m => m.id).join(', ') || 'none'}`);
  }
  const definition = machines[0].props.DefinitionString;
  return typeof definition === 'string' ? JSON.parse(definition) : definition;
}

function statesOf(definition: any): [string, any][] {
  return Object.entries<any>(definition.States ?? {}).flatMap(([name, state]) => [
    [name, state] as [string, any],
    ...(state.Branches ?? []).flatMap(statesOf),
    ...statesOf(state.ItemProcessor ?? state.Iterator ?? {}),
  ]);
}

/**
 * Runs `definition` with `input`. Waits and retry intervals take no time (their computed lengths
 * are recorded); a Task whose Resource has no handler fails the test loudly.
 */
export async function runLocally(definition: any, input: unknown, handlers: Record<string, TaskHandler>,
  context: Record<string, unknown> = {}): Promise<LocalRunResult> {
  const states = statesOf(definition);
  const calls: TaskCall[] = [];
  const retryWaits: Record<string, number[]> = {};
  const attempts = new Map<string, number>();
  const lastErrors = new Map<string, string>();
  const missing: string[] = [];
  const taskResourceLocalHandlers: Record<string, (input: any) => Promise<any>> = {};
  for (const [name, state] of states.filter(([, s]) => s.Type === 'Task')) {
    const resource = String(state.Resource);
    const handler = handlers[resource];
    taskResourceLocalHandlers[name] = async (parameters: any) => {
      if (!handler) {
        // A Catch could swallow this: it is reported after the run instead.
        missing.push(`no handler for ${resource} (state ${name})`);
        throw new Error(missing[missing.length - 1]);
      }
      const attempt = (attempts.get(name) ?? 0) + 1;
      attempts.set(name, attempt);
      const call = { state: name, resource, parameters, attempt };
      calls.push(call);
      if (attempt > 1) {
        // The retrier that took the previous attempt's error: the first whose ErrorEquals matches it.
        const retrier = (state.Retry ?? []).find((r: any) => r.ErrorEquals.some((e: string) =>
          e === lastErrors.get(name) || e === 'States.ALL' || e === 'States.TaskFailed')) ?? {};
        const waits = retryWaits[name] ?? (retryWaits[name] = []);
        waits.push(Math.min((retrier.IntervalSeconds ?? 1) * Math.pow(retrier.BackoffRate ?? 2, attempt - 2), retrier.MaxDelaySeconds ?? Infinity));
      }
      try {
        return await handler(parameters, call);
      } catch (error: any) {
        lastErrors.set(name, error?.name);
        throw error;
      }
    };
  }
  const zero = (type: string) => Object.fromEntries(states.filter(([, s]) => s.Type === type || (type === 'Retry' && s.Retry)).map(([n]) => [n, 0]));
  const machine = new StateMachine(definition, { validationOptions: { checkArn: false } });
  const execution = machine.run(input as any, {
    overrides: { taskResourceLocalHandlers, waitTimeOverrides: zero('Wait'), retryIntervalOverrides: zero('Retry') },
    context: { Execution: { Input: input as any, StartTime: '2026-12-06T12:00:00Z', Id: 'arn:aws:states:us-east-1:123456789012:execution:test:run' }, ...context },
  });
  let transitions = 0;
  const counted = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === 'StateEntered' || event.type === 'StateRetried') transitions++;
    }
  })();
  let result: LocalRunResult;
  try {
    const output = await execution.result;
    await counted;
    result = { output, calls, retryWaits, transitions };
  } catch (error: any) {
    await counted.catch(() => undefined);
    result = { error: (error?.cause ?? error)?.name ?? String(error), calls, retryWaits, transitions };
  }
  if (missing.length > 0) {
    throw new Error(missing.join('; '));
  }
  return result;
}
