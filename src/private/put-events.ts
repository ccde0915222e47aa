import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { PUT_EVENTS_CONDITION_KEYS } from './aws-facts';

const [SOURCE_KEY, DETAIL_TYPE_KEY] = PUT_EVENTS_CONDITION_KEYS;

/**
 * The IAM conditions that let a principal put only events of `source` with one of `detailTypes`:
 * both keys are multivalued (one value per entry), hence `ForAllValues` (see `PUT_EVENTS_CONDITION_KEYS`).
 */
export function putEventsConditions(source: string, detailTypes: string[]): { [operator: string]: { [key: string]: string[] } } {
  return { 'ForAllValues:StringEquals': { [SOURCE_KEY]: [source], [DETAIL_TYPE_KEY]: detailTypes } };
}

export interface ConditionedPutEventsProps extends tasks.EventBridgePutEventsProps {
  /**
   * A path or intrinsic (JSONPath) giving every entry's `Resources`, a JSON array of ARNs, e.g.
   * `States.Array($$.StateMachine.Id)`, so that rules can tell the putting state machine's events
   * from another's on the same bus. aws-cdk-lib's entries have no `Resources`.
   *
   * @default - no `Resources`
   */
  readonly resourcesPath?: string;
}

/**
 * aws-cdk-lib's PutEvents task, whose grant is narrowed to the source and detail-types of its
 * entries (aws-cdk-lib grants `events:PutEvents` on the buses alone).
 */
export class ConditionedPutEvents extends tasks.EventBridgePutEvents {
  private readonly resourcesPath?: string;

  constructor(scope: Construct, id: string, props: ConditionedPutEventsProps) {
    super(scope, id, props);
    this.resourcesPath = props.resourcesPath;
    const sources = [...new Set(props.entries.map(e => e.source))];
    if (sources.length !== 1) {
      throw new Error(`internal: one source per PutEvents task, got ${sources.join(', ')}`);
    }
    const conditions = putEventsConditions(sources[0], [...new Set(props.entries.map(e => e.detailType))]);
    for (const statement of this.taskPolicies ?? []) {
      if (statement.actions.includes('events:PutEvents')) {
        for (const [operator, values] of Object.entries(conditions)) {
          statement.addCondition(operator, values);
        }
      }
    }
  }

  protected _renderTask(topLevelQueryLanguage?: sfn.QueryLanguage): any {
    const rendered = super._renderTask(topLevelQueryLanguage);
    const entries = rendered.Parameters?.Entries;
    if (this.resourcesPath === undefined) {
      return rendered;
    }
    if (!Array.isArray(entries)) {
      throw new Error('internal: `resourcesPath` needs a JSONPath PutEvents task');
    }
    return { ...rendered, Parameters: { ...rendered.Parameters, Entries: entries.map((entry: object) => ({ ...entry, 'Resources.$': this.resourcesPath })) } };
  }
}

/** A statement letting its principal put events of `source` with `detailTypes` on the bus `busArn`, and nothing else. */
export function putEventsStatement(busArn: string, source: string, detailTypes: string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [busArn], conditions: putEventsConditions(source, detailTypes) });
}
