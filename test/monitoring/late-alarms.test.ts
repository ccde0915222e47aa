// What is added to an environment after its construction is alarmed, listed and graphed:
// alarm lists are read when the app is synthesized, not copied when the construct is built.
import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IvsEvent, IvsRealTimeMonitoring } from '../../src';
import { testStack } from '../util/stack';

test('an idle grace added after construction is in monitoring.alarms and on the dashboard', () => {
  // GIVEN
  const stack = testStack();
  const monitoring = new IvsRealTimeMonitoring(stack, 'Monitoring', { environmentName: 'prod', stateTracking: true });
  const before = monitoring.alarms.length;
  // WHEN
  monitoring.stateTracker!.onStageIdle('Stop', new targets.SqsQueue(new sqs.Queue(stack, 'Stops')), { gracePeriod: Duration.minutes(2) });
  // THEN
  const grace = monitoring.stateTracker!.alarms[monitoring.stateTracker!.alarms.length - 1];
  expect(monitoring.alarms.length).toBe(before + 1);
  expect(monitoring.alarms).toContain(grace);
  const body = JSON.stringify(Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'))[0]);
  expect(body).toContain(stack.getLogicalId(grace.node.defaultChild as any));
});

test('the dashboard\'s completed recordings are the notifier\'s completion rules, whatever their order', () => {
  const stack = testStack();
  const monitoring = new IvsRealTimeMonitoring(stack, 'Monitoring', { environmentName: 'prod' });
  const completed = monitoring.recordingNotifier!.completedRules;
  expect(completed.length).toBe(2);
  completed.forEach(rule => expect(rule.events).toEqual([IvsEvent.RECORDING_END]));
});
