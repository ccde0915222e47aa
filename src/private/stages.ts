import { Annotations, Stack, Token } from 'aws-cdk-lib';
import { aws_ivs as ivsRefs } from 'aws-cdk-lib/interfaces';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';

/** Stage ARNs as IVS issues them (RealTimeAPIReference, Stage.arn), in any partition. */
const STAGE_ARN = /^arn:aws[a-z-]*:ivs:[a-z0-9-]+:\d{12}:stage\/[a-zA-Z0-9-]+$/;

/** The stage props every construct takes: the shape of the public `StageSelectionOptions`. */
export interface StageProps {
  readonly stageArns?: string[];
  readonly stages?: ivsRefs.IStageRef[];
}

/**
 * `stageArns` then the ARNs of `stages`, without repeats, each checked to be an IVS stage
 * ARN unless it is a token: the one place a stage list is merged and validated.
 */
export function stageArnsOf(props: StageProps): string[] {
  const fromStages = (props.stages ?? []).map(s => s.stageRef.stageArn);
  for (const [prop, arns] of [['stageArns', props.stageArns ?? []], ['stages', fromStages]] as const) {
    for (const arn of arns) {
      if (!Token.isUnresolved(arn) && !STAGE_ARN.test(arn)) {
        throw new Error(`\`${prop}\` must contain IVS stage ARNs (arn:<partition>:ivs:<region>:<account>:stage/<id>), got '${arn}'`);
      }
    }
  }
  return [...new Set([...(props.stageArns ?? []), ...fromStages])];
}

/**
 * IVS sends a stage's events to the default bus of the stage's own account and region, so
 * a rule there on a stage of another account, region or partition never matches. A
 * warning rather than an error: AWS's own example events show a stage ARN of another
 * region than the event (eventbridge.html, Participant Recording examples).
 */
export function warnOfStagesElsewhere(scope: IConstruct, stageArns: string[]): void {
  const stack = Stack.of(scope);
  const here = {
    partition: Token.isUnresolved(stack.region) ? undefined : RegionInfo.get(stack.region).partition,
    region: Token.isUnresolved(stack.region) ? undefined : stack.region,
    account: Token.isUnresolved(stack.account) ? undefined : stack.account,
  };
  const elsewhere = stageArns.filter(a => !Token.isUnresolved(a)).map(arn => {
    const [, partition, , region, account] = arn.split(':');
    const stage = { partition, region, account };
    return { arn, stage, differs: (['partition', 'region', 'account'] as const).filter(k => here[k] !== undefined && here[k] !== stage[k]) };
  }).filter(s => s.differs.length > 0);
  if (elsewhere.length > 0) {
    const [{ arn, stage, differs }] = elsewhere;
    Annotations.of(scope).addWarningV2('cdk-ivs-realtime-events:stageInOtherEnvironment',
      `${elsewhere.length === 1 ? 'The stage' : `${elsewhere.length} stages, e.g.`} ${arn} ${elsewhere.length === 1 ? 'is' : 'are'} in another `
      + `${differs.join(' and ')} (${differs.map(k => stage[k]).join(', ')}) than this stack (${differs.map(k => here[k]).join(', ')}): `
      + 'IVS sends a stage\'s events only to the default bus of its own account and region, so a rule here never sees them. '
      + 'Deploy the rule there, or forward the events to a bus here.');
  }
}
