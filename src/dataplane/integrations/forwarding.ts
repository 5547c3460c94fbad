// What the gateway adds and removes when it forwards a request to an HTTP endpoint and its
// response back, shared by the proxy and non-proxy HTTP integrations.
import type { IncomingHttpHeaders } from 'node:http';
import { errors } from 'undici';
import { GatewayError } from '../gateway-responses.js';
import type { RequestContext } from '../context.js';
import { RequestTooLargeError } from '../body.js';

/** Connection-scoped headers (RFC 9110 §7.6.1) never cross the gateway. */
export const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** The client's headers minus hop-by-hop ones and Host, plus X-Forwarded-* as AWS adds them. */
export function forwardedHeaders(
  ctx: RequestContext,
  upstreamHost: string,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const incoming: IncomingHttpHeaders = ctx.req.headers;
  for (const name in incoming) {
    if (HOP_BY_HOP.has(name) || name === 'host') continue;
    const value = incoming[name];
    if (value !== undefined) out[name] = value;
  }
  out.host = upstreamHost;
  const forwardedFor = incoming['x-forwarded-for'];
  out['x-forwarded-for'] = forwardedFor ? `${String(forwardedFor)}, ${ctx.sourceIp}` : ctx.sourceIp;
  out['x-forwarded-proto'] = 'encrypted' in ctx.req.socket ? 'https' : 'http';
  out['x-forwarded-port'] = String(ctx.req.socket.localPort ?? '');
  out['x-amzn-trace-id'] = traceId(ctx);
  return out;
}

export function traceId(ctx: RequestContext): string {
  const time = Math.floor(ctx.requestTimeEpoch / 1000).toString(16);
  return `Root=1-${time}-${ctx.requestId.replace(/-/g, '').slice(0, 24)}`;
}

export function responseHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}

/**
 * AWS's outcome for a failed endpoint call. The integration timeout is undici's headers
 * timeout (and body timeout where the body is read whole), so no timer or AbortController
 * is created per request.
 */
export function endpointFailure(error: unknown): never {
  if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError) {
    throw new GatewayError('INTEGRATION_TIMEOUT');
  }
  if (
    error instanceof RequestTooLargeError ||
    (error as { cause?: unknown }).cause instanceof RequestTooLargeError
  ) {
    throw new GatewayError('REQUEST_TOO_LARGE');
  }
  // A request Gatehouse itself built wrong is a bug to log, not the endpoint's failure.
  if (error instanceof errors.InvalidArgumentError) throw error;
  // Refused, reset or unresolvable endpoints.
  throw new GatewayError('INTEGRATION_FAILURE');
}
