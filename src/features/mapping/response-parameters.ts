// REST method response parameters: `method.response.header.X` from the integration response's
// headers or body, a static 'value', a stage variable or a context variable.

export interface ResponseParameterInput {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  context: Record<string, unknown>;
  stageVariables: Readonly<Record<string, string>>;
}

type Getter = (input: ResponseParameterInput) => string | undefined;

export type ResponseParameters = (input: ResponseParameterInput) => Record<string, string>;

export function compileResponseParameters(
  mapping: Record<string, string> | undefined,
): ResponseParameters | null {
  const entries: [string, Getter][] = [];
  for (const [target, source] of Object.entries(mapping ?? {})) {
    const m = /^method\.response\.header\.(.+)$/.exec(target);
    if (!m) throw new Error(`response parameter ${target}: must be method.response.header.NAME`);
    entries.push([m[1]!, compileSource(source)]);
  }
  if (entries.length === 0) return null;
  return (input) => {
    const headers: Record<string, string> = {};
    for (const [name, get] of entries) {
      const value = get(input);
      if (value !== undefined) headers[name] = value;
    }
    return headers;
  };
}

function compileSource(source: string): Getter {
  if (/^'.*'$/s.test(source)) {
    const value = source.slice(1, -1);
    return () => value;
  }
  let m = /^integration\.response\.(?:multivalue)?header\.(.+)$/.exec(source);
  if (m) {
    const name = m[1]!.toLowerCase();
    return ({ headers }) => {
      const value = headers[name];
      return Array.isArray(value) ? value.join(',') : value;
    };
  }
  if (source === 'integration.response.body') return ({ body }) => body;
  m = /^integration\.response\.body\.(.+)$/.exec(source);
  if (m) {
    const path = m[1]!.split('.');
    return ({ body }) => {
      let value: unknown;
      try {
        value = JSON.parse(body);
      } catch {
        return undefined;
      }
      return textOf(dig(value, path));
    };
  }
  m = /^stageVariables\.(.+)$/.exec(source);
  if (m) {
    const name = m[1]!;
    return ({ stageVariables }) => stageVariables[name];
  }
  m = /^context\.(.+)$/.exec(source);
  if (m) {
    const path = m[1]!.split('.');
    return ({ context }) => textOf(dig(context, path));
  }
  throw new Error(
    `response parameter source ${source}: must be integration.response.header.NAME, integration.response.body[.path], 'static', stageVariables.NAME or context.NAME`,
  );
}

function dig(value: unknown, path: string[]): unknown {
  for (const key of path) {
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

/** Header text for a JSON value: strings as they are, anything else as JSON. */
function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
