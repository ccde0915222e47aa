import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { DeliveryAlarms, IvsEvent, IvsStageEventRule } from '../../src';
import { expectNoNagFindings } from '../util/nag';
import { testStack } from '../util/stack';

function rule(stack: Stack, id: string, deadLetterQueue?: sqs.IQueue): IvsStageEventRule {
  return new IvsStageEventRule(stack, id, { events: [IvsEvent.RECORDING_END], deadLetterQueue });
}

describe('DeliveryAlarms', () => {
  test('one rule: its DLQ depth and its FailedInvocations, missing data not breaching', () => {
    // GIVEN
    const stack = testStack();
    const r = rule(stack, 'Rule');

    // WHEN
    const alarms = new DeliveryAlarms(stack, 'Delivery', { rules: [r] });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Statistic: 'Maximum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Events',
      MetricName: 'FailedInvocations',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(alarms.deadLetterQueueAlarms).toHaveLength(1);
  });

  test('several rules: one alarm per distinct DLQ and a summed FailedInvocations', () => {
    // GIVEN
    const stack = testStack();
    const shared = new sqs.Queue(stack, 'Shared', { enforceSSL: true });
    const rules = [rule(stack, 'A', shared), rule(stack, 'B', shared), rule(stack, 'C')];

    // WHEN
    const alarms = new DeliveryAlarms(stack, 'Delivery', { rules, alarmNamePrefix: 'ivs' });

    // THEN
    expect(alarms.deadLetterQueueAlarms).toHaveLength(2);
    const names = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map(a => a.Properties.AlarmName);
    expect(names).toEqual(['ivs-dead-letter-queue', 'ivs-dead-letter-queue-2', 'ivs-failed-invocations']);
    const metrics = stack.resolve((alarms.failedInvocationsAlarm.node.defaultChild as cloudwatch.CfnAlarm).metrics);
    expect(metrics[0].expression).toEqual('SUM([m0,m1,m2])');
  });

  test('alarmTopic is notified on ALARM and OK', () => {
    const stack = testStack();
    const topic = new sns.Topic(stack, 'Pager');
    new DeliveryAlarms(stack, 'Delivery', { rules: [rule(stack, 'Rule')], alarmTopic: topic });
    const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(2);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) }]);
      expect(alarm.Properties.OKActions).toEqual(alarm.Properties.AlarmActions);
    }
  });

  test('no rule is rejected', () => {
    const stack = testStack();
    expect(() => new DeliveryAlarms(stack, 'Delivery', { rules: [] })).toThrow('`rules` must hold at least one rule, got 0');
  });

  test('more than 10 EventBridge rules are summed 10 to an alarm', () => {
    // GIVEN
    const stack = testStack();
    const rules = Array.from({ length: 11 }, (_, i) => rule(stack, `R${i}`));

    // WHEN
    const delivery = new DeliveryAlarms(stack, 'Delivery', { rules, alarmNamePrefix: 'ivs' });

    // THEN
    expect(delivery.failedInvocationsAlarms).toHaveLength(2);
    expect(delivery.failedInvocationsAlarm).toBe(delivery.failedInvocationsAlarms[0]);
    const metrics = delivery.failedInvocationsAlarms.map(a => stack.resolve((a.node.defaultChild as cloudwatch.CfnAlarm).metrics));
    expect(metrics[0][0].expression).toEqual('SUM([m0,m1,m2,m3,m4,m5,m6,m7,m8,m9])');
    expect(metrics[1]).toBeUndefined(); // the 11th rule alone: a plain metric
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'ivs-failed-invocations-2', MetricName: 'FailedInvocations' });
  });

  test('snapshot: default and fully configured', () => {
    const plain = testStack();
    new DeliveryAlarms(plain, 'Delivery', { rules: [rule(plain, 'Rule')] });
    expect(Template.fromStack(plain).toJSON()).toMatchSnapshot();
    const full = testStack();
    new DeliveryAlarms(full, 'Delivery', {
      rules: [rule(full, 'A'), rule(full, 'B')], alarmNamePrefix: 'ivs', alarmTopic: new sns.Topic(full, 'Pager', { enforceSSL: true }), actionsEnabled: false,
    });
    expect(Template.fromStack(full).toJSON()).toMatchSnapshot();
  });

  test('cdk-nag: no findings', () => {
    const stack = testStack();
    const shared = new sqs.Queue(stack, 'Shared', { enforceSSL: true });
    NagSuppressions.addResourceSuppressions(shared, [{ id: 'AwsSolutions-SQS3', reason: 'It is the dead-letter queue of the rules.' }]);
    new DeliveryAlarms(stack, 'Delivery', { rules: [rule(stack, 'A', shared), rule(stack, 'B')] });
    expectNoNagFindings(stack);
  });
});
