import { Token } from 'aws-cdk-lib';
import { IvsDetailType, StageLocation } from '../events/ivs-detail-type';
import { IvsEvent } from '../events/ivs-event';
import { MAX_RULES_PER_BUS } from '../private/aws-facts';

/** The only source IVS publishes under; CloudTrail's `aws.ivs` API calls are excluded by detail-type. */
export const IVS_SOURCE = 'aws.ivs';

/**
 * What an unresolved token (e.g. `CfnStage.attrArn`) is counted as when measuring a
 * pattern: the longest stage ARN IVS can produce
 * (`arn:aws-iso-b:ivs:ap-southeast-5:123456789012:stage/` plus a 12-character id, rounded up).
 */
export const TOKEN_LENGTH_ESTIMATE = 64;

/** An exact value, `{ prefix }` or `{ exists }`: the EventBridge content filters this library uses. */
export type ValueMatcher = string | { readonly prefix: string } | { readonly exists: boolean };

/** Detail fields a rule can filter on, keyed by their JSON name in `detail`. */
export interface DetailFilters {
  readonly [jsonKey: string]: ValueMatcher[];
}

export interface PatternSpec {
  /** The events matched by name. */
  readonly events: IvsEvent[];
  /** Detail-types whose every event is matched, whatever its name (those IVS adds later too). */
  readonly anyEventOf: IvsDetailType[];
  readonly stageArns: string[];
  readonly detailFilters: DetailFilters;
  /**
   * Filters only on the branches whose detail-type carries the field: a field one detail-type
   * lacks must not make that detail-type's events unmatchable.
   */
  readonly carrierFilters?: DetailFilters;
}

interface Group {
  readonly detailType: IvsDetailType;
  /** Undefined: every event of the detail-type. */
  readonly eventNames?: string[];
}

/**
 * Events grouped by detail-type, in the order the detail-types first appear. Two
 * definitions of one detail-type name that keep the stage in different places (a custom
 * `IvsDetailType.of()` beside the catalog's) are separate groups, so that each filters its
 * stage where its events carry it.
 */
function groupsOf(spec: PatternSpec): Group[] {
  const groups = new Map<string, { detailType: IvsDetailType; eventNames?: string[] }>();
  const keyOf = (d: IvsDetailType) => `${d.name}\n${d.stageLocation}`;
  for (const detailType of spec.anyEventOf) {
    groups.set(keyOf(detailType), { detailType });
  }
  for (const event of spec.events) {
    const group = groups.get(keyOf(event.detailType)) ?? { detailType: event.detailType, eventNames: [] };
    if (group.eventNames && !group.eventNames.includes(event.eventName)) {
      group.eventNames.push(event.eventName);
    }
    groups.set(keyOf(event.detailType), group);
  }
  return [...groups.values()];
}

/**
 * Renders the pattern: one branch per detail-type, combined with `$or` when there are
 * several. A branch pairs a detail-type with its own event names and stage location, so
 * that a stage filter reads `resources` for Stage Update and Participant Recording events
 * but `detail.stage_arn` for Composition events, and an event name can never match
 * under another detail-type. Branches that differ only in their detail-type are one
 * branch listing them all.
 */
export function renderPattern(spec: PatternSpec): Record<string, unknown> {
  const branches: Record<string, unknown>[] = [];
  for (const group of groupsOf(spec)) {
    const { 'detail-type': detailType, ...body } = renderBranch(group, spec);
    const same = branches.find(b => JSON.stringify({ ...b, 'detail-type': undefined }) === JSON.stringify({ 'detail-type': undefined, ...body }));
    if (same) {
      (same['detail-type'] as string[]).push(...(detailType as string[]));
    } else {
      branches.push({ 'detail-type': detailType, ...body });
    }
  }
  return branches.length === 1
    ? { source: [IVS_SOURCE], ...branches[0] }
    : { source: [IVS_SOURCE], $or: branches };
}

function renderBranch(group: Group, spec: PatternSpec): Record<string, unknown> {
  const detail: Record<string, unknown> = group.eventNames ? { event_name: group.eventNames } : {};
  for (const [key, matchers] of Object.entries(spec.detailFilters)) {
    if (matchers.length > 0) {
      detail[key] = matchers;
    }
  }
  for (const [key, matchers] of Object.entries(spec.carrierFilters ?? {})) {
    if (matchers.length > 0 && group.detailType.hasDetailField(key)) {
      detail[key] = matchers;
    }
  }
  const branch: Record<string, unknown> = { 'detail-type': [group.detailType.name] };
  if (spec.stageArns.length > 0) {
    if (group.detailType.stageLocation === StageLocation.DETAIL_STAGE_ARN) {
      detail.stage_arn = spec.stageArns;
    } else {
      branch.resources = spec.stageArns;
    }
  }
  if (Object.keys(detail).length > 0) {
    branch.detail = detail;
  }
  return branch;
}

/**
 * The length EventBridge will measure, with every unresolved token counted as
 * `TOKEN_LENGTH_ESTIMATE` characters since its deployed value is not known yet.
 */
export function patternLength(pattern: Record<string, unknown>): number {
  return JSON.stringify(pattern, (_key, value) =>
    typeof value === 'string' && Token.isUnresolved(value) ? 'x'.repeat(TOKEN_LENGTH_ESTIMATE) : value,
  ).length;
}

/**
 * The stages in as few consecutive groups as keep each group's pattern within `maxLength`
 * (one group, possibly empty, when everything fits). Undefined when even one stage, or the
 * pattern without stages, is too long: splitting cannot help then.
 */
export function splitStages(spec: PatternSpec, maxLength: number): string[][] | undefined {
  const fits = (stageArns: string[]) => patternLength(renderPattern({ ...spec, stageArns })) <= maxLength;
  if (fits(spec.stageArns)) {
    return [spec.stageArns];
  }
  if (spec.stageArns.length === 0) {
    return undefined;
  }
  const groups: string[][] = [];
  let current: string[] = [];
  for (const arn of spec.stageArns) {
    if (fits([...current, arn])) {
      current.push(arn);
      continue;
    }
    if (current.length === 0) {
      return undefined;
    }
    groups.push(current);
    current = [arn];
    if (!fits(current)) {
      return undefined;
    }
  }
  return [...groups, current];
}

/**
 * `splitStages`, or a synth-time error that says why no split works: one stage is already
 * too long, or the split needs more rules than an event bus holds.
 */
export function planStageGroups(spec: PatternSpec, maxLength: number): string[][] {
  const groups = splitStages(spec, maxLength);
  if (!groups) {
    const idFilters = [...Object.values(spec.detailFilters), ...Object.values(spec.carrierFilters ?? {})]
      .reduce((n, matchers) => n + matchers.length, 0);
    throw new Error(`The event pattern would be ${patternLength(renderPattern({ ...spec, stageArns: spec.stageArns.slice(0, 1) }))} characters `
      + `even for a single stage, over \`maxPatternLength\` ${maxLength} (${spec.events.length} entries in \`events\`, `
      + `${idFilters} id filters; a token counts as ${TOKEN_LENGTH_ESTIMATE}): `
      + 'narrow `events` and the id filters, or raise `maxPatternLength` (up to 4096 with a raised EventBridge quota).');
  }
  if (groups.length > MAX_RULES_PER_BUS) {
    throw new Error(`${spec.stageArns.length} entries in \`stageArns\`/\`stages\` would need ${groups.length} rules at \`maxPatternLength\` ${maxLength}, `
      + `more than the ${MAX_RULES_PER_BUS} rules an event bus holds by default: monitor every stage of the account (no stage list), `
      + 'raise `maxPatternLength`, or narrow `events`.');
  }
  return groups;
}
