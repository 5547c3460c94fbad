// HTTP (non-proxy): only mapped parameters and the (possibly transformed) body reach the
// endpoint; the endpoint's status selects an integration response, which shapes the answer.
import type { IntegrationResponseSelector } from '../../features/mapping/integration-responses.js';
import type { RequestMapping } from '../../features/mapping/request-mapping.js';
import { forwardedBody, readBody } from '../body.js';
import { buildPath, joinQuery, type Endpoint } from './endpoint.js';
import { traceId, endpointFailure } from './forwarding.js';
import type { Integration } from './http-proxy.js';
import type { CompiledRequestParameters } from './request-parameters.js';
import type { UpstreamPools } from './upstream-pools.js';

export interface HttpSpec {
  apiId: string;
  endpoint: Endpoint;
  httpMethod: string | undefined;
  timeoutMs: number;
  parameters: CompiledRequestParameters;
  requestMapping: RequestMapping | null;
  select: IntegrationResponseSelector;
}

export function httpIntegration(spec: HttpSpec, pools: UpstreamPools): Integration {
  const pool = pools.get(spec.endpoint.origin);
  const fixedMethod = spec.httpMethod && spec.httpMethod !== 'ANY' ? spec.httpMethod : null;
  const { path: pathParams, querystring, header } = spec.parameters;

  return async (ctx) => {
    if (spec.parameters.needsBody) await readBody(ctx);
    const mapped = spec.requestMapping ? await spec.requestMapping(ctx) : undefined;
    const override = mapped?.override;
    const path = buildPath(spec.endpoint, (name) => {
      const overridden = override?.path[name];
      if (overridden !== undefined) return encodeURIComponent(overridden);
      for (const [target, get] of pathParams) if (target === name) return get(ctx);
      return undefined;
    });
    const query = new Map<string, string>();
    for (const [name, get] of querystring) {
      const value = get(ctx);
      if (value !== undefined) query.set(name, value);
    }
    for (const [name, value] of Object.entries(override?.querystring ?? {})) query.set(name, value);
    const headers: Record<string, string> = {
      host: spec.endpoint.host,
      accept: 'application/json',
      'user-agent': `AmazonAPIGateway_${spec.apiId}`,
      'x-amzn-apigateway-api-id': spec.apiId,
      'x-amzn-trace-id': traceId(ctx),
    };
    const contentType = mapped?.contentType ?? ctx.req.headers['content-type'];
    if (contentType) headers['content-type'] = contentType;
    for (const [name, get] of header) {
      const value = get(ctx);
      if (value !== undefined) headers[name.toLowerCase()] = value;
    }
    for (const [name, value] of Object.entries(override?.header ?? {})) headers[name.toLowerCase()] = value;
    let body = mapped ? mapped.body : ctx.body ? await ctx.body : await forwardedBody(ctx);
    if (!mapped && !ctx.body) {
      const length = ctx.req.headers['content-length'];
      if (length) headers['content-length'] = length;
    } else if (Buffer.isBuffer(body) && body.length === 0) {
      body = null;
    }
    const queryString = [...query].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
    // Non-proxy responses are mapped as a whole, so the body is read within the timeout too.
    const upstream = await pool
      .request({
        path: path + joinQuery(spec.endpoint.query, ...queryString),
        method: fixedMethod ?? ctx.method,
        headers,
        body,
        headersTimeout: spec.timeoutMs,
        bodyTimeout: spec.timeoutMs,
      })
      .then(async (response) => ({
        statusCode: response.statusCode,
        headers: response.headers,
        body: Buffer.from(await response.body.arrayBuffer()),
      }))
      .catch(endpointFailure);
    return spec
      .select(String(upstream.statusCode))
      .render(ctx, { body: upstream.body, headers: upstream.headers });
  };
}
