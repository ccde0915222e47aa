import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

export interface NagSuppression {
  readonly id: string;
  readonly reason: string;
  /**
   * The findings suppressed, for rules that report finding ids (AwsSolutions-IAM4, IAM5, ...:
   * `Action::kms:GenerateDataKey*`, `Resource::*`): a wildcard added later is still reported.
   * Rules without finding ids are suppressed whole.
   */
  readonly appliesTo?: (string | NagFindingPattern)[];
}

/** Findings matched by a regular expression, where a finding id holds the stack's region and account. */
export interface NagFindingPattern {
  /** In cdk-nag's form: `/^Resource::...$/g`. */
  readonly regex: string;
}

/**
 * Records cdk-nag suppressions on a resource the library creates, in the metadata format
 * cdk-nag reads (`cdk_nag.rules_to_suppress`), so users' security reviews see the reason
 * without this library depending on cdk-nag at runtime.
 */
export function suppressNag(construct: IConstruct, suppressions: NagSuppression[]): void {
  const resource = construct.node.defaultChild;
  if (!CfnResource.isCfnResource(resource)) {
    throw new Error(`cannot suppress cdk-nag findings on ${construct.node.path}: it has no CloudFormation resource`);
  }
  const existing: object[] = resource.getMetadata('cdk_nag')?.rules_to_suppress ?? [];
  // cdk-nag reads `applies_to`.
  const rendered = suppressions.map(({ id, reason, appliesTo }) => (appliesTo ? { id, reason, applies_to: appliesTo } : { id, reason }));
  const merged = [...existing.filter(e => !suppressions.some(s => s.id === (e as NagSuppression).id)), ...rendered];
  resource.addMetadata('cdk_nag', { rules_to_suppress: merged });
}

/** The compliance packs' prefixes of rule ids (cdk-nag HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks). */
const COMPLIANCE_PACKS = ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'];

/** Suppresses `rule` (e.g. `LambdaInsideVPC`) under every compliance pack, with one reason. */
export function suppressComplianceNag(construct: IConstruct, rules: { readonly rule: string; readonly reason: string }[]): void {
  suppressNag(construct, rules.flatMap(({ rule, reason }) => COMPLIANCE_PACKS.map(pack => ({ id: `${pack}-${rule}`, reason }))));
}
