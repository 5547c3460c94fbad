// A real node:http server on port 0 whose handler builds a RequestContext as the listener does
// and runs one request step. A GatewayError is answered with renderGatewayError('REST', …);
// otherwise 200 with the API key the step left on the context. A test stands in for an earlier
// authorizer step with the x-test-authorizer header (JSON put on ctx.authorizer).
import { randomUUID } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestStep } from '../../../src/dataplane/compiled-stage.js';
import { RequestContext } from '../../../src/dataplane/context.js';
import { GatewayError, renderGatewayError } from '../../../src/dataplane/gateway-responses.js';
import { apiKeyOf } from '../../../src/features/api-keys/index.js';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface StepServer {
  /** Sends GET `path` with exactly these headers (names keep their case on the wire). */
  get(path: string, headers?: OutgoingHttpHeaders): Promise<Reply>;
  /** Whether the step returned synchronously for every request so far. */
  allSynchronous(): boolean;
  close(): Promise<void>;
}

export async function startStepServer(step: RequestStep, stageName = 'prod'): Promise<StepServer> {
  let synchronous = true;
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const queryStart = url.indexOf('?');
    const ctx = new RequestContext(
      randomUUID(),
      req,
      res,
      req.method ?? 'GET',
      queryStart === -1 ? url : url.slice(0, queryStart),
      queryStart === -1 ? '' : url.slice(queryStart + 1),
      stageName,
      Date.now(),
      req.socket.remoteAddress ?? '',
    );
    const authorizer = req.headers['x-test-authorizer'];
    if (typeof authorizer === 'string') ctx.authorizer = JSON.parse(authorizer) as Record<string, unknown>;
    try {
      const result = step(ctx);
      if (result instanceof Promise) synchronous = false;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ apiKey: apiKeyOf(ctx) ?? null }));
    } catch (error) {
      if (!(error instanceof GatewayError)) {
        res.writeHead(599);
        res.end(String(error));
        return;
      }
      const rendered = renderGatewayError('REST', error);
      res.writeHead(rendered.status, rendered.headers);
      res.end(rendered.body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    get: (path, headers = {}) =>
      new Promise<Reply>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        });
        req.on('error', reject);
        req.end();
      }),
    allSynchronous: () => synchronous,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
