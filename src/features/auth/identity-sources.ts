// Where an authorizer finds the caller's identity, compiled at deploy time into one accessor per
// source. The values decide two things: whether the authorizer runs at all (a missing or empty
// source is a 401 without invoking it) and, joined, the key its result is cached under.
import type { RequestContext } from '../../dataplane/context.js';
import { contextVariables } from '../../dataplane/context-variables.js';
import { AuthConfigurationError } from './errors.js';

/**
 * - `TOKEN`: a REST TOKEN (or Cognito user pool) authorizer: one `method.request.header.X`.
 * - `REQUEST`: a REST REQUEST authorizer: comma-separated `method.request.header.X`,
 *   `method.request.querystring.Y`, `stageVariables.Z`, `context.W` (and the `multivalue…` forms).
 * - `HTTP`: an HTTP API authorizer: `$request.header.x`, `$request.querystring.y`,
 *   `$context.x`, `$stageVariables.x`.
 */
export type IdentitySourceKind = 'TOKEN' | 'REQUEST' | 'HTTP';

export interface IdentityValues {
  /** In the order the sources are listed; for TOKEN, the token alone. */
  values: string[];
  /** The authorizer cache key: the values, joined so that no two lists give the same key. */
  cacheKey: string;
}

/** Undefined when a source is missing or empty, or a TOKEN fails identityValidationExpression. */
export type IdentityExtractor = (ctx: RequestContext) => IdentityValues | undefined;

export interface IdentitySourceOptions {
  /**
   * REST TOKEN authorizers: a regular expression the whole token must match. AWS documents it
   * for TOKEN authorizers only (Cognito authorizers apply it to `aud`, see cognito.ts); other
   * kinds ignore it.
   */
  identityValidationExpression?: string;
}

type Accessor = (ctx: RequestContext) => string | undefined;

export function compileIdentitySources(
  sources: string | readonly string[] | undefined,
  kind: IdentitySourceKind,
  options: IdentitySourceOptions = {},
): IdentityExtractor {
  const list = splitSources(sources);
  if (kind === 'TOKEN') return compileToken(list, options.identityValidationExpression);
  const accessors = list.map((source) => (kind === 'REQUEST' ? restAccessor(source) : httpAccessor(source)));
  if (accessors.length === 0) return () => ({ values: [], cacheKey: '' });
  return (ctx) => {
    const values: string[] = [];
    for (const accessor of accessors) {
      const value = accessor(ctx);
      if (value === undefined || value === '') return undefined;
      values.push(value);
    }
    return { values, cacheKey: cacheKeyOf(values) };
  };
}

function splitSources(sources: string | readonly string[] | undefined): string[] {
  if (sources === undefined) return [];
  const parts = typeof sources === 'string' ? sources.split(',') : sources.flatMap((s) => s.split(','));
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

function compileToken(list: string[], expression: string | undefined): IdentityExtractor {
  const [source, ...rest] = list;
  if (source === undefined || rest.length > 0) {
    throw new AuthConfigurationError(
      `A TOKEN authorizer takes exactly one identity source, method.request.header.<name>; got ${JSON.stringify(list.join(', '))}`,
    );
  }
  const name = prefixed(source, 'method.request.header.');
  if (name === undefined) {
    throw new AuthConfigurationError(
      `A TOKEN authorizer's identity source must be method.request.header.<name>; got ${JSON.stringify(source)}`,
    );
  }
  const header = headerAccessor(name);
  const pattern = expression === undefined || expression === '' ? undefined : fullMatch(expression);
  return (ctx) => {
    const token = header(ctx);
    if (token === undefined || token === '') return undefined;
    if (pattern !== undefined && !pattern.test(token)) return undefined;
    return { values: [token], cacheKey: token };
  };
}

/** AWS evaluates the expression as Java's String.matches does: against the whole token. */
function fullMatch(expression: string): RegExp {
  try {
    return new RegExp(`^(?:${expression})$`);
  } catch (error) {
    throw new AuthConfigurationError(
      `identityValidationExpression ${JSON.stringify(expression)} is not a valid regular expression: ${(error as Error).message}`,
    );
  }
}

function restAccessor(source: string): Accessor {
  const header = prefixed(source, 'method.request.header.');
  if (header !== undefined) return headerAccessor(header);
  const multiHeader = prefixed(source, 'method.request.multivalueheader.');
  if (multiHeader !== undefined) return headerAccessor(multiHeader);
  const query = prefixed(source, 'method.request.querystring.');
  // REST APIs hand a repeated query parameter's last value to method.request.querystring.
  if (query !== undefined) return (ctx) => queryValues(ctx.rawQuery, query).at(-1);
  const multiQuery = prefixed(source, 'method.request.multivaluequerystring.');
  if (multiQuery !== undefined) return queryJoined(multiQuery);
  const stageVariable = prefixed(source, 'stageVariables.');
  if (stageVariable !== undefined) return (ctx) => ctx.stageVariables[stageVariable];
  const context = prefixed(source, 'context.');
  if (context !== undefined) return contextAccessor(context);
  throw new AuthConfigurationError(
    `Unsupported identity source ${JSON.stringify(source)}: expected method.request.header.<name>, ` +
      'method.request.querystring.<name>, stageVariables.<name> or context.<name>',
  );
}

function httpAccessor(source: string): Accessor {
  const header = prefixed(source, '$request.header.');
  if (header !== undefined) return headerAccessor(header);
  // HTTP APIs join a repeated query parameter's values with commas, as in their events.
  const query = prefixed(source, '$request.querystring.');
  if (query !== undefined) return queryJoined(query);
  const stageVariable = prefixed(source, '$stageVariables.');
  if (stageVariable !== undefined) return (ctx) => ctx.stageVariables[stageVariable];
  const context = prefixed(source, '$context.');
  if (context !== undefined) return contextAccessor(context);
  throw new AuthConfigurationError(
    `Unsupported identity source ${JSON.stringify(source)}: expected $request.header.<name>, ` +
      '$request.querystring.<name>, $context.<name> or $stageVariables.<name>',
  );
}

function prefixed(source: string, prefix: string): string | undefined {
  if (!source.startsWith(prefix)) return undefined;
  const name = source.slice(prefix.length);
  if (name === '')
    throw new AuthConfigurationError(`Identity source ${JSON.stringify(source)} names nothing`);
  return name;
}

/** Header names are case-insensitive; Node has already lowercased them. */
function headerAccessor(name: string): Accessor {
  const lower = name.toLowerCase();
  return (ctx) => {
    const value = ctx.req.headers[lower];
    return Array.isArray(value) ? value.join(',') : value;
  };
}

function queryJoined(name: string): Accessor {
  return (ctx) => {
    const values = queryValues(ctx.rawQuery, name);
    return values.length === 0 ? undefined : values.join(',');
  };
}

/** Query string names are case-sensitive. */
function queryValues(rawQuery: string, name: string): string[] {
  return rawQuery === '' ? [] : new URLSearchParams(rawQuery).getAll(name);
}

function contextAccessor(name: string): Accessor {
  switch (name) {
    case 'identity.sourceIp':
      return (ctx) => ctx.sourceIp;
    case 'httpMethod':
      return (ctx) => ctx.method;
    case 'routeKey':
      return (ctx) => ctx.routeKey;
    case 'resourcePath':
      return (ctx) => ctx.resourcePath;
    case 'resourceId':
      return (ctx) => ctx.resourceId;
    case 'stage':
      return (ctx) => ctx.stageName;
    case 'apiId':
      return (ctx) => ctx.apiId;
    case 'requestId':
      return (ctx) => ctx.requestId;
    default: {
      const path = name.split('.');
      return (ctx) => {
        let value: unknown = contextVariables(ctx);
        for (const segment of path) {
          if (typeof value !== 'object' || value === null) return undefined;
          value = (value as Record<string, unknown>)[segment];
        }
        if (typeof value === 'string') return value;
        if (typeof value === 'number' || typeof value === 'boolean') return String(value);
        return undefined;
      };
    }
  }
}

/** Length-prefixed, so `["a,b"]` and `["a", "b"]` never share a key. */
function cacheKeyOf(values: readonly string[]): string {
  let key = '';
  for (const value of values) key += `${value.length}:${value}`;
  return key;
}
