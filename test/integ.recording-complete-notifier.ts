// Deploys RecordingCompleteNotifier and checks against EventBridge, SNS, SQS and KMS what
// only a real account can show: each deployed rule takes exactly its recording events
// (TestEventPattern; one of the with/without-duration pair, never both), the targets
// carry the message transformer, the dead-letter queue and the retry policy, and the
// topic, queue and key policies let EventBridge deliver, over TLS only.
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import { RecordingCompleteNotifier } from '../src';
import { IvsEventJson, loadFixture, withStage } from './util/fixtures';
import { deployedPattern, expectPatternMatch } from './util/integ';

const app = new App();
const stack = new Stack(app, 'RecordingCompleteNotifierInteg');
const stage = new ivs.CfnStage(stack, 'Stage', { name: 'integ-recordings-stage' });
const notifier = new RecordingCompleteNotifier(stack, 'Notifier', { stages: [stage] });
const [completedWithDuration, completedWithoutDuration, failedWithDuration, failedWithoutDuration] = notifier.rules;

const integ = new IntegTest(app, 'RecordingCompleteNotifier', { testCases: [stack] });

const deployedPatterns = new Map(notifier.rules.map(rule => [rule, deployedPattern(integ, rule)]));

/** `event` matches `expected` and none of the notifier's other rules. */
function expectOnly(expected: typeof notifier.rules[number] | undefined, event: IvsEventJson): void {
  for (const rule of notifier.rules) {
    expectPatternMatch(integ, rule, event, rule === expected, { pattern: deployedPatterns.get(rule) });
  }
}

const onStage = (file: string) => withStage(loadFixture(file), stage.attrArn);
expectOnly(completedWithDuration, onStage('realtime/recording-end.json'));
expectOnly(completedWithoutDuration, onStage('derived/recording-end-without-duration.json'));
expectOnly(failedWithoutDuration, onStage('realtime/recording-start-failure.json'));
expectOnly(failedWithDuration, onStage('realtime/recording-end-failure.json'));
expectOnly(undefined, onStage('realtime/recording-start.json'));
expectOnly(undefined, loadFixture('realtime/recording-end.json').event); // another stage

// Every target: the message transformer, the shared dead-letter queue, explicit retries.
for (const rule of notifier.rules) {
  integ.assertions.awsApiCall('EventBridge', 'listTargetsByRule', { Rule: rule.rule.ruleName })
    .expect(ExpectedResult.objectLike({
      Targets: [Match.objectLike({
        Arn: notifier.topic.topicArn,
        InputTransformer: Match.objectLike({ InputTemplate: Match.stringLikeRegexp('"version":"1"') }),
        DeadLetterConfig: { Arn: notifier.deadLetterQueue.queueArn },
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
      })],
    }));
}

// The topic is encrypted with the notifier's key, publishable by EventBridge, TLS only.
integ.assertions.awsApiCall('SNS', 'getTopicAttributes', { TopicArn: notifier.topic.topicArn })
  .expect(ExpectedResult.objectLike({
    Attributes: Match.objectLike({
      KmsMasterKeyId: notifier.encryptionKey!.keyArn,
      Policy: Match.serializedJson(Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish' }),
        ]),
      })),
    }),
  }));

// The dead-letter queue accepts EventBridge's writes from the notifier's rules only.
integ.assertions.awsApiCall('SQS', 'getQueueAttributes', { QueueUrl: notifier.deadLetterQueue.queueUrl, AttributeNames: ['Policy', 'KmsMasterKeyId'] })
  .expect(ExpectedResult.objectLike({
    Attributes: Match.objectLike({
      Policy: Match.serializedJson(Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Condition: { ArnEquals: { 'aws:SourceArn': completedWithDuration.rule.ruleArn } },
          }),
        ]),
      })),
    }),
  }));

integ.assertions.awsApiCall('KMS', 'getKeyPolicy', { KeyId: notifier.encryptionKey!.keyId, PolicyName: 'default' })
  .expect(ExpectedResult.objectLike({
    Policy: Match.serializedJson(Match.objectLike({
      Statement: Match.arrayWith([Match.objectLike({
        Principal: { Service: 'events.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      })]),
    })),
  }));
