import { Token } from 'aws-cdk-lib';
import { aws_ivs as ivsRefs } from 'aws-cdk-lib/interfaces';

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
