// HTTP API CORS against real HTTP requests: a node:http server on port 0 builds a
// RequestContext per request, lets the API's compiled CORS answer preflights, and decorates a
// sample backend response (or gateway error) the way the method response does.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RequestContext, type MethodResponse } from '../../../src/dataplane/context.js';
import { compileCors, type CompiledCors, type CorsConfiguration } from '../../../src/features/cors/index.js';

const CONFIGS: Record<string, CorsConfiguration> = {
  exact: {
    allowOrigins: ['https://app.example.com', 'HTTPS://Admin.Example.com'],
    allowMethods: ['GET', 'POST'],
    allowHeaders: ['Content-Type', 'X-Custom'],
    exposeHeaders: ['x-request-id', 'date'],
    maxAge: 300,
  },
  any: { allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'] },
  wild: { allowOrigins: ['https://*.example.com', 'http://*'], allowMethods: ['GET'] },
  creds: {
    allowOrigins: ['https://app.example.com'],
    allowCredentials: true,
    allowMethods: ['*'],
    allowHeaders: ['*'],
    exposeHeaders: ['x-request-id'],
    maxAge: -1,
  },
  none: {},
};

/** What the integration answered before CORS: with CORS headers of its own, which must not survive. */
function backendResponse(): MethodResponse {
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/plain',
      'Access-Control-Allow-Origin': 'https://evil.example.org',
      'access-control-allow-methods': 'DELETE',
      'Access-Control-Max-Age': '9999',
      vary: 'Accept-Encoding',
      'x-backend': 'yes',
    },
    body: Buffer.from('hello'),
  };
}

function gatewayErrorResponse(): MethodResponse {
  return {
    statusCode: 403,
    headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': 'ForbiddenException' },
    body: Buffer.from('{"message":"Forbidden"}'),
  };
}

let server: Server;
let base: string;

beforeAll(async () => {
  const compiled = new Map<string, CompiledCors>(
    Object.entries(CONFIGS).map(([name, config]) => [name, compileCors(config)]),
  );
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://gatehouse.test');
    const [, name = '', kind = ''] = url.pathname.split('/');
    const cors = compiled.get(name);
    if (!cors) {
      res.writeHead(500).end(`no CORS configuration ${name}`);
      return;
    }
    const ctx = new RequestContext(
      randomUUID(),
      req,
      res,
      req.method ?? 'GET',
      url.pathname,
      url.search.slice(1),
      'test',
      Date.now(),
      '127.0.0.1',
    );
    // The order a stage runs them in: preflight before routing, decorate on whatever answers.
    const answer = cors.preflight(ctx) ?? (kind === 'error' ? gatewayErrorResponse() : backendResponse());
    const response = cors.decorate(ctx, answer);
    const body = response.body as Buffer | null;
    res.writeHead(response.statusCode, response.headers);
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
});

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function send(method: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await request(`${base}${path}`, { method: method as 'GET', headers });
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { status: response.statusCode, headers: flat, body: await response.body.text() };
}

/** Only the CORS-relevant headers, so each test states all of them exactly. */
function corsHeaders(answer: Answer): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const [name, value] of Object.entries(answer.headers)) {
    if (name.startsWith('access-control-') || name === 'vary') picked[name] = value;
  }
  return picked;
}

const preflightFrom = (origin: string, method = 'POST', extra: Record<string, string> = {}) => ({
  origin,
  'access-control-request-method': method,
  ...extra,
});

describe('preflight', () => {
  it('answers an allowed origin itself with 204, an empty body and the configured headers', async () => {
    const answer = await send('OPTIONS', '/exact/pets', preflightFrom('https://app.example.com'));
    expect(answer.status).toBe(204);
    expect(answer.body).toBe('');
    expect(answer.headers['x-backend']).toBeUndefined();
    expect(corsHeaders(answer)).toEqual({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-methods': 'GET,POST',
      'access-control-allow-headers': 'Content-Type,X-Custom',
      'access-control-max-age': '300',
      vary: 'Origin',
    });
  });

  it('answers a disallowed origin with an empty 204 and no CORS headers at all', async () => {
    const answer = await send('OPTIONS', '/exact/pets', preflightFrom('https://other.example.net'));
    expect(answer.status).toBe(204);
    expect(answer.body).toBe('');
    expect(answer.headers['x-backend']).toBeUndefined();
    expect(corsHeaders(answer)).toEqual({});
  });

  it('matches origins without regard to case and reflects the origin as the browser sent it', async () => {
    const answer = await send('OPTIONS', '/exact/pets', {
      ORIGIN: 'https://ADMIN.example.com',
      'Access-Control-Request-Method': 'GET',
    });
    expect(answer.status).toBe(204);
    expect(answer.headers['access-control-allow-origin']).toBe('https://ADMIN.example.com');
  });

  it('does not treat an origin with a trailing path or slash as the configured origin', async () => {
    const answer = await send('OPTIONS', '/exact/pets', preflightFrom('https://app.example.com/'));
    expect(corsHeaders(answer)).toEqual({});
  });

  it('leaves an OPTIONS request without Access-Control-Request-Method to the route, decorated as an actual request', async () => {
    const answer = await send('OPTIONS', '/exact/pets', { origin: 'https://app.example.com' });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('hello');
    expect(answer.headers['x-backend']).toBe('yes');
    expect(answer.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(answer.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('leaves an OPTIONS request without Origin to the route', async () => {
    const answer = await send('OPTIONS', '/exact/pets', { 'access-control-request-method': 'POST' });
    expect(answer.status).toBe(200);
    expect(answer.headers['x-backend']).toBe('yes');
    expect(corsHeaders(answer)).toEqual({ vary: 'Accept-Encoding' });
  });

  it('with * for origins, methods and headers: sends * for the origin and echoes what the preflight asks for', async () => {
    const answer = await send(
      'OPTIONS',
      '/any/things',
      preflightFrom('https://anyone.example', 'PATCH', {
        'access-control-request-headers': 'x-one,authorization',
      }),
    );
    expect(answer.status).toBe(204);
    expect(corsHeaders(answer)).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'PATCH',
      'access-control-allow-headers': 'x-one,authorization',
    });
  });

  it('with * for headers and no Access-Control-Request-Headers: sends *', async () => {
    const answer = await send('OPTIONS', '/any/things', preflightFrom('https://anyone.example', 'PUT'));
    expect(answer.headers['access-control-allow-headers']).toBe('*');
  });

  it('with credentials: reflects the origin, says Allow-Credentials true, and sends maxAge as configured', async () => {
    const answer = await send(
      'OPTIONS',
      '/creds/session',
      preflightFrom('https://app.example.com', 'DELETE', {
        'access-control-request-headers': 'content-type',
      }),
    );
    expect(answer.status).toBe(204);
    expect(corsHeaders(answer)).toEqual({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'DELETE',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': '-1',
      vary: 'Origin',
    });
  });

  it('without a CORS origin configured: answers the preflight with no CORS headers', async () => {
    const answer = await send('OPTIONS', '/none/x', preflightFrom('https://app.example.com'));
    expect(answer.status).toBe(204);
    expect(corsHeaders(answer)).toEqual({});
  });
});

describe('wildcard origins', () => {
  const allowedBy = async (origin: string) =>
    (await send('OPTIONS', '/wild/x', preflightFrom(origin, 'GET'))).headers['access-control-allow-origin'];

  it('https://*.example.com admits subdomains at any depth', async () => {
    expect(await allowedBy('https://api.example.com')).toBe('https://api.example.com');
    expect(await allowedBy('https://a.b.example.com')).toBe('https://a.b.example.com');
  });

  it('https://*.example.com does not admit the bare domain, another scheme or a look-alike host', async () => {
    expect(await allowedBy('https://example.com')).toBeUndefined();
    expect(await allowedBy('https://api.example.com.evil.org')).toBeUndefined();
    expect(await allowedBy('https://notexample.com')).toBeUndefined();
  });

  it('http://* admits every http origin, ports included, and no https one', async () => {
    expect(await allowedBy('http://localhost:3000')).toBe('http://localhost:3000');
    expect(await allowedBy('http://anything.test')).toBe('http://anything.test');
    expect(await allowedBy('https://anything.test')).toBeUndefined();
  });
});

describe('actual requests', () => {
  it('replaces the backend CORS headers with the configured ones and adds Origin to its Vary', async () => {
    const answer = await send('GET', '/exact/pets', { origin: 'https://app.example.com' });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('hello');
    expect(answer.headers['content-type']).toBe('text/plain');
    expect(corsHeaders(answer)).toEqual({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-expose-headers': 'x-request-id,date',
      vary: 'Accept-Encoding, Origin',
    });
  });

  it('for a disallowed origin: same status and body, no CORS headers, the backend ones dropped too', async () => {
    const answer = await send('GET', '/exact/pets', { origin: 'https://other.example.net' });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('hello');
    expect(corsHeaders(answer)).toEqual({ vary: 'Accept-Encoding' });
  });

  it('without Origin: drops the backend CORS headers and adds none', async () => {
    const answer = await send('GET', '/exact/pets');
    expect(answer.status).toBe(200);
    expect(corsHeaders(answer)).toEqual({ vary: 'Accept-Encoding' });
  });

  it('decorates gateway errors too, keeping their status and body', async () => {
    const answer = await send('POST', '/exact/error', { origin: 'https://app.example.com' });
    expect(answer.status).toBe(403);
    expect(answer.body).toBe('{"message":"Forbidden"}');
    expect(answer.headers['x-amzn-errortype']).toBe('ForbiddenException');
    expect(corsHeaders(answer)).toEqual({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-expose-headers': 'x-request-id,date',
      vary: 'Origin',
    });
  });

  it('with * origins: sends * and leaves Vary as the backend had it', async () => {
    const answer = await send('GET', '/any/things', { origin: 'https://anyone.example' });
    expect(corsHeaders(answer)).toEqual({ 'access-control-allow-origin': '*', vary: 'Accept-Encoding' });
  });

  it('with credentials: sends Allow-Credentials true with the reflected origin', async () => {
    const answer = await send('GET', '/creds/session', { origin: 'https://app.example.com' });
    expect(corsHeaders(answer)).toEqual({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'x-request-id',
      vary: 'Accept-Encoding, Origin',
    });
  });

  it('sends no Allow-Credentials when it is not configured', async () => {
    const answer = await send('GET', '/exact/pets', { origin: 'https://app.example.com' });
    expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
  });
});

describe('compiled CORS as a value', () => {
  const ctxFor = (method: string, headers: Record<string, string>): RequestContext =>
    new RequestContext('id', { headers } as never, {} as never, method, '/', '', 'test', 0, '127.0.0.1');

  it('leaves the response it is given unchanged and returns a new one', () => {
    const cors = compileCors(CONFIGS.exact!);
    const original = backendResponse();
    const before = structuredClone(original.headers);
    const decorated = cors.decorate(ctxFor('GET', { origin: 'https://app.example.com' }), original);
    expect(original.headers).toEqual(before);
    expect(decorated).not.toBe(original);
    expect(decorated.body).toBe(original.body);
  });

  it('returns the response itself when there is nothing to add or drop', () => {
    const cors = compileCors(CONFIGS.exact!);
    const plain: MethodResponse = { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: null };
    expect(cors.decorate(ctxFor('GET', {}), plain)).toBe(plain);
  });

  it('passes its own preflight answer through decorate untouched', () => {
    const cors = compileCors(CONFIGS.exact!);
    const ctx = ctxFor('OPTIONS', {
      origin: 'https://app.example.com',
      'access-control-request-method': 'GET',
    });
    const answer = cors.preflight(ctx);
    expect(answer).toBeDefined();
    expect(cors.decorate(ctx, answer!)).toBe(answer);
    expect(answer!.headers['access-control-allow-methods']).toBe('GET,POST');
  });

  it('keeps a Vary of * as it is', () => {
    const cors = compileCors(CONFIGS.exact!);
    const response: MethodResponse = { statusCode: 200, headers: { Vary: '*' }, body: null };
    const decorated = cors.decorate(ctxFor('GET', { origin: 'https://app.example.com' }), response);
    expect(decorated.headers).toEqual({
      Vary: '*',
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-expose-headers': 'x-request-id,date',
    });
  });

  it('reflects the origin when a stored configuration has both credentials and *', () => {
    const cors = compileCors({ allowOrigins: ['*'], allowCredentials: true });
    const decorated = cors.decorate(ctxFor('GET', { origin: 'https://x.example' }), {
      statusCode: 200,
      headers: {},
      body: null,
    });
    expect(decorated.headers).toEqual({
      'access-control-allow-origin': 'https://x.example',
      'access-control-allow-credentials': 'true',
      vary: 'Origin',
    });
  });
});
