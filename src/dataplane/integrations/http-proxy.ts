// HTTP_PROXY: the method request passes to the endpoint and the endpoint's response passes
// back, both bodies streamed. Path placeholders come from request parameters (REST) or the
// route's path parameters (HTTP APIs); the query string passes through. HTTP APIs may reshape
// both sides with parameter mapping.
import type { Readable } from 'node:stream';
import type {
  CompiledRequestMapping,
  CompiledResponseMapping,
} from '../../features/parameter-mapping/index.js';
import { forwardedBody, readBody } from '../body.js';
import type { MethodResponse, RequestContext } from '../context.js';
import { contextVariables } from '../context-variables.js';
import type { CompiledRequestParameters } from './request-parameters.js';
import { buildPath, joinQuery, type Endpoint } from './endpoint.js';
import { forwardedHeaders, responseHeaders, endpointFailure } from './forwarding.js';
import type { UpstreamPools } from './upstream-pools.js';

export interface HttpProxySpec {
  endpoint: Endpoint;
  /** The endpoint's method; undefined or ANY forwards the client's method. */
  httpMethod: string | undefined;
  timeoutMs: number;
  parameters: CompiledRequestParameters;
  /** Append the request path to the endpoint's path (HTTP API `$default` route). */
  appendPath: boolean;
  /** HTTP API parameter mapping; null when the integration has none. */
  requestMapping?: CompiledRequestMapping | null;
  responseMapping?: CompiledResponseMapping | null;
}

export type Integration = (ctx: RequestContext) => Promise<MethodResponse>;

export function httpProxyIntegration(spec: HttpProxySpec, pools: UpstreamPools): Integration {
  const pool = pools.get(spec.endpoint.origin);
  const fixedMethod = spec.httpMethod && spec.httpMethod !== 'ANY' ? spec.httpMethod : null;
  const { path: pathParams, querystring, header } = spec.parameters;
  const requestMapping = spec.requestMapping ?? null;
  const responseMapping = spec.responseMapping ?? null;

  return async (ctx) => {
    if (spec.parameters.needsBody) await readBody(ctx);
    let path = buildPath(
      spec.endpoint,
      (name) => mapped(pathParams, name, ctx) ?? ctx.rawPathParameters[name],
    );
    if (spec.appendPath) path = path.replace(/\/$/, '') + ctx.path;
    let query = ctx.rawQuery;
    for (const [name, get] of querystring) {
      const value = get(ctx);
      if (value !== undefined)
        query = joinQuery(query, `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).slice(1);
    }
    const headers = forwardedHeaders(ctx, spec.endpoint.host);
    for (const [name, get] of header) {
      const value = get(ctx);
      if (value !== undefined) headers[name.toLowerCase()] = value;
    }
    const context = requestMapping || responseMapping ? contextVariables(ctx) : undefined;
    if (requestMapping) {
      const body = requestMapping.needsBody ? await readBody(ctx) : undefined;
      const result = requestMapping.apply(
        {
          method: ctx.method,
          path: ctx.path,
          pathParameters: ctx.pathParameters,
          headers: ctx.req.headersDistinct,
          rawQuery: query,
          body,
          context: context!,
          stageVariables: { ...ctx.stageVariables },
        },
        headers,
      );
      query = result.rawQuery;
      if (result.path !== undefined) path = result.path;
    }
    // A step that needed the body (validation, mapping) has buffered and decoded it; otherwise
    // it goes as it came.
    let body: Buffer | Readable | null;
    if (ctx.body) {
      body = await ctx.body;
      delete headers['content-encoding'];
      delete headers['content-length'];
    } else {
      body = await forwardedBody(ctx);
    }
    const response = await pool
      .request({
        path: path + joinQuery(spec.endpoint.query, query),
        method: fixedMethod ?? ctx.method,
        headers,
        body,
        headersTimeout: spec.timeoutMs,
      })
      .catch(endpointFailure);
    let statusCode = response.statusCode;
    let outHeaders = responseHeaders(response.headers);
    let outBody: Buffer | Readable = response.body;
    if (responseMapping) {
      let buffered: Buffer | undefined;
      if (responseMapping.needsBody(statusCode))
        outBody = buffered = Buffer.from(await response.body.arrayBuffer());
      ({ statusCode, headers: outHeaders } = responseMapping.apply({
        statusCode,
        headers: outHeaders,
        body: buffered,
        context: context!,
        stageVariables: { ...ctx.stageVariables },
      }));
      if (buffered) delete outHeaders['transfer-encoding'];
    }
    return { statusCode, headers: outHeaders, body: outBody };
  };
}

function mapped(
  params: [string, (ctx: RequestContext) => string | undefined][],
  name: string,
  ctx: RequestContext,
) {
  for (const [target, get] of params) if (target === name) return get(ctx);
  return undefined;
}
