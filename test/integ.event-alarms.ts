// Deploys the three alarm presets and checks, against EventBridge, CloudWatch and KMS
// themselves, what event-ruler and the template tests cannot: the deployed patterns
// match exactly the failure events (TestEventPattern), the alarms exist with the
// documented semantics and settle in OK while nothing fails, and EventBridge may use the
// key of the dead-letter queue and write to the log group.
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CompositionFailureAlarm, IvsEventAlarm, PublishErrorAlarm, RecordingFailureAlarm } from '../src';
import { IvsEventJson, loadFixture, withStage } from './util/fixtures';
import { deployedPattern, expectPatternMatch } from './util/integ';

const app = new App();
const stack = new Stack(app, 'IvsEventAlarmsInteg');
const stage = new ivs.CfnStage(stack, 'Stage', { name: 'integ-alarms-stage' });
const key = new kms.Key(stack, 'TopicKey', { enableKeyRotation: true });
const pager = new sns.Topic(stack, 'Pager', { enforceSSL: true, masterKey: key });

const composition = new CompositionFailureAlarm(stack, 'Composition', {
  stages: [stage],
  includeReconnecting: true,
  alarmTopic: pager,
  notificationTopic: pager,
  // The other alarms keep the default (SSE-SQS); this one checks that a given key is usable.
  encryptionKey: key,
});
const recording = new RecordingFailureAlarm(stack, 'Recording', { alarmTopic: pager });
const publish = new PublishErrorAlarm(stack, 'Publish', { threshold: 5, period: Duration.minutes(10), actionsEnabled: false });

const integ = new IntegTest(app, 'EventAlarms', { testCases: [stack] });

/** Each match reads the alarm's rule back with a DescribeRule of its own. */
function expectMatch(alarm: IvsEventAlarm, event: IvsEventJson, expected: boolean): void {
  expectPatternMatch(integ, alarm.rule, event, expected, { pattern: deployedPattern(integ, alarm.rule) });
}

const otherStage = 'arn:aws:ivs:us-east-1:123456789012:stage/OtherStage01';
for (const file of ['realtime/composition-session-failure.json', 'realtime/composition-destination-failure.json', 'realtime/composition-destination-reconnecting.json']) {
  expectMatch(composition, withStage(loadFixture(file), stage.attrArn), true);
  expectMatch(composition, withStage(loadFixture(file), otherStage), false);
}
expectMatch(composition, withStage(loadFixture('realtime/composition-session-end.json'), stage.attrArn), false);
expectMatch(recording, loadFixture('realtime/recording-start-failure.json').event, true);
expectMatch(recording, loadFixture('realtime/recording-end-failure.json').event, true);
expectMatch(recording, loadFixture('realtime/recording-end.json').event, false);
expectMatch(publish, loadFixture('derived/participant-publish-error.json').event, true);
expectMatch(publish, loadFixture('realtime/participant-published.json').event, false);

// Nothing fails in a fresh account: each alarm must settle in OK (missing data is not
// breaching), never stay in INSUFFICIENT_DATA or ALARM.
for (const [alarm, threshold, period] of [[composition, 1, 300], [recording, 1, 300], [publish, 5, 600]] as const) {
  integ.assertions.awsApiCall('CloudWatch', 'describeAlarms', { AlarmNames: [alarm.alarm.alarmName] })
    .expect(ExpectedResult.objectLike({
      MetricAlarms: [Match.objectLike({
        MetricName: 'TriggeredRules',
        Namespace: 'AWS/Events',
        Statistic: 'Sum',
        Threshold: threshold,
        Period: period,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        StateValue: 'OK',
      })],
    }))
    .waitForAssertions({ totalTimeout: Duration.minutes(15), interval: Duration.minutes(1) });
}

// EventBridge must be able to encrypt into the dead-letter queue, or undelivered events are lost.
integ.assertions.awsApiCall('KMS', 'getKeyPolicy', { KeyId: composition.encryptionKey!.keyId, PolicyName: 'default' })
  .expect(ExpectedResult.objectLike({
    Policy: Match.serializedJson(Match.objectLike({
      Statement: Match.arrayWith([Match.objectLike({
        Principal: { Service: 'events.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      })]),
    })),
  }));

// The failure events are kept: the rule's targets are the log group and the notification topic.
integ.assertions.awsApiCall('EventBridge', 'listTargetsByRule', { Rule: composition.rule.rule.ruleName })
  .expect(ExpectedResult.objectLike({
    Targets: Match.arrayWith([Match.objectLike({ Arn: Match.stringLikeRegexp(':log-group:/aws/events/ivs-realtime/') })]),
  }));
