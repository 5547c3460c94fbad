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
import { MAX_REQUEST_BODY_BYTES } from './integrations/forwarding.js';
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
  return (req, res) => {
    handleRequest(options, req, res).catch((error: unknown) => {
      options.log('unhandled error while answering a request', { error: String(error) });
      res.destroy();
    });
  };
}

async function handleRequest(
  options: ListenerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const requestId = randomUUID();
  const requestTimeEpoch = Date.now();
  let protocol: 'REST' | 'HTTP' = 'REST';
  res.setHeader('x-amzn-RequestId', requestId);
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
    if (!rawPath.startsWith('/') || MALFORMED_PERCENT.test(rawPath)) {
      throw new GatewayError('DEFAULT_4XX', 'Bad Request');
    }
    const resolved = options.registry.resolve(req.headers.host, rawPath);
    if (resolved.domain?.domain.mutualTls)
      requireTrustedClient(req, resolved.domain.domain, options.registry.domains(), options.log);
    const stage = resolved.stage;
    protocol = stage.protocol;
    if (protocol === 'REST') res.setHeader('x-amz-apigw-id', apigwId());
    else res.setHeader('apigw-requestid', requestId);

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
    writeResponse(req, res, await stage.handle(ctx), options);
  } catch (error) {
    writeError(req, res, protocol, error, options);
  }
}

const MALFORMED_PERCENT = /%(?![0-9A-Fa-f]{2})/;

function writeResponse(
  req: IncomingMessage,
  res: ServerResponse,
  response: MethodResponse,
  options: ListenerOptions,
): void {
  if (res.headersSent || res.destroyed) return;
  if (response.statusCode === 413) closeAfterAnswer(req, res);
  const { body } = response;
  if (body === null || Buffer.isBuffer(body)) {
    // 204 and 304 carry no body and, per RFC 9110, no Content-Length for one.
    const bodyless = response.statusCode === 204 || response.statusCode === 304;
    const headers = bodyless
      ? response.headers
      : { ...response.headers, 'content-length': String(body?.length ?? 0) };
    res.writeHead(response.statusCode, headers);
    res.end(bodyless ? undefined : body);
    return;
  }
  res.writeHead(response.statusCode, response.headers);
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

function writeError(
  req: IncomingMessage,
  res: ServerResponse,
  protocol: 'REST' | 'HTTP',
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
    options,
  );
}

/**
 * An oversized body is not read: answer, then close the connection. The rest of the upload is
 * discarded until the client closes, so it reads the answer instead of a reset.
 */
function closeAfterAnswer(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('connection', 'close');
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

/** Shaped like AWS's x-amz-apigw-id: 16 base64 characters. */
function apigwId(): string {
  return randomBytes(12).toString('base64');
}
