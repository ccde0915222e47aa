import { Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct, IConstruct } from 'constructs';
import { MAX_RULES_PER_BUS } from './aws-facts';

const CHECK_ID = 'CdkIvsRealtimeEventsRuleQuota';

/**
 * Registers, once per stack, a synth-time check that no event bus gets more rules from
 * this stack than EventBridge's default quota of 300 per bus: past it the deployment
 * would fail rule by rule, after part of the stack was created.
 */
export function checkRuleQuota(scope: IConstruct): void {
  const stack = Stack.of(scope);
  if (stack.node.tryFindChild(CHECK_ID)) {
    return;
  }
  const check = new Construct(stack, CHECK_ID);
  check.node.addValidation({
    validate: () => {
      const perBus = new Map<string, number>();
      for (const construct of stack.node.findAll()) {
        if (construct instanceof events.CfnRule) {
          const bus = construct.eventBusName === undefined ? 'default'
            : Token.isUnresolved(construct.eventBusName) ? JSON.stringify(stack.resolve(construct.eventBusName)) : construct.eventBusName;
          perBus.set(bus, (perBus.get(bus) ?? 0) + 1);
        }
      }
      return [...perBus.entries()].filter(([, count]) => count > MAX_RULES_PER_BUS).map(([bus, count]) =>
        `This stack puts ${count} rules on the event bus ${bus}, more than the ${MAX_RULES_PER_BUS} EventBridge allows by default: `
        + 'monitor every stage of the account instead of a stage list, raise `maxPatternLength`, or spread the rules over stacks in other accounts or regions.');
    },
  });
}
