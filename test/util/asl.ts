// Runs a synthesized Step Functions definition on this machine, for the states and
// intrinsics the library's state machines use: Wait (not waited), Task (a callback per
// service integration), Choice (And, IsPresent, StringEquals, StringEqualsPath), Succeed.
// Anything else fails loudly, so a definition that grows beyond it is noticed.

/** A service integration: `dynamodb:getItem`, `events:putEvents`, ... */
export type TaskRunner = (parameters: any) => Promise<unknown>;

function at(input: any, path: string): unknown {
  if (!path.startsWith('$')) {
    throw new Error(`unsupported path ${path}`);
  }
  return path.split('.').slice(1).reduce((value, key) => (value === undefined || value === null ? undefined : value[key]), input);
}

/** Parameters with `key.$` JSONPath values filled in from `input`. */
function fill(template: any, input: any): any {
  if (Array.isArray(template)) {
    return template.map(t => fill(t, input));
  }
  if (template === null || typeof template !== 'object') {
    return template;
  }
  return Object.fromEntries(Object.entries(template).map(([key, value]) => (key.endsWith('.$')
    ? [key.slice(0, -2), at(input, value as string)]
    : [key, fill(value, input)])));
}

function holds(rule: any, input: any): boolean {
  if (rule.And) {
    return rule.And.every((r: any) => holds(r, input));
  }
  const value = at(input, rule.Variable);
  if ('IsPresent' in rule) {
    return (value !== undefined) === rule.IsPresent;
  }
  if (value === undefined) {
    // Step Functions fails the execution when a compared path is missing.
    throw new Error(`States.Runtime: ${rule.Variable} is not in the input`);
  }
  if ('StringEquals' in rule) {
    return value === rule.StringEquals;
  }
  if ('StringEqualsPath' in rule) {
    return value === at(input, rule.StringEqualsPath);
  }
  throw new Error(`unsupported choice rule ${JSON.stringify(rule)}`);
}

/** Runs `definition` on `input`; returns the names of the states it went through. */
export async function runStateMachine(definition: any, input: any, tasks: Record<string, TaskRunner>): Promise<string[]> {
  const visited: string[] = [];
  let name: string | undefined = definition.StartAt;
  let data = input;
  while (name) {
    visited.push(name);
    const state = definition.States[name];
    switch (state.Type) {
      case 'Wait':
      case 'Pass':
        name = state.Next;
        break;
      case 'Succeed':
        name = undefined;
        break;
      case 'Task': {
        const service = String(state.Resource).replace(/^.*:states:::/, '');
        const runner = tasks[service];
        if (!runner) {
          throw new Error(`no runner for ${service}`);
        }
        const result = await runner(fill(state.Parameters, data));
        if (state.ResultPath === undefined) {
          data = result;
        } else if (state.ResultPath !== null) {
          data = { ...data, [state.ResultPath.replace(/^\$\./, '')]: result };
        }
        name = state.End ? undefined : state.Next;
        break;
      }
      case 'Choice':
        name = state.Choices.find((c: any) => holds(c, data))?.Next ?? state.Default;
        break;
      default:
        throw new Error(`unsupported state type ${state.Type}`);
    }
  }
  return visited;
}
