// The required method request parameters (`method.request.{path|querystring|header}.NAME`
// marked true), checked for presence and a non-empty value.
import type { RequestContext } from '../../dataplane/context.js';
import { GatewayError } from '../../dataplane/gateway-responses.js';

interface RequiredParameter {
  location: 'path' | 'querystring' | 'header';
  /** As configured, for the message. */
  name: string;
  /** Lower-cased for headers, which match case-insensitively. */
  key: string;
}

const PARAMETER = /^method\.request\.(path|querystring|header)\.(.+)$/;

/** A check that raises BAD_REQUEST_PARAMETERS, or null when the method requires none. */
export function compileParameterCheck(
  requestParameters: Readonly<Record<string, boolean>> | undefined,
): ((ctx: RequestContext) => void) | null {
  // AWS lists missing parameters in the order of their full keys, so header before path before
  // querystring: the recorded answer is `[x-header-param, issuer, qs1]`.
  const required: RequiredParameter[] = [];
  for (const key of Object.keys(requestParameters ?? {}).sort(compareUtf16)) {
    const match = requestParameters?.[key] === true ? PARAMETER.exec(key) : null;
    if (!match) continue;
    const location = match[1] as RequiredParameter['location'];
    const name = match[2]!;
    required.push({ location, name, key: location === 'header' ? name.toLowerCase() : name });
  }
  if (required.length === 0) return null;
  const readsQuery = required.some((p) => p.location === 'querystring');

  return (ctx) => {
    const query = readsQuery ? queryValues(ctx.rawQuery) : undefined;
    let missing: string[] | undefined;
    for (const parameter of required) {
      if (!isPresent(parameter, ctx, query)) (missing ??= []).push(parameter.name);
    }
    if (missing) {
      const message = `Missing required request parameters: [${missing.join(', ')}]`;
      throw new GatewayError('BAD_REQUEST_PARAMETERS', message, message);
    }
  };
}

function isPresent(
  parameter: RequiredParameter,
  ctx: RequestContext,
  query: Map<string, string> | undefined,
): boolean {
  switch (parameter.location) {
    case 'path':
      return !!ctx.pathParameters[parameter.key];
    case 'querystring':
      return !!query?.get(parameter.key);
    case 'header': {
      const value = ctx.req.headers[parameter.key];
      return Array.isArray(value) ? value.some((v) => v !== '') : !!value;
    }
  }
}

// The value a repeated name ends with is the one API Gateway hands on as
// `method.request.querystring.NAME`, so it is the one that must not be blank.
function queryValues(rawQuery: string): Map<string, string> {
  const values = new Map<string, string>();
  if (rawQuery === '') return values;
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    values.set(decode(eq < 0 ? pair : pair.slice(0, eq)), eq < 0 ? '' : decode(pair.slice(eq + 1)));
  }
  return values;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function compareUtf16(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
