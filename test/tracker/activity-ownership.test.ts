import { Duration } from 'aws-cdk-lib';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IvsStageStateTracker, StageActivity } from '../../src';
import { eventRulerMatches } from '../conformance/event-ruler';
import { DeployedTemplate } from '../util/deployed';
import { deployedDefinition } from '../util/local-sfn';
import { testStack } from '../util/stack';

// Up to 20 environments share one account, and by default its default bus: a tracker's rules must
// take its own activity events and none of another tracker's, whose stages it does not track.
// Patterns and events are read back from what would deploy, and judged by event-ruler.

const STAGE = 'arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij';

/** What each rule of an environment takes: the rule's construct id, and the detail-type it is for. */
const RULES: [string, string][] = [
  ['Start', StageActivity.STAGE_ACTIVE.detailType],
  ['Stop', StageActivity.STAGE_IDLE.detailType],
  ['StopAfterGrace', StageActivity.STAGE_IDLE_CONFIRMED.detailType],
  // the grace machine's own start
  ['IdleGrace60sStart', StageActivity.STAGE_IDLE.detailType],
];

interface Environment {
  readonly name: string;
  /** Each rule's deployed pattern, by its construct id. */
  readonly patterns: Record<string, unknown>;
  /** Every activity event the environment's tracker puts, as EventBridge delivers it. */
  readonly events: any[];
}

/** An EventBridge event from a PutEvents entry or a pipe's target parameters (PascalCase fields). */
function delivered(entry: any, detail: Record<string, unknown>): any {
  return {
    'version': '0',
    'id': `${entry.DetailType}-1`,
    'detail-type': entry.DetailType,
    'source': entry.Source,
    'account': '123456789012',
    'time': '2026-12-06T12:00:00Z',
    'region': 'us-east-1',
    // EventBridge delivers `resources` always, empty when the entry had none.
    'resources': entry.Resources ?? [],
    detail,
  };
}

function environment(name: string): Environment {
  const stack = testStack(name);
  const tracker = new IvsStageStateTracker(stack, 'Tracker');
  const queue = new sqs.Queue(stack, 'Targets', { enforceSSL: true });
  tracker.onStageActive('Start', new targets.SqsQueue(queue));
  tracker.onStageIdle('Stop', new targets.SqsQueue(queue));
  tracker.onStageIdle('StopAfterGrace', new targets.SqsQueue(queue), { gracePeriod: Duration.minutes(1) });

  const deployed = DeployedTemplate.of(stack);
  const patterns = Object.fromEntries(RULES.map(([id]) => {
    const logicalId = stack.getLogicalId(tracker.node.findChild(id).node.defaultChild as any);
    return [id, deployed.ofType('AWS::Events::Rule').find(r => r.id === logicalId)!.props.EventPattern];
  }));
  const detail = { stageArn: STAGE, transitionId: 't-1', changedAt: 1767225600, sequence: '17', version: '2' };
  const pipeEvents = deployed.ofType('AWS::Pipes::Pipe').map(p => delivered(p.props.TargetParameters.EventBridgeEventBusParameters, detail));
  const confirmations = deployedDefinition(stack).States.ConfirmIdle.Parameters.Entries
    .map((entry: any) => delivered(entry, { ...detail, gracePeriodSeconds: 60 }));
  return { name, patterns, events: [...pipeEvents, ...confirmations] };
}

describe('two environments\' trackers in one account', () => {
  test('each tracker\'s rules match its own activity events and none of the other\'s', () => {
    // GIVEN two environments, on the default bus both
    const envs = [environment('EnvA'), environment('EnvB')];
    expect(envs.map(e => e.events.map(ev => ev['detail-type']).sort())).toEqual(envs.map(() =>
      [StageActivity.STAGE_ACTIVE.detailType, StageActivity.STAGE_IDLE.detailType, StageActivity.STAGE_IDLE_CONFIRMED.detailType]));

    // WHEN every rule of each environment is judged against every event of both
    const cases = envs.flatMap(ruleEnv => RULES.flatMap(([id, detailType]) => envs.flatMap(eventEnv => eventEnv.events.map(event => ({
      name: `${ruleEnv.name} ${id} on ${eventEnv.name}'s ${event['detail-type']}`,
      pattern: ruleEnv.patterns[id],
      event,
      expected: ruleEnv === eventEnv && event['detail-type'] === detailType,
    })))));
    const results = eventRulerMatches(cases);

    // THEN
    expect(cases.filter((c, i) => results[i] !== c.expected).map(c => `${c.name}: expected ${c.expected ? 'match' : 'no match'}`)).toEqual([]);
    // every rule takes one event of its own environment
    expect(cases.filter(c => c.expected)).toHaveLength(envs.length * RULES.length);
  });
});
