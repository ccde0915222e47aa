import { Annotations, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, REPEATED_FAILURES } from './table-keys';
import { AlarmActionsOptions } from '../alarms/alarm-actions';
import { createAlarms } from '../private/alarm-actions';

export interface TrackerAlarmSources {
  readonly table: dynamodb.ITable;
  readonly deadLetterQueue: sqs.IQueue;
  readonly queue: sqs.IQueue;
  readonly reconciler: lambda.IFunction;
  readonly handler: lambda.IFunction;
  readonly alarmActions: AlarmActionsOptions;
}

/** The tracker's own alarms, in `scope` (their logical ids are the tracker's). */
export function createTrackerAlarms(scope: Construct, o: TrackerAlarmSources): cloudwatch.Alarm[] {
  const alarms = createAlarms(scope, [
    {
      id: 'DeadLetters',
      description: `IVS events the tracker could not apply wait in ${o.deadLetterQueue.node.path}: the table may be wrong until they are redriven.`,
      metric: o.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(5) }),
    },
    {
      id: 'Backlog',
      description: 'IVS events have waited more than 5 minutes for the tracker: the table lags behind the stages.',
      metric: o.queue.metricApproximateAgeOfOldestMessage({ statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(5) }),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      threshold: 300,
    },
    {
      id: 'ReconcilerErrors',
      description: 'The tracker\'s reconciler failed: events IVS never delivered are not repaired until it runs again.',
      metric: o.reconciler.metricErrors({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(15) }),
    },
    {
      // A stage IVS refuses is logged and skipped, so the run itself succeeds: this counts it.
      id: 'ReconcilerStageFailures',
      description: `A stage's reconciler check failed on ${REPEATED_FAILURES} checks in a row (deleted, denied or throttled): `
        + 'its missing events are not repaired. The reconciler\'s log names the stage and the error (stageArn, error, consecutiveFailures).',
      metric: new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: 'StagesFailingRepeatedly',
        dimensionsMap: { TableName: o.table.tableName },
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(15),
      }),
    },
    {
      id: 'HandlerErrors',
      description: 'The tracker\'s function failed: its records are retried, then dead-lettered.',
      metric: o.handler.metricErrors({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }),
    },
  ], o.alarmActions);
  if (o.alarmActions.alarmTopic === undefined && o.alarmActions.alarmActions === undefined) {
    Annotations.of(scope).addWarningV2('cdk-ivs-realtime-events:trackerAlarmsNotifyNobody',
      'The tracker\'s alarms notify nobody: give `alarmTopic` (or `alarmActions`), or dead letters, backlogs and failed runs go unnoticed.');
  }
  return alarms;
}
