// The method request body: read into memory for the routes whose steps need it (templates,
// validation, function events), or forwarded to an HTTP endpoint as it came.
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { GatewayError } from './gateway-responses.js';
import type { RequestContext } from './context.js';
import { decodeRequestBody } from '../features/compression/index.js';

/** The largest request body API Gateway accepts: 10 MB. */
export const MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Bodies of a declared length up to this size are read before they are forwarded; larger ones
 * and chunked ones stream. Handing the client's request stream to the endpoint's connection
 * keeps each request's objects alive across young-generation collections, which then promote
 * them: reading a small body first cut the CPU time of a proxied 1 KB POST by a quarter
 * (bench/templates.mjs, plain route), and costs at most this much memory per request.
 */
export const BUFFERED_BODY_BYTES = 64 * 1024;

export class RequestTooLargeError extends Error {
  override name = 'RequestTooLargeError';
}

/**
 * The request body, read once and kept on the context, decoded when it came compressed
 * (Content-Encoding), as API Gateway decodes before templates and validation see it.
 * REQUEST_TOO_LARGE past 10 MB, before or after decoding.
 */
export function readBody(ctx: RequestContext): Promise<Buffer> {
  ctx.body ??= readRawBody(ctx).then((raw) => {
    const encoding = ctx.req.headers['content-encoding'];
    const body =
      encoding === undefined || raw.length === 0
        ? raw
        : decodeRequestBody(encoding, raw, MAX_REQUEST_BODY_BYTES);
    ctx.bodyBuffer = body;
    return body;
  });
  return ctx.body;
}

/** The request body as it came on the wire (still encoded), read once and kept on the context. */
function readRawBody(ctx: RequestContext): Promise<Buffer> {
  ctx.rawBody ??= collect(ctx).then((raw) => (ctx.rawBodyBuffer = raw));
  return ctx.rawBody;
}

/**
 * The request body to forward to an HTTP endpoint, as it came, when no step has read it: null
 * when there is none, the bytes when it is small (BUFFERED_BODY_BYTES), otherwise the request
 * itself, size-limited when chunked.
 */
export async function forwardedBody(ctx: RequestContext): Promise<Buffer | Readable | null> {
  const { req } = ctx;
  const length = req.headers['content-length'];
  if (length !== undefined) {
    if (length === '0') return null;
    return Number(length) <= BUFFERED_BODY_BYTES ? readRawBody(ctx) : req;
  }
  if (req.headers['transfer-encoding'] === undefined) return null;
  return req.pipe(new BodyLimit(MAX_REQUEST_BODY_BYTES));
}

function collect(ctx: RequestContext): Promise<Buffer> {
  const { req } = ctx;
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BODY_BYTES) {
        req.removeAllListeners('data');
        req.pause();
        reject(new GatewayError('REQUEST_TOO_LARGE'));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.once('error', () => reject(new GatewayError('DEFAULT_4XX', 'Bad Request')));
  });
}

class BodyLimit extends Transform {
  private seen = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) callback(new RequestTooLargeError('request body exceeds 10 MB'));
    else callback(null, chunk);
  }
}
