import {
  validateAlarmPeriod, validateEvaluationRange, validatePercent, validateThreshold,
} from './validation';
import type { MonitoringProfileOptions } from '../monitoring/monitoring-profile';

/**
 * Checks a complete set of profile values; errors name the value as the prop a user sets
 * (on `MonitoringProfile.custom()` or as an override on the monitoring construct).
 */
export function validateProfileValues(values: Required<MonitoringProfileOptions>): void {
  validateThreshold('compositionFailureThreshold', values.compositionFailureThreshold);
  validateThreshold('recordingFailureThreshold', values.recordingFailureThreshold);
  validateThreshold('publishErrorThreshold', values.publishErrorThreshold);
  validateAlarmPeriod('alarmPeriod', values.alarmPeriod);
  validateEvaluationRange('alarmPeriod', values.alarmPeriod, values.evaluationPeriods);
  validatePercent('packetLossThresholdPercent', values.packetLossThresholdPercent);
  validatePercent('droppedFramesThresholdPercent', values.droppedFramesThresholdPercent);
  const retention = values.archiveRetention;
  if (!retention.isUnresolved()) {
    const days = retention.toDays({ integral: false });
    if (!Number.isInteger(days) || days < 0) {
      throw new Error(`\`archiveRetention\` must be a whole number of days, 0 for indefinitely, got ${retention.toHumanString()}`);
    }
  }
}
