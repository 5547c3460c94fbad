// The pieces of a method request as the proxy events carry them: headers as the client sent
// them, the query string decoded as API Gateway decodes it, path parameters and the path.
import { hostnameOf } from '../../dataplane/domains/domain-table.js';
import type { RequestContext } from '../../dataplane/context.js';

/** Sets an own property even for the name `__proto__`, which a client may use as a key. */
export function put<T>(target: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

export interface HeaderEntry {
  /** The spelling of the first occurrence. */
  name: string;
  values: string[];
}

/** The request's headers by lower-case name, with the client's spelling and every value in order. */
export function requestHeaders(ctx: RequestContext): Map<string, HeaderEntry> {
  const raw = ctx.req.rawHeaders;
  const headers = new Map<string, HeaderEntry>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    const entry = headers.get(lower);
    if (entry) entry.values.push(raw[i + 1]!);
    else headers.set(lower, { name, values: [raw[i + 1]!] });
  }
  return headers;
}

export function lastValue(entry: HeaderEntry | undefined): string | undefined {
  return entry?.values[entry.values.length - 1];
}

/**
 * The headers API Gateway adds on its way to the function, with the client's own X-Forwarded-For
 * chain kept in front of the source address.
 */
export function forwardedHeaders(
  ctx: RequestContext,
  headers: Map<string, HeaderEntry>,
): { for: string; port: string; proto: string; traceId: string | undefined } {
  const chain = headers.get('x-forwarded-for');
  const socket = ctx.req.socket as typeof ctx.req.socket & { encrypted?: boolean };
  return {
    for: chain ? `${chain.values.join(', ')}, ${ctx.sourceIp}` : ctx.sourceIp,
    port: String(socket.localPort ?? ''),
    proto: socket.encrypted ? 'https' : 'http',
    traceId: headers.has('x-amzn-trace-id') ? undefined : traceId(ctx),
  };
}

// X-Ray's format, `Root=1-{epoch seconds in hex}-{96 bits}`; the bits come from the request id
// so the header costs no randomness per request.
function traceId(ctx: RequestContext): string {
  const seconds = Math.floor(ctx.requestTimeEpoch / 1000)
    .toString(16)
    .padStart(8, '0');
  const id = ctx.requestId.replaceAll('-', '').padEnd(24, '0').slice(0, 24);
  return `Root=1-${seconds}-${id}`;
}

/** The raw query string, without anything from a `#` on (a fragment never reaches AWS). */
export function rawQueryOf(ctx: RequestContext): string {
  const hash = ctx.rawQuery.indexOf('#');
  return hash === -1 ? ctx.rawQuery : ctx.rawQuery.slice(0, hash);
}

/**
 * Query parameters decoded the way API Gateway decodes them (`+` is a space, `%2B` a plus),
 * every value kept in order; null when there are none.
 */
export function queryParameters(rawQuery: string): Map<string, string[]> | null {
  if (rawQuery === '') return null;
  let params: Map<string, string[]> | null = null;
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    if (name === '') continue;
    const value = eq === -1 ? '' : decodeComponent(pair.slice(eq + 1));
    params ??= new Map();
    const values = params.get(name);
    if (values) values.push(value);
    else params.set(name, [value]);
  }
  return params;
}

const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;

function decodeComponent(component: string): string {
  const spaced = component.includes('+') ? component.replaceAll('+', ' ') : component;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    // A stray `%` or a broken UTF-8 sequence: decode what can be decoded, keep the rest as sent.
    return spaced.replace(PERCENT_RUN, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

/**
 * Path parameters as the event carries them: a greedy `{name+}` value as it came on the wire
 * (AWS leaves `%2B` and `+` in it untouched), the others decoded. Null when the route has none.
 */
export function pathParametersOf(ctx: RequestContext): Record<string, string> | null {
  let result: Record<string, string> | null = null;
  const greedy = greedyName(ctx.resourcePath);
  for (const name in ctx.pathParameters) {
    result ??= {};
    const value =
      name === greedy
        ? (ctx.rawPathParameters[name] ?? ctx.pathParameters[name]!)
        : ctx.pathParameters[name]!;
    put(result, name, value);
  }
  return result;
}

// A greedy parameter can only be the last segment of a resource path or route key.
function greedyName(resourcePath: string): string | undefined {
  if (!resourcePath.endsWith('+}')) return undefined;
  return resourcePath.slice(resourcePath.lastIndexOf('{') + 1, -2);
}

const PATH_STYLE_PREFIX = '/_aws/execute-api/';

/**
 * The request path with its stage segment, as `requestContext.path`, `rawPath` and an HTTP API's
 * `path` show it: slashes before the stage are collapsed, slashes after it are kept as sent
 * (`/stage//proxy-value`). An HTTP API's `$default` stage has no segment, and neither has a
 * request through a custom domain: there it is the path the client used, base path included.
 */
export function stagePathOf(ctx: RequestContext): string {
  const url = ctx.req.url ?? '/';
  let end = url.length;
  const query = url.indexOf('?');
  if (query !== -1) end = query;
  const hash = url.indexOf('#');
  if (hash !== -1 && hash < end) end = hash;
  let path = collapseLeadingSlashes(url.slice(0, end));
  if (path.startsWith(PATH_STYLE_PREFIX)) {
    const slash = path.indexOf('/', PATH_STYLE_PREFIX.length);
    path = slash === -1 ? '/' : collapseLeadingSlashes(path.slice(slash));
  }
  if (ctx.stageName === '$default' || ctx.basePath !== undefined) return path;
  const stage = `/${ctx.stageName}`;
  if (path === stage || (path.startsWith(stage) && path[stage.length] === '/')) return path;
  // Reached some other way (an encoded stage name).
  return stage + ctx.path;
}

function collapseLeadingSlashes(path: string): string {
  if (path.length < 2 || path[1] !== '/') return path;
  let i = 1;
  while (path[i] === '/') i++;
  return path.slice(i - 1);
}

/**
 * The host the client called, without a port (AWS's names never carry one), as `$context`
 * shows it; and its first label (the API id on execute-api hosts).
 */
export function domainOf(ctx: RequestContext): { domainName: string; domainPrefix: string } {
  const host = hostnameOf(ctx.req.headers.host ?? '');
  const dot = host.indexOf('.');
  return { domainName: host, domainPrefix: dot === -1 ? host : host.slice(0, dot) };
}

export function stageVariablesOf(ctx: RequestContext): Record<string, string> | null {
  return hasKeys(ctx.stageVariables) ? { ...ctx.stageVariables } : null;
}

function hasKeys(record: Readonly<Record<string, string>>): boolean {
  for (const key in record) if (Object.hasOwn(record, key)) return true;
  return false;
}
