/**
 * Renders an EventBridge InputTransformer the way EventBridge documents it
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html,
 * "Common Issues with transforming input"), so message formats can be checked against
 * fixture events field by field. The rules, and where each comes from:
 * - a variable outside quotes is inserted as JSON: strings are quoted ("For Strings,
 *   quotes are required" / strings are quoted automatically), numbers, objects and arrays
 *   as they are;
 * - a variable inside a quoted string is inserted raw: "EventBridge doesn't escape values
 *   extracted by Input Path, when populating the Input Template";
 * - a path missing from the event creates no variable ("that variable isn't created and
 *   won't appear in the output"): it is replaced by nothing, which outside quotes AWS
 *   delivers as "" (observed against AWS in LocalStack's validated snapshots).
 * Only the JSON-path subset EventBridge supports is handled: dots and array indices.
 */
export interface InputTransformerJson {
  readonly InputPathsMap: Record<string, string>;
  readonly InputTemplate: string;
}

const MISSING = Symbol('missing');

export function renderInputTransformer(transformer: InputTransformerJson, event: unknown): string {
  const values = new Map(Object.entries(transformer.InputPathsMap).map(([k, path]) => [k, lookup(event, path)]));
  const template = transformer.InputTemplate;
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '\\' && inString) {
      out += c + template[++i];
      continue;
    }
    if (c === '"') {
      inString = !inString;
    }
    const placeholder = c === '<' ? /^<([A-Za-z0-9_.-]+)>/.exec(template.slice(i)) : null;
    if (placeholder && values.has(placeholder[1])) {
      out += substitute(values.get(placeholder[1]), inString);
      i += placeholder[0].length - 1;
      continue;
    }
    out += c;
  }
  return out;
}

/** The transformed input parsed as JSON; throws when EventBridge would produce invalid JSON. */
export function renderInputJson(transformer: InputTransformerJson, event: unknown): any {
  const rendered = renderInputTransformer(transformer, event);
  try {
    return JSON.parse(rendered);
  } catch (e) {
    throw new Error(`invalid JSON from input transformer: ${rendered}`);
  }
}

function substitute(value: unknown, inString: boolean): string {
  if (value === MISSING) {
    return inString ? '' : '""';
  }
  if (inString) {
    return typeof value === 'string' ? value : JSON.stringify(value);
  }
  return JSON.stringify(value);
}

function lookup(event: unknown, path: string): unknown {
  if (!path.startsWith('$')) {
    throw new Error(`unsupported path ${path}`);
  }
  let current: any = event;
  for (const part of path.slice(1).match(/\.[^.[\]]+|\[\d+\]/g) ?? []) {
    const key = part.startsWith('[') ? Number(part.slice(1, -1)) : part.slice(1);
    if (current === null || typeof current !== 'object' || !(key in current)) {
      return MISSING;
    }
    current = current[key];
  }
  return current;
}
