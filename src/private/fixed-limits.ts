import { Stack, Tokenization } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IConstruct } from 'constructs';
import {
  MAX_LAMBDA_ENVIRONMENT_BYTES, MAX_MANAGED_POLICY_CHARACTERS, MAX_QUEUE_POLICY_BYTES, MAX_QUEUE_POLICY_STATEMENTS,
} from './aws-facts';

/**
 * A limit AWS does not raise, checked on every resource of its type in a stack: past it the
 * deployment fails, after part of the stack was created, so synth fails instead. Values
 * known only at deploy time count for nothing (a table name, a queue ARN): the check can
 * miss by their length, never fail a stack that deploys.
 */
interface FixedLimit {
  /** The resources the limit applies to. */
  readonly applies: (c: IConstruct) => boolean;
  /** Each measured quantity of the resource, with the limit and what it is. */
  readonly measure: (c: IConstruct, stack: Stack) => { value: number; max: number; unit: string; quota: string }[];
  /** What the user can change. */
  readonly wayOut: string;
}

const FIXED_LIMITS: FixedLimit[] = [
  {
    applies: c => c instanceof lambda.CfnFunction,
    measure: (c, stack) => {
      const variables = stack.resolve((c as lambda.CfnFunction).environment)?.variables ?? {};
      const bytes = Object.entries(variables).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + literalBytes(v), 0);
      return [{ value: bytes, max: MAX_LAMBDA_ENVIRONMENT_BYTES, unit: 'bytes of environment variables', quota: 'Lambda allows a function (4 KB, a fixed limit)' }];
    },
    wayOut: 'list fewer stages (`stageArns`, `stages`), or none to cover every stage of the account',
  },
  {
    applies: c => c instanceof sqs.CfnQueuePolicy,
    measure: (c, stack) => {
      const document = stack.resolve((c as sqs.CfnQueuePolicy).policyDocument);
      return [
        { value: (document?.Statement ?? []).length, max: MAX_QUEUE_POLICY_STATEMENTS, unit: 'queue policy statements', quota: 'SQS allows (a fixed limit)' },
        { value: literalBytes(document), max: MAX_QUEUE_POLICY_BYTES, unit: 'bytes of queue policy', quota: 'SQS allows (a fixed limit)' },
      ];
    },
    wayOut: 'give the queue to fewer rules (each aws-cdk-lib SqsQueue target adds a statement per rule), or list fewer stages so that they fit in fewer rules',
  },
  {
    applies: c => c instanceof iam.CfnManagedPolicy,
    // IAM counts the characters of the policy without white space; JSON.stringify adds none.
    measure: (c, stack) => [{
      value: literalBytes(stack.resolve((c as iam.CfnManagedPolicy).policyDocument)),
      max: MAX_MANAGED_POLICY_CHARACTERS,
      unit: 'characters of managed policy',
      quota: 'IAM allows (a fixed limit)',
    }],
    wayOut: 'name resources by a pattern (`stage/*`) rather than one by one, or list fewer stages',
  },
];

/** The stack's resources past a fixed limit, as synth errors naming the resource, the quota, the count and the way out. */
export function fixedLimitProblems(stack: Stack): string[] {
  return stack.node.findAll().filter(c => Stack.of(c) === stack).flatMap(c => FIXED_LIMITS
    .filter(limit => limit.applies(c))
    .flatMap(limit => limit.measure(c, stack)
      .filter(m => m.value > m.max)
      .map(m => `${c.node.path} has ${m.value} ${m.unit}, more than the ${m.max} ${m.quota}: ${limit.wayOut}.`)));
}

/** The length in bytes of `value` as JSON, without what only deployment knows (intrinsic functions count as nothing). */
function literalBytes(value: unknown): number {
  if (typeof value === 'string') {
    return Buffer.byteLength(Tokenization.isResolvable(value) ? '' : value);
  }
  if (Array.isArray(value)) {
    return 2 + value.reduce((sum: number, v) => sum + literalBytes(v) + 1, 0);
  }
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      return keys[0] === 'Fn::Join' ? literalBytes(((value as any)['Fn::Join'][1] as unknown[]).filter(v => typeof v === 'string').join('')) : 0;
    }
    return 2 + keys.reduce((sum, k) => sum + Buffer.byteLength(k) + 3 + literalBytes((value as any)[k]) + 1, 0);
  }
  return value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value));
}
