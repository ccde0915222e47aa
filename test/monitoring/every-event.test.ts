import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { IvsRealTimeCentralMonitoring, IvsRealTimeMonitoring, IvsStageEventRule } from '../../src';
import { eventRulerMatches } from '../conformance/event-ruler';
import { DeployedTemplate } from '../util/deployed';
import { IvsEventJson, loadFixture, realtimeFixtures, withStage } from '../util/fixtures';
import { testStack } from '../util/stack';

const STAGE = 'arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij';

/**
 * Every real-time event IVS documents, and events of the same detail-types with names the
 * catalog lacks: the participant replication Stage Update events IVS documents (whose
 * English names no stored AWS source spells out, so these names are stand-ins) and any
 * event IVS adds later.
 */
function everyEvent(stageArn: string): IvsEventJson[] {
  const documented = realtimeFixtures().map(f => withStage(f, stageArn));
  const [stageUpdate, composition, recording] = ['realtime/participant-published.json', 'realtime/composition-session-start.json', 'realtime/recording-start.json']
    .map(file => withStage(loadFixture(file), stageArn));
  const renamed = (event: IvsEventJson, eventName: string) => ({ ...event, detail: { ...event.detail, event_name: eventName } });
  return [
    ...documented,
    renamed(stageUpdate, 'Participant Replication Started'),
    renamed(stageUpdate, 'Participant Replication Stopped'),
    renamed(composition, 'Session Paused'),
    renamed(recording, 'Recording Paused'),
  ];
}

/** Which of `events` no rule of `claim` matches, as EventBridge would deploy the patterns. */
function unmatched(stack: Stack, claim: IvsStageEventRule, candidates: IvsEventJson[]): string[] {
  const template = DeployedTemplate.of(stack);
  const patterns = claim.rules.map(rule =>
    template.resolve(template.resources[stack.getLogicalId(rule.node.defaultChild as events.CfnRule)].Properties.EventPattern));
  const results = eventRulerMatches(candidates.flatMap(event => patterns.map(pattern => ({ pattern, event }))));
  return candidates.filter((_, i) => !results.slice(i * patterns.length, (i + 1) * patterns.length).some(Boolean))
    .map(e => `${e['detail-type']}/${e.detail.event_name}`);
}

describe('rules that take every real-time event take events the catalog lacks too', () => {
  test('IvsRealTimeMonitoring: the all-events log and the forwarding rule, for a listed stage', () => {
    // GIVEN
    const stack = testStack();
    const monitoring = new IvsRealTimeMonitoring(stack, 'Monitoring', {
      environmentName: 'prod',
      stageArns: [STAGE],
      forwardTo: events.EventBus.fromEventBusArn(stack, 'Central', 'arn:aws:events:us-east-1:999999999999:event-bus/central'),
    });
    const all = everyEvent(STAGE);
    expect(all.length).toBeGreaterThan(realtimeFixtures().length);

    // THEN
    expect(unmatched(stack, monitoring.allEventsRule, all)).toEqual([]);
    expect(unmatched(stack, monitoring.forwardingRule!, all)).toEqual([]);
    expect(unmatched(stack, monitoring.allEventsRule, everyEvent('arn:aws:ivs:us-east-1:123456789012:stage/OtherStage99'))).toHaveLength(all.length);
  });

  test('IvsRealTimeMonitoring of every stage, and IvsRealTimeCentralMonitoring', () => {
    const stack = testStack();
    const monitoring = new IvsRealTimeMonitoring(stack, 'Monitoring', { environmentName: 'prod' });
    const central = new IvsRealTimeCentralMonitoring(stack, 'Central', { sourceAccounts: ['111111111111'] });
    expect(unmatched(stack, monitoring.allEventsRule, everyEvent(STAGE))).toEqual([]);
    expect(unmatched(stack, central.allEventsRule, everyEvent(STAGE))).toEqual([]);
  });
});
