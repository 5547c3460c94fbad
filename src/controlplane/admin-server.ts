// The management API's listener: its own port, never the data plane's. Every request must carry
// a valid AWS Signature Version 4 (service `apigateway`, any region) from configured
// credentials; the body is hashed exactly as received, since the AWS CLI signs the raw bytes
// without sending x-amz-content-sha256.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { verifyRequest } from '../sigv4/index.js';
import type { Log } from '../observability/log.js';
import type { AdminContext } from './admin-context.js';
import { AdminError, asAdminError } from './admin-errors.js';
import type { AdminResponse, AdminRoutes } from './admin-router.js';
import type { AdminCredentials } from './credentials.js';

/** Imports carry whole OpenAPI documents; AWS accepts up to 6 MB, Gatehouse a little more. */
export const DEFAULT_MAX_ADMIN_BODY_BYTES = 10 * 1024 * 1024;

export interface AdminServerOptions {
  routes: AdminRoutes;
  context: AdminContext;
  credentials: AdminCredentials;
  log: Log;
  maxBodyBytes?: number;
  /** Milliseconds a client has to send its whole request. */
  requestTimeoutMs?: number;
  /**
   * Requests per second each access key may make, with bursts of twice that; above it the
   * client gets TooManyRequestsException, as AWS's control plane answers. Default 100.
   */
  rateLimit?: number;
}

export function createAdminServer(options: AdminServerOptions): Server {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_ADMIN_BODY_BYTES;
  const limiter = new KeyRateLimiter(options.rateLimit ?? DEFAULT_ADMIN_RATE_LIMIT);
  const server = createServer({ requestTimeout: options.requestTimeoutMs ?? 60_000 }, (req, res) => {
    handle(req, res, options, maxBodyBytes, limiter).catch((error: unknown) => {
      options.log('management request failed', { error: describe(error) });
      if (!res.headersSent) send(res, randomUUID(), errorResponse(internalFailure()));
      else res.destroy();
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  return server;
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: AdminServerOptions,
  maxBodyBytes: number,
  limiter: KeyRateLimiter,
): Promise<void> {
  const requestId = randomUUID();
  const body = await readBody(req, maxBodyBytes);
  if (body === undefined) {
    res.setHeader('Connection', 'close');
    send(
      res,
      requestId,
      errorResponse(new AdminError('PayloadTooLargeException', `Request body exceeds ${maxBodyBytes} bytes`)),
    );
    return;
  }
  const target = req.url ?? '/';
  const verified = await verifyRequest(
    { method: req.method ?? 'GET', path: target, headers: req.headersDistinct, body },
    (accessKeyId) => options.credentials.secretFor(accessKeyId),
    { service: 'apigateway' },
  );
  if (!verified.ok) {
    send(
      res,
      requestId,
      errorResponse(new AdminError(verified.errorType, verified.message, verified.status)),
    );
    return;
  }
  if (!limiter.take(verified.accessKeyId)) {
    send(res, requestId, errorResponse(new AdminError('TooManyRequestsException', 'Too Many Requests')));
    return;
  }
  const queryStart = target.indexOf('?');
  const path = queryStart === -1 ? target : target.slice(0, queryStart);
  const query = new URLSearchParams(queryStart === -1 ? '' : target.slice(queryStart + 1));
  const route = options.routes.find(req.method ?? 'GET', path);
  if (!route) {
    send(
      res,
      requestId,
      errorResponse(
        new AdminError('NotFoundException', `No management operation matches ${req.method ?? ''} ${path}`),
      ),
    );
    return;
  }
  let response: AdminResponse;
  try {
    response = await route.handler(
      { method: req.method ?? 'GET', params: route.params, query, headers: req.headers, rawBody: body },
      options.context,
    );
  } catch (error) {
    const known = asAdminError(error);
    if (!known) options.log('management operation failed', { path, error: describe(error) });
    response = errorResponse(known ?? internalFailure());
  }
  send(res, requestId, response);
}

const internalFailure = () =>
  new AdminError('InternalFailure', 'The request processing has failed because of an unknown error');

function errorResponse(error: AdminError): AdminResponse {
  return {
    status: error.status,
    body: { message: error.message },
    headers: { 'x-amzn-ErrorType': error.type },
  };
}

function send(res: ServerResponse, requestId: string, response: AdminResponse): void {
  const payload =
    response.raw ?? (response.body === undefined ? undefined : Buffer.from(JSON.stringify(response.body)));
  res.statusCode = response.status;
  res.setHeader('x-amzn-RequestId', requestId);
  for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
  if (payload !== undefined) {
    res.setHeader('Content-Type', response.contentType ?? 'application/json');
    res.setHeader('Content-Length', Buffer.byteLength(payload));
    res.end(payload);
  } else {
    res.setHeader('Content-Length', 0);
    res.end();
  }
}

/** The whole body, or undefined once it passes the limit (the rest is discarded). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

export const DEFAULT_ADMIN_RATE_LIMIT = 100;

/** A token bucket per access key: `rate` per second, bursts of twice that. */
class KeyRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly rate: number) {}

  take(key: string, now = Date.now()): boolean {
    const burst = this.rate * 2;
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
