// The reconciler as synthesized: its stage list outside its environment (written to the table by
// the deployment), least privilege, and an alarm on a stage that fails repeatedly.
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IvsStageStateTracker } from '../../src';
import { METRICS_NAMESPACE, RECONCILER_PK } from '../../src/tracker/table-keys';
import { expectNoNagFindings } from '../util/nag';
import { testStack } from '../util/stack';

const stages = (count: number) => Array.from({ length: count }, (_, i) => `arn:aws:ivs:us-east-1:123456789012:stage/Scale${String(i).padStart(7, '0')}`);

function synth(stageArns: string[], encrypted = false) {
  const stack = testStack();
  const encryptionKey = encrypted ? new kms.Key(stack, 'Key', { enableKeyRotation: true }) : undefined;
  const tracker = new IvsStageStateTracker(stack, 'Tracker', { stageArns, encryptionKey });
  const template = Template.fromStack(stack);
  const [reconciler] = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.reconcileHandler' } }));
  const policies = Object.values(template.findResources('AWS::IAM::Policy'))
    .filter(p => JSON.stringify(p.Properties.Roles).includes('TrackerReconcilerRole'));
  const statements: any[] = policies.flatMap(p => p.Properties.PolicyDocument.Statement);
  return { stack, tracker, template, reconciler, policies, statements };
}

const stageWildcard = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ivs:us-east-1:123456789012:stage/*']] };

describe('the reconciler', () => {
  test('at 1,000 listed stages, its environment stays small and its IAM policy under 6,144 characters; the list goes to the table', () => {
    // WHEN
    const { reconciler, policies, template } = synth(stages(1000));

    // THEN the environment does not grow with the stages (Lambda: 4 KB for all variables)
    const environment = JSON.stringify(reconciler.Properties.Environment.Variables);
    expect(environment.length).toBeLessThan(400);
    expect(environment).not.toContain('Scale');
    // ...nor does its policy (IAM: 6,144 characters for a managed policy, whitespace excluded)
    for (const policy of policies) {
      expect(JSON.stringify(policy.Properties.PolicyDocument).length).toBeLessThan(6144);
    }
    // The deployment writes the list into the table, through the reconciler itself.
    const [list] = Object.values(template.findResources('Custom::IvsTrackedStages'));
    expect(list.Properties.StageArns).toEqual(stages(1000));
    expect(list.Properties.ServiceToken).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^TrackerReconciler/), 'Arn'] });
  });

  test.each([
    ['listed stages', stages(2), 'table', ['ivs:GetStage', 'ivs:ListParticipantEvents', 'ivs:ListParticipants']],
    ['every stage of the account', [], 'ListStages', ['ivs:GetStage', 'ivs:ListParticipantEvents', 'ivs:ListParticipants', 'ivs:ListStages']],
  ])('with %s: IVS actions on the account\'s stages only, and only the table actions it calls', (_name, arns, from, ivsActions) => {
    const { reconciler, statements, template } = synth(arns);
    expect(reconciler.Properties.Environment.Variables.STAGES_FROM).toEqual(from);
    template.resourceCountIs('Custom::IvsTrackedStages', arns.length > 0 ? 1 : 0);
    const ivsStatements = statements.filter(st => [st.Action].flat().some((a: string) => a.startsWith('ivs:')));
    expect(ivsStatements.map(st => [[st.Action].flat().sort(), st.Resource])).toEqual([[ivsActions, stageWildcard]]);
    const dynamodb = statements.filter(st => [st.Action].flat().some((a: string) => a.startsWith('dynamodb:')));
    expect(dynamodb.flatMap(st => [st.Action].flat()).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    // PutItem (the stage list and the cursor) only in the reconciler's own partition.
    const put = dynamodb.find(st => [st.Action].flat().includes('dynamodb:PutItem'));
    expect([[put.Action].flat(), put.Condition]).toEqual([['dynamodb:PutItem'], { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [RECONCILER_PK] } }]);
  });

  test('an encrypted table: the reconciler may use its key; cdk-nag finds nothing', () => {
    const { stack, statements } = synth(stages(3), true);
    expect(statements.some(st => [st.Action].flat().includes('kms:Decrypt'))).toBe(true);
    expectNoNagFindings(stack);
  });

  test('a stage that fails on repeated checks is alarmed', () => {
    const { tracker, template } = synth(stages(2));
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: METRICS_NAMESPACE,
      MetricName: 'StagesFailingRepeatedly',
      Dimensions: [{ Name: 'TableName', Value: { Ref: Match.stringLikeRegexp('^TrackerTable') } }],
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
      AlarmDescription: Match.stringLikeRegexp('failed on 3 checks in a row'),
    });
    expect(tracker.alarms).toHaveLength(5);
  });

  test('more listed stages than the table\'s list item holds are refused, naming the prop', () => {
    expect(() => synth(stages(2001))).toThrow('`stageArns` and `stages` may list at most 2000 stages for the tracker (its reconciler keeps them in one table item), got 2001');
  });
});
