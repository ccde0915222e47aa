import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/**
 * The event patterns of every AWS::Events::Rule in `stack`, as they would deploy:
 * `{ Ref }` / `{ Fn::GetAtt }` of a logical id are replaced by `deployedValues[logicalId]`
 * (an unknown one fails the test), so event-ruler sees what EventBridge would.
 */
export function deployedPatterns(stack: Stack, deployedValues: Record<string, string> = {}): Record<string, any> {
  const rules = Template.fromStack(stack).findResources('AWS::Events::Rule');
  return Object.fromEntries(Object.entries(rules).map(([id, rule]) =>
    [id, substitute(rule.Properties.EventPattern, deployedValues)]));
}

/** The single rule's deployed pattern. */
export function deployedPattern(stack: Stack, deployedValues: Record<string, string> = {}): any {
  const patterns = Object.values(deployedPatterns(stack, deployedValues));
  expect(patterns).toHaveLength(1);
  return patterns[0];
}

function substitute(value: any, deployedValues: Record<string, string>): any {
  if (Array.isArray(value)) {
    return value.map(v => substitute(v, deployedValues));
  }
  if (value && typeof value === 'object') {
    const ref = value.Ref ?? value['Fn::GetAtt']?.[0];
    if (ref !== undefined && Object.keys(value).length === 1) {
      if (!(ref in deployedValues)) {
        throw new Error(`no deployed value given for ${JSON.stringify(value)}`);
      }
      return deployedValues[ref];
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, deployedValues)]));
  }
  return value;
}
