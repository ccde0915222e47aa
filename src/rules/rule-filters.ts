import { Token } from 'aws-cdk-lib';
import { IvsEventFilterOptions } from './event-filter-options';
import { PatternSpec, ValueMatcher } from './event-pattern';
import { IvsDetailType } from '../events/ivs-detail-type';
import { IvsEvent } from '../events/ivs-event';
import { validateIdentifiers } from '../private/validation';

/** The id and field filters, with the events they apply to. */
export interface FilterProps extends IvsEventFilterOptions {
  readonly events?: IvsEvent[];
  readonly detailTypes?: IvsDetailType[];
}

interface Filter {
  /** The prop a user set, for error messages. */
  readonly prop: string;
  /** Whether events must carry the field for the filter to match anything. */
  readonly needsField: boolean;
  readonly matchers: ValueMatcher[];
}

/**
 * The events a rule matches and the pattern filters on `detail`, checked so that no filter
 * can silently match nothing: a filter on a field that a selected event never carries is
 * an error, and without `events` only the events that can match every filter are taken.
 */
export function planFilters(props: FilterProps, stageArns: string[]): PatternSpec {
  for (const prop of ['sessionIds', 'participantIds', 'sessionIdPrefixes', 'participantIdPrefixes', 'userIdPrefixes', 'detailFieldsPresent', 'detailFieldsAbsent', 'recordingBucketNames'] as const) {
    validateIdentifiers(prop, props[prop]);
  }
  validateIvsIds(props);
  const present = dedupe(props.detailFieldsPresent ?? []);
  const absent = dedupe(props.detailFieldsAbsent ?? []);
  const both = present.filter(field => absent.includes(field) && !Token.isUnresolved(field));
  if (both.length > 0) {
    throw new Error(`\`detailFieldsPresent\` and \`detailFieldsAbsent\` both name ${both.map(f => `'${f}'`).join(', ')}: no event can match`);
  }

  const filters = new Map<string, Filter>([
    ['session_id', { prop: 'sessionIds', needsField: true, matchers: matchers(props.sessionIds, props.sessionIdPrefixes) }],
    ['participant_id', { prop: 'participantIds', needsField: true, matchers: matchers(props.participantIds, props.participantIdPrefixes) }],
    ['user_id', { prop: 'userIds', needsField: true, matchers: matchers(props.userIds, props.userIdPrefixes) }],
  ]);
  for (const field of present) {
    filters.set(field, { prop: 'detailFieldsPresent', needsField: true, matchers: [...(filters.get(field)?.matchers ?? []), { exists: true }] });
  }
  for (const field of absent) {
    if (filters.get(field)?.matchers.length) {
      throw new Error(`\`detailFieldsAbsent\` names '${field}', which another filter requires a value for: no event can match`);
    }
    filters.set(field, { prop: 'detailFieldsAbsent', needsField: false, matchers: [{ exists: false }] });
  }
  const active = [...filters.entries()].filter(([, f]) => f.matchers.length > 0);

  if (props.events && props.detailTypes) {
    throw new Error(`\`events\` and \`detailTypes\` cannot both be given: \`detailTypes\` already takes every event of ${props.detailTypes.map(d => `'${d.name}'`).join(', ')}`);
  }
  const anyEventOf = dedupeDetailTypes(props.detailTypes ?? []);
  if (props.detailTypes && anyEventOf.length === 0) {
    throw new Error('`detailTypes` must name at least one IVS detail-type, got []');
  }
  const bucketNames = dedupe(props.recordingBucketNames ?? []);
  const events = props.events
    ? [...props.events]
    : props.detailTypes ? [] : IvsEvent.all().filter(e => active.every(([key, f]) => !f.needsField || e.detailType.hasDetailField(key))
      && (bucketNames.length === 0 || e.detailType.hasDetailField(BUCKET_FIELD)));
  if (events.length === 0 && anyEventOf.length === 0) {
    throw new Error('`events` must name at least one IVS event, got []');
  }
  const selected: { readonly label: string; readonly detailType: IvsDetailType }[] = [
    ...events.map(e => ({ label: `'${e}'`, detailType: e.detailType })),
    ...anyEventOf.map(d => ({ label: `every '${d.name}' event`, detailType: d })),
  ];
  for (const [key, filter] of active.filter(([, f]) => f.needsField)) {
    const unreachable = selected.filter(e => !e.detailType.hasDetailField(key));
    if (unreachable.length > 0) {
      throw new Error(`\`${filter.prop}\` filters on detail.${key}, which ${unreachable.map(e => e.label).join(', ')} never carr${unreachable.length === 1 ? 'ies' : 'y'}: `
        + `remove ${unreachable.length === 1 ? 'it' : 'them'} from \`${props.detailTypes ? 'detailTypes' : 'events'}\` or drop the filter`);
    }
  }
  if (bucketNames.length > 0 && !selected.some(e => e.detailType.hasDetailField(BUCKET_FIELD))) {
    throw new Error(`\`recordingBucketNames\` filters on detail.${BUCKET_FIELD}, which none of ${selected.map(e => e.label).join(', ')} carries: `
      + `add Participant Recording events to \`${props.detailTypes ? 'detailTypes' : 'events'}\` or drop the filter`);
  }
  return {
    events,
    anyEventOf,
    stageArns,
    detailFilters: Object.fromEntries(active.map(([key, f]) => [key, f.matchers])),
    carrierFilters: bucketNames.length > 0 ? { [BUCKET_FIELD]: bucketNames } : {},
  };
}

/**
 * Ids IVS never produces would make a filter that matches nothing: participant and session
 * ids hold no white space, and session ids start with `st-` (RealTimeAPIReference,
 * StageSession.sessionId). User ids are the application's own and may be anything, "" too.
 */
function validateIvsIds(props: FilterProps): void {
  for (const prop of ['sessionIds', 'sessionIdPrefixes', 'participantIds', 'participantIdPrefixes'] as const) {
    for (const value of (props[prop] ?? []).filter(v => !Token.isUnresolved(v))) {
      if (/\s/.test(value)) {
        throw new Error(`\`${prop}\` must not contain white space, which IVS ids never hold, got '${value}'`);
      }
      const session = prop.startsWith('session');
      const prefix = prop.endsWith('Prefixes');
      if (session && !(value.startsWith(SESSION_ID_PREFIX) || (prefix && SESSION_ID_PREFIX.startsWith(value)))) {
        throw new Error(`\`${prop}\` must ${prefix ? 'be prefixes of' : 'contain'} IVS session ids, which start with '${SESSION_ID_PREFIX}', got '${value}'`);
      }
    }
  }
}

const SESSION_ID_PREFIX = 'st-';

/** What `recordingBucketNames` filters on; only Participant Recording events carry it. */
const BUCKET_FIELD = 'recording_s3_bucket_name';

function dedupeDetailTypes(detailTypes: IvsDetailType[]): IvsDetailType[] {
  return detailTypes.filter((d, i) => detailTypes.findIndex(o => o.name === d.name && o.stageLocation === d.stageLocation) === i);
}

function matchers(exact: string[] | undefined, prefixes: string[] | undefined): ValueMatcher[] {
  return [...dedupe(exact ?? []), ...dedupe(prefixes ?? []).map(prefix => ({ prefix }))];
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}
