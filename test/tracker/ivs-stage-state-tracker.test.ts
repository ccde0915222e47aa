import * as fs from 'fs';
import * as path from 'path';
import { CfnElement, Duration } from 'aws-cdk-lib';
import { Template, Match } from 'aws-cdk-lib/assertions';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IvsStageStateTracker } from '../../src';
import { ACTIVE_INDEX } from '../../src/tracker/table-keys';
import { HANDLER_BUNDLE } from '../../src/tracker/tracker-resources';
import { deploymentProblems } from '../util/deployment-checks';
import { expectNoNagFindings } from '../util/nag';
import { testStack } from '../util/stack';

const STAGE = 'arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij';

describe('IvsStageStateTracker', () => {
  test('a table, a queue with a dead-letter queue, the bundled function on the newest Node.js fed in batches with partial failures', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    const tracker = new IvsStageStateTracker(stack, 'Tracker', { stageArns: [STAGE] });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      // The reconciler's sparse index, as the handler writes it and moto's tables have it (devkit/moto.ts).
      GlobalSecondaryIndexes: [{
        IndexName: ACTIVE_INDEX.name,
        KeySchema: [{ AttributeName: ACTIVE_INDEX.partitionKey, KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ACTIVE_INDEX.projected },
      }],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Environment: { Variables: { TABLE_NAME: { Ref: Match.stringLikeRegexp('^TrackerTable') }, RETENTION_SECONDS: '604800' } },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: { maxReceiveCount: 5 }, VisibilityTimeout: 180 });
    // The tracked stage's IVS events go to the queue
    const queueArn = { 'Fn::GetAtt': [stack.getLogicalId(tracker.queue.node.defaultChild as CfnElement), 'Arn'] };
    const [ingest] = tracker.rule.rules.map(r => template.toJSON().Resources[stack.getLogicalId(r.node.defaultChild as CfnElement)].Properties);
    expect(ingest.Targets).toEqual([expect.objectContaining({ Arn: queueArn })]);
    expect(ingest.EventPattern.source).toEqual(['aws.ivs']);
    expect(JSON.stringify(ingest.EventPattern)).toContain(STAGE);
    expect(tracker.alarms).toHaveLength(5);
    // The reconciler runs on a schedule, from the same bundle.
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.reconcileHandler', Environment: { Variables: Match.objectLike({ STAGES_FROM: 'table' }) } });
    // Its stage list is written into the table by the deployment (test/tracker/reconciler-function.test.ts).
    template.hasResourceProperties('Custom::IvsTrackedStages', { StageArns: [STAGE] });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
    // Its metric is the one the bundle writes: users' dashboards name this namespace, per table.
    expect(stack.resolve(tracker.metricRepairs().toMetricConfig().metricStat)).toMatchObject({
      namespace: 'CdkIvsRealtimeEvents/Tracker',
      metricName: 'Repairs',
      dimensions: [{ name: 'TableName', value: { Ref: stack.getLogicalId(tracker.table.node.defaultChild as CfnElement) } }],
    });
    expect(fs.readFileSync(path.join(HANDLER_BUNDLE, 'index.js'), 'utf8')).toContain('"CdkIvsRealtimeEvents/Tracker"');
  });

  test('the event handler cannot call IVS; the reconciler can, for the tracked stages', () => {
    const stack = testStack();
    new IvsStageStateTracker(stack, 'Tracker', { stageArns: [STAGE] });
    const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy');
    const actionsOf = (role: string) => Object.values(policies).filter(p => JSON.stringify(p.Properties.Roles).includes(role))
      .flatMap(p => p.Properties.PolicyDocument.Statement.flatMap((st: any) => [st.Action].flat()));
    expect(actionsOf('TrackerHandlerRole').filter((a: string) => a.startsWith('ivs:'))).toEqual([]);
    expect(actionsOf('TrackerReconcilerRole').filter((a: string) => a.startsWith('ivs:')).sort()).toEqual(['ivs:GetStage', 'ivs:ListParticipantEvents', 'ivs:ListParticipants']);
    // The reconciler queries the sparse index: IAM names indexes apart from their table.
    const queries = Object.values(policies).filter(p => JSON.stringify(p.Properties.Roles).includes('TrackerReconcilerRole'))
      .flatMap(p => p.Properties.PolicyDocument.Statement).filter((st: any) => [st.Action].flat().includes('dynamodb:Query'));
    expect(JSON.stringify(queries.map((st: any) => st.Resource))).toContain('"/index/*"');
  });

  test('grantRead lets a reader read the table and nothing else', () => {
    const stack = testStack();
    const tracker = new IvsStageStateTracker(stack, 'Tracker');
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    tracker.grantRead(reader);
    const [policy] = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^Reader') }] } }));
    const actions = policy.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat());
    expect(actions.filter((a: string) => !/^dynamodb:(BatchGet|Get|Query|Scan|ConditionCheck|DescribeTable)/.test(a))).toEqual([]);
  });

  test.each([
    ['a maxReceiveCount of 0', { maxReceiveCount: 0 }, '`maxReceiveCount` must be a whole number from 1 to 1000, got 0'],
    ['a maxConcurrency of 1, which SQS event sources do not take', { maxConcurrency: 1 }, '`maxConcurrency` must be a whole number from 2 to 1000, got 1'],
  ])('%s is refused', (_name, props, message) => {
    expect(() => new IvsStageStateTracker(testStack(), 'Tracker', props)).toThrow(message);
  });

  test.each([
    ['default', () => ({})],
    ['fully configured', (stack: any) => ({ stageArns: [STAGE], encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }), maxReceiveCount: 3, maxConcurrency: 5 })],
  ])('%s: snapshot; cdk-nag AwsSolutions finds nothing, and AWS would deploy it as it reads', (_name, propsOf) => {
    const stack = testStack();
    new IvsStageStateTracker(stack, 'Tracker', propsOf(stack));
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
    expect(deploymentProblems(stack)).toEqual([]);
    expectNoNagFindings(stack);
  });

  test('delivery is at least once everywhere: every pipe and every rule the tracker makes dead-letters to the alarmed queue after bounded retries', () => {
    // GIVEN: every path an event can take, on an encrypted tracker
    const stack = testStack();
    const tracker = new IvsStageStateTracker(stack, 'Tracker', { stageArns: [STAGE], encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }) });
    const target = new targets.SqsQueue(new sqs.Queue(stack, 'Target', { enforceSSL: true, deadLetterQueue: { queue: tracker.deadLetterQueue, maxReceiveCount: 3 } }));
    tracker.onStageActive('Start', target);
    tracker.onStageIdle('Stop', target);
    tracker.onStageIdle('StopLater', target, { gracePeriod: Duration.minutes(2) });

    // THEN
    const template = Template.fromStack(stack);
    const dlq = { 'Fn::GetAtt': [stack.getLogicalId(tracker.deadLetterQueue.node.defaultChild as CfnElement), 'Arn'] };
    const pipes = Object.values(template.findResources('AWS::Pipes::Pipe')).map(p => p.Properties.SourceParameters.DynamoDBStreamParameters);
    expect(pipes).toEqual([0, 1].map(() => expect.objectContaining({ DeadLetterConfig: { Arn: dlq }, MaximumRetryAttempts: 10 })));
    // The ingest rule, Active, Idle, the grace machine's start and the confirmed idle: all but the reconciler's schedule,
    // whose missed run the next one makes up for.
    const rules = Object.values(template.findResources('AWS::Events::Rule')).filter(r => !r.Properties.ScheduleExpression);
    expect(rules).toHaveLength(5);
    for (const rule of rules) {
      expect(rule.Properties.Targets).toEqual([expect.objectContaining({
        DeadLetterConfig: { Arn: dlq }, RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
      })]);
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq['Fn::GetAtt'][0], 'QueueName'] } }],
    });
    expect(deploymentProblems(stack)).toEqual([]);
    expectNoNagFindings(stack);
  });
});
