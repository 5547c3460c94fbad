// REST integration request parameters: `integration.request.{path|querystring|header}.NAME`
// mapped from method request values, static 'text', stage variables or context variables.
// Each mapping is parsed once at deploy time into a small getter.
import type { RequestContext } from '../context.js';

type Getter = (ctx: RequestContext) => string | undefined;

export interface CompiledRequestParameters {
  path: [string, Getter][];
  querystring: [string, Getter][];
  header: [string, Getter][];
}

export class RequestParameterError extends Error {
  override name = 'RequestParameterError';
}

export function compileRequestParameters(
  mapping: Record<string, string> | undefined,
  stageVariables: Record<string, string>,
  contextValues: Record<string, string>,
): CompiledRequestParameters {
  const compiled: CompiledRequestParameters = { path: [], querystring: [], header: [] };
  for (const [target, source] of Object.entries(mapping ?? {})) {
    const m = /^integration\.request\.(path|querystring|header)\.(.+)$/.exec(target);
    if (!m)
      throw new RequestParameterError(
        `${target}: must be integration.request.{path|querystring|header}.NAME`,
      );
    compiled[m[1] as keyof CompiledRequestParameters].push([
      m[2]!,
      compileSource(source, stageVariables, contextValues),
    ]);
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
  if (source.startsWith('method.request.body')) {
    throw new RequestParameterError(`${source}: body mappings are not supported yet`);
  }
  throw new RequestParameterError(
    `${source}: must be method.request.{path|querystring|header}.NAME, 'static value', stageVariables.NAME or context.NAME`,
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
