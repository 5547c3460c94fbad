// REST integration request parameters: `integration.request.{path|querystring|header}.NAME`
// mapped from method request values, static 'text', stage variables or context variables.
// Each mapping is parsed once at deploy time into a small getter.
import type { RequestContext } from '../context.js';

type Getter = (ctx: RequestContext) => string | undefined;

export interface CompiledRequestParameters {
  path: [string, Getter][];
  querystring: [string, Getter][];
  header: [string, Getter][];
  /** A value reads `method.request.body`: the integration buffers the body before mapping. */
  needsBody: boolean;
}

/** Integration request headers API Gateway refuses to map onto (the connection's own framing). */
const RESTRICTED_HEADERS = new Set([
  'connection',
  'content-length',
  'expect',
  'host',
  'proxy-authenticate',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

export class RequestParameterError extends Error {
  override name = 'RequestParameterError';
}

export function compileRequestParameters(
  mapping: Record<string, string> | undefined,
  stageVariables: Record<string, string>,
  contextValues: Record<string, string>,
): CompiledRequestParameters {
  const compiled: CompiledRequestParameters = { path: [], querystring: [], header: [], needsBody: false };
  for (const [target, source] of Object.entries(mapping ?? {})) {
    const m = /^integration\.request\.(path|querystring|header)\.(.+)$/.exec(target);
    if (!m)
      throw new RequestParameterError(
        `${target}: must be integration.request.{path|querystring|header}.NAME`,
      );
    const location = m[1] as 'path' | 'querystring' | 'header';
    if (location === 'header' && RESTRICTED_HEADERS.has(m[2]!.toLowerCase())) {
      throw new RequestParameterError(`${target}: ${m[2]!} is a restricted header and cannot be mapped`);
    }
    if (source.startsWith('method.request.body')) compiled.needsBody = true;
    const get = compileSource(source, stageVariables, contextValues);
    // Path values are placed into the URI: method request path values are already encoded as
    // they came; every other value is encoded here.
    const encoded: Getter =
      location !== 'path' || source.startsWith('method.request.path.')
        ? get
        : (ctx) => encodeSegment(get(ctx));
    compiled[location].push([m[2]!, encoded]);
  }
  return compiled;
}

function compileSource(
  source: string,
  stageVariables: Record<string, string>,
  contextValues: Record<string, string>,
): Getter {
  if (/^'.*'$/s.test(source)) {
    const value = source.slice(1, -1);
    return () => value;
  }
  let m = /^method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.(.+)$/.exec(
    source,
  );
  if (m) return methodRequestGetter(m[1]!, m[2]!);
  m = /^stageVariables\.(.+)$/.exec(source);
  if (m) {
    const value = stageVariables[m[1]!] ?? '';
    return () => value;
  }
  m = /^context\.(.+)$/.exec(source);
  if (m) return contextGetter(m[1]!, contextValues);
  if (source === 'method.request.body') return (ctx) => ctx.bodyBuffer?.toString('utf8');
  m = /^method\.request\.body\.(.+)$/.exec(source);
  if (m) return bodyPathGetter(m[1]!);
  throw new RequestParameterError(
    `${source}: must be method.request.{path|querystring|header}.NAME, method.request.body[.PATH], 'static value', stageVariables.NAME or context.NAME`,
  );
}

function methodRequestGetter(location: string, name: string): Getter {
  switch (location) {
    case 'path':
      return (ctx) => ctx.rawPathParameters[name] ?? encodeSegment(ctx.pathParameters[name]);
    case 'querystring':
      return (ctx) => lastQueryValue(ctx.rawQuery, name);
    case 'multivaluequerystring':
      return (ctx) => allQueryValues(ctx.rawQuery, name).join(',') || undefined;
    case 'header':
      return (ctx) => headerValue(ctx.req.headers[name.toLowerCase()]);
    default:
      return (ctx) => headerValue(ctx.req.headers[name.toLowerCase()]);
  }
}

function contextGetter(name: string, contextValues: Record<string, string>): Getter {
  switch (name) {
    case 'requestId':
    case 'extendedRequestId':
      return (ctx) => ctx.requestId;
    case 'httpMethod':
      return (ctx) => ctx.method;
    case 'resourcePath':
      return (ctx) => ctx.resourcePath;
    case 'stage':
      return (ctx) => ctx.stageName;
    case 'identity.sourceIp':
      return (ctx) => ctx.sourceIp;
    case 'identity.userAgent':
      return (ctx) => headerValue(ctx.req.headers['user-agent']);
    case 'requestTimeEpoch':
      return (ctx) => String(ctx.requestTimeEpoch);
    default: {
      const value = contextValues[name];
      return () => value;
    }
  }
}

function encodeSegment(value: string | undefined): string | undefined {
  return value === undefined ? undefined : encodeURIComponent(value);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

/** API Gateway keeps the last value of a repeated query parameter. */
export function lastQueryValue(rawQuery: string, name: string): string | undefined {
  const values = allQueryValues(rawQuery, name);
  return values[values.length - 1];
}

function allQueryValues(rawQuery: string, name: string): string[] {
  return rawQuery === '' ? [] : new URLSearchParams(rawQuery).getAll(name);
}

/** `method.request.body.a.b[0]`: a JSONPath into the JSON body, without the leading `$.`. */
function bodyPathGetter(path: string): Getter {
  const keys = path.split(/\.|\[(\d+)\]/).filter((key) => key !== undefined && key !== '');
  return (ctx) => {
    let value = parsedBody(ctx.bodyBuffer);
    for (const key of keys) {
      value =
        value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    }
    if (value === undefined || value === null) return undefined;
    return typeof value === 'string' ? value : JSON.stringify(value);
  };
}

// Several mappings may read the same body: it is parsed once per request.
const parsedBodies = new WeakMap<Buffer, unknown>();

function parsedBody(body: Buffer | undefined): unknown {
  if (!body) return undefined;
  if (parsedBodies.has(body)) return parsedBodies.get(body);
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    value = undefined;
  }
  parsedBodies.set(body, value);
  return value;
}
