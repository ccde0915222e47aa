import { Token } from 'aws-cdk-lib';
import { IvsEventFilterOptions } from './event-filter-options';
import { PatternSpec, ValueMatcher } from './event-pattern';
import { IvsEvent } from '../events/ivs-event';
import { validateIdentifiers } from '../private/validation';

/** The id and field filters, with the events they apply to. */
export interface FilterProps extends IvsEventFilterOptions {
  readonly events?: IvsEvent[];
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
  validateIdentifiers('sessionIds', props.sessionIds);
  validateIdentifiers('participantIds', props.participantIds);
  for (const prop of ['sessionIdPrefixes', 'participantIdPrefixes', 'userIdPrefixes', 'detailFieldsPresent', 'detailFieldsAbsent'] as const) {
    validateIdentifiers(prop, props[prop]);
  }
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

  const events = props.events
    ? [...props.events]
    : IvsEvent.all().filter(e => active.every(([key, f]) => !f.needsField || e.detailType.hasDetailField(key)));
  if (events.length === 0) {
    throw new Error('`events` must name at least one IVS event, got []');
  }
  for (const [key, filter] of active.filter(([, f]) => f.needsField)) {
    const unreachable = events.filter(e => !e.detailType.hasDetailField(key));
    if (unreachable.length > 0) {
      throw new Error(`\`${filter.prop}\` filters on detail.${key}, which ${unreachable.map(e => `'${e}'`).join(', ')} never carr${unreachable.length === 1 ? 'ies' : 'y'}: `
        + `remove ${unreachable.length === 1 ? 'it' : 'them'} from \`events\` or drop the filter`);
    }
  }
  return { events, stageArns, detailFilters: Object.fromEntries(active.map(([key, f]) => [key, f.matchers])) };
}

function matchers(exact: string[] | undefined, prefixes: string[] | undefined): ValueMatcher[] {
  return [...dedupe(exact ?? []), ...dedupe(prefixes ?? []).map(prefix => ({ prefix }))];
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}
