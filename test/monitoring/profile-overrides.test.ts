import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  EventMonitoringProfileOptions, IvsRealTimeCentralMonitoring, IvsRealTimeMonitoring, MonitoringProfile, MonitoringProfileOptions,
} from '../../src';
import { testStack } from '../util/stack';

const STAGE = 'arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij';
const BASE = MonitoringProfile.PRODUCTION;

/**
 * A value for every setting that differs from production's. The mapped type makes the
 * compiler refuse a setting left out, so a new setting cannot go untested here.
 */
const OVERRIDES: { readonly [K in keyof Required<MonitoringProfileOptions>]: Required<MonitoringProfileOptions>[K] } = {
  alarmActionsEnabled: false,
  compositionFailureThreshold: 3,
  recordingFailureThreshold: 4,
  publishErrorThreshold: 25,
  alarmPeriod: Duration.minutes(10),
  evaluationPeriods: 3,
  logRetention: logs.RetentionDays.TWO_WEEKS,
  archiveRetention: Duration.days(14),
  failureEventNotifications: false,
  packetLossThresholdPercent: 7,
  droppedFramesThresholdPercent: 8,
  recordingNotifications: false,
};
const ENVIRONMENT_ONLY: (keyof MonitoringProfileOptions)[] = ['packetLossThresholdPercent', 'droppedFramesThresholdPercent', 'recordingNotifications'];

/** Topics and a stage, so that alarm actions, notifications and per-stage alarms render. */
function environment(extra: Partial<MonitoringProfileOptions> & { profile?: MonitoringProfile } = {}): any {
  const stack = testStack();
  const topic = (id: string) => new sns.Topic(stack, id, { enforceSSL: true });
  new IvsRealTimeMonitoring(stack, 'Monitoring', {
    environmentName: 'prod',
    profile: BASE,
    stageArns: [STAGE],
    perStageHealthAlarms: true,
    criticalTopics: [topic('Oncall')],
    warningTopics: [topic('Chat')],
    ...extra,
  });
  return Template.fromStack(stack).toJSON();
}

function central(extra: Partial<EventMonitoringProfileOptions> & { profile?: MonitoringProfile } = {}): any {
  const stack: Stack = testStack();
  new IvsRealTimeCentralMonitoring(stack, 'Central', {
    sourceAccounts: ['111111111111'],
    profile: BASE,
    criticalTopics: [new sns.Topic(stack, 'Oncall', { enforceSSL: true })],
    warningTopics: [new sns.Topic(stack, 'Chat', { enforceSSL: true })],
    ...extra,
  });
  return Template.fromStack(stack).toJSON();
}

describe('profile settings given as props', () => {
  test('the override table names every setting a profile has, and each differs from production', () => {
    expect(Object.keys(OVERRIDES).sort()).toEqual(Object.keys(BASE.settings).sort());
    for (const [name, value] of Object.entries(OVERRIDES)) {
      expect([name, value]).not.toEqual([name, (BASE.settings as any)[name]]);
    }
  });

  const settings = Object.entries(OVERRIDES) as [keyof MonitoringProfileOptions, unknown][];

  test.each(settings)('IvsRealTimeMonitoring: %s changes the template exactly as the same profile setting does', (name, value) => {
    // GIVEN
    const base = environment();

    // WHEN
    const overridden = environment({ [name]: value });
    const viaProfile = environment({ profile: MonitoringProfile.custom({ name: BASE.name, basedOn: BASE, [name]: value }) });

    // THEN
    expect(overridden).not.toEqual(base);
    expect(overridden).toEqual(viaProfile);
  });

  test.each(settings.filter(([name]) => !ENVIRONMENT_ONLY.includes(name)))(
    'IvsRealTimeCentralMonitoring: %s changes the template exactly as the same profile setting does', (name, value) => {
      // GIVEN
      const base = central();

      // WHEN
      const overridden = central({ [name]: value });
      const viaProfile = central({ profile: MonitoringProfile.custom({ name: BASE.name, basedOn: BASE, [name]: value }) });

      // THEN
      expect(overridden).not.toEqual(base);
      expect(overridden).toEqual(viaProfile);
    });

  test('the construct reports the profile in force, under the base profile\'s name', () => {
    const stack = testStack();
    const monitoring = new IvsRealTimeMonitoring(stack, 'Monitoring', { environmentName: 'dev', profile: MonitoringProfile.DEVELOPMENT, publishErrorThreshold: 99 });
    expect(monitoring.profile.name).toEqual('development');
    expect(monitoring.profile.settings.publishErrorThreshold).toEqual(99);
    expect(MonitoringProfile.DEVELOPMENT.settings.publishErrorThreshold).toEqual(50);
  });
});
