// The props every construct shares say what they affect, and name all of it: `removalPolicy`
// (RemovalPolicyOptions) every kind of resource whose deletion policy it sets, with the default of
// each, and `encryptionKey` (EncryptionOptions) every kind of resource it encrypts. The docs are
// read from the source, as jsii copies them into API.md and every language's package.
import * as fs from 'fs';
import * as path from 'path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  CompositionFailureAlarm, IvsRealTimeCentralMonitoring, IvsRealTimeMonitoring, IvsStageEventRule, IvsStageStateTracker,
  PublishErrorAlarm, RecordingCompleteNotifier, RecordingFailureAlarm,
} from '../src';
import { testStack } from './util/stack';

/** How the docs name each kind of resource. */
const WORDS: Record<string, RegExp> = {
  'AWS::SQS::Queue': /\bqueues?\b/,
  'AWS::Logs::LogGroup': /\blog groups?\b/,
  'AWS::Events::Archive': /\barchive\b/,
  'AWS::KMS::Key': /\bkeys?\b/,
  'AWS::DynamoDB::Table': /\btracker's (DynamoDB )?table\b/,
  'AWS::StepFunctions::StateMachine': /\bstate machines?\b/,
  'AWS::SNS::Topic': /\btopics?\b/,
};

/** The doc comment of `readonly NAME` in a source file, split at `@default`. */
function docOf(file: string, name: string): { text: string; byDefault: string } {
  const source = fs.readFileSync(path.join(__dirname, '..', 'src', file), 'utf8');
  const match = new RegExp(`/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\s*readonly ${name}\\?:`).exec(source);
  if (!match) throw new Error(`${file}: no documented ${name}`);
  const text = match[1].replace(/^\s*\* ?/gm, '').replace(/\s+/g, ' ');
  const [before, after = ''] = text.split('@default');
  return { text: before, byDefault: after };
}

/** Every construct that takes the shared props, fully configured (with what holds state). */
const CONSTRUCTS: Array<[string, (stack: Stack, props: { removalPolicy?: RemovalPolicy; encryptionKey?: kms.IKey }) => void]> = [
  ['IvsStageEventRule', (s, p) => new IvsStageEventRule(s, 'Rule', p)],
  ['CompositionFailureAlarm', (s, p) => new CompositionFailureAlarm(s, 'Alarm', p)],
  ['RecordingFailureAlarm', (s, p) => new RecordingFailureAlarm(s, 'Alarm', p)],
  ['PublishErrorAlarm', (s, p) => new PublishErrorAlarm(s, 'Alarm', p)],
  ['RecordingCompleteNotifier', (s, p) => new RecordingCompleteNotifier(s, 'Notifier', p)],
  ['IvsStageStateTracker', (s, p) => {
    const tracker = new IvsStageStateTracker(s, 'Tracker', p);
    tracker.onStageIdle('Idle', new targets.SqsQueue(sqs.Queue.fromQueueArn(s, 'Target', 'arn:aws:sqs:us-east-1:123456789012:q')),
      { gracePeriod: Duration.minutes(2) });
  }],
  ['IvsRealTimeMonitoring', (s, p) => new IvsRealTimeMonitoring(s, 'Monitoring', { environmentName: 'prod', stateTracking: true, ...p })],
  ['IvsRealTimeCentralMonitoring', (s, p) => new IvsRealTimeCentralMonitoring(s, 'Central', { sourceAccounts: ['111111111111'], ...p })],
];

/** The resources of one construct's stack, but those the test made itself. */
function resourcesOf(create: (typeof CONSTRUCTS)[number][1], props: { removalPolicy?: RemovalPolicy; encryptionKey?: boolean }) {
  const stack = testStack();
  const key = props.encryptionKey ? new kms.Key(stack, 'GivenKey') : undefined;
  create(stack, { removalPolicy: props.removalPolicy, encryptionKey: key });
  const resources = stack.resolve((stack as any)._toCloudFormation()).Resources as Record<string, any>;
  return Object.entries(resources).filter(([id]) => !id.startsWith('GivenKey')).map(([, r]) => r);
}

const named = (doc: string, types: Iterable<string>) => [...types].filter(type => !WORDS[type]?.test(doc));

describe('removalPolicy', () => {
  const doc = docOf('rules/event-source-options.ts', 'removalPolicy');
  const governed = new Set<string>();
  const retainedByDefault = new Set<string>();
  const deletedByDefault = new Set<string>();
  for (const [, create] of CONSTRUCTS) {
    const retained = resourcesOf(create, { removalPolicy: RemovalPolicy.RETAIN }).filter(r => r.DeletionPolicy === 'Retain').map(r => r.Type);
    const destroyed = resourcesOf(create, { removalPolicy: RemovalPolicy.DESTROY }).filter(r => r.DeletionPolicy === 'Delete').map(r => r.Type);
    for (const type of retained.filter(t => destroyed.includes(t))) governed.add(type);
    for (const r of resourcesOf(create, {}).filter(resource => governed.has(resource.Type))) {
      (r.DeletionPolicy === 'Retain' ? retainedByDefault : deletedByDefault).add(r.Type);
    }
  }

  test('sets the deletion policy of queues, log groups, the archive, keys, the tracker\'s table and its state machines', () => {
    expect([...governed].sort()).toEqual(['AWS::DynamoDB::Table', 'AWS::Events::Archive', 'AWS::KMS::Key', 'AWS::Logs::LogGroup',
      'AWS::SQS::Queue', 'AWS::StepFunctions::StateMachine']);
  });

  test('its doc names every kind of resource it sets, the tracker\'s table included', () => {
    expect(named(doc.text, governed)).toEqual([]);
  });

  test('its default names what is retained and what is deleted, each on the right side', () => {
    const [retainedText, deletedText] = doc.byDefault.split(/\bare retained\b/);
    expect(named(retainedText, retainedByDefault)).toEqual([]);
    expect(named(deletedText ?? '', deletedByDefault)).toEqual([]);
    expect([...retainedByDefault].filter(t => WORDS[t].test(deletedText ?? ''))).toEqual([]);
  });
});

describe('encryptionKey', () => {
  const doc = docOf('rules/event-source-options.ts', 'encryptionKey');
  const encrypted = new Set<string>();
  for (const [, create] of CONSTRUCTS) {
    for (const r of resourcesOf(create, { encryptionKey: true })) {
      // a resource is encrypted with the key when its properties name it (policies only grant its use)
      if (!/Policy$|::Policy$|::Role$|::Function$|::Pipe$|::StateMachine$|::Alarm$/.test(r.Type) && JSON.stringify(r.Properties ?? {}).includes('GivenKey')) {
        encrypted.add(r.Type);
      }
    }
  }

  test('encrypts queues, topics, log groups and the tracker\'s table', () => {
    expect([...encrypted].sort()).toEqual(['AWS::DynamoDB::Table', 'AWS::Logs::LogGroup', 'AWS::SNS::Topic', 'AWS::SQS::Queue']);
  });

  test('its doc names every kind of resource it encrypts, the tracker\'s table included', () => {
    expect(named(doc.text, encrypted)).toEqual([]);
  });
});
