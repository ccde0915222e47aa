// Deploys IvsRealTimeCentralMonitoring and checks against AWS: the bus policy lets the
// source account put events, the rules on the central bus match forwarded real-time
// events (stage filters included) and nothing else, and the alarms settle in OK.
// The source account is the deploying account here: an integ test has one account.
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Aws, Duration, Stack } from 'aws-cdk-lib';
import { IvsRealTimeCentralMonitoring, MonitoringProfile } from '../src';
import { loadFixture, nonRealtimeFixtures, withStage } from './util/fixtures';
import { expectPatternMatch } from './util/integ';

const app = new App();
const stack = new Stack(app, 'IvsCentralMonitoring');
const stage = `arn:aws:ivs:us-east-1:${Aws.ACCOUNT_ID}:stage/IntegStage01`;
const central = new IvsRealTimeCentralMonitoring(stack, 'Central', {
  sourceAccounts: [Aws.ACCOUNT_ID],
  environmentName: 'integ-central',
  profile: MonitoringProfile.STAGING,
  stageArns: [stage],
});

const integ = new IntegTest(app, 'CentralMonitoring', { testCases: [stack] });

integ.assertions.awsApiCall('EventBridge', 'describeEventBus', { Name: central.eventBus.eventBusName })
  .expect(ExpectedResult.objectLike({
    Policy: Match.serializedJson(Match.objectLike({
      Statement: [Match.objectLike({ Effect: 'Allow', Action: 'events:PutEvents', Principal: { AWS: `arn:aws:iam::${Aws.ACCOUNT_ID}:root` } })],
    })),
  }));

const onStage = (file: string) => withStage(loadFixture(file), stage);
const onCentralBus = { eventBus: central.eventBus };
expectPatternMatch(integ, central.allEventsRule, onStage('realtime/participant-published.json'), true, onCentralBus);
expectPatternMatch(integ, central.allEventsRule, onStage('realtime/composition-destination-failure.json'), true, onCentralBus);
expectPatternMatch(integ, central.allEventsRule, loadFixture('realtime/recording-end.json').event, false, onCentralBus);
for (const fixture of nonRealtimeFixtures()) {
  expectPatternMatch(integ, central.allEventsRule, fixture.event, false, onCentralBus);
}
expectPatternMatch(integ, central.compositionFailureAlarm.rule, onStage('realtime/composition-session-failure.json'), true, onCentralBus);
expectPatternMatch(integ, central.recordingFailureAlarm.rule, onStage('realtime/recording-end-failure.json'), true, onCentralBus);

// On a custom bus, Ref of a rule is `<bus>|<rule>`: each alarm must watch the metric
// CloudWatch publishes, under the rule's name as EventBridge itself reports it.
for (const { alarm, rule } of [central.compositionFailureAlarm, central.recordingFailureAlarm, central.publishErrorAlarm]) {
  const described = integ.assertions.awsApiCall('EventBridge', 'describeRule', { Name: rule.ruleNames[0], EventBusName: central.eventBus.eventBusName });
  integ.assertions.awsApiCall('CloudWatch', 'describeAlarms', { AlarmNames: [alarm.alarmName] })
    .expect(ExpectedResult.objectLike({
      MetricAlarms: [Match.objectLike({
        StateValue: 'OK',
        Dimensions: Match.arrayWith([
          { Name: 'EventBusName', Value: central.eventBus.eventBusName },
          { Name: 'RuleName', Value: described.getAttString('Name') },
        ]),
      })],
    }))
    .waitForAssertions({ totalTimeout: Duration.minutes(15), interval: Duration.minutes(1) });
}
