import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CustomMonitoringProfileProps, MonitoringProfile } from '../../src';

describe('MonitoringProfile', () => {
  test('presets: development pages nobody and keeps a week; production pages on every failure and keeps a year', () => {
    expect(MonitoringProfile.DEVELOPMENT.name).toEqual('development');
    expect(MonitoringProfile.DEVELOPMENT.settings).toMatchObject({
      alarmActionsEnabled: false,
      compositionFailureThreshold: 5,
      recordingFailureThreshold: 5,
      publishErrorThreshold: 50,
      logRetention: logs.RetentionDays.ONE_WEEK,
      failureEventNotifications: false,
    });
    expect(MonitoringProfile.DEVELOPMENT.settings.archiveRetention?.toDays()).toEqual(7);
    expect(MonitoringProfile.STAGING.name).toEqual('staging');
    expect(MonitoringProfile.STAGING.settings).toMatchObject({ alarmActionsEnabled: true, logRetention: logs.RetentionDays.ONE_MONTH });
    expect(MonitoringProfile.PRODUCTION.name).toEqual('production');
    expect(MonitoringProfile.PRODUCTION.settings).toMatchObject({
      alarmActionsEnabled: true,
      compositionFailureThreshold: 1,
      recordingFailureThreshold: 1,
      publishErrorThreshold: 10,
      evaluationPeriods: 1,
      packetLossThresholdPercent: 5,
      droppedFramesThresholdPercent: 5,
      logRetention: logs.RetentionDays.ONE_YEAR,
      recordingNotifications: true,
      failureEventNotifications: true,
    });
    expect(MonitoringProfile.PRODUCTION.settings.alarmPeriod?.toMinutes()).toEqual(5);
    expect(MonitoringProfile.PRODUCTION.settings.archiveRetention?.toDays()).toEqual(90);
  });

  test('custom() takes what it sets and the rest from basedOn (production by default)', () => {
    // WHEN
    const canary = MonitoringProfile.custom({ name: 'canary', basedOn: MonitoringProfile.STAGING, publishErrorThreshold: 3, alarmActionsEnabled: false });
    const strict = MonitoringProfile.custom({ name: 'strict', compositionFailureThreshold: 2 });

    // THEN
    expect(canary.name).toEqual('canary');
    expect(canary.settings).toMatchObject({ publishErrorThreshold: 3, alarmActionsEnabled: false, logRetention: logs.RetentionDays.ONE_MONTH });
    expect(strict.name).toEqual('strict');
    expect(strict.settings).toMatchObject({
      compositionFailureThreshold: 2, recordingFailureThreshold: 1, logRetention: logs.RetentionDays.ONE_YEAR,
    });
  });

  test('custom() ignores settings given as undefined and leaves its base alone', () => {
    const quiet = MonitoringProfile.custom({ name: 'quiet', alarmActionsEnabled: false, archiveRetention: undefined });
    expect(quiet.settings.alarmActionsEnabled).toBe(false);
    expect(quiet.settings.archiveRetention?.toDays()).toEqual(90);
    expect(MonitoringProfile.PRODUCTION.settings.alarmActionsEnabled).toBe(true);
  });

  test('every preset sets every setting', () => {
    const names = Object.keys(MonitoringProfile.PRODUCTION.settings).sort();
    expect(names).toHaveLength(12);
    for (const profile of [MonitoringProfile.DEVELOPMENT, MonitoringProfile.STAGING]) {
      expect(Object.keys(profile.settings).sort()).toEqual(names);
    }
  });

  test('archiveRetention of 0 days means indefinitely and is accepted', () => {
    expect(MonitoringProfile.custom({ name: 'audit', archiveRetention: Duration.days(0) }).settings.archiveRetention?.toDays()).toEqual(0);
  });

  describe('bad input', () => {
    test.each<[string, Partial<CustomMonitoringProfileProps>, string]>([
      ['an empty name', { name: ' ' }, "`name` must be a non-empty profile name, got ' '"],
      ['a threshold of 0', { compositionFailureThreshold: 0 }, '`compositionFailureThreshold` must be a whole number of events, 1 or more, got 0'],
      ['a fractional threshold', { publishErrorThreshold: 2.5 }, '`publishErrorThreshold` must be a whole number of events, 1 or more, got 2.5'],
      ['a negative threshold', { recordingFailureThreshold: -1 }, '`recordingFailureThreshold` must be a whole number of events, 1 or more, got -1'],
      ['a period of 90 seconds', { alarmPeriod: Duration.seconds(90) }, '`alarmPeriod` must be a whole number of minutes from 1 minute to 1 day, got 90 seconds'],
      ['evaluation periods of 0', { evaluationPeriods: 0 }, '`evaluationPeriods` must be a whole number from 1 to 100, got 0'],
      ['an evaluation range over a day', { alarmPeriod: Duration.hours(12), evaluationPeriods: 3 },
        "`alarmPeriod` x `evaluationPeriods` must not exceed 1 day (CloudWatch's limit), got 43200 seconds x 3"],
      ['packet loss over 100%', { packetLossThresholdPercent: 101 }, '`packetLossThresholdPercent` must be a percentage above 0 and at most 100, got 101'],
      ['dropped frames of 0%', { droppedFramesThresholdPercent: 0 }, '`droppedFramesThresholdPercent` must be a percentage above 0 and at most 100, got 0'],
      ['an archive retention of hours', { archiveRetention: Duration.hours(36) },
        '`archiveRetention` must be a whole number of days, 0 for indefinitely, got 1 day 12 hours'],
    ])('%s', (_name, props, message) => {
      expect(() => MonitoringProfile.custom({ name: 'bad', ...props })).toThrow(message);
    });
  });
});
