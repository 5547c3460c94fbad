// A real node:http server on port 0: each request builds a RequestContext for the resource
// `/pets/{petId}`, raises the GatewayError the test asks for (x-raise / x-message headers) and
// writes what the renderer under test makes of it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RequestContext } from '../../../src/dataplane/context.js';
import { GatewayError, type GatewayResponseType } from '../../../src/dataplane/gateway-responses.js';
import type { ErrorRenderer } from '../../../src/features/gateway-responses/index.js';

export interface ErrorServer {
  url: string;
  port: number;
  renderer: ErrorRenderer;
  stageVariables: Record<string, string>;
  context: Record<string, unknown>;
  /** Render as if the error came before the request had a context. */
  withoutContext: boolean;
  close(): Promise<void>;
}

export async function startErrorServer(renderer: ErrorRenderer): Promise<ErrorServer> {
  const state: ErrorServer = {
    url: '',
    port: 0,
    renderer,
    stageVariables: {},
    context: {},
    withoutContext: false,
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const ctx = new RequestContext(
      'f1f2f3f4-0000-4000-8000-000000000001',
      req,
      res,
      req.method ?? 'GET',
      path,
      q === -1 ? '' : url.slice(q + 1),
      'test',
      Date.UTC(2017, 4, 2, 3, 15, 47),
      '127.0.0.1',
    );
    const m = /^\/pets\/([^/]+)$/.exec(path);
    if (m) {
      ctx.resourcePath = '/pets/{petId}';
      ctx.pathParameters = { petId: decodeURIComponent(m[1]!) };
    }
    const type =
      (req.headers['x-raise'] as GatewayResponseType | undefined) ?? 'MISSING_AUTHENTICATION_TOKEN';
    const message = req.headers['x-message'] as string | undefined;
    const validation = req.headers['x-validation'] as string | undefined;
    const error = new GatewayError(type, message === '<null>' ? null : message, validation);
    const response = state.renderer(error, {
      ctx: state.withoutContext ? undefined : ctx,
      stageVariables: state.stageVariables,
      context: state.context,
    });
    const body = response.body as Buffer;
    res.writeHead(response.statusCode, { ...response.headers, 'content-length': String(body.length) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${state.port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
