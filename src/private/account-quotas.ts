import { Annotations, CfnResource, Stack, Stage, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct, IConstruct } from 'constructs';
import { COMPOSITION_QUOTAS, PIPES_PER_ACCOUNT, RULES_PER_BUS, STATE_MACHINES_PER_ACCOUNT } from './aws-facts';
import { fixedLimitProblems } from './fixed-limits';

// The id of the construct that held the per-stack rule check, kept so that the construct tree does not change.
const CHECK_ID = 'CdkIvsRealtimeEventsRuleQuota';

/**
 * The context key (on the app or a stack) holding the rules-per-bus quota the account was
 * granted, when it was raised above EventBridge's default (a number).
 */
export const RULES_PER_BUS_CONTEXT = '@cdk-ivs-realtime-events/rulesPerBusQuota';

/** The warning id a user acknowledges once the quota is raised or the count is intended. */
export const RULES_PER_BUS_WARNING = 'cdk-ivs-realtime-events:rulesPerBus';

/**
 * Registers, once per stack, the check of the fixed limits of its resources
 * (`fixed-limits.ts`) and of the quotas EventBridge counts per account and region: the rules of every stack of the app that deploys to the same account and region
 * add up on each bus, so a check per stack would pass 12 stacks of 27 rules each. The quota
 * is adjustable: past it, a warning the user can acknowledge, or a raised quota in
 * `RULES_PER_BUS_CONTEXT`. Environment-agnostic stacks are counted together, since nothing
 * tells they deploy to different accounts.
 */
export function checkAccountQuotas(scope: IConstruct): void {
  const stack = Stack.of(scope);
  if (stack.node.tryFindChild(CHECK_ID)) {
    return;
  }
  const check = new Construct(stack, CHECK_ID);
  check.node.addValidation({
    validate: () => [
      ...fixedLimitProblems(stack),
      ...checkRulesPerBus(stack, check),
      ...RESOURCE_QUOTAS.flatMap(q => checkResourceCount(stack, check, q)),
      ...checkCompositions(stack, check),
    ],
  });
}

/** An adjustable quota on how many resources of one type an account holds in a region. */
interface ResourceQuota {
  readonly type: string;
  readonly what: string;
  readonly quota: number;
  /** The context key holding the quota the account was granted, and the warning id to acknowledge. */
  readonly id: string;
}

/** One row per quota the library's constructs can add to (the tracker's pipes, its idle grace's state machines). */
const RESOURCE_QUOTAS: ResourceQuota[] = [
  { type: 'AWS::Pipes::Pipe', what: 'EventBridge pipes', quota: PIPES_PER_ACCOUNT, id: 'pipesPerAccount' },
  { type: 'AWS::StepFunctions::StateMachine', what: 'Step Functions state machines', quota: STATE_MACHINES_PER_ACCOUNT, id: 'stateMachinesPerAccount' },
];

/** The context key of a resource quota the account was granted. */
export const quotaContextKey = (id: string) => `@cdk-ivs-realtime-events/${id}Quota`;

/** Counts `q.type` over every stack of the app in this stack's account and region; reported by the first stack that checks. */
function checkResourceCount(stack: Stack, check: IConstruct, q: ResourceQuota): string[] {
  const key = quotaContextKey(q.id);
  const raised = grantedQuota(stack, key, 'the quota your account was granted');
  if (typeof raised === 'string') {
    return [raised];
  }
  const sameEnv = sameAccountAndRegion(stack);
  if (!reportsFor(stack, sameEnv)) {
    return [];
  }
  const quota = raised ?? q.quota;
  const count = sameEnv.reduce((n, s) => n + s.node.findAll()
    .filter(c => CfnResource.isCfnResource(c) && c.cfnResourceType === q.type && Stack.of(c) === s).length, 0);
  if (count > quota) {
    Annotations.of(check).addWarningV2(`cdk-ivs-realtime-events:${q.id}`,
      `${sameEnv.length} stack(s) of this app (${sameEnv.map(s => s.stackName).join(', ')}) create ${count} ${q.what} in ${whereOf(stack)}, more than `
      + `${raised !== undefined ? `the ${quota} set in \`${key}\`` : `the default quota of ${quota}`}: the deployment past it fails. `
      + `Spread the stacks over accounts or regions, or request a higher quota and set it in the context key \`${key}\`.`);
  }
  return [];
}

/** The quota set in the context key `key`, undefined without one, or the error for a value that is none. */
function grantedQuota(stack: Stack, key: string, what: string): number | undefined | string {
  const raised = stack.node.tryGetContext(key);
  if (raised === undefined) {
    return undefined;
  }
  return Number.isInteger(Number(raised)) && Number(raised) > 0 ? Number(raised)
    : `The context key \`${key}\` must be a positive whole number (${what}), got ${JSON.stringify(raised)}`;
}

/** Every stack of the app deploying to `stack`'s account and region (environment-agnostic ones together). */
function sameAccountAndRegion(stack: Stack): Stack[] {
  return stacksOfApp(stack).filter(s => s.account === stack.account && s.region === stack.region);
}

/**
 * Whether `stack` reports for its account and region: the first of them that runs this check (a
 * stack of the user's own resources counts, but has no check to report with), so each is said once.
 */
function reportsFor(stack: Stack, sameEnv: Stack[]): boolean {
  return sameEnv.find(s => s.node.tryFindChild(CHECK_ID) !== undefined) === stack;
}

function whereOf(stack: Stack): string {
  const agnostic = Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region);
  return agnostic ? 'one account and region (environment-agnostic stacks, counted together)' : `account ${stack.account}, region ${stack.region}`;
}

/** Warns on `check`, a child of the stack, so that acknowledging the warning on the stack silences it. */
function checkRulesPerBus(stack: Stack, check: IConstruct): string[] {
  const raised = grantedQuota(stack, RULES_PER_BUS_CONTEXT, 'the rules per event bus your account was granted');
  if (typeof raised === 'string') {
    return [raised];
  }
  const sameEnv = sameAccountAndRegion(stack);
  if (!reportsFor(stack, sameEnv)) {
    return [];
  }
  const rulesPerStack = new Map(sameEnv.map(s => [s, rulesOf(s)]));
  const perBus = new Map<string, Set<Stack>>();
  const counts = new Map<string, number>();
  for (const [s, buses] of rulesPerStack) {
    for (const bus of buses) {
      counts.set(bus, (counts.get(bus) ?? 0) + 1);
      perBus.set(bus, (perBus.get(bus) ?? new Set()).add(s));
    }
  }
  const quota = raised ?? rulesPerBusDefault(stack.region);
  const where = whereOf(stack);
  for (const [bus, count] of counts) {
    if (count > quota) {
      const stacks = [...perBus.get(bus)!].map(s => s.stackName);
      Annotations.of(check).addWarningV2(RULES_PER_BUS_WARNING,
        `${stacks.length} stack(s) of this app (${stacks.join(', ')}) put ${count} rules on the event bus ${bus} in ${where}, more than `
        + `${raised !== undefined ? `the ${quota} set in \`${RULES_PER_BUS_CONTEXT}\`` : `EventBridge's default quota of ${quota} rules per bus there`}: `
        + 'the deployment past it fails. Monitor every stage of the account instead of a stage list, raise `maxPatternLength`, spread the stacks '
        + `over accounts or regions, or request a higher "Rules per event bus" quota and set it in the context key \`${RULES_PER_BUS_CONTEXT}\`.`);
    }
  }
  return [];
}

/** EventBridge's default rules per bus in `region` (the lower value where the quotas page names the region; the common one otherwise). */
export function rulesPerBusDefault(region: string): number {
  return !Token.isUnresolved(region) && region in RULES_PER_BUS.regions ? RULES_PER_BUS.regions[region] : RULES_PER_BUS.default;
}

function stacksOfApp(stack: Stack): Stack[] {
  const root = stack.node.root;
  return root.node.findAll().filter((c): c is Stack => Stack.isStack(c) && Stage.of(c) !== undefined);
}

/** The bus of each rule the stack itself holds (not its nested stacks', which are stacks of their own). */
function rulesOf(stack: Stack): string[] {
  return stack.node.findAll()
    .filter((c): c is events.CfnRule => c instanceof events.CfnRule && Stack.of(c) === stack)
    .map(rule => busKey(stack, rule.eventBusName));
}

function busKey(stack: Stack, eventBusName: string | undefined): string {
  if (eventBusName === undefined) {
    return 'default';
  }
  if (Token.isUnresolved(eventBusName)) {
    // A bus named at deploy time: the same one only within the stack that names it.
    return `${JSON.stringify(stack.resolve(eventBusName))} (${stack.stackName})`;
  }
  // EventBusName also takes the bus's ARN.
  return eventBusName.startsWith('arn:') ? eventBusName.split('event-bus/')[1] : eventBusName;
}

/** The stages each automatic composition construct starts compositions on (empty: every stage). */
const COMPOSERS = new WeakMap<IConstruct, string[]>();

/** Registers a construct that starts a composition on each active stage of `stageArns` (every stage when empty), for the quota checks. */
export function registerCompositions(scope: IConstruct, stageArns: string[]): void {
  COMPOSERS.set(scope, stageArns);
  checkAccountQuotas(scope);
}

/**
 * IVS runs at most 5 compositions at once per stage and 20 per account and region (both
 * adjustable): warns when more constructs can start compositions on one stage than the stage
 * quota, and when the stages automated in one account and region (every stage, without a stage
 * list) could ask for more compositions at once than the account quota.
 */
function checkCompositions(stack: Stack, check: IConstruct): string[] {
  const perStageKey = quotaContextKey('compositionsPerStage');
  const perAccountKey = quotaContextKey('compositionsPerAccount');
  const perStage = grantedQuota(stack, perStageKey, 'the concurrent compositions per stage your account was granted');
  const perAccount = grantedQuota(stack, perAccountKey, 'the concurrent compositions per account your account was granted');
  const errors = [perStage, perAccount].filter((q): q is string => typeof q === 'string');
  if (errors.length > 0) {
    return errors;
  }
  const sameEnv = sameAccountAndRegion(stack);
  if (!reportsFor(stack, sameEnv)) {
    return [];
  }
  const composers = sameEnv.flatMap(s => s.node.findAll().filter(c => COMPOSERS.has(c) && Stack.of(c) === s).map(c => COMPOSERS.get(c)!));
  if (composers.length === 0) {
    return [];
  }
  const stageQuota = (perStage as number | undefined) ?? COMPOSITION_QUOTAS.perStage;
  const accountQuota = (perAccount as number | undefined) ?? COMPOSITION_QUOTAS.perAccount;
  const everyStage = composers.filter(c => c.length === 0).length;
  const counts = new Map<string, number>();
  for (const arn of composers.flatMap(c => [...new Set(c)])) {
    counts.set(arn, (counts.get(arn) ?? 0) + 1);
  }
  const [busiest, listed] = [...counts].reduce<[string, number]>((a, b) => (b[1] > a[1] ? b : a), ['every stage', 0]);
  const onOneStage = everyStage + listed;
  const where = whereOf(stack);
  const stageName = (arn: string) => (Token.isUnresolved(arn) ? 'a stage given as a token' : arn);
  if (onOneStage > stageQuota) {
    Annotations.of(check).addWarningV2('cdk-ivs-realtime-events:compositionsPerStage',
      `${onOneStage} IvsAutoComposition constructs can start a composition on ${listed > 0 ? stageName(busiest) : 'every stage'} in ${where}, more than `
      + `${perStage !== undefined ? `the ${stageQuota} set in \`${perStageKey}\`` : `IVS's default quota of ${stageQuota} concurrent compositions per stage`}: `
      + 'the starts past it are refused after their retries (IVS Composition Start Failed events, and the start alarm). '
      + `Give the constructs distinct stages, or request a higher quota and set it in the context key \`${perStageKey}\`.`);
  }
  // Compositions that can run at once: one per construct and stage it automates.
  const atOnce = [...counts.values()].reduce((a, b) => a + b, 0);
  if (everyStage > 0 || atOnce > accountQuota) {
    Annotations.of(check).addWarningV2('cdk-ivs-realtime-events:compositionsPerAccount',
      `IvsAutoComposition starts ${everyStage > 0 ? 'a composition on every active stage' : `up to ${atOnce} compositions at once on ${counts.size} stages`} `
      + `in ${where}, and IVS runs at most `
      + `${perAccount !== undefined ? `the ${accountQuota} set in \`${perAccountKey}\`` : `its default quota of ${accountQuota}`} compositions at once `
      + 'per account and region: the starts past it wait, with backoff, for a composition to stop, then fail (IVS Composition Start Failed events, '
      + `and the start alarm). Request a higher quota and set it in the context key \`${perAccountKey}\`, or acknowledge this warning if the stages `
      + 'active at once stay within it.');
  }
  return [];
}
