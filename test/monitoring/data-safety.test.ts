import { RemovalPolicy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { CompositionFailureAlarm, IvsRealTimeCentralMonitoring, IvsRealTimeMonitoring } from '../../src';
import { DeployedTemplate } from '../util/deployed';
import { testStack } from '../util/stack';

const HOLDS_DATA = ['AWS::SQS::Queue', 'AWS::Logs::LogGroup', 'AWS::KMS::Key', 'AWS::Events::Archive'];

describe('what holds events', () => {
  test('every log group of an environment is encrypted with its key, which lets CloudWatch Logs use it for those log groups only', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    new IvsRealTimeMonitoring(stack, 'Monitoring', { environmentName: 'prod' });

    // THEN
    const deployed = DeployedTemplate.of(stack);
    const [key] = deployed.ofType('AWS::KMS::Key');
    const groups = deployed.ofType('AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThanOrEqual(4);
    expect(groups.filter(g => g.props.KmsKeyId !== deployed.getAtt(key.id, 'Arn')).map(g => g.props.LogGroupName)).toEqual([]);
    expect(key.props.KeyPolicy.Statement).toContainEqual({
      Sid: 'AllowCloudWatchLogsToEncryptLogGroups',
      Effect: 'Allow',
      Principal: { Service: 'logs.us-east-1.amazonaws.com' },
      Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      Resource: '*',
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/events/ivs-realtime*' } },
    });
  });

  test('an alarm given a key encrypts its log group and queue with it; without one, neither needs a key', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new CompositionFailureAlarm(stack, 'WithKey', { encryptionKey: key });
    new CompositionFailureAlarm(stack, 'WithoutKey');
    const template = Template.fromStack(stack);
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup')).map(g => g.Properties.KmsKeyId !== undefined);
    expect(groups.sort()).toEqual([false, true]);
  });

  test.each([
    ['IvsRealTimeMonitoring', (stack: any, removalPolicy?: RemovalPolicy) => new IvsRealTimeMonitoring(stack, 'M', { environmentName: 'prod', removalPolicy })],
    ['IvsRealTimeCentralMonitoring', (stack: any, removalPolicy?: RemovalPolicy) =>
      new IvsRealTimeCentralMonitoring(stack, 'C', { sourceAccounts: ['111111111111'], removalPolicy })],
  ])('%s: removalPolicy reaches every queue, log group, key and archive', (_name, create) => {
    // GIVEN
    const stack = testStack();

    // WHEN
    create(stack, RemovalPolicy.DESTROY);

    // THEN
    const resources = Object.entries(Template.fromStack(stack).toJSON().Resources as Record<string, any>)
      .filter(([, r]) => HOLDS_DATA.includes(r.Type));
    expect(new Set(resources.map(([, r]) => r.Type))).toEqual(new Set(HOLDS_DATA));
    expect(resources.filter(([, r]) => r.DeletionPolicy !== 'Delete').map(([id]) => id)).toEqual([]);
  });

  test('by default log groups and keys are retained', () => {
    const stack = testStack();
    new IvsRealTimeMonitoring(stack, 'M', { environmentName: 'prod' });
    const resources = Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, any>);
    const kept = resources.filter(r => ['AWS::Logs::LogGroup', 'AWS::KMS::Key'].includes(r.Type));
    expect(new Set(kept.map(r => r.DeletionPolicy))).toEqual(new Set(['Retain']));
  });
});
