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

/** An entry of `ConditionedPutEvents`: aws-cdk-lib's, with the event's `resources`. */
export interface ConditionedPutEventsEntry extends tasks.EventBridgePutEventsEntry {
  /**
   * The event's `resources` (PutEventsRequestEntry `Resources`: ARNs the event concerns, which
   * rules can match), known at synth: aws-cdk-lib's entry has no such field. They need no grant:
   * PutEvents takes no condition key on them (see `PUT_EVENTS_CONDITION_KEYS`).
   *
   * @default - none: the event's `resources` is empty, unless `resourcesPath`
   */
  readonly resources?: string[];
}

export interface ConditionedPutEventsProps extends tasks.EventBridgePutEventsProps {
  readonly entries: ConditionedPutEventsEntry[];

  /**
   * A path or intrinsic (JSONPath) giving every entry's `Resources` at run time, a JSON array of
   * ARNs, e.g. `States.Array($$.StateMachine.Id)` (a state machine's own ARN in its definition
   * would be circular). Takes the place of the entries' `resources`.
   *
   * @default - the entries' `resources`
   */
  readonly resourcesPath?: string;
}

/**
 * aws-cdk-lib's PutEvents task, whose grant is narrowed to the source and detail-types of its
 * entries (aws-cdk-lib grants `events:PutEvents` on the buses alone), and whose entries may
 * carry `resources`.
 */
export class ConditionedPutEvents extends tasks.EventBridgePutEvents {
  private readonly entryResources: (string[] | undefined)[];
  private readonly resourcesPath?: string;

  constructor(scope: Construct, id: string, props: ConditionedPutEventsProps) {
    super(scope, id, props);
    this.entryResources = props.entries.map(e => e.resources);
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

  /** @internal */
  protected _renderTask(topLevelQueryLanguage?: sfn.QueryLanguage): any {
    const task = super._renderTask(topLevelQueryLanguage);
    // Parameters in JSONPath, Arguments in JSONata; the entries in their order, as aws-cdk-lib renders them.
    const request = task.Parameters ?? task.Arguments;
    if (this.resourcesPath !== undefined && !task.Parameters) {
      throw new Error('internal: `resourcesPath` needs a JSONPath PutEvents task');
    }
    request.Entries = request.Entries.map((entry: Record<string, unknown>, i: number) => {
      if (this.resourcesPath !== undefined) return { ...entry, 'Resources.$': this.resourcesPath };
      return this.entryResources[i] === undefined ? entry : { ...entry, Resources: this.entryResources[i] };
    });
    return task;
  }
}

/** A statement letting its principal put events of `source` with `detailTypes` on the bus `busArn`, and nothing else. */
export function putEventsStatement(busArn: string, source: string, detailTypes: string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [busArn], conditions: putEventsConditions(source, detailTypes) });
}
