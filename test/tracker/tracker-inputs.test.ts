// What the tracker refuses at synth, and what it grants: inputs accepted before and wrong,
// and the event queue's policy written by the library rather than aws-cdk-lib's SqsQueue target.
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IvsStageStateTracker } from '../../src';
import { testStack } from '../util/nag';

const STAGE = 'arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij';

/** The Allow statements of the policy of the queue whose logical id starts with `prefix`. */
function allowStatements(template: Template, prefix: string): any[] {
  return Object.values(template.findResources('AWS::SQS::QueuePolicy'))
    .filter((p: any) => p.Properties.Queues.some((q: any) => String(q.Ref).startsWith(prefix)))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
    .filter((s: any) => s.Effect === 'Allow');
}

describe('the event queue\'s policy', () => {
  test.each([
    ['without a key', false],
    ['encrypted with a key (where aws-cdk-lib\'s SqsQueue target writes no source condition)', true],
  ])('%s: one statement, for the tracker\'s rules of this account', (_name, encrypted) => {
    // GIVEN
    const stack = testStack();
    const encryptionKey = encrypted ? new kms.Key(stack, 'Key', { enableKeyRotation: true }) : undefined;
    // WHEN
    new IvsStageStateTracker(stack, 'Tracker', { stageArns: [STAGE], encryptionKey });
    // THEN
    expect(allowStatements(Template.fromStack(stack), 'TrackerQueue')).toEqual([{
      Sid: 'AllowEventBridgeRulesToSendEvents',
      Action: 'sqs:SendMessage',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^TrackerQueue/), 'Arn'] },
      Condition: {
        ArnLike: { 'aws:SourceArn': [{ 'Fn::GetAtt': [expect.stringMatching(/^TrackerEventsRule/), 'Arn'] }] },
        StringEquals: { 'aws:SourceAccount': '123456789012' },
      },
    }]);
  });
});
