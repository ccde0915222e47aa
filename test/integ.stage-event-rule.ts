// Deploys IvsStageEventRule twice (every event; one stage) and asks EventBridge itself,
// through TestEventPattern, whether the deployed patterns match the specification's
// example events. IVS events cannot be injected (PutEvents rejects `aws.*` sources), so
// this is what a real account can check beyond event-ruler.
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IvsEvent, IvsStageEventRule } from '../src';
import { IvsEventJson, loadFixture, withStage } from './util/fixtures';
import { deployedPattern, expectPatternMatch } from './util/integ';

const app = new App();
const stack = new Stack(app, 'IvsStageEventRuleInteg');
const topic = new sns.Topic(stack, 'Topic', { enforceSSL: true });
const stage = new ivs.CfnStage(stack, 'Stage', { name: 'integ-stage' });

const everything = new IvsStageEventRule(stack, 'Everything', { targets: [new targets.SnsTopic(topic)] });
const oneStage = new IvsStageEventRule(stack, 'OneStage', {
  events: [IvsEvent.PARTICIPANT_PUBLISHED, IvsEvent.COMPOSITION_SESSION_FAILURE, IvsEvent.RECORDING_END],
  stages: [stage],
  targets: [new targets.SnsTopic(topic)],
});

const integ = new IntegTest(app, 'StageEventRule', { testCases: [stack] });

/** The patterns as EventBridge stored them, read back before any test. */
const deployedPatterns = new Map([everything, oneStage].map(rule => [rule, deployedPattern(integ, rule)]));

function expectMatch(rule: IvsStageEventRule, event: IvsEventJson, expected: boolean): void {
  expectPatternMatch(integ, rule, event, expected, { pattern: deployedPatterns.get(rule) });
}

for (const file of [
  'realtime/participant-published.json',
  'realtime/composition-destination-failure.json',
  'realtime/recording-end.json',
  'derived/participant-publish-error.json',
]) {
  expectMatch(everything, loadFixture(file).event, true);
}
for (const file of [
  'non-realtime/low-latency-recording-state-change.json',
  'non-realtime/low-latency-stream-state-change.json',
  'non-realtime/cloudtrail-create-stage.json',
]) {
  expectMatch(everything, loadFixture(file).event, false);
}

const otherStage = 'arn:aws:ivs:us-east-1:123456789012:stage/OtherStage01';
for (const file of ['realtime/participant-published.json', 'realtime/composition-session-failure.json', 'realtime/recording-end.json']) {
  const fixture = loadFixture(file);
  expectMatch(oneStage, withStage(fixture, stage.attrArn), true);
  expectMatch(oneStage, withStage(fixture, otherStage), false);
}
