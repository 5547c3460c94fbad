// Reading the method request body into memory, for the routes whose steps need it (templates,
// validation, function events). A plain proxy route never calls this and streams instead.
import { GatewayError } from './gateway-responses.js';
import type { RequestContext } from './context.js';
import { MAX_REQUEST_BODY_BYTES } from './integrations/forwarding.js';
import { decodeRequestBody } from '../features/compression/index.js';

/**
 * The request body, read once and kept on the context, decoded when it came compressed
 * (Content-Encoding), as API Gateway decodes before templates and validation see it.
 * REQUEST_TOO_LARGE past 10 MB, before or after decoding.
 */
export function readBody(ctx: RequestContext): Promise<Buffer> {
  ctx.body ??= collect(ctx).then((raw) => {
    ctx.rawBodyBuffer = raw;
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
