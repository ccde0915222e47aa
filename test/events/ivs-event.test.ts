import * as fs from 'fs';
import * as path from 'path';
import { IvsDetailType, IvsEvent, StageLocation } from '../../src';
import { catalogEventOf, realtimeFixtures } from '../util/fixtures';

describe('IvsEvent', () => {
  test('the catalog is the specification\'s events, plus Participant Publish Error', () => {
    // THEN
    expect(IvsEvent.all().map(String)).toEqual([
      'IVS Stage Update/Participant Published',
      'IVS Stage Update/Participant Unpublished',
      'IVS Stage Update/Participant Publish Error',
      'IVS Composition State Change/Session Start',
      'IVS Composition State Change/Session End',
      'IVS Composition State Change/Session Failure',
      'IVS Composition State Change/Destination Start',
      'IVS Composition State Change/Destination End',
      'IVS Composition State Change/Destination Failure',
      'IVS Composition State Change/Destination Reconnecting',
      'IVS Participant Recording State Change/Recording Start',
      'IVS Participant Recording State Change/Recording End',
      'IVS Participant Recording State Change/Recording Start Failure',
      'IVS Participant Recording State Change/Recording End Failure',
    ]);
  });

  test('groupings', () => {
    expect(IvsEvent.stageUpdates().map(String)).toEqual([
      'IVS Stage Update/Participant Published',
      'IVS Stage Update/Participant Unpublished',
      'IVS Stage Update/Participant Publish Error',
    ]);
    expect(IvsEvent.compositionEvents()).toHaveLength(7);
    expect(IvsEvent.recordingEvents()).toHaveLength(4);
    expect(IvsEvent.failures().map(e => e.eventName)).toEqual([
      'Participant Publish Error', 'Session Failure', 'Destination Failure', 'Recording Start Failure', 'Recording End Failure',
    ]);
    // a returned list is a copy: changing it changes nothing for the next caller
    IvsEvent.all().pop();
    expect(IvsEvent.all()).toHaveLength(14);
  });

  test('of() returns the catalog member for a known pair and a new event otherwise', () => {
    expect(IvsEvent.of(IvsDetailType.STAGE_UPDATE, 'Participant Published')).toBe(IvsEvent.PARTICIPANT_PUBLISHED);
    const later = IvsEvent.of(IvsDetailType.STAGE_UPDATE, 'Participant Replication Start');
    expect(later.eventName).toEqual('Participant Replication Start');
    expect(later.detailType).toBe(IvsDetailType.STAGE_UPDATE);
    expect(IvsEvent.all()).not.toContain(later);
  });

  test.each(['', '  '])('of() rejects the event name %j', (name) => {
    expect(() => IvsEvent.of(IvsDetailType.STAGE_UPDATE, name)).toThrow(`\`eventName\` must be a non-empty event name, got '${name}'`);
  });

  test.each([' Participant Published', 'Participant Published ', 'participant published', 'Participant  Published', 'PARTICIPANT_PUBLISHED'])(
    'of() rejects %j, which IVS never sends (EventBridge matches exactly)', (name) => {
      expect(() => IvsEvent.of(IvsDetailType.STAGE_UPDATE, name)).toThrow('`eventName` must be written as IVS sends it: Title Case words separated by '
        + `single spaces, e.g. 'Participant Published', got '${name}'`);
    });

  test('of() rejects a catalog event name under another detail-type, naming the right member', () => {
    expect(() => IvsEvent.of(IvsDetailType.STAGE_UPDATE, 'Recording End')).toThrow(
      "`eventName` 'Recording End' is an event of 'IVS Participant Recording State Change', not of 'IVS Stage Update': use IvsEvent.RECORDING_END");
  });
});

describe('IvsDetailType', () => {
  test('stage locations follow the specification', () => {
    expect(IvsDetailType.STAGE_UPDATE.stageLocation).toEqual(StageLocation.RESOURCES);
    expect(IvsDetailType.PARTICIPANT_RECORDING_STATE_CHANGE.stageLocation).toEqual(StageLocation.RESOURCES);
    expect(IvsDetailType.COMPOSITION_STATE_CHANGE.stageLocation).toEqual(StageLocation.DETAIL_STAGE_ARN);
  });

  test('of() returns the catalog member for a known name and builds a new one with options', () => {
    expect(IvsDetailType.of('IVS Stage Update')).toBe(IvsDetailType.STAGE_UPDATE);
    const custom = IvsDetailType.of('IVS Something New', { stageLocation: StageLocation.DETAIL_STAGE_ARN, detailFields: ['stage_arn'] });
    expect(custom.stageLocation).toEqual(StageLocation.DETAIL_STAGE_ARN);
    expect(custom.hasDetailField('participant_id')).toBe(false);
    expect(IvsDetailType.of('IVS Something Else').hasDetailField('anything')).toBe(true);
  });

  test('of() rejects an empty name', () => {
    expect(() => IvsDetailType.of('')).toThrow("`name` must be a non-empty detail-type, got ''");
  });

  test.each([' IVS Stage Update', 'IVS Stage Update ', 'IVS  Stage Update'])('of() rejects the white space in %j', (name) => {
    expect(() => IvsDetailType.of(name)).toThrow('`name` must be the detail-type exactly as IVS sends it, without leading, trailing or repeated '
      + `white space, got '${name}'`);
  });

  test.each(['IVS Stream State Change', 'IVS Stream Health Change', 'IVS Limit Breach', 'IVS Recording State Change'])(
    'of() rejects the low-latency detail-type %j', (name) => {
      expect(() => IvsDetailType.of(name)).toThrow(`\`name\` '${name}' is a detail-type of IVS low-latency channels, not of real-time stages`);
    });

  test('every detail field of every fixture is a documented field of its detail-type', () => {
    const undocumented = realtimeFixtures().flatMap(f => Object.keys(f.event.detail)
      .filter(key => !catalogEventOf(f).detailType.hasDetailField(key))
      .map(key => `${f.file}: detail.${key}`));
    expect(undocumented).toEqual([]);
  });
});

describe('event detail structs', () => {
  // The structs are types only; the jsii assembly is where their shape can be read back.
  const assemblyFile = path.join(__dirname, '..', '..', '.jsii');
  const assembly = fs.existsSync(assemblyFile) ? JSON.parse(fs.readFileSync(assemblyFile, 'utf8')) : undefined;

  test.each([
    ['StageUpdateEventDetail', IvsDetailType.STAGE_UPDATE],
    ['CompositionStateChangeEventDetail', IvsDetailType.COMPOSITION_STATE_CHANGE],
    ['ParticipantRecordingStateChangeEventDetail', IvsDetailType.PARTICIPANT_RECORDING_STATE_CHANGE],
  ])('%s has one property per documented detail field', (struct, detailType) => {
    if (!assembly) {
      throw new Error('.jsii not found: run `npx projen compile` first');
    }
    const type = assembly.types[`cdk-ivs-realtime-events.${struct}`];
    const props: string[] = type.properties.map((p: { name: string }) => p.name.replace(/[A-Z]/g, c => `_${c.toLowerCase()}`)).sort();
    expect(props).toEqual([...detailType.detailFields!].sort());
  });

  test('fields a documented example omits are optional', () => {
    const optional = (struct: string) => (assembly.types[`cdk-ivs-realtime-events.${struct}`].properties as any[])
      .filter(p => p.optional).map(p => p.name).sort();
    expect(optional('StageUpdateEventDetail')).toEqual(['eventTime', 'userId']);
    expect(optional('CompositionStateChangeEventDetail')).toEqual(['id', 'reason']);
    expect(optional('ParticipantRecordingStateChangeEventDetail')).toEqual(['recordingDurationMs']);
  });
});
