import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  CompositionActivity, CompositionDestination, CompositionLayout, IvsAutoComposition, IvsAutoCompositionProps, IvsStageStateTracker, PipPosition,
  StageActivity, VideoAspectRatio, VideoFillMode,
} from '../../src';
import { deploymentProblems } from '../util/deployment-checks';
import { expectNoNagFindings } from '../util/nag';
import { describeSnapshots } from '../util/snapshots';
import { testStack } from '../util/stack';

const STAGE = 'arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij';
const stageArns = (n: number) => Array.from({ length: n }, (_, i) => `arn:aws:ivs:us-east-1:123456789012:stage/Stage${String(i).padStart(7, '0')}`);

function resources(stack: Stack) {
  return {
    tracker: new IvsStageStateTracker(stack, 'Tracker'),
    channel: new ivs.CfnChannel(stack, 'Channel', {}),
    storage: new ivs.CfnStorageConfiguration(stack, 'Storage', { s3: { bucketName: 'recordings-bucket' } }),
    encoder: new ivs.CfnEncoderConfiguration(stack, 'Encoder', {}),
  };
}

function auto(stack: Stack, props: Partial<IvsAutoCompositionProps> = {}) {
  const r = resources(stack);
  const composition = new IvsAutoComposition(stack, 'Auto', { tracker: r.tracker, destinations: [CompositionDestination.channel(r.channel)], ...props });
  return { ...r, composition, template: Template.fromStack(stack) };
}

describe('IvsAutoComposition', () => {
  test('the tracker\'s Stage Active events start the start machine, its confirmed idles (after the grace) the stop machine', () => {
    const { template } = auto(testStack(), { stopGracePeriod: Duration.minutes(3) });
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 3); // start, stop, and the tracker's 180-second grace
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': [StageActivity.STAGE_ACTIVE.source], 'detail-type': [StageActivity.STAGE_ACTIVE.detailType] },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^AutoStart') }, DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() })],
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': [StageActivity.STAGE_IDLE_CONFIRMED.source],
        'detail-type': [StageActivity.STAGE_IDLE_CONFIRMED.detailType],
        'detail': { gracePeriodSeconds: [180] },
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^AutoStop') } })],
    });
  });

  test('a stage list filters both rules, split so that each pattern fits 2,048 characters', () => {
    const { template } = auto(testStack(), { stageArns: stageArns(100) });
    const rules = Object.values(template.findResources('AWS::Events::Rule'))
      .filter(r => JSON.stringify(r.Properties.Targets).match(/AutoSt(art|op)/)).map(r => r.Properties.EventPattern);
    expect(rules.flatMap(p => p.detail.stageArn).sort()).toEqual([...stageArns(100), ...stageArns(100)].sort());
    expect(rules.filter(p => JSON.stringify(p).length > 2048)).toEqual([]);
  });

  test.each([
    ['the tracker\'s own 1,000 stages', stageArns(1000)],
    ['the tracker\'s own 1,000 stages and more it does not track', [...stageArns(1000), STAGE]],
    ['no stage list, on a tracker of 1,000 stages', undefined],
  ])('%s add no stage filter: one rule each for start and stop, as the tracker emits events of its stages only', (_name, listed) => {
    const stack = testStack();
    const tracker = new IvsStageStateTracker(stack, 'Tracker', { stageArns: stageArns(1000) });
    const channel = new ivs.CfnChannel(stack, 'Channel', {});
    new IvsAutoComposition(stack, 'Auto', { tracker, destinations: [CompositionDestination.channel(channel)], stageArns: listed });
    const rules = Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule'))
      .filter(r => JSON.stringify(r.Properties.Targets).match(/AutoSt(art|op)/)).map(r => r.Properties.EventPattern);
    expect([rules.length, rules.filter(p => p.detail?.stageArn)]).toEqual([2, []]);
  });

  test('a strict subset of the tracker\'s stages filters both rules', () => {
    const stack = testStack();
    const tracker = new IvsStageStateTracker(stack, 'Tracker', { stageArns: stageArns(10) });
    const channel = new ivs.CfnChannel(stack, 'Channel', {});
    new IvsAutoComposition(stack, 'Auto', { tracker, destinations: [CompositionDestination.channel(channel)], stageArns: stageArns(3) });
    const rules = Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule'))
      .filter(r => JSON.stringify(r.Properties.Targets).match(/AutoSt(art|op)/)).map(r => r.Properties.EventPattern);
    expect(rules.map(p => p.detail.stageArn)).toEqual([stageArns(3), stageArns(3)]);
  });

  test('IAM: StartComposition on stage/* and the destinations\' resources; StopComposition on composition/*; ListCompositions on *', () => {
    const stack = testStack();
    const r = resources(stack);
    new IvsAutoComposition(stack, 'Auto', {
      tracker: r.tracker,
      destinations: [
        CompositionDestination.channel(r.channel),
        CompositionDestination.s3({ storageConfiguration: r.storage, encoderConfiguration: r.encoder }),
      ],
    });
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .filter(p => JSON.stringify(p.Properties.Roles).includes('Auto')).flatMap(p => p.Properties.PolicyDocument.Statement);
    const ivsStatements = Object.fromEntries(statements.filter((s: any) => String(s.Action).startsWith('ivs:')).map((s: any) => [s.Action, stack.resolve(s.Resource)]));
    expect(Object.keys(ivsStatements).sort()).toEqual(['ivs:ListCompositions', 'ivs:StartComposition', 'ivs:StopComposition']);
    expect(ivsStatements['ivs:ListCompositions']).toBe('*');
    expect(JSON.stringify(ivsStatements['ivs:StopComposition'])).toContain(':composition/*');
    const start = JSON.stringify(ivsStatements['ivs:StartComposition']);
    for (const part of [':stage/*', 'Channel', 'Storage', 'Encoder']) expect(start).toContain(part);
    expect(start).not.toMatch(/composition\/\*|encoder-configuration\/\*/);
    // PutEvents only of the construct's own source and detail-types
    const put = statements.filter((s: any) => s.Action === 'events:PutEvents');
    expect(put.map((s: any) => s.Condition['ForAllValues:StringEquals']['events:source'])).toEqual([[CompositionActivity.START_FAILED.source],
      [CompositionActivity.STOP_FAILED.source]]);
  });

  test('IAM: without an encoder configuration of yours, StartComposition is granted IVS\'s default one (a required resource type)', () => {
    const stack = testStack();
    auto(stack);
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap(p => p.Properties.PolicyDocument.Statement);
    const start = statements.find((s: any) => s.Action === 'ivs:StartComposition');
    expect(JSON.stringify(stack.resolve(start.Resource))).toMatch(/:encoder-configuration\/\*/);
  });

  test('two alarms, on failed, timed-out or aborted runs of each machine, routed to the alarm topic', () => {
    const stack = testStack();
    const { composition, template } = auto(stack, { alarmTopic: new sns.Topic(stack, 'Oncall', { enforceSSL: true }) });
    expect(composition.alarms).toHaveLength(2);
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: Match.stringLikeRegexp('^Oncall') }] }, 2);
  });

  test('onStartFailed and onStopFailed take only this construct\'s failure events', () => {
    const stack = testStack();
    const r = resources(stack);
    const composition = new IvsAutoComposition(stack, 'Auto', { tracker: r.tracker, destinations: [CompositionDestination.channel(r.channel)] });
    const queue = new sqs.Queue(stack, 'Failures', { enforceSSL: true });
    composition.onStartFailed('StartFailed', new targets.SqsQueue(queue));
    composition.onStopFailed('StopFailed', new targets.SqsQueue(queue));
    const template = Template.fromStack(stack);
    for (const [activity, machine] of [[CompositionActivity.START_FAILED, 'AutoStart'], [CompositionActivity.STOP_FAILED, 'AutoStop']] as const) {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { 'source': [activity.source], 'detail-type': [activity.detailType], 'detail': { stateMachineArn: [{ Ref: Match.stringLikeRegexp(`^${machine}`) }] } },
      });
    }
  });

  test('the layout is passed as StartComposition takes it', () => {
    const { template } = auto(testStack(), {
      layout: CompositionLayout.pip({ pipParticipantAttribute: 'host', gridGap: 4, pipWidth: 320, pipPosition: PipPosition.TOP_LEFT, videoFillMode: VideoFillMode.CONTAIN }),
    });
    const machine = Object.entries(template.findResources('AWS::StepFunctions::StateMachine')).find(([id]) => id.startsWith('AutoStart'))![1];
    expect(JSON.stringify(machine.Properties.DefinitionString)).toContain('\\"Layout\\":{\\"Pip\\":{\\"GridGap\\":4,\\"VideoFillMode\\":\\"CONTAIN\\",\\"PipPosition\\":\\"TOP_LEFT\\",\\"PipParticipantAttribute\\":\\"host\\",\\"PipWidth\\":320}}');
  });

  test.each<[string, (r: ReturnType<typeof resources>) => CompositionDestination[], string]>([
    ['no destination', () => [], '`destinations` must hold 1 or 2 destinations (IVS composes to at most 2), got 0'],
    ['three destinations', r => [CompositionDestination.channel(r.channel), CompositionDestination.channel(r.channel),
      CompositionDestination.s3({ storageConfiguration: r.storage, encoderConfiguration: r.encoder })],
    '`destinations` must hold 1 or 2 destinations (IVS composes to at most 2), got 3 (channel, channel, s3)'],
    ['two channels', r => [CompositionDestination.channel(r.channel), CompositionDestination.channel(r.channel)],
      '`destinations` must hold at most one channel and one s3 destination (StartComposition), got channel, channel'],
    ['thumbnails every 0 seconds', r => [CompositionDestination.s3({ storageConfiguration: r.storage, encoderConfiguration: r.encoder, thumbnails: { interval: Duration.seconds(0) } })],
      '`thumbnails.interval` must be a whole number of seconds from 1 to 86400, got 0 seconds'],
    ['thumbnails kept nowhere', r => [CompositionDestination.s3({ storageConfiguration: r.storage, encoderConfiguration: r.encoder, thumbnails: { sequential: false } })],
      '`thumbnails` must keep `sequential` or `latest` thumbnails (or both), got neither; leave `thumbnails` out for IVS\'s default'],
  ])('bad input: %s is refused', (_name, destinations, message) => {
    const stack = testStack();
    const r = resources(stack);
    expect(() => new IvsAutoComposition(stack, 'Auto', { tracker: r.tracker, destinations: destinations(r) })).toThrow(message);
  });

  test.each<[string, () => CompositionLayout, string]>([
    ['a negative grid gap', () => CompositionLayout.grid({ gridGap: -1 }), '`gridGap` must be a whole number of at least 0, got -1'],
    ['a window 0 pixels wide', () => CompositionLayout.pip({ pipWidth: 0 }), '`pipWidth` must be a whole number of at least 1, got 0'],
    ['half a pixel of offset', () => CompositionLayout.pip({ pipOffset: 0.5 }), '`pipOffset` must be a whole number of at least 0, got 0.5'],
    ['an attribute with a space', () => CompositionLayout.grid({ featuredParticipantAttribute: 'on stage' }),
      '`featuredParticipantAttribute` must be a participant attribute name: up to 128 letters, digits, - and _, got "on stage"'],
  ])('bad input: a layout with %s is refused', (_name, layout, message) => {
    expect(layout).toThrow(message);
  });

  test.each<[string, Duration, string]>([
    ['no grace', Duration.seconds(0), '`stopGracePeriod` must be a whole number of seconds from 1 to 31532400, got 0 seconds'],
    ['a fraction of a second', Duration.millis(1500), '`stopGracePeriod` must be a whole number of seconds from 1 to 31532400, got 1.5 seconds'],
    ['longer than a run can wait', Duration.days(366), '`stopGracePeriod` must be a whole number of seconds from 1 to 31532400, got 31622400 seconds'],
    ['a token', Duration.seconds(Lazy.number({ produce: () => 60 })),
      '`stopGracePeriod` must be known at synth time (the tracker\'s grace state machine and the stop rule\'s pattern are computed from it), got a token'],
  ])('bad input: a stopGracePeriod of %s is refused, by its own name', (_name, stopGracePeriod, message) => {
    expect(() => auto(testStack(), { stopGracePeriod })).toThrow(message);
  });

  test('bad input: a stage that is no stage ARN is refused', () => {
    expect(() => auto(testStack(), { stageArns: ['arn:aws:ivs:us-east-1:123456789012:channel/x'] }))
      .toThrow('`stageArns` must contain IVS stage ARNs (arn:<partition>:ivs:<region>:<account>:stage/<id>), got \'arn:aws:ivs:us-east-1:123456789012:channel/x\'');
  });

  test.each([1, 20, 1000])('%i listed stages deploy within every quota', (n) => {
    const stack = testStack();
    auto(stack, { stageArns: stageArns(n) });
    expect(deploymentProblems(stack)).toEqual([]);
  });

  test('cdk-nag AwsSolutions: no finding', () => {
    const stack = testStack();
    const r = resources(stack);
    new IvsAutoComposition(stack, 'Auto', {
      tracker: r.tracker,
      destinations: [
        CompositionDestination.channel(r.channel),
        CompositionDestination.s3({ storageConfiguration: r.storage, encoderConfiguration: r.encoder }),
      ],
    });
    expectNoNagFindings(stack);
  });

  describeSnapshots({
    default: stack => auto(stack),
    fullyConfigured: stack => {
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      const r = resources(stack);
      new IvsAutoComposition(stack, 'Auto', {
        tracker: r.tracker,
        destinations: [
          CompositionDestination.channel(r.channel, { encoderConfiguration: r.encoder }),
          CompositionDestination.s3({
            storageConfiguration: r.storage, encoderConfiguration: r.encoder, thumbnails: { interval: Duration.seconds(10), latest: true },
          }),
        ],
        layout: CompositionLayout.grid({ featuredParticipantAttribute: 'featured', omitStoppedVideo: true, videoAspectRatio: VideoAspectRatio.SQUARE }),
        stageArns: [STAGE],
        stopGracePeriod: Duration.minutes(5),
        encryptionKey: key,
        alarmTopic: new sns.Topic(stack, 'Oncall', { enforceSSL: true, masterKey: key }),
      });
    },
  });
});
