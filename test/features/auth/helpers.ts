// Shared test helpers: what a client would receive for a raised gateway error, and request
// contexts for identity sources.
import type { IncomingHttpHeaders } from 'node:http';
import { expect } from 'vitest';
import { RequestContext } from '../../../src/dataplane/context.js';
import { GatewayError, renderGatewayError } from '../../../src/dataplane/gateway-responses.js';

export interface Answer {
  status: number;
  body: unknown;
  errorType: string | undefined;
}

/** The response a client gets for `error` on a REST API or an HTTP API. */
export function answerFor(error: unknown, protocol: 'REST' | 'HTTP' = 'REST'): Answer {
  expect(error).toBeInstanceOf(GatewayError);
  const rendered = renderGatewayError(protocol, error as GatewayError);
  return {
    status: rendered.status,
    body: JSON.parse(rendered.body) as unknown,
    errorType: rendered.headers['x-amzn-ErrorType'],
  };
}

/** Runs `fn` and returns the response its GatewayError renders to; fails if it does not throw. */
export function answerOf(fn: () => unknown, protocol: 'REST' | 'HTTP' = 'REST'): Answer {
  try {
    fn();
  } catch (error) {
    return answerFor(error, protocol);
  }
  throw new Error('expected a GatewayError');
}

export async function answerOfAsync(
  promise: Promise<unknown>,
  protocol: 'REST' | 'HTTP' = 'REST',
): Promise<Answer> {
  try {
    await promise;
  } catch (error) {
    return answerFor(error, protocol);
  }
  throw new Error('expected a GatewayError');
}

export interface ContextSpec {
  headers?: IncomingHttpHeaders;
  query?: string;
  method?: string;
  stageVariables?: Record<string, string>;
  routeKey?: string;
  sourceIp?: string;
}

export function requestContext(spec: ContextSpec = {}): RequestContext {
  const req = { headers: spec.headers ?? {}, httpVersion: '1.1' };
  const ctx = new RequestContext(
    'req-1',
    req as never,
    {} as never,
    spec.method ?? 'GET',
    '/pets',
    spec.query ?? '',
    'prod',
    1_700_000_000_000,
    spec.sourceIp ?? '203.0.113.7',
  );
  ctx.stageVariables = spec.stageVariables ?? {};
  ctx.routeKey = spec.routeKey ?? 'GET /pets';
  ctx.resourcePath = '/pets';
  ctx.apiId = 'a1b2c3';
  return ctx;
}
