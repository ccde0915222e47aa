// IvsRealTimeMonitoring with stateTracking and topics, as a security review runs it: no
// unsuppressed finding in any of cdk-nag's four packs.
import { Aspects, Duration, IAspect } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { IvsRealTimeMonitoring } from '../../src';
import { testStack } from '../util/stack';

const PACKS: [string, () => IAspect][] = [
  ['AwsSolutions', () => new AwsSolutionsChecks()],
  ['HIPAA', () => new HIPAASecurityChecks()],
  ['NIST 800-53 R5', () => new NIST80053R5Checks()],
  ['PCI DSS 3.2.1', () => new PCIDSS321Checks()],
];

test.each(PACKS)('%s: no unsuppressed finding', (_name, pack) => {
  // GIVEN
  const stack = testStack();
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const oncall = new sns.Topic(stack, 'Oncall', { enforceSSL: true, masterKey: key });
  const monitoring = new IvsRealTimeMonitoring(stack, 'Monitoring', {
    environmentName: 'prod',
    stageArns: ['arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij'],
    stateTracking: true,
    criticalTopics: [oncall],
    warningTopics: [oncall],
  });
  const stops = new sqs.Queue(stack, 'Stops', {
    enforceSSL: true,
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: key,
    deadLetterQueue: { queue: monitoring.stateTracker!.deadLetterQueue, maxReceiveCount: 3 },
  });
  monitoring.stateTracker!.onStageIdle('Stop', new targets.SqsQueue(stops), { gracePeriod: Duration.minutes(2) });
  // WHEN
  Aspects.of(stack).add(pack());
  // THEN
  const annotations = Annotations.fromStack(stack);
  const findings = [...annotations.findError('*', Match.stringLikeRegexp('^(AwsSolutions|HIPAA|NIST|PCI)')),
    ...annotations.findWarning('*', Match.stringLikeRegexp('^(AwsSolutions|HIPAA|NIST|PCI)'))]
    .map(f => `${f.id}: ${String(f.entry.data).split('\n')[0]}`);
  expect(findings).toEqual([]);
});
