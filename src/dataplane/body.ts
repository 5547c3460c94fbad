// Reading the method request body into memory, for the routes whose steps need it (templates,
// validation, function events). A plain proxy route never calls this and streams instead.
import { GatewayError } from './gateway-responses.js';
import type { RequestContext } from './context.js';
import { MAX_REQUEST_BODY_BYTES } from './integrations/forwarding.js';

/** The request body, read once and kept on the context; REQUEST_TOO_LARGE past 10 MB. */
export function readBody(ctx: RequestContext): Promise<Buffer> {
  ctx.body ??= collect(ctx);
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
