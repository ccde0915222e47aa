import * as cxapi from 'aws-cdk-lib/cx-api';

/**
 * A readable account of what a synthesized assembly creates: each EventBridge rule with
 * its pattern and its targets' delivery settings. Read from the templates, so it shows
 * what would deploy rather than what the code meant.
 */
export function summarize(assembly: cxapi.CloudAssembly): string {
  const lines: string[] = [];
  for (const stack of assembly.stacks) {
    const resources: Record<string, any> = stack.template.Resources ?? {};
    const paths = new Map(stack.findMetadataByType('aws:cdk:logicalId').map(m => [m.data as string, m.path.replace(/\/Resource$/, '')]));
    const nameOf = (id: string) => paths.get(id) ?? id;
    const pathOf = (value: any): string => {
      const id = value?.Ref ?? value?.['Fn::GetAtt']?.[0];
      return id && resources[id] ? `${nameOf(id)} (${resources[id].Type})` : JSON.stringify(value);
    };
    const rules = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Events::Rule');
    lines.push(`Stack ${stack.stackName} (${stack.environment.account}/${stack.environment.region}): ${rules.length} rule(s)`);
    for (const [id, rule] of rules) {
      const props = rule.Properties;
      lines.push('', `  Rule ${nameOf(id)} [${props.State ?? 'ENABLED'}]`);
      lines.push('    Pattern:', ...JSON.stringify(props.EventPattern, replaceRefs(pathOf), 2).split('\n').map(l => `      ${l}`));
      const targets: any[] = props.Targets ?? [];
      lines.push(`    Targets (${targets.length}):`);
      for (const target of targets) {
        lines.push(`      - ${pathOf(target.Arn)}`);
        lines.push(`        dead-letter queue: ${target.DeadLetterConfig ? pathOf(target.DeadLetterConfig.Arn) : 'NONE'}`);
        const retry = target.RetryPolicy;
        lines.push(`        retries: ${retry ? `${retry.MaximumRetryAttempts} attempts within ${retry.MaximumEventAgeInSeconds}s` : 'EventBridge default'}`);
      }
    }
  }
  return lines.join('\n');
}

/** Shows `{ Ref }` / `{ Fn::GetAtt }` inside a pattern as the construct path they point to. */
function replaceRefs(pathOf: (value: any) => string) {
  return (_key: string, value: any) =>
    value && typeof value === 'object' && !Array.isArray(value) && (value.Ref || value['Fn::GetAtt']) ? `<${pathOf(value)}>` : value;
}
