import type { IncomingMessage } from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import zlib from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { RequestContext, type MethodResponse } from '../../../src/dataplane/context.js';
import { GatewayError } from '../../../src/dataplane/gateway-responses.js';
import {
  chooseCoding,
  compileCompression,
  MAX_COMPRESSION_SIZE,
  type ResponseCoding,
} from '../../../src/features/compression/index.js';
import { startStepServer, type StepServer } from './server.js';

let server: StepServer;

beforeAll(async () => {
  server = await startStepServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.step = null;
});

/** Repetitive JSON, so every coding shrinks it. */
function payload(size: number): Buffer {
  const unit = '{"id":1,"type":"dog","price":249.99},';
  return Buffer.from(unit.repeat(Math.ceil(size / unit.length)).slice(0, size));
}

function decode(coding: string, body: Buffer): Buffer {
  switch (coding) {
    case 'gzip':
      return zlib.gunzipSync(body);
    case 'deflate':
      return zlib.inflateSync(body);
    case 'br':
      return zlib.brotliDecompressSync(body);
    default:
      throw new Error(`unexpected coding ${coding}`);
  }
}

function bufferResponse(
  body: Buffer,
  headers: Record<string, string> = {},
  statusCode = 200,
): MethodResponse {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body };
}

async function get(acceptEncoding: string | undefined, method = 'GET') {
  const headers: Record<string, string> = {};
  if (acceptEncoding !== undefined) headers['accept-encoding'] = acceptEncoding;
  const res = await request(`${server.url}/pets`, { method: method as 'GET', headers });
  const body = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, headers: res.headers, body };
}

describe('compileCompression', () => {
  it('is off (no step at all) when minimumCompressionSize is absent', () => {
    expect(compileCompression(undefined)).toBeNull();
  });

  it('accepts the AWS range 0..10485760 and rejects anything else with the AWS message', () => {
    expect(compileCompression(0)).toBeTypeOf('function');
    expect(compileCompression(MAX_COMPRESSION_SIZE)).toBeTypeOf('function');
    for (const bad of [-1, MAX_COMPRESSION_SIZE + 1, 1.5, Number.NaN]) {
      expect(() => compileCompression(bad)).toThrow(
        'Invalid minimum compression size, must be between 0 and 10485760',
      );
    }
  });
});

describe('chooseCoding reads Accept-Encoding as API Gateway does', () => {
  const cases: [string | undefined, ResponseCoding | null][] = [
    [undefined, null],
    ['', null],
    ['*', null],
    ['identity', null],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['deflate', 'deflate'],
    ['br', 'br'],
    ['GZIP', 'gzip'],
    ['deflate,gzip', 'gzip'],
    ['gzip, deflate, br', 'gzip'],
    ['deflate;q=0.5,gzip;q=1.0', 'gzip'],
    ['gzip;q=0.2, deflate;q=0.8', 'deflate'],
    ['br;q=1, gzip;q=0.9', 'br'],
    ['gzip;q=1.0,identity;q=0.5,*;q=0', 'gzip'],
    ['gzip;q=0', null],
    ['gzip;q=0, deflate;q=0.1', 'deflate'],
    // The highest-ranked coding is unsupported: API Gateway leaves the payload alone.
    ['zstd, gzip;q=0.5', null],
    ['compress;q=1, br;q=0.3', null],
    // Unless the client refuses the unencoded payload outright.
    ['zstd, gzip;q=0.5, identity;q=0', 'gzip'],
    ['zstd, br;q=0.4, *;q=0', 'br'],
    ['identity;q=0', null],
    ['gzip; q=0.7 , br ; q=0.9', 'br'],
  ];
  it.each(cases)('%j → %j', (header, expected) => {
    expect(chooseCoding(header)).toBe(expected);
  });
});

describe('response compression over HTTP', () => {
  const original = payload(4000);

  it.each(['gzip', 'deflate', 'br'] as const)(
    'compresses with %s and fixes Content-Length',
    async (coding) => {
      server.step = compileCompression(0);
      server.respond = () => bufferResponse(original, { 'content-length': String(original.length) });
      const res = await get(coding);
      expect(res.status).toBe(200);
      expect(res.headers['content-encoding']).toBe(coding);
      expect(res.headers.vary).toBe('Accept-Encoding');
      expect(res.headers['content-type']).toBe('application/json');
      expect(Number(res.headers['content-length'])).toBe(res.body.length);
      expect(res.body.length).toBeLessThan(original.length / 4);
      expect(decode(coding, res.body).equals(original)).toBe(true);
    },
  );

  it.each(['gzip', 'deflate', 'br'] as const)(
    'compresses large bodies with %s off the event loop',
    async (coding) => {
      const large = payload(600_000);
      server.step = compileCompression(1000);
      server.respond = () => bufferResponse(large);
      const res = await get(coding);
      expect(res.headers['content-encoding']).toBe(coding);
      expect(Number(res.headers['content-length'])).toBe(res.body.length);
      expect(decode(coding, res.body).equals(large)).toBe(true);
    },
  );

  it.each([
    ['deflate;q=0.5,gzip;q=1.0', 'gzip'],
    ['gzip;q=0.2, deflate;q=0.8', 'deflate'],
    ['br;q=1, gzip;q=0.9', 'br'],
    ['gzip, deflate, br', 'gzip'],
    ['zstd, gzip;q=0.5, identity;q=0', 'gzip'],
  ])('honours q-values: %s → %s', async (header, coding) => {
    server.step = compileCompression(0);
    server.respond = () => bufferResponse(original);
    const res = await get(header);
    expect(res.headers['content-encoding']).toBe(coding);
    expect(decode(coding, res.body).equals(original)).toBe(true);
  });

  it.each([undefined, '', '*', 'identity', 'gzip;q=0', 'zstd, gzip;q=0.5'])(
    'leaves the payload alone for Accept-Encoding %j, but says it varies',
    async (header) => {
      server.step = compileCompression(0);
      server.respond = () => bufferResponse(original);
      const res = await get(header);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers.vary).toBe('Accept-Encoding');
      expect(res.body.equals(original)).toBe(true);
    },
  );

  it('with a minimum of 0 compresses even a one-byte body', async () => {
    server.step = compileCompression(0);
    server.respond = () => bufferResponse(Buffer.from('x'));
    const res = await get('gzip');
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(res.body).toString()).toBe('x');
  });

  it('never encodes an empty body', async () => {
    server.step = compileCompression(0);
    server.respond = () => bufferResponse(Buffer.alloc(0));
    const res = await get('gzip');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['content-length']).toBe('0');
    expect(res.body.length).toBe(0);
  });

  it.each([
    [1023, false],
    [1024, true],
    [1025, true],
  ])('with a minimum of 1024 a %i-byte body is compressed: %s', async (size, compressed) => {
    const body = payload(size);
    server.step = compileCompression(1024);
    server.respond = () => bufferResponse(body);
    const res = await get('gzip');
    if (compressed) {
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers.vary).toBe('Accept-Encoding');
      expect(zlib.gunzipSync(res.body).equals(body)).toBe(true);
    } else {
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers.vary).toBeUndefined();
      expect(res.headers['content-length']).toBe('1023');
      expect(res.body.equals(body)).toBe(true);
    }
  });

  it('the largest minimum still compresses a body of exactly that size', async () => {
    const body = payload(MAX_COMPRESSION_SIZE);
    server.step = compileCompression(MAX_COMPRESSION_SIZE);
    server.respond = () => bufferResponse(body);
    const res = await get('gzip');
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(res.body).equals(body)).toBe(true);
  });

  it('passes an already-encoded integration response through untouched', async () => {
    const encoded = zlib.gzipSync(original);
    server.step = compileCompression(0);
    server.respond = () => bufferResponse(encoded, { 'Content-Encoding': 'gzip' });
    const res = await get('br');
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers.vary).toBeUndefined();
    expect(res.body.equals(encoded)).toBe(true);
  });

  it('treats any Content-Encoding, even identity, as already encoded (API Gateway skips it)', async () => {
    server.step = compileCompression(0);
    server.respond = () => bufferResponse(original, { 'content-encoding': 'identity' });
    const res = await get('gzip');
    expect(res.headers['content-encoding']).toBe('identity');
    expect(res.body.equals(original)).toBe(true);
  });

  it('respects Cache-Control: no-transform', async () => {
    server.step = compileCompression(0);
    server.respond = () => bufferResponse(original, { 'cache-control': 'public, no-transform' });
    const res = await get('gzip');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.equals(original)).toBe(true);
  });

  it.each([204, 304])('does not touch a %i response', async (status) => {
    server.step = compileCompression(0);
    server.respond = () => ({ statusCode: status, headers: { etag: '"abc"' }, body: null });
    const res = await get('gzip');
    expect(res.status).toBe(status);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary).toBeUndefined();
  });

  it('does not touch a 204 even when the integration handed it a body buffer', async () => {
    const step = compileCompression(0)!;
    const response = bufferResponse(original, {}, 204);
    expect(await step(fakeContext('GET', 'gzip'), response)).toBe(response);
  });

  it('does not touch the answer to HEAD', async () => {
    server.step = compileCompression(0);
    server.respond = () => bufferResponse(original);
    const res = await get('gzip', 'HEAD');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['content-length']).toBe(String(original.length));
  });

  it('adds Accept-Encoding to an existing Vary once, whatever its case', async () => {
    server.step = compileCompression(0);
    server.respond = () => bufferResponse(original, { Vary: 'Origin' });
    let res = await get('gzip');
    expect(res.headers.vary).toBe('Origin, Accept-Encoding');
    server.respond = () => bufferResponse(original, { Vary: 'origin, accept-encoding' });
    res = await get('gzip');
    expect(res.headers.vary).toBe('origin, accept-encoding');
    server.respond = () => bufferResponse(original, { vary: '*' });
    res = await get('gzip');
    expect(res.headers.vary).toBe('*');
  });

  it('weakens a strong ETag on an encoded body and keeps a weak one', async () => {
    server.step = compileCompression(0);
    server.respond = () => bufferResponse(original, { ETag: '"v1"' });
    let res = await get('gzip');
    expect(res.headers.etag).toBe('W/"v1"');
    server.respond = () => bufferResponse(original, { etag: 'W/"v2"' });
    res = await get('gzip');
    expect(res.headers.etag).toBe('W/"v2"');
  });

  it('leaves the integration response object as it was (it may be cached)', async () => {
    const step = compileCompression(0)!;
    const headers = { 'content-type': 'application/json', 'content-length': String(original.length) };
    const response: MethodResponse = { statusCode: 200, headers, body: original };
    const out = await step(fakeContext('GET', 'gzip'), response);
    expect(out).not.toBe(response);
    expect(response.headers).toEqual({ 'content-type': 'application/json', 'content-length': '4000' });
    expect(response.body).toBe(original);
    expect(out.headers['content-encoding']).toBe('gzip');
  });
});

describe('streamed bodies', () => {
  const chunk = payload(16 * 1024);

  function chunks(count: number): Readable {
    return Readable.from(Array.from({ length: count }, () => chunk));
  }

  it.each(['gzip', 'deflate', 'br'] as const)(
    'compresses a stream of known length above the minimum with %s, chunked',
    async (coding) => {
      server.step = compileCompression(1000);
      server.respond = () => ({
        statusCode: 200,
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(chunk.length * 8) },
        body: chunks(8),
      });
      const res = await get(coding);
      expect(res.headers['content-encoding']).toBe(coding);
      expect(res.headers['content-length']).toBeUndefined();
      expect(res.headers['transfer-encoding']).toBe('chunked');
      expect(decode(coding, res.body).equals(Buffer.concat(Array(8).fill(chunk) as Buffer[]))).toBe(true);
    },
  );

  it('leaves a stream whose Content-Length is below the minimum alone', async () => {
    server.step = compileCompression(1_000_000);
    server.respond = () => ({
      statusCode: 200,
      headers: { 'content-length': String(chunk.length * 2) },
      body: chunks(2),
    });
    const res = await get('gzip');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['content-length']).toBe(String(chunk.length * 2));
    expect(res.body.length).toBe(chunk.length * 2);
  });

  it('compresses a stream of unknown length when the minimum is 0', async () => {
    server.step = compileCompression(0);
    server.respond = () => ({ statusCode: 200, headers: {}, body: chunks(3) });
    const res = await get('gzip');
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(res.body).length).toBe(chunk.length * 3);
  });

  it('decides on a stream of unknown length once the minimum has arrived, not at its end', async () => {
    server.step = compileCompression(20_000);
    const source = new PassThrough();
    server.respond = () => ({ statusCode: 200, headers: {}, body: source });
    source.write(chunk);
    source.write(chunk);
    // Headers arrive while the stream is still open: only the first 20 000 bytes were awaited.
    const res = await request(`${server.url}/pets`, { headers: { 'accept-encoding': 'br' } });
    expect(res.headers['content-encoding']).toBe('br');
    for (let i = 0; i < 8; i++) source.write(chunk);
    source.end();
    const decoded = zlib.brotliDecompressSync(Buffer.from(await res.body.arrayBuffer()));
    expect(decoded.equals(Buffer.concat(Array(10).fill(chunk) as Buffer[]))).toBe(true);
  });

  it('sends a stream that ends below the minimum uncompressed, with its length', async () => {
    server.step = compileCompression(100_000);
    server.respond = () => ({ statusCode: 200, headers: {}, body: chunks(2) });
    const res = await get('gzip');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['content-length']).toBe(String(chunk.length * 2));
    expect(res.body.length).toBe(chunk.length * 2);
  });

  it('compresses a stream whose total is exactly the minimum', async () => {
    server.step = compileCompression(chunk.length * 2);
    server.respond = () => ({ statusCode: 200, headers: {}, body: chunks(2) });
    const res = await get('deflate');
    expect(res.headers['content-encoding']).toBe('deflate');
    expect(zlib.inflateSync(res.body).equals(Buffer.concat([chunk, chunk]))).toBe(true);
  });

  it('sends a stream one byte short of the minimum uncompressed', async () => {
    server.step = compileCompression(chunk.length * 2 + 1);
    server.respond = () => ({ statusCode: 200, headers: {}, body: chunks(2) });
    const res = await get('deflate');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['content-length']).toBe(String(chunk.length * 2));
  });

  it('does not wait for the minimum when the client accepts no coding', async () => {
    server.step = compileCompression(1_000_000);
    const source = new PassThrough();
    server.respond = () => ({ statusCode: 200, headers: {}, body: source });
    source.write('first');
    const res = await request(`${server.url}/pets`, { headers: { 'accept-encoding': 'identity' } });
    expect(res.headers.vary).toBe('Accept-Encoding');
    source.end('-last');
    expect(await res.body.text()).toBe('first-last');
  });

  it('flushes each chunk of a compressed stream as it arrives', async () => {
    server.step = compileCompression(0);
    const source = new PassThrough();
    server.respond = () => ({
      statusCode: 200,
      headers: { 'content-type': 'text/event-stream' },
      body: source,
    });
    source.write('data: one\n\n');
    const res = await request(`${server.url}/events`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers['content-encoding']).toBe('gzip');
    const gunzip = zlib.createGunzip();
    const seen: string[] = [];
    gunzip.on('data', (data: Buffer) => seen.push(data.toString()));
    const iterator = res.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    gunzip.write(first.value as Buffer);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The first event is readable while the upstream stream is still open.
    expect(seen.join('')).toBe('data: one\n\n');
    source.end('data: two\n\n');
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      gunzip.write(next.value as Buffer);
    gunzip.end();
    await new Promise((resolve) => gunzip.once('end', resolve));
    expect(seen.join('')).toBe('data: one\n\ndata: two\n\n');
  });

  it('answers INTEGRATION_FAILURE when the stream breaks before the minimum is reached', async () => {
    const step = compileCompression(1_000_000)!;
    const source = new Readable({
      read() {
        this.destroy(new Error('upstream reset'));
      },
    });
    const response: MethodResponse = { statusCode: 200, headers: {}, body: source };
    const error = await Promise.resolve(step(fakeContext('GET', 'gzip'), response)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).responseType).toBe('INTEGRATION_FAILURE');
  });

  it('drops the connection when the stream breaks after compression started', async () => {
    server.step = compileCompression(0);
    const source = new PassThrough();
    server.respond = () => ({ statusCode: 200, headers: {}, body: source });
    source.write(chunk);
    const res = await request(`${server.url}/pets`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers['content-encoding']).toBe('gzip');
    setTimeout(() => source.destroy(new Error('upstream reset')), 10);
    await expect(res.body.arrayBuffer()).rejects.toThrow();
  });
});

function fakeContext(method: string, acceptEncoding: string): RequestContext {
  const req = { headers: { 'accept-encoding': acceptEncoding } } as unknown as IncomingMessage;
  return new RequestContext('r', req, undefined as never, method, '/', '', 'test', 0, '127.0.0.1');
}
