import { createServer } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { deploymentOf, httpApi, httpProxy, mock, restApi, stageOf } from '../helpers/apis.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';
import type { Integration } from '../../src/model/rest-api.js';

let gateway: TestGateway;
let upstream: Upstream;

beforeAll(async () => {
  gateway = await startTestGateway();
  upstream = await startUpstream((req, res, body) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/slow') {
      setTimeout(() => res.end('late'), 2_000).unref();
      return;
    }
    if (url.pathname.startsWith('/status/')) {
      res.writeHead(Number(url.pathname.slice(8)), { 'content-type': 'text/plain', 'x-from': 'upstream' });
      res.end(`status ${url.pathname.slice(8)}`);
      return;
    }
    if (url.pathname === '/stream') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      let sent = 0;
      const timer = setInterval(() => {
        res.write(Buffer.alloc(64 * 1024, sent));
        if (++sent === 16) {
          clearInterval(timer);
          res.end();
        }
      }, 1);
      return;
    }
    res.writeHead(200, {
      'content-type': 'application/json',
      'x-upstream': 'yes',
      'set-cookie': ['a=1', 'b=2'],
    });
    res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, length: body.length }));
  });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

function serveRest(routes: Record<string, Integration>, variables: Record<string, string> = {}) {
  const api = restApi(routes);
  const d = deploymentOf(api);
  gateway.serve([[d, stageOf(d, 'test', variables)]]);
  return (path: string) => gateway.invokeUrl(api.id, 'test', path);
}

interface Echo {
  method: string;
  url: string;
  headers: Record<string, string>;
  length: number;
}

describe('HTTP_PROXY', () => {
  it('passes method, path, query and headers through and adds X-Forwarded-*', async () => {
    const url = serveRest({
      'ANY /items/{proxy+}': httpProxy(`${upstream.origin}/base/{proxy}`, {
        requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
      }),
    });
    const r = await request(url('/items/a/b%20c?x=1&x=2&y=%2B'), {
      method: 'PATCH',
      headers: { 'x-custom': 'Value', connection: 'keep-alive', 'x-forwarded-for': '10.9.9.9' },
      body: '{"a":1}',
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['x-upstream']).toBe('yes');
    expect(r.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(r.headers['x-amzn-requestid']).toBeTruthy();
    const seen = (await r.body.json()) as Echo;
    expect(seen.method).toBe('PATCH');
    expect(seen.url).toBe('/base/a/b%20c?x=1&x=2&y=%2B');
    expect(seen.headers['x-custom']).toBe('Value');
    expect(seen.headers.host).toBe(`127.0.0.1:${upstream.port}`);
    expect(seen.headers['x-forwarded-for']).toBe('10.9.9.9, 127.0.0.1');
    expect(seen.headers['x-forwarded-proto']).toBe('http');
    expect(seen.headers['x-forwarded-port']).toBe(String(gateway.port));
    expect(seen.headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(seen.length).toBe(7);
  });

  it('fills the URI from stage variables and mapped parameters', async () => {
    const url = serveRest(
      {
        'GET /pets/{petId}': httpProxy('http://${stageVariables.host}/${stageVariables.prefix}/{id}', {
          requestParameters: {
            'integration.request.path.id': 'method.request.path.petId',
            'integration.request.querystring.stage': 'stageVariables.prefix',
            'integration.request.header.x-static': "'fixed'",
            'integration.request.header.x-from-query': 'method.request.querystring.q',
            'integration.request.header.x-request-id': 'context.requestId',
          },
        }),
      },
      { host: `127.0.0.1:${upstream.port}`, prefix: 'v2' },
    );
    const r = await request(url('/pets/42?q=a&q=last'));
    const seen = (await r.body.json()) as Echo;
    expect(seen.url).toBe('/v2/42?q=a&q=last&stage=v2');
    expect(seen.headers['x-static']).toBe('fixed');
    expect(seen.headers['x-from-query']).toBe('last');
    expect(seen.headers['x-request-id']).toBe(r.headers['x-amzn-requestid']);
  });

  it('streams a large request body to the endpoint and a large response back', async () => {
    const url = serveRest({
      'POST /upload': httpProxy(`${upstream.origin}/upload`),
      'GET /stream': httpProxy(`${upstream.origin}/stream`),
    });
    const body = Readable.from(
      (function* () {
        for (let i = 0; i < 64; i++) yield Buffer.alloc(64 * 1024, i);
      })(),
    );
    const up = await request(url('/upload'), { method: 'POST', body });
    expect(((await up.body.json()) as Echo).length).toBe(64 * 64 * 1024);
    const down = await request(url('/stream'));
    const received = Buffer.from(await down.body.arrayBuffer());
    expect(received.length).toBe(16 * 64 * 1024);
    expect(received[65 * 1024]).toBe(1);
  });

  it('forwards a body byte for byte, whether it is read first (small) or streamed (large)', async () => {
    const url = serveRest({ 'POST /upload': httpProxy(`${upstream.origin}/upload`) });
    // Bodies up to 64 KiB are read before they are forwarded; the one past it streams.
    for (const size of [1, 1024, 64 * 1024, 64 * 1024 + 1, 300_000]) {
      const body = Buffer.alloc(size);
      for (let i = 0; i < size; i++) body[i] = (i * 7) % 251;
      const before = upstream.seen.length;
      const r = await request(url('/upload'), {
        method: 'POST',
        // A compressed body passes through still compressed: no step here decodes it.
        headers: { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip' },
        body,
      });
      expect(r.statusCode).toBe(200);
      expect(((await r.body.json()) as Echo).length).toBe(size);
      const seen = upstream.seen[before]!;
      expect(seen.headers['content-length']).toBe(String(size));
      expect(seen.headers['content-encoding']).toBe('gzip');
      expect(seen.body.equals(body)).toBe(true);
    }
  });

  it('passes the endpoint status through unchanged', async () => {
    const url = serveRest({
      'GET /s/{code}': httpProxy(`${upstream.origin}/status/{code}`, {
        requestParameters: { 'integration.request.path.code': 'method.request.path.code' },
      }),
    });
    const r = await request(url('/s/418'));
    expect(r.statusCode).toBe(418);
    expect(await r.body.text()).toBe('status 418');
  });

  it('answers 504 Endpoint request timed out after timeoutInMillis', async () => {
    const url = serveRest({ 'GET /slow': httpProxy(`${upstream.origin}/slow`, { timeoutInMillis: 100 }) });
    const r = await request(url('/slow'));
    expect(r.statusCode).toBe(504);
    expect(await r.body.json()).toEqual({ message: 'Endpoint request timed out' });
    expect(r.headers['x-amzn-errortype']).toBe('InternalServerErrorException');
  });

  it('answers an AWS error, never a stack trace, when the endpoint refuses or resets', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const resetter = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => resetter.listen(0, '127.0.0.1', resolve));
    const resetPort = (resetter.address() as { port: number }).port;
    const url = serveRest({
      'GET /refused': httpProxy(`http://127.0.0.1:${closedPort}/x`),
      'GET /reset': httpProxy(`http://127.0.0.1:${resetPort}/x`),
    });
    for (const path of ['/refused', '/reset']) {
      const r = await request(url(path));
      const text = await r.body.text();
      expect(r.statusCode).toBe(504);
      expect(JSON.parse(text)).toEqual({ message: 'Network error communicating with endpoint' });
      expect(text).not.toMatch(/at |Error:|ECONN/);
    }
    resetter.close();
  });

  it('answers 500 for a URI that is not a URL once stage variables are filled, and says why at deploy', async () => {
    const url = serveRest({ 'GET /bad': httpProxy('${stageVariables.missing}/x') });
    const r = await request(url('/bad'));
    expect(r.statusCode).toBe(500);
    expect(await r.body.json()).toEqual({ message: 'Internal server error' });
    expect(gateway.warnings.some((w) => w.includes('GET /bad') && w.includes('not a valid URL'))).toBe(true);
  });
});

describe('HTTP (non-proxy)', () => {
  const http = (uri: string, responses: NonNullable<Integration['integrationResponses']>): Integration => ({
    type: 'HTTP',
    httpMethod: 'GET',
    uri,
    timeoutInMillis: 29_000,
    integrationResponses: responses,
    requestParameters: { 'integration.request.path.code': 'method.request.path.code' },
  });

  it('chooses the integration response by selectionPattern against the endpoint status', async () => {
    const url = serveRest({
      'GET /s/{code}': http(`${upstream.origin}/status/{code}`, {
        '200': { statusCode: '200' },
        '404': { statusCode: '404', selectionPattern: '404' },
        '500': { statusCode: '500', selectionPattern: '5\\d{2}' },
      }),
    });
    const ok = await request(url('/s/201'));
    expect(ok.statusCode).toBe(200);
    expect(await ok.body.text()).toBe('status 201');
    expect(ok.headers['content-type']).toBe('application/json');
    expect(ok.headers['x-from']).toBeUndefined();
    expect((await request(url('/s/404'))).statusCode).toBe(404);
    expect((await request(url('/s/503'))).statusCode).toBe(500);
  });

  it('turns an endpoint 400 into 200 when only a default 200 response exists, as AWS does', async () => {
    const url = serveRest({
      'GET /s/{code}': http(`${upstream.origin}/status/{code}`, { '200': { statusCode: '200' } }),
    });
    const r = await request(url('/s/400'));
    expect(r.statusCode).toBe(200);
    expect(await r.body.text()).toBe('status 400');
  });

  it('answers 500 when no integration response matches and none is the default', async () => {
    const url = serveRest({
      'GET /s/{code}': http(`${upstream.origin}/status/{code}`, {
        '200': { statusCode: '200', selectionPattern: '2\\d{2}' },
      }),
    });
    const r = await request(url('/s/404'));
    expect(r.statusCode).toBe(500);
    expect(await r.body.json()).toEqual({ message: 'Internal server error' });
  });

  it('sends only mapped parameters, not the client headers or query', async () => {
    const url = serveRest({
      'GET /s/{code}': http(`${upstream.origin}/echo`, { '200': { statusCode: '200' } }),
    });
    const r = await request(url('/s/1?secret=1'), { headers: { 'x-client': 'c' } });
    const seen = JSON.parse(await r.body.text()) as Echo;
    expect(seen.url).toBe('/echo');
    expect(seen.headers['x-client']).toBeUndefined();
    expect(seen.headers['user-agent']).toMatch(/^AmazonAPIGateway_/);
  });
});

describe('MOCK', () => {
  it('takes the status from the request template and the body from a static response template', async () => {
    const url = serveRest({ 'GET /teapot': mock(418, '{"short":"stout"}'), 'GET /empty': mock(204) });
    const r = await request(url('/teapot'));
    expect(r.statusCode).toBe(418);
    expect(r.headers['content-type']).toBe('application/json');
    expect(await r.body.json()).toEqual({ short: 'stout' });
    const empty = await request(url('/empty'));
    expect(empty.statusCode).toBe(204);
    expect(await empty.body.text()).toBe('');
  });
});

describe('HTTP API HTTP_PROXY', () => {
  it('substitutes path variables and passes the query string', async () => {
    const api = httpApi({ 'GET /pets/{petId}': `${upstream.origin}/animals/{petId}` });
    const d = deploymentOf(api);
    gateway.serve([[d, stageOf(d, '$default')]]);
    const r = await request(gateway.invokeUrl(api.apiId, '$default', '/pets/7?a=b'));
    expect(r.headers['apigw-requestid']).toBeTruthy();
    expect(((await r.body.json()) as Echo).url).toBe('/animals/7?a=b');
  });

  it('answers 503 Service Unavailable on timeout and 500 on a refused endpoint', async () => {
    const api = httpApi({
      'GET /slow': { integrationUri: `${upstream.origin}/slow`, timeoutInMillis: 100 },
      'GET /refused': 'http://127.0.0.1:1/x',
    });
    const d = deploymentOf(api);
    gateway.serve([[d, stageOf(d, '$default')]]);
    const slow = await request(gateway.invokeUrl(api.apiId, '$default', '/slow'));
    expect(slow.statusCode).toBe(503);
    expect(await slow.body.text()).toBe('{"message":"Service Unavailable"}');
    const refused = await request(gateway.invokeUrl(api.apiId, '$default', '/refused'));
    expect(refused.statusCode).toBe(500);
    expect(await refused.body.text()).toBe('{"message":"Internal Server Error"}');
  });
});

describe('REST error bodies, byte for byte', () => {
  it('writes the 500 and 504 bodies with a space, as AWS does, and 403 without', async () => {
    const url = serveRest({
      'GET /slow': httpProxy(`${upstream.origin}/slow`, { timeoutInMillis: 100 }),
      'GET /broken': httpProxy('${stageVariables.nothing}'),
    });
    const timeout = await request(url('/slow'));
    expect(await timeout.body.text()).toBe('{"message": "Endpoint request timed out"}');
    const broken = await request(url('/broken'));
    const text = await broken.body.text();
    expect(text).toBe('{"message": "Internal server error"}');
    expect(Buffer.byteLength(text)).toBe(36);
    const missing = await request(url('/nowhere'));
    expect(await missing.body.text()).toBe('{"message":"Missing Authentication Token"}');
  });
});
