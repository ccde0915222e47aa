import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IvsRealTimeCentralMonitoring, IvsRealTimeCentralMonitoringProps, MonitoringProfile } from '../../src';
import { eventRulerMatches } from '../conformance/event-ruler';
import { IvsEventJson, loadFixture, nonRealtimeFixtures, realtimeFixtures, withStage } from '../util/fixtures';
import { expectNoNagFindings } from '../util/nag';
import { describeSnapshots } from '../util/snapshots';
import { testStack } from '../util/stack';
import { deployedPatterns } from '../util/template';

const SOURCES = ['111111111111', '222222222222'];
const STAGE = 'arn:aws:ivs:us-east-1:111111111111:stage/AbCdef1G2hij';

function resources(stack: Stack, type: string): any[] {
  return Object.values(Template.fromStack(stack).findResources(type)).map(r => r.Properties);
}

/** An event as it arrives on the central bus: forwarded from a source account, unchanged. */
function forwarded(event: IvsEventJson, account: string): IvsEventJson {
  return { ...event, account };
}

describe('IvsRealTimeCentralMonitoring', () => {
  test('a bus that exactly the source accounts may put events on', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    const central = new IvsRealTimeCentralMonitoring(stack, 'Central', { sourceAccounts: [...SOURCES, SOURCES[0]] });

    // THEN
    const buses = Template.fromStack(stack).findResources('AWS::Events::EventBus');
    expect(Object.keys(buses)).toHaveLength(1);
    const [[busId, { Properties: bus }]] = Object.entries(buses);
    expect(bus.Name).toEqual('ivs-realtime-central');
    expect(bus.Policy).toEqual({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'AllowIvsEventsFromSourceAccounts',
        Effect: 'Allow',
        Principal: { AWS: SOURCES.map(account => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:root`]] })) },
        Action: 'events:PutEvents',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:us-east-1:123456789012:event-bus/ivs-realtime-central']] },
        // Only IVS events, as in EventBridge's cross-account example policy.
        Condition: { 'ForAllValues:StringEquals': { 'events:source': ['aws.ivs'] }, 'Null': { 'events:source': 'false' } },
      }],
    });
    Template.fromStack(stack).resourceCountIs('AWS::Events::EventBusPolicy', 0);
    expect(stack.resolve(central.eventBus.eventBusName)).toEqual({ Ref: busId });
  });

  test('an organization may put IVS events on the bus, through aws:PrincipalOrgID', () => {
    const stack = testStack();
    new IvsRealTimeCentralMonitoring(stack, 'Central', { sourceOrganizationId: 'o-a1b2c3d4e5' });
    const [bus] = Object.values(Template.fromStack(stack).findResources('AWS::Events::EventBus'));
    expect(bus.Properties.Policy.Statement).toEqual([expect.objectContaining({
      Sid: 'AllowIvsEventsFromOrganization',
      Principal: { AWS: '*' },
      Condition: {
        'ForAllValues:StringEquals': { 'events:source': ['aws.ivs'] },
        'Null': { 'events:source': 'false' },
        'StringEquals': { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' },
      },
    })]);
  });

  test('the alarms, event log and archive read the central bus, and their metrics name it', () => {
    // GIVEN
    const stack = testStack();

    // WHEN
    const central = new IvsRealTimeCentralMonitoring(stack, 'Central', { sourceAccounts: SOURCES });

    // THEN
    const busName = { Ref: stack.getLogicalId(central.eventBus.node.defaultChild as any) };
    const rules = resources(stack, 'AWS::Events::Rule');
    expect(rules).toHaveLength(4);
    rules.forEach(rule => expect(rule.EventBusName).toEqual(busName));
    const triggered = resources(stack, 'AWS::CloudWatch::Alarm').filter(a => a.MetricName === 'TriggeredRules');
    expect(triggered).toHaveLength(3);
    triggered.forEach(alarm => expect(alarm.Dimensions).toContainEqual({ Name: 'EventBusName', Value: busName }));
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Archive', {
      ArchiveName: 'ivs-realtime-central',
      SourceArn: { 'Fn::GetAtt': [stack.getLogicalId(central.eventBus.node.defaultChild as any), 'Arn'] },
    });
    // stage health stays in the source accounts
    expect(resources(stack, 'AWS::CloudWatch::Alarm').filter(a => a.Namespace === 'AWS/IVSRealTime')).toEqual([]);
  });

  test('no custom-bus warning: events are forwarded here on purpose', () => {
    const stack = testStack();
    new IvsRealTimeCentralMonitoring(stack, 'Central', { sourceAccounts: SOURCES });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('customEventBus'))).toEqual([]);
  });

  test('the dashboard breaks events down by source account', () => {
    const stack = testStack();
    new IvsRealTimeCentralMonitoring(stack, 'Central', { sourceAccounts: SOURCES, environmentName: 'org' });
    const [dashboard] = resources(stack, 'AWS::CloudWatch::Dashboard');
    expect(dashboard.DashboardName).toEqual('ivs-realtime-org');
    expect(JSON.stringify(dashboard.DashboardBody)).toContain('stats count(*) as events by account, detail.event_name, bin(1m)');
  });

  test('forwarded events keep their source account and are matched like local ones, stage filters included', () => {
    // GIVEN
    const stack = testStack();
    new IvsRealTimeCentralMonitoring(stack, 'Central', { sourceAccounts: SOURCES, stageArns: [STAGE] });
    const patterns = deployedPatterns(stack);
    const allEvents = Object.entries(patterns).find(([id]) => id.startsWith('CentralEventsAllEvents'))![1];
    const composition = Object.entries(patterns).find(([id]) => id.startsWith('CentralEventsCompositionFailures'))![1];
    const fixtures = realtimeFixtures();

    // WHEN
    const cases = [
      ...fixtures.map(f => ({ pattern: allEvents, event: forwarded(withStage(f, STAGE), SOURCES[1]) })),
      ...fixtures.map(f => ({ pattern: allEvents, event: forwarded(f.event, SOURCES[1]) })),
      ...nonRealtimeFixtures().map(f => ({ pattern: allEvents, event: forwarded(f.event, SOURCES[0]) })),
      { pattern: composition, event: forwarded(withStage(loadFixture('realtime/composition-session-failure.json'), STAGE), SOURCES[0]) },
      { pattern: composition, event: forwarded(withStage(loadFixture('realtime/composition-session-start.json'), STAGE), SOURCES[0]) },
    ];
    const results = eventRulerMatches(cases);

    // THEN
    const n = fixtures.length;
    expect(results.slice(0, n)).toEqual(fixtures.map(() => true));
    expect(results.slice(n, 2 * n)).toEqual(fixtures.map(() => false)); // other stages
    expect(results.slice(2 * n, -2)).toEqual(nonRealtimeFixtures().map(() => false));
    expect(results.slice(-2)).toEqual([true, false]);
  });

  describe('bad input', () => {
    test.each<[string, Partial<IvsRealTimeCentralMonitoringProps>, string]>([
      ['no source account', { sourceAccounts: [] },
        '`sourceAccounts` must name at least one account that forwards IVS events, or `sourceOrganizationId` its organization, got neither'],
      ['an organization id of the wrong form', { sourceOrganizationId: 'org-1' },
        "`sourceOrganizationId` must be an AWS Organizations id (o- and 10 to 32 lowercase letters or digits), got 'org-1'"],
      ['more accounts than a bus policy holds', { sourceAccounts: Array.from({ length: 300 }, (_, i) => String(100000000000 + i)) },
        '300 `sourceAccounts` would make the event bus policy about 14100 bytes, more than the 10240 EventBridge allows: give `sourceOrganizationId` instead'],
      ['an account id of 11 digits', { sourceAccounts: ['12345678901'] }, "`sourceAccounts` must contain 12-digit AWS account ids, got '12345678901'"],
      ['an invalid bus name', { eventBusName: 'ivs bus' }, "`eventBusName` must be 1-256 characters of letters, digits, '.', '-' and '_', and not 'default', got 'ivs bus'"],
      ['an environment name with an underscore', { environmentName: 'org_wide' },
        "`environmentName` must be 1-32 letters, digits and hyphens, starting with a letter or digit (it is part of alarm, dashboard and archive names), got 'org_wide'"],
      ['a profile value out of range', { evaluationPeriods: 101 }, '`evaluationPeriods` must be a whole number from 1 to 100, got 101'],
    ])('%s', (_name, props, message) => {
      const stack = testStack();
      expect(() => new IvsRealTimeCentralMonitoring(stack, 'Central', { sourceAccounts: SOURCES, ...props })).toThrow(message);
    });
  });

  describeSnapshots({
    default: stack => {
      new IvsRealTimeCentralMonitoring(stack, 'Central', { sourceAccounts: SOURCES });
    },
    fullyConfigured: stack => {
      fullyConfigured(stack);
    },
  });

  describe('cdk-nag AwsSolutions', () => {
    test.each([MonitoringProfile.DEVELOPMENT, MonitoringProfile.STAGING, MonitoringProfile.PRODUCTION])('$name profile has no findings', (profile) => {
      const stack = testStack();
      new IvsRealTimeCentralMonitoring(stack, 'Central', { sourceAccounts: SOURCES, profile });
      expectNoNagFindings(stack);
    });

    test('fully configured has no findings', () => {
      const stack = testStack();
      fullyConfigured(stack);
      expectNoNagFindings(stack);
    });
  });
});

function fullyConfigured(stack: Stack): IvsRealTimeCentralMonitoring {
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const oncall = new sns.Topic(stack, 'Oncall', { enforceSSL: true, masterKey: key });
  const chat = new sns.Topic(stack, 'Chat', { enforceSSL: true, masterKey: key });
  return new IvsRealTimeCentralMonitoring(stack, 'Central', {
    sourceAccounts: SOURCES,
    environmentName: 'org',
    eventBusName: 'ivs-events-from-every-account',
    profile: MonitoringProfile.STAGING,
    stageArns: [STAGE],
    criticalTopics: [oncall],
    warningTopics: [chat],
    notificationTopic: chat,
    encryptionKey: key,
    compositionFailureThreshold: 3,
  });
}
