import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IvsStageStateTracker, StageActivity } from '../../src';
import { ACTIVITY_DETAIL_TEMPLATE, ACTIVITY_FILTERS } from '../../src/tracker/activity-pipes';
import { eventRulerMatches } from '../conformance/event-ruler';
import { testStack } from '../util/stack';

const STAGE = 'arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij';

/** A DynamoDB stream record as Pipes reads it (NEW_AND_OLD_IMAGES). */
function record(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', sk: string, before?: number, after?: number): any {
  const image = (publishers: number) => ({ pk: { S: STAGE }, sk: { S: sk }, publishers: { N: String(publishers) }, version: { N: '7' } });
  return {
    eventID: `id-${eventName}-${before}-${after}`,
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      ApproximateCreationDateTime: 1767225600,
      SequenceNumber: '4421584500000000017450439091',
      Keys: { pk: { S: STAGE }, sk: { S: sk } },
      ...(after === undefined ? {} : { NewImage: image(after) }),
      ...(before === undefined ? {} : { OldImage: image(before) }),
    },
  };
}

/** Which of active / idle a record sets off, judged by event-ruler (the pattern engine Pipes filters use too). */
function firing(rec: any): string[] {
  const cases = [...ACTIVITY_FILTERS.active.map(pattern => ({ kind: 'active', pattern })), ...ACTIVITY_FILTERS.idle.map(pattern => ({ kind: 'idle', pattern }))];
  const results = eventRulerMatches(cases.map(c => ({ pattern: c.pattern, event: rec })));
  return [...new Set(cases.filter((_, i) => results[i]).map(c => c.kind))];
}

describe('stage activity', () => {
  test.each<[string, string, any, string[]]>([
    ['a stage first written with a publisher', 'active', record('INSERT', 'STAGE', undefined, 1), ['active']],
    ['0 to 1 publisher', 'active', record('MODIFY', 'STAGE', 0, 1), ['active']],
    ['1 to 2 publishers', 'nothing', record('MODIFY', 'STAGE', 1, 2), []],
    ['2 to 1 publisher', 'nothing', record('MODIFY', 'STAGE', 2, 1), []],
    ['1 to 0 publishers', 'idle', record('MODIFY', 'STAGE', 1, 0), ['idle']],
    ['a stage first written without publishers', 'nothing', record('INSERT', 'STAGE', undefined, 0), []],
    ['a participant item', 'nothing', record('MODIFY', 'PARTICIPANT#st-1#p1', 0, 1), []],
    ['a stage item expiring', 'nothing', record('REMOVE', 'STAGE', 1, undefined), []],
  ])('%s: %s', (_name, _outcome, rec, expected) => {
    expect(firing(rec)).toEqual(expected);
  });

  test('the event detail is StageActivityEventDetail, and one transition always has one transitionId', () => {
    // Pipes put a path's value in place as it is: a string without its quotes, which the
    // template must write itself (EventBridge Pipes input transformation: "put quotes around
    // variables that refer to JSON path parameters, but not around ... JSON objects or arrays").
    // Unlike a rule's input transformer, nothing is quoted for you.
    const rec = record('MODIFY', 'STAGE', 0, 1);
    const valueAt = (path: string) => path.split('.').slice(1).reduce<any>((v, key) => v?.[key], rec);
    const rendered = ACTIVITY_DETAIL_TEMPLATE.replace(/<(\$[^>]+)>/g, (_m, path: string) => {
      const value = valueAt(path);
      expect([path, value]).toEqual([path, expect.anything()]);
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    });
    expect(JSON.parse(rendered)).toEqual({
      stageArn: STAGE, transitionId: rec.eventID, changedAt: 1767225600, sequence: '4421584500000000017450439091', version: '7',
    });
  });

  test('two pipes from the table stream to the bus, and rules for each activity with the library\'s delivery defaults', () => {
    // GIVEN
    const stack = testStack();
    const bus = new events.EventBus(stack, 'Bus', { eventBusName: 'ivs-activity' });
    const tracker = new IvsStageStateTracker(stack, 'Tracker', { activityEventBus: bus });

    // WHEN
    tracker.onStageActive('StartComposition', new targets.SqsQueue(new sqs.Queue(stack, 'Starts', { enforceSSL: true })));

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::DynamoDB::Table', { StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' } });
    const pipeResources = template.findResources('AWS::Pipes::Pipe');
    const pipes = Object.values(pipeResources).map(p => p.Properties);
    // The tracker's table names the tracker on each event: another tracker's rules on the same bus leave it alone.
    const tableArn = { 'Fn::GetAtt': [stack.getLogicalId(tracker.table.node.defaultChild as dynamodb.CfnTable), 'Arn'] };
    expect(pipes.map(p => p.TargetParameters.EventBridgeEventBusParameters)).toEqual([
      { DetailType: StageActivity.STAGE_ACTIVE.detailType, Source: 'cdk-ivs-realtime-events.tracker', Resources: [tableArn] },
      { DetailType: StageActivity.STAGE_IDLE.detailType, Source: 'cdk-ivs-realtime-events.tracker', Resources: [tableArn] },
    ]);
    expect(pipes.map(p => p.SourceParameters.FilterCriteria.Filters.length)).toEqual([2, 1]);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: stack.getLogicalId(bus.node.defaultChild as events.CfnEventBus) },
      EventPattern: { 'source': ['cdk-ivs-realtime-events.tracker'], 'detail-type': ['IVS Stage Active'], 'resources': [tableArn] },
      Targets: [{
        Arn: { 'Fn::GetAtt': [stack.getLogicalId((stack.node.findChild('Starts').node.defaultChild as sqs.CfnQueue)), 'Arn'] },
        Id: 'Target0',
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [stack.getLogicalId(tracker.deadLetterQueue.node.defaultChild as sqs.CfnQueue), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
      }],
    });
    // Updated after the pipes, so that no event is put without `resources` once the rule matches on them.
    const [rule] = Object.values(template.findResources('AWS::Events::Rule', { Properties: { EventPattern: { 'detail-type': ['IVS Stage Active'] } } }));
    expect(rule.DependsOn).toEqual(expect.arrayContaining(Object.keys(pipeResources)));
  });
});
