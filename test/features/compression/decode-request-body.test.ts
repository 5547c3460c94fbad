import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { GatewayError, type GatewayResponseType } from '../../../src/dataplane/gateway-responses.js';
import { decodeRequestBody } from '../../../src/features/compression/index.js';
import { readAll, startStepServer, type StepServer } from './server.js';

const MAX = 1024 * 1024;
const text = Buffer.from('{"type":"dog","price":249.99}'.repeat(200));

function raised(fn: () => unknown): GatewayResponseType {
  try {
    fn();
  } catch (error) {
    if (error instanceof GatewayError) return error.responseType;
    throw error;
  }
  throw new Error('nothing was raised');
}

describe('decodeRequestBody', () => {
  it.each([undefined, '', 'identity', 'IDENTITY'])(
    'returns the body itself for Content-Encoding %j',
    (coding) => {
      expect(decodeRequestBody(coding, text, MAX)).toBe(text);
    },
  );

  it.each([
    ['gzip', zlib.gzipSync(text)],
    ['x-gzip', zlib.gzipSync(text)],
    ['GZip', zlib.gzipSync(text)],
    ['deflate', zlib.deflateSync(text)],
    ['deflate', zlib.deflateRawSync(text)],
    ['br', zlib.brotliCompressSync(text)],
    [' gzip ', zlib.gzipSync(text)],
    ['gzip, identity', zlib.gzipSync(text)],
  ])('decodes Content-Encoding %j', (coding, encoded) => {
    expect(decodeRequestBody(coding, encoded, MAX).equals(text)).toBe(true);
  });

  it('takes stacked codings off in reverse order of application', () => {
    const encoded = zlib.brotliCompressSync(zlib.gzipSync(text));
    expect(decodeRequestBody('gzip, br', encoded, MAX).equals(text)).toBe(true);
  });

  it('keeps an empty body empty', () => {
    expect(decodeRequestBody('gzip', Buffer.alloc(0), MAX).length).toBe(0);
  });

  it.each(['compress', 'zstd', 'gzip, compress', 'bogus'])(
    'answers UNSUPPORTED_MEDIA_TYPE for the unknown coding %j',
    (coding) => {
      expect(raised(() => decodeRequestBody(coding, zlib.gzipSync(text), MAX))).toBe(
        'UNSUPPORTED_MEDIA_TYPE',
      );
    },
  );

  it.each([
    ['gzip', text],
    ['deflate', Buffer.from('not deflate at all')],
    ['br', Buffer.from([0xff, 0xff, 0xff, 0xff])],
    ['gzip', zlib.gzipSync(text).subarray(0, 40)],
  ])('answers UNSUPPORTED_MEDIA_TYPE when the payload is not valid %s (API Gateway: 415)', (coding, body) => {
    expect(raised(() => decodeRequestBody(coding, body, MAX))).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses more than three stacked codings', () => {
    const encoded = zlib.gzipSync(zlib.gzipSync(zlib.gzipSync(zlib.gzipSync(text))));
    expect(raised(() => decodeRequestBody('gzip, gzip, gzip, gzip', encoded, MAX))).toBe(
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expect(
      decodeRequestBody('gzip, gzip, gzip', zlib.gzipSync(zlib.gzipSync(zlib.gzipSync(text))), MAX),
    ).toEqual(text);
  });

  it('accepts output of exactly maxBytes and refuses one byte more', () => {
    const exact = Buffer.alloc(4096, 'a');
    expect(decodeRequestBody('gzip', zlib.gzipSync(exact), 4096).length).toBe(4096);
    const over = Buffer.alloc(4097, 'a');
    expect(raised(() => decodeRequestBody('gzip', zlib.gzipSync(over), 4096))).toBe('REQUEST_TOO_LARGE');
  });

  it('refuses an unencoded body already past maxBytes', () => {
    expect(raised(() => decodeRequestBody(undefined, Buffer.alloc(11), 10))).toBe('REQUEST_TOO_LARGE');
  });

  describe('decompression bombs', () => {
    // 64 MiB of zeros squeezes into about 64 KB of gzip; decoding must stop at maxBytes.
    const zeros = Buffer.alloc(64 * 1024 * 1024);
    const bombs: [string, Buffer][] = [
      ['gzip', zlib.gzipSync(zeros, { level: 9 })],
      ['deflate', zlib.deflateSync(zeros, { level: 9 })],
      ['br', zlib.brotliCompressSync(zeros)],
    ];

    it.each(bombs)(
      '%s: stops at maxBytes with REQUEST_TOO_LARGE, quickly and without the memory',
      (coding, bomb) => {
        expect(bomb.length).toBeLessThan(100_000);
        const before = process.memoryUsage().arrayBuffers;
        const started = performance.now();
        expect(raised(() => decodeRequestBody(coding, bomb, MAX))).toBe('REQUEST_TOO_LARGE');
        expect(performance.now() - started).toBeLessThan(1000);
        // Far below the 64 MiB the bomb expands to.
        expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
      },
    );

    it('a stacked bomb is stopped at every layer', () => {
      const inner = zlib.gzipSync(zeros, { level: 9 });
      const outer = zlib.gzipSync(inner, { level: 9 });
      expect(raised(() => decodeRequestBody('gzip, gzip', outer, MAX))).toBe('REQUEST_TOO_LARGE');
    });
  });
});

describe('decodeRequestBody over HTTP', () => {
  let server: StepServer;

  beforeAll(async () => {
    server = await startStepServer();
    server.respond = async (req) => {
      const body = decodeRequestBody(req.headers['content-encoding'], await readAll(req), MAX);
      return { statusCode: 200, headers: { 'content-type': 'text/plain' }, body };
    };
  });
  afterAll(async () => {
    await server.close();
  });

  it.each([
    ['gzip', zlib.gzipSync(text)],
    ['deflate', zlib.deflateSync(text)],
    ['br', zlib.brotliCompressSync(text)],
  ])('an integration sees the decoded %s body', async (coding, encoded) => {
    const res = await request(`${server.url}/pets`, {
      method: 'POST',
      headers: { 'content-encoding': coding, 'content-type': 'application/json' },
      body: encoded,
    });
    expect(res.statusCode).toBe(200);
    expect(Buffer.from(await res.body.arrayBuffer()).equals(text)).toBe(true);
  });

  it('an unknown coding gets the 415 gateway response', async () => {
    const res = await request(`${server.url}/pets`, {
      method: 'POST',
      headers: { 'content-encoding': 'compress' },
      body: 'x',
    });
    expect(res.statusCode).toBe(415);
    expect(res.headers['x-amzn-errortype']).toBe('BadRequestException');
    expect(await res.body.text()).toBe('{"message":"Unsupported Media Type"}');
  });

  it('a bomb gets the 413 gateway response', async () => {
    const res = await request(`${server.url}/pets`, {
      method: 'POST',
      headers: { 'content-encoding': 'gzip' },
      body: zlib.gzipSync(Buffer.alloc(8 * MAX)),
    });
    expect(res.statusCode).toBe(413);
    expect(await res.body.text()).toBe('{"message":"Request Too Long"}');
  });
});
