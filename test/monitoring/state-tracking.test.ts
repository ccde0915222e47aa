import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { IvsRealTimeMonitoring, IvsStageStateTracker } from '../../src';
import { deploymentProblems } from '../util/deployment-checks';
import { expectNoNagFindings } from '../util/nag';
import { testStack } from '../util/stack';

const STAGE = 'arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij';

describe('IvsRealTimeMonitoring with stateTracking', () => {
  test('tracks the environment\'s stages on its key; the tracker\'s alarms are critical and on the dashboard', () => {
    // GIVEN
    const stack = testStack();
    const oncall = new sns.Topic(stack, 'Oncall', { enforceSSL: true });

    // WHEN
    const monitoring = new IvsRealTimeMonitoring(stack, 'Monitoring', { environmentName: 'prod', stageArns: [STAGE], stateTracking: true, criticalTopics: [oncall] });

    // THEN
    expect(monitoring.stateTracker).toBeInstanceOf(IvsStageStateTracker);
    const tracker = monitoring.stateTracker!;
    expect(tracker.alarms.every(a => monitoring.alarms.includes(a))).toBe(true);
    expect(tracker.alarms).toHaveLength(5);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [stack.getLogicalId(monitoring.encryptionKey.node.defaultChild as any), 'Arn'] } },
    });
    // Each of the tracker's alarms pages the critical topic
    const alarms = template.findResources('AWS::CloudWatch::Alarm');
    const pager = [{ Ref: stack.getLogicalId(oncall.node.defaultChild as any) }];
    const actionsOf = (alarm: Construct) => alarms[stack.getLogicalId(alarm.node.defaultChild as any)].Properties.AlarmActions;
    expect(tracker.alarms.map(actionsOf)).toEqual(tracker.alarms.map(() => pager));
    // One alarm on the tracker's dead-letter queue, not one more from the delivery alarms.
    const dlq = stack.getLogicalId(tracker.deadLetterQueue.node.defaultChild as any);
    expect(Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter(a => JSON.stringify(a.Properties.Dimensions ?? []).includes(dlq))).toHaveLength(1);
    expect(deploymentProblems(stack)).toEqual([]);
    expectNoNagFindings(stack);
  });

  test('off by default: no table', () => {
    const stack = testStack();
    const monitoring = new IvsRealTimeMonitoring(stack, 'Monitoring', { environmentName: 'prod' });
    expect(monitoring.stateTracker).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::DynamoDB::Table', 0);
  });
});
