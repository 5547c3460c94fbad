// Payload compression for REST APIs (`minimumCompressionSize`): method responses are encoded
// with the best coding the client asked for, and compressed request bodies are decoded before
// the integration sees them, as API Gateway does.
import { Readable, pipeline } from 'node:stream';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { MethodResponse, RequestContext } from '../../dataplane/context.js';
import type { ResponseStep } from '../../dataplane/compiled-stage.js';
import { GatewayError } from '../../dataplane/gateway-responses.js';

/** The range API Gateway accepts for `minimumCompressionSize` (10 MiB at most). */
export const MIN_COMPRESSION_SIZE = 0;
export const MAX_COMPRESSION_SIZE = 10_485_760;

export type ResponseCoding = 'gzip' | 'br' | 'deflate';

// A gateway compresses on the request path of every response, so speed beats ratio. Measured
// on JSON and text payloads of 150-190 KB: gzip level 3 (the last of zlib's greedy
// "deflate_fast" levels) runs 1.5-1.7x faster than zlib's default 6 for 1-2 points more
// output; brotli quality 4 is within half a point of gzip 6 on size (better on JSON) at about
// gzip 4's speed, where brotli's default 11 is two orders of magnitude slower.
const ZLIB_LEVEL = 3;
const BROTLI_QUALITY = 4;

// Buffers below this are compressed inline: a trip to the libuv thread pool costs more than
// compressing a few kilobytes, while larger bodies must not stall the event loop.
const INLINE_COMPRESSION_BYTES = 32 * 1024;

// On equal preference the client gets gzip, which is what API Gateway itself answers to
// "gzip, deflate, br"; brotli only when the client prefers it; deflate last, because
// clients disagree about raw versus zlib-wrapped deflate.
const PREFERENCE: readonly ResponseCoding[] = ['gzip', 'br', 'deflate'];

const gzipAsync = promisify(zlib.gzip);
const deflateAsync = promisify(zlib.deflate);
const brotliAsync = promisify(zlib.brotliCompress);

/**
 * The response step for an API's `minimumCompressionSize`, or null when compression is off
 * (the setting is absent), so a route without it carries no step at all.
 */
export function compileCompression(minimumCompressionSize: number | undefined): ResponseStep | null {
  if (minimumCompressionSize === undefined) return null;
  if (
    !Number.isInteger(minimumCompressionSize) ||
    minimumCompressionSize < MIN_COMPRESSION_SIZE ||
    minimumCompressionSize > MAX_COMPRESSION_SIZE
  ) {
    throw new RangeError(
      `Invalid minimum compression size, must be between ${MIN_COMPRESSION_SIZE} and ${MAX_COMPRESSION_SIZE}`,
    );
  }
  const minimum = minimumCompressionSize;
  return (ctx, response) => compressResponse(ctx, response, minimum);
}

function compressResponse(
  ctx: RequestContext,
  response: MethodResponse,
  minimum: number,
): MethodResponse | Promise<MethodResponse> {
  const { body, statusCode } = response;
  if (
    body === null ||
    ctx.method === 'HEAD' ||
    statusCode < 200 ||
    statusCode === 204 ||
    statusCode === 304
  ) {
    return response;
  }
  const headers = response.headers;
  // An integration that set Content-Encoding has already encoded its payload.
  if (headerValue(headers, 'content-encoding')) return response;
  // RFC 9110 §7.7: a proxy must not transform a payload marked no-transform.
  if (/(?:^|,)\s*no-transform\s*(?:,|$)/i.test(headerValue(headers, 'cache-control') ?? '')) return response;

  const coding = chooseCoding(ctx.req.headers['accept-encoding']);
  if (Buffer.isBuffer(body)) {
    // An empty payload has nothing to compress; encoding it would only add a coding's framing.
    if (body.length < minimum || body.length === 0) return response;
    return coding === null ? varied(response) : encodeBuffer(response, body, coding);
  }
  const declared = declaredLength(headers);
  if (declared !== undefined && (declared < minimum || declared === 0)) return response;
  if (coding === null) return varied(response);
  if (declared !== undefined || minimum === 0) return encodeStream(response, body, coding);
  return peekThenEncode(response, body, minimum, coding);
}

/**
 * A stream of unknown length is read only until `minimum` bytes have arrived, so the threshold
 * is as exact as for a buffered body while memory stays bounded by the threshold itself.
 */
async function peekThenEncode(
  response: MethodResponse,
  body: Readable,
  minimum: number,
  coding: ResponseCoding,
): Promise<MethodResponse> {
  let head: Head;
  try {
    head = await readAtLeast(body, minimum);
  } catch {
    // The integration's body broke before a byte was sent: the client gets a gateway response.
    throw new GatewayError('INTEGRATION_FAILURE');
  }
  // Reading stops as soon as the minimum is reached, so a stream that ended was below it.
  if (head.ended) return { ...response, body: Buffer.concat(head.chunks, head.size) };
  const rejoined = Readable.from(prepend(head.chunks, body), { objectMode: false });
  rejoined.once('close', () => {
    if (!body.destroyed) body.destroy();
  });
  return encodeStream(response, rejoined, coding);
}

async function* prepend(chunks: Buffer[], rest: Readable): AsyncGenerator<Buffer> {
  yield* chunks;
  for await (const chunk of rest) yield asBuffer(chunk);
}

interface Head {
  chunks: Buffer[];
  size: number;
  ended: boolean;
}

function readAtLeast(stream: Readable, wanted: number): Promise<Head> {
  return new Promise<Head>((resolve, reject) => {
    const head: Head = { chunks: [], size: 0, ended: false };
    if (stream.readableEnded) {
      head.ended = true;
      resolve(head);
      return;
    }
    if (stream.destroyed) {
      reject(stream.errored ?? new Error('stream destroyed'));
      return;
    }
    const cleanup = () => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    const onReadable = () => {
      let chunk: unknown;
      while (head.size < wanted && (chunk = stream.read()) !== null) {
        const buffer = asBuffer(chunk);
        head.chunks.push(buffer);
        head.size += buffer.length;
      }
      if (head.size >= wanted) {
        cleanup();
        resolve(head);
      }
    };
    const onEnd = () => {
      cleanup();
      head.ended = true;
      resolve(head);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    stream.on('readable', onReadable);
    stream.once('end', onEnd);
    stream.once('error', onError);
  });
}

function asBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk);
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(String(chunk));
}

function varied(response: MethodResponse): MethodResponse {
  return { ...response, headers: withVary(response.headers) };
}

function declaredLength(headers: MethodResponse['headers']): number | undefined {
  const value = headerValue(headers, 'content-length')?.trim();
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

function encodeBuffer(
  response: MethodResponse,
  body: Buffer,
  coding: ResponseCoding,
): MethodResponse | Promise<MethodResponse> {
  if (body.length < INLINE_COMPRESSION_BYTES) {
    return encodedResponse(response, coding, compressSync(coding, body));
  }
  return compressAsync(coding, body).then((encoded) => encodedResponse(response, coding, encoded));
}

function encodedResponse(response: MethodResponse, coding: ResponseCoding, encoded: Buffer): MethodResponse {
  const headers = encodedHeaders(response.headers, coding);
  headers['content-length'] = String(encoded.length);
  return { ...response, headers, body: encoded };
}

function encodeStream(response: MethodResponse, body: Readable, coding: ResponseCoding): MethodResponse {
  const encoder = createEncoder(coding);
  // Errors travel to the encoder, whose consumer (the listener) then drops the connection.
  pipeline(body, encoder, () => {});
  return { ...response, headers: encodedHeaders(response.headers, coding), body: encoder };
}

function encodedHeaders(
  headers: MethodResponse['headers'],
  coding: ResponseCoding,
): Record<string, string | string[]> {
  const out = withVary(headers);
  for (const name of Object.keys(out)) {
    const lower = name.toLowerCase();
    if (lower === 'content-length' || lower === 'content-encoding') delete out[name];
    // A strong validator names exact bytes; the encoded body is different bytes.
    if (lower === 'etag') {
      const etag = out[name];
      if (typeof etag === 'string' && etag.startsWith('"')) out[name] = `W/${etag}`;
    }
  }
  out['content-encoding'] = coding;
  return out;
}

/** Adds `Accept-Encoding` to Vary: the response now depends on it, for every cache on the way. */
function withVary(headers: MethodResponse['headers']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = { ...headers };
  let key: string | undefined;
  for (const name of Object.keys(out)) if (name.toLowerCase() === 'vary') key = name;
  if (key === undefined) {
    out.vary = 'Accept-Encoding';
    return out;
  }
  const current = out[key]!;
  const joined = Array.isArray(current) ? current.join(', ') : current;
  const names = joined.split(',').map((v) => v.trim().toLowerCase());
  if (!names.includes('*') && !names.includes('accept-encoding')) {
    out[key] = joined.trim() === '' ? 'Accept-Encoding' : `${joined}, Accept-Encoding`;
  }
  return out;
}

function compressSync(coding: ResponseCoding, body: Buffer): Buffer {
  switch (coding) {
    case 'gzip':
      return zlib.gzipSync(body, { level: ZLIB_LEVEL });
    case 'deflate':
      return zlib.deflateSync(body, { level: ZLIB_LEVEL });
    case 'br':
      return zlib.brotliCompressSync(body, brotliOptions(body.length));
  }
}

function compressAsync(coding: ResponseCoding, body: Buffer): Promise<Buffer> {
  switch (coding) {
    case 'gzip':
      return gzipAsync(body, { level: ZLIB_LEVEL });
    case 'deflate':
      return deflateAsync(body, { level: ZLIB_LEVEL });
    case 'br':
      return brotliAsync(body, brotliOptions(body.length));
  }
}

// A streamed body is flushed after every chunk the upstream sends: a gateway must not hold
// back bytes it has already received (server-sent events, long polls, progressive output).
function createEncoder(coding: ResponseCoding): zlib.Gzip | zlib.Deflate | zlib.BrotliCompress {
  switch (coding) {
    case 'gzip':
      return zlib.createGzip({ level: ZLIB_LEVEL, flush: zlib.constants.Z_SYNC_FLUSH });
    case 'deflate':
      return zlib.createDeflate({ level: ZLIB_LEVEL, flush: zlib.constants.Z_SYNC_FLUSH });
    case 'br':
      return zlib.createBrotliCompress({
        ...brotliOptions(0),
        flush: zlib.constants.BROTLI_OPERATION_FLUSH,
      });
  }
}

function brotliOptions(sizeHint: number): zlib.BrotliOptions {
  const params: Record<number, number> = { [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY };
  if (sizeHint > 0) params[zlib.constants.BROTLI_PARAM_SIZE_HINT] = sizeHint;
  return { params };
}

function headerValue(headers: MethodResponse['headers'], lowerName: string): string | undefined {
  for (const name in headers) {
    if (name.toLowerCase() !== lowerName) continue;
    const value = headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }
  return undefined;
}

/**
 * The coding for a response, from the request's Accept-Encoding (RFC 9110 §12.5.3), the way
 * API Gateway reads it: no header or a bare `*` means no compression; the coding the client
 * ranks highest must be one Gatehouse supports, otherwise the payload goes uncompressed; among
 * equally ranked supported codings the gateway's preference decides. One refinement: when the
 * client refuses `identity` (`identity;q=0`, or `*;q=0` without naming identity), the best
 * supported coding it accepts at all is used rather than the unencoded payload it refused.
 */
export function chooseCoding(header: string | undefined): ResponseCoding | null {
  if (header === undefined) return null;
  const ranks = new Map<string, number>();
  let wildcard: number | undefined;
  for (const part of header.split(',')) {
    const [rawName, ...params] = part.split(';');
    const name = rawName!.trim().toLowerCase();
    if (name === '') continue;
    let q = 1;
    for (const param of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(param);
      if (m) q = Math.min(1, Math.max(0, Number(m[1]) || 0));
    }
    const coding = name === 'x-gzip' ? 'gzip' : name;
    if (coding === '*') wildcard = q;
    else ranks.set(coding, Math.max(q, ranks.get(coding) ?? 0));
  }
  let top = 0;
  for (const q of ranks.values()) top = Math.max(top, q);
  if (top > 0) {
    for (const coding of PREFERENCE) if (ranks.get(coding) === top) return coding;
  }
  const identityRefused = ranks.has('identity') ? ranks.get('identity') === 0 : wildcard === 0;
  if (!identityRefused) return null;
  let best: ResponseCoding | null = null;
  let bestQ = 0;
  for (const coding of PREFERENCE) {
    const q = ranks.get(coding) ?? 0;
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  return best;
}

const REQUEST_CODINGS = new Set(['gzip', 'x-gzip', 'deflate', 'br', 'identity']);
// Stacked codings are legal (RFC 9110 §8.4) but only a handful make sense; more is abuse.
const MAX_STACKED_CODINGS = 3;

/**
 * The method request body with its Content-Encoding removed. API Gateway answers 415 when the
 * coding is not supported or the payload is not valid in it; here the decoded size is capped at
 * `maxBytes` by zlib itself, so a small "decompression bomb" never allocates more than that.
 */
export function decodeRequestBody(
  contentEncoding: string | undefined,
  body: Buffer,
  maxBytes: number,
): Buffer {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '');
  for (const coding of codings) {
    if (!REQUEST_CODINGS.has(coding)) throw new GatewayError('UNSUPPORTED_MEDIA_TYPE');
  }
  const layers = codings.filter((c) => c !== 'identity');
  if (layers.length > MAX_STACKED_CODINGS) throw new GatewayError('UNSUPPORTED_MEDIA_TYPE');
  if (body.length > maxBytes && layers.length === 0) throw new GatewayError('REQUEST_TOO_LARGE');
  let decoded = body;
  // Codings are listed in the order they were applied, so they come off in reverse.
  for (let i = layers.length - 1; i >= 0; i--) {
    if (decoded.length === 0) break;
    decoded = decodeLayer(layers[i]!, decoded, maxBytes);
  }
  return decoded;
}

function decodeLayer(coding: string, body: Buffer, maxBytes: number): Buffer {
  // zlib refuses a limit below 1; an empty allowance still rejects any non-empty output.
  const options = { maxOutputLength: Math.max(1, maxBytes) };
  let decoded: Buffer;
  try {
    switch (coding) {
      case 'gzip':
      case 'x-gzip':
        decoded = zlib.gunzipSync(body, options);
        break;
      case 'br':
        decoded = zlib.brotliDecompressSync(body, options);
        break;
      default:
        decoded = inflateEither(body, options);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw new GatewayError('REQUEST_TOO_LARGE');
    throw new GatewayError('UNSUPPORTED_MEDIA_TYPE');
  }
  if (decoded.length > maxBytes) throw new GatewayError('REQUEST_TOO_LARGE');
  return decoded;
}

// HTTP's "deflate" is the zlib format (RFC 1950), but some clients send raw deflate; both are
// accepted, told apart by the zlib header check.
function inflateEither(body: Buffer, options: zlib.ZlibOptions): Buffer {
  try {
    return zlib.inflateSync(body, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'Z_DATA_ERROR') return zlib.inflateRawSync(body, options);
    throw error;
  }
}
