// Runs a synthesized Step Functions definition on this machine, for the states and
// intrinsics the library's state machines use: Wait (not waited), Pass (Result, Parameters),
// Task (a callback per service integration, ResultSelector, ResultPath), Map (ItemsPath,
// ItemSelector, ItemProcessor, one item at a time), Choice (And, Or, Not, IsPresent,
// StringEquals(Path), NumericEquals, NumericGreaterThanPath, BooleanEquals), Succeed; paths with
// `[?(@.Name == '...' || ...)]` filters; States.StringSplit, ArrayGetItem, ArrayLength,
// ArrayContains, MathAdd. Anything else fails loudly, so a definition that grows beyond it is noticed.

/** A service integration: `dynamodb:getItem`, `events:putEvents`, `aws-sdk:ivsrealtime:getStage`, ... */
export type TaskRunner = (parameters: any) => Promise<unknown>;

function at(input: any, path: string, context: any = {}): unknown {
  const root = path.startsWith('$$') ? context : input;
  const rest = path.startsWith('$$') ? path.slice(2) : path.slice(1);
  if (!path.startsWith('$')) {
    throw new Error(`unsupported path ${path}`);
  }
  const filter = /^(.*)\[\?\((.*)\)\]$/.exec(rest);
  if (filter) {
    const list = at(root, `$${filter[1]}`);
    const alternatives = filter[2].split('||').map(term => {
      const match = /^\s*@\.(\w+)\s*==\s*'([^']*)'\s*$/.exec(term);
      if (!match) {
        throw new Error(`unsupported filter ${filter[2]}`);
      }
      return [match[1], match[2]];
    });
    return Array.isArray(list) ? list.filter(item => alternatives.some(([key, value]) => item?.[key] === value)) : [];
  }
  return rest.split('.').slice(1).reduce((value, key) => (value === undefined || value === null ? undefined : value[key]), root);
}

/** Splits `a, States.F(b, c), 'd'` at its top-level commas. */
function argumentsOf(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const char of text) {
    if (char === '\'') quoted = !quoted;
    if (!quoted && char === '(') depth++;
    if (!quoted && char === ')') depth--;
    if (!quoted && depth === 0 && char === ',') {
      parts.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  return current.trim() === '' ? parts : [...parts, current.trim()];
}

function evaluate(expression: string, input: any, context: any): unknown {
  const call = /^States\.(\w+)\((.*)\)$/s.exec(expression);
  if (!call) {
    if (expression.startsWith('\'')) return expression.slice(1, -1);
    if (/^-?\d+$/.test(expression)) return Number(expression);
    if (expression === 'true' || expression === 'false') return expression === 'true';
    if (expression.startsWith('$')) {
      const value = at(input, expression, context);
      if (value === undefined) {
        throw new Error(`States.Runtime: ${expression} is not in the input`);
      }
      return value;
    }
    throw new Error(`unsupported intrinsic argument ${expression}`);
  }
  const args: any[] = argumentsOf(call[2]).map(arg => evaluate(arg, input, context));
  switch (call[1]) {
    case 'StringSplit': return String(args[0]).split(args[1]).filter(part => part !== '');
    case 'ArrayGetItem': return args[0][args[1]];
    case 'ArrayLength': return args[0].length;
    case 'ArrayContains': return args[0].includes(args[1]);
    case 'MathAdd': return args[0] + args[1];
    default: throw new Error(`unsupported intrinsic States.${call[1]}`);
  }
}

/** Parameters with `key.$` values (paths or intrinsics) filled in from `input`. */
function fill(template: any, input: any, context: any = {}): any {
  if (Array.isArray(template)) {
    return template.map(t => fill(t, input, context));
  }
  if (template === null || typeof template !== 'object') {
    return template;
  }
  return Object.fromEntries(Object.entries(template).map(([key, value]) => (key.endsWith('.$')
    ? [key.slice(0, -2), evaluate(value as string, input, context)]
    : [key, fill(value, input, context)])));
}

function holds(rule: any, input: any): boolean {
  if (rule.And) {
    return rule.And.every((r: any) => holds(r, input));
  }
  if (rule.Or) {
    return rule.Or.some((r: any) => holds(r, input));
  }
  if (rule.Not) {
    return !holds(rule.Not, input);
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
  if ('NumericEquals' in rule) {
    return value === rule.NumericEquals;
  }
  if ('NumericGreaterThanPath' in rule) {
    return (value as number) > (at(input, rule.NumericGreaterThanPath) as number);
  }
  if ('BooleanEquals' in rule) {
    return value === rule.BooleanEquals;
  }
  throw new Error(`unsupported choice rule ${JSON.stringify(rule)}`);
}

function placed(data: any, resultPath: string | null | undefined, result: unknown): any {
  if (resultPath === undefined || resultPath === '$') {
    return result;
  }
  if (resultPath === null) {
    return data;
  }
  if (!/^\$\.\w+$/.test(resultPath)) {
    throw new Error(`unsupported ResultPath ${resultPath}`);
  }
  return { ...data, [resultPath.slice(2)]: result };
}

/** Runs `definition` on `input`; returns the names of the states it went through (a Map's included). */
export async function runStateMachine(definition: any, input: any, tasks: Record<string, TaskRunner>): Promise<string[]> {
  return (await run(definition, input, tasks)).visited;
}

async function run(definition: any, input: any, tasks: Record<string, TaskRunner>): Promise<{ visited: string[]; output: any }> {
  const visited: string[] = [];
  let name: string | undefined = definition.StartAt;
  let data = input;
  while (name) {
    visited.push(name);
    const state = definition.States[name];
    switch (state.Type) {
      case 'Wait':
        break;
      case 'Pass': {
        const result = 'Result' in state ? state.Result : state.Parameters ? fill(state.Parameters, data) : data;
        data = placed(data, state.ResultPath, result);
        break;
      }
      case 'Succeed':
        return { visited, output: data };
      case 'Task': {
        const service = String(state.Resource).replace(/^.*:states:::/, '');
        const runner = tasks[service];
        if (!runner) {
          throw new Error(`no runner for ${service}`);
        }
        const raw = JSON.parse(JSON.stringify(await runner(fill(state.Parameters, data)) ?? null));
        data = placed(data, state.ResultPath, state.ResultSelector ? fill(state.ResultSelector, raw) : raw);
        break;
      }
      case 'Map': {
        const items = at(data, state.ItemsPath ?? '$') as unknown[];
        const processor = state.ItemProcessor ?? state.Iterator;
        const results: unknown[] = [];
        for (const [index, value] of items.entries()) {
          const item = state.ItemSelector ? fill(state.ItemSelector, data, { Map: { Item: { Index: index, Value: value } } }) : value;
          const inner = await run(processor, item, tasks);
          visited.push(...inner.visited);
          results.push(inner.output);
        }
        data = placed(data, state.ResultPath, results);
        break;
      }
      case 'Choice':
        name = state.Choices.find((c: any) => holds(c, data))?.Next ?? state.Default;
        if (name === undefined) {
          throw new Error(`States.NoChoiceMatched in ${visited[visited.length - 1]}`);
        }
        continue;
      default:
        throw new Error(`unsupported state type ${state.Type}`);
    }
    name = state.End ? undefined : state.Next;
  }
  return { visited, output: data };
}
