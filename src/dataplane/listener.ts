// The data-plane listener: turns an HTTP request into a RequestContext on the right compiled
// stage, writes the method response, and turns every failure into an AWS-shaped answer.
// Bad input (malformed URLs, garbage on the socket, oversized or slow requests) never
// reaches a stage and never crashes the process.
import { randomBytes, randomUUID } from 'node:crypto';
import {
  createServer,
  STATUS_CODES,
  type IncomingMessage,
  type Server,
  type ServerOptions,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import { RequestContext, type MethodResponse } from './context.js';
import { GatewayError, renderGatewayError } from './gateway-responses.js';
import { MAX_REQUEST_BODY_BYTES } from './body.js';
import { UnresolvedError, type StageRegistry } from './stage-registry.js';
import { requireTrustedClient } from './domains/mutual-tls.js';

export interface ListenerOptions {
  registry: StageRegistry;
  /** Time allowed for a client to send its headers (slowloris guard). */
  headersTimeoutMs?: number;
  /** Time allowed for a client to send its whole request, body included. */
  requestTimeoutMs?: number;
  /** Largest request head Node accepts; larger ones get 431. */
  maxHeaderSize?: number;
  keepAliveTimeoutMs?: number;
  /** How often idle and slow connections are checked; smaller in tests. */
  connectionsCheckingIntervalMs?: number;
  log: (message: string, fields?: Record<string, unknown>) => void;
}

export function createGatewayServer(options: ListenerOptions): Server {
  const server = createServer(gatewayServerOptions(options), gatewayRequestListener(options));
  server.on('clientError', answerClientError);
  return server;
}

/** Node's server settings for the data plane; the HTTPS listener uses the same ones. */
export function gatewayServerOptions(options: ListenerOptions): ServerOptions {
  return {
    headersTimeout: options.headersTimeoutMs ?? 10_000,
    requestTimeout: options.requestTimeoutMs ?? 120_000,
    maxHeaderSize: options.maxHeaderSize ?? 16_384,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 5_000,
    connectionsCheckingInterval: options.connectionsCheckingIntervalMs ?? 2_000,
  };
}

/** Answers data-plane requests, over HTTP or HTTPS alike. */
export function gatewayRequestListener(
  options: ListenerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const unhandled = (res: ServerResponse, error: unknown) => {
    options.log('unhandled error while answering a request', { error: String(error) });
    res.destroy();
  };
  return (req, res) => {
    try {
      handleRequest(options, req, res)?.catch((error: unknown) => unhandled(res, error));
    } catch (error) {
      unhandled(res, error);
    }
  };
}

/**
 * The headers that name a request: `x-amzn-RequestId` on every answer, then the stage's own
 * (`x-amz-apigw-id` on REST APIs, `apigw-requestid` on HTTP APIs) once a stage takes it.
 */
type RequestIds = [string, string] | [string, string, string, string];

const REQUEST_ID_HEADER = 'x-amzn-RequestId';

/**
 * Synchronous while the stage answers synchronously (a cache hit, a throttled request), so such
 * an answer is written without a promise or a microtask turn; a promise when it does not.
 */
function handleRequest(
  options: ListenerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> | undefined {
  const requestId = randomUUID();
  const requestTimeEpoch = Date.now();
  let protocol: 'REST' | 'HTTP' = 'REST';
  let ids: RequestIds = [REQUEST_ID_HEADER, requestId];
  try {
    const url = req.url ?? '/';
    const queryStart = url.indexOf('?');
    const fragmentStart = url.indexOf('#');
    let rawPath = queryStart === -1 ? url : url.slice(0, queryStart);
    if (fragmentStart !== -1 && (queryStart === -1 || fragmentStart < queryStart))
      rawPath = url.slice(0, fragmentStart);
    const rawQuery =
      queryStart === -1
        ? ''
        : url.slice(queryStart + 1, fragmentStart > queryStart ? fragmentStart : undefined);
    if (!rawPath.startsWith('/') || (rawPath.includes('%') && MALFORMED_PERCENT.test(rawPath))) {
      throw new GatewayError('DEFAULT_4XX', 'Bad Request');
    }
    const resolved = options.registry.resolve(req.headers.host, rawPath);
    if (resolved.domain?.domain.mutualTls)
      requireTrustedClient(req, resolved.domain.domain, options.registry.domains(), options.log);
    const stage = resolved.stage;
    protocol = stage.protocol;
    ids =
      protocol === 'REST'
        ? [REQUEST_ID_HEADER, requestId, 'x-amz-apigw-id', apigwId()]
        : [REQUEST_ID_HEADER, requestId, 'apigw-requestid', requestId];

    const length = req.headers['content-length'];
    if (length !== undefined && Number(length) > MAX_REQUEST_BODY_BYTES)
      throw new GatewayError('REQUEST_TOO_LARGE');

    const ctx = new RequestContext(
      requestId,
      req,
      res,
      req.method ?? 'GET',
      resolved.path,
      rawQuery,
      stage.stageName,
      requestTimeEpoch,
      clientIp(req),
    );
    ctx.isCanaryRequest = resolved.isCanaryRequest;
    ctx.basePath = resolved.domain?.mapping.apiMappingKey;
    const response = stage.respond(ctx);
    if (response instanceof Promise) return answerLater(req, res, response, protocol, ids, options);
    writeResponse(req, res, response, ids, options);
  } catch (error) {
    writeError(req, res, protocol, ids, error, options);
  }
  return undefined;
}

async function answerLater(
  req: IncomingMessage,
  res: ServerResponse,
  pending: Promise<MethodResponse>,
  protocol: 'REST' | 'HTTP',
  ids: RequestIds,
  options: ListenerOptions,
): Promise<void> {
  try {
    writeResponse(req, res, await pending, ids, options);
  } catch (error) {
    writeError(req, res, protocol, ids, error, options);
  }
}

const MALFORMED_PERCENT = /%(?![0-9A-Fa-f]{2})/;

function writeResponse(
  req: IncomingMessage,
  res: ServerResponse,
  response: MethodResponse,
  ids: RequestIds,
  options: ListenerOptions,
): void {
  if (res.headersSent || res.destroyed) return;
  const closing = response.statusCode === 413;
  if (closing) closeAfterAnswer(req, res);
  const { body } = response;
  if (body === null || Buffer.isBuffer(body)) {
    // 204 and 304 carry no body and, per RFC 9110, no Content-Length for one.
    const bodyless = response.statusCode === 204 || response.statusCode === 304;
    const contentLength = bodyless ? undefined : String(body?.length ?? 0);
    res.writeHead(response.statusCode, headLines(ids, closing, response.headers, contentLength));
    res.end(bodyless ? undefined : body);
    return;
  }
  res.writeHead(response.statusCode, headLines(ids, closing, response.headers, undefined));
  // pipe rather than stream.pipeline: pipeline's per-call abort machinery costs more than the
  // rest of a proxied request on Node 20. The two error paths below are what pipeline adds.
  body.on('error', (error) => {
    options.log('integration response stream failed', { error: error.message });
    res.destroy();
  });
  res.on('close', () => {
    if (!body.readableEnded) body.destroy();
  });
  body.pipe(res);
}

type HeadLine = string | string[];

/** Past this many lines a name is found through a map rather than by a scan of the list. */
const SCANNED_LINES = 64;

/**
 * The response head as one flat [name, value, …] list for writeHead: the request's ids, then
 * `connection: close` when the connection ends after the answer, the method response's
 * headers, and Content-Length. Handing Node the whole list spares it a header object and a
 * [name, value] pair per header, which setHeader would build. As with setHeader, a name that
 * comes again in another case replaces the earlier value in its place.
 */
function headLines(
  ids: RequestIds,
  closing: boolean,
  headers: Record<string, string | string[]>,
  contentLength: string | undefined,
): HeadLine[] {
  const lines: HeadLine[] = ids.slice();
  if (closing) lines.push('connection', 'close');
  let index: Map<string, number> | undefined;
  const put = (name: string, value: string | string[]) => {
    // setHeader, through writeHead, skips an empty name rather than refusing it.
    if (name === '') return;
    let at = -1;
    if (index === undefined && lines.length > SCANNED_LINES) {
      index = new Map();
      for (let i = 0; i < lines.length; i += 2) index.set((lines[i] as string).toLowerCase(), i);
    }
    if (index !== undefined) {
      const lower = name.toLowerCase();
      at = index.get(lower) ?? -1;
      if (at === -1) index.set(lower, lines.length);
    } else {
      for (let i = 0; i < lines.length; i += 2) {
        const seen = lines[i] as string;
        if (seen === name || (seen.length === name.length && seen.toLowerCase() === name.toLowerCase())) {
          at = i;
          break;
        }
      }
    }
    if (at === -1) lines.push(name, value);
    else {
      lines[at] = name;
      lines[at + 1] = value;
    }
  };
  for (const name in headers) put(name, headers[name]!);
  if (contentLength !== undefined) put('content-length', contentLength);
  return lines;
}

function writeError(
  req: IncomingMessage,
  res: ServerResponse,
  protocol: 'REST' | 'HTTP',
  ids: RequestIds,
  error: unknown,
  options: ListenerOptions,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  let gatewayError: GatewayError;
  if (error instanceof UnresolvedError) {
    protocol = error.protocol;
    gatewayError = error.gatewayError;
  } else if (error instanceof GatewayError) {
    gatewayError = error;
  } else {
    // A bug, not a client problem: log it, and tell the client no more than AWS would.
    options.log('request failed', {
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    gatewayError = new GatewayError('DEFAULT_5XX');
  }
  const rendered = renderGatewayError(protocol, gatewayError);
  writeResponse(
    req,
    res,
    { statusCode: rendered.status, headers: rendered.headers, body: Buffer.from(rendered.body) },
    ids,
    options,
  );
}

/**
 * An oversized body is not read: answer, then close the connection. The rest of the upload is
 * discarded until the client closes, so it reads the answer instead of a reset.
 */
function closeAfterAnswer(req: IncomingMessage, res: ServerResponse): void {
  res.once('finish', () => {
    req.resume();
    req.socket.end();
    setTimeout(() => req.socket.destroy(), 5_000).unref();
  });
}

export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status =
    error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const body = JSON.stringify({ message: STATUS_CODES[status] });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\n` +
      `x-amzn-RequestId: ${randomUUID()}\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

function clientIp(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

// One call into the system's random source per request cost more than the rest of a cache hit;
// one call fills the ids of many requests. 12 random bytes make 16 base64 characters, so the
// batch's text splits into ids without padding.
const APIGW_IDS_PER_BATCH = 256;
let apigwIds = '';
let apigwIdAt = 0;

/** Shaped like AWS's x-amz-apigw-id: 16 base64 characters. */
function apigwId(): string {
  if (apigwIdAt === apigwIds.length) {
    apigwIds = randomBytes(12 * APIGW_IDS_PER_BATCH).toString('base64');
    apigwIdAt = 0;
  }
  const id = apigwIds.slice(apigwIdAt, apigwIdAt + 16);
  apigwIdAt += 16;
  return id;
}
