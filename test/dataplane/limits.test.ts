import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { deploymentOf, httpProxy, restApi, stageOf } from '../helpers/apis.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { startUpstream, type Upstream } from '../helpers/upstream.js';

let gateway: TestGateway;
let upstream: Upstream;
let url: (path: string) => string;

beforeAll(async () => {
  gateway = await startTestGateway();
  upstream = await startUpstream();
  const api = restApi({
    'ANY /{proxy+}': httpProxy(`${upstream.origin}/{proxy}`, {
      requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
    }),
  });
  const d = deploymentOf(api);
  gateway.serve([[d, stageOf(d, 'test')]]);
  url = (path) => gateway.invokeUrl(api.id, 'test', path);
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

/** Sends raw bytes and returns everything the gateway answers until it closes or goes quiet. */
function raw(
  bytes: string | Buffer,
  { end = true, quietMs = 2_000, port = gateway.port } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let timer = setTimeout(() => socket.destroy(), quietMs);
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      clearTimeout(timer);
      timer = setTimeout(() => socket.destroy(), 200);
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.write(bytes);
    if (end) socket.end();
  });
}

describe('limits and bad input', () => {
  it('answers 413 from Content-Length alone, without reading the body', async () => {
    const before = upstream.seen.length;
    const answer = await raw(
      `POST /_aws/execute-api/${url('/').split('/')[5]}/test/big HTTP/1.1\r\nhost: x\r\ncontent-length: ${10 * 1024 * 1024 + 1}\r\n\r\npartial`,
      { end: false },
    );
    expect(answer).toMatch(/^HTTP\/1.1 413 /);
    expect(answer).toContain('"message":"Request Too Long"');
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(upstream.seen.length).toBe(before);
  });

  it('answers 413 for a chunked body that grows past 10 MB while streaming', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 1);
    const body = Readable.from(
      (function* () {
        for (let i = 0; i < 11; i++) yield chunk;
      })(),
    );
    const r = await request(url('/upload'), { method: 'POST', body }).catch((error: unknown) => error);
    // The gateway either answers 413 or cuts the connection; it never forwards 11 MB.
    if (!(r instanceof Error)) {
      expect((r as { statusCode: number }).statusCode).toBe(413);
    }
    expect(upstream.seen.every((s) => s.body.length <= 10 * 1024 * 1024)).toBe(true);
    const after = await request(url('/still-up'));
    expect(after.statusCode).toBe(200);
    await after.body.text();
  });

  it('accepts a body of exactly 10 MB', async () => {
    const r = await request(url('/exact'), { method: 'POST', body: Buffer.alloc(10 * 1024 * 1024, 2) });
    expect(r.statusCode).toBe(200);
    await r.body.text();
    expect(upstream.seen.at(-1)?.body.length).toBe(10 * 1024 * 1024);
  });

  it('answers 400 to malformed percent-encoding', async () => {
    const r = await request(url('/bad%zzpath'));
    expect(r.statusCode).toBe(400);
    expect(await r.body.json()).toEqual({ message: 'Bad Request' });
  });

  it('answers 400 and closes on garbage, without crashing', async () => {
    const answer = await raw('\x00\x01\x02 garbage\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1.1 400 /);
    expect(answer).toMatch(/x-amzn-RequestId: [0-9a-f-]{36}/);
    const answer2 = await raw('GET / HTTP/1.1\r\nbad header line\r\n\r\n');
    expect(answer2).toMatch(/^HTTP\/1.1 400 /);
    const r = await request(url('/alive'));
    expect(r.statusCode).toBe(200);
    await r.body.text();
  });

  it('answers an unknown method as an unknown route, and a method Node refuses with 400', async () => {
    const r = await request(url('/x'), { method: 'PROPFIND' });
    expect(r.statusCode).toBe(403);
    await r.body.text();
    expect(await raw('FROBNICATE / HTTP/1.1\r\nhost: x\r\n\r\n')).toMatch(/^HTTP\/1.1 400 /);
  });

  it('answers 431 to oversized headers', async () => {
    const answer = await raw(`GET / HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1.1 431 /);
  });

  it('drops a client that sends its headers too slowly', async () => {
    const strict = await startTestGateway({
      headersTimeoutMs: 300,
      requestTimeoutMs: 600,
      connectionsCheckingIntervalMs: 100,
    });
    const answer = await raw('GET / HTTP/1.1\r\nhost: x\r\n', {
      end: false,
      quietMs: 8_000,
      port: strict.port,
    });
    expect(answer).toMatch(/^HTTP\/1.1 408 /);
    await strict.close();
  });

  it('drops a client that sends its body too slowly', async () => {
    const strict = await startTestGateway({
      headersTimeoutMs: 300,
      requestTimeoutMs: 600,
      connectionsCheckingIntervalMs: 100,
    });
    const api = restApi({ 'POST /slow-body': httpProxy(`${upstream.origin}/x`) });
    const d = deploymentOf(api);
    strict.serve([[d, stageOf(d, 'test')]]);
    const path = `/_aws/execute-api/${api.id}/test/slow-body`;
    const answer = await raw(`POST ${path} HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\nab`, {
      end: false,
      quietMs: 8_000,
      port: strict.port,
    });
    await strict.close();
    expect(answer).toMatch(/^HTTP\/1.1 408 /);
    const r = await request(url('/alive'));
    expect(r.statusCode).toBe(200);
    await r.body.text();
  });

  it('never leaks a stack trace for an internal failure', async () => {
    const r = await request(url('/%E0%A4%A'));
    const text = await r.body.text();
    expect(text).not.toMatch(/\n\s+at /);
  });
});
