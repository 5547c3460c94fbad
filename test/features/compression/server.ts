// A real node:http server on port 0 whose handler builds a RequestContext, runs a response step
// over a method response the test describes, and writes the result the way the listener does.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';
import { RequestContext, type MethodResponse } from '../../../src/dataplane/context.js';
import type { ResponseStep } from '../../../src/dataplane/compiled-stage.js';
import { GatewayError, renderGatewayError } from '../../../src/dataplane/gateway-responses.js';

export interface StepServer {
  url: string;
  /** What the integration answers; set per test. */
  respond: (req: IncomingMessage, ctx: RequestContext) => MethodResponse | Promise<MethodResponse>;
  /** The step under test; null means the response is written untouched. */
  step: ResponseStep | null;
  close(): Promise<void>;
}

export async function startStepServer(): Promise<StepServer> {
  const state: StepServer = {
    url: '',
    respond: () => ({ statusCode: 200, headers: {}, body: null }),
    step: null,
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const ctx = new RequestContext(
      'request-1',
      req,
      res,
      req.method ?? 'GET',
      q === -1 ? url : url.slice(0, q),
      q === -1 ? '' : url.slice(q + 1),
      'test',
      Date.now(),
      '127.0.0.1',
    );
    void (async () => {
      try {
        let response = await state.respond(req, ctx);
        if (state.step) response = await state.step(ctx, response);
        const { body } = response;
        if (body === null || Buffer.isBuffer(body)) {
          res.writeHead(response.statusCode, {
            ...response.headers,
            'content-length': String(body?.length ?? 0),
          });
          res.end(body);
          return;
        }
        res.writeHead(response.statusCode, response.headers);
        pipeline(body, res, () => {});
      } catch (error) {
        const rendered = renderGatewayError(
          'REST',
          error instanceof GatewayError ? error : new GatewayError('DEFAULT_5XX', String(error)),
        );
        res.writeHead(rendered.status, rendered.headers);
        res.end(rendered.body);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

export function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}
