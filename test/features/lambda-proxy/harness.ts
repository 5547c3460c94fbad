// Real servers on port 0 for the Lambda proxy builders and parsers.
//
// The event server serves one API the way the data plane does: the stage is resolved from the
// Host (or the path-style prefix) by the StageRegistry, the route matched by the StageRouter and
// run by a CompiledStage, which fills the RequestContext's route and stage fields. The route's
// integration answers with the event it built, as JSON.
//
// The response server plays the function's side: the request body is what the function returned,
// and the answer is the method response made from it, written as the listener writes it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import {
  CompiledStage,
  defaultErrorRenderer,
  type CompiledRoute,
} from '../../../src/dataplane/compiled-stage.js';
import { RequestContext, type MethodResponse } from '../../../src/dataplane/context.js';
import { GatewayError, renderGatewayError } from '../../../src/dataplane/gateway-responses.js';
import { StageRouter } from '../../../src/dataplane/router.js';
import { StageRegistry, UnresolvedError } from '../../../src/dataplane/stage-registry.js';
import {
  httpApiResponseV1,
  httpApiResponseV2,
  restProxyResponse,
  type EventOptions,
} from '../../../src/features/lambda-proxy/index.js';

export const API_ID = 'a1b2c3d4e5';
export const HOST = `${API_ID}.execute-api.us-east-1.amazonaws.com`;
export const REQUEST_ID = 'c0ffee00-1111-4222-8333-444455556666';
/** 10/Jul/2024:12:28:36 +0000. */
export const REQUEST_TIME_EPOCH = Date.UTC(2024, 6, 10, 12, 28, 36, 123);
export const REQUEST_TIME = '10/Jul/2024:12:28:36 +0000';
/** X-Ray's Root for the fixed request id and time. */
export const TRACE_ID = 'Root=1-668e7e74-c0ffee001111422283334444';

export interface EventRoute {
  /** An HTTP method, ANY, or `$default` (HTTP APIs). */
  method: string;
  /** REST: the resource path; HTTP APIs: the route's path. Unused for `$default`. */
  path: string;
  /** REST: the resource id; HTTP APIs: the route id. */
  id: string;
}

export interface EventServerSetup {
  protocol: 'REST' | 'HTTP';
  stages: { stageName: string; variables?: Record<string, string> }[];
  deploymentId: string;
  routes: EventRoute[];
  build: (ctx: RequestContext, options: EventOptions) => Record<string, unknown>;
}

export interface EventServer {
  url: string;
  port: number;
  /** Applies to the requests that follow; reset by each test that needs it. */
  options: Omit<EventOptions, 'body'>;
  close(): Promise<void>;
}

export async function startEventServer(setup: EventServerSetup): Promise<EventServer> {
  const state: EventServer = {
    url: '',
    port: 0,
    options: { binaryMediaTypes: [] },
    close: async () => {},
  };
  const stages = new Map<string, CompiledStage>();
  for (const { stageName, variables } of setup.stages) {
    const router = new StageRouter<CompiledRoute>();
    for (const route of setup.routes) {
      const routeKey = route.method === '$default' ? '$default' : `${route.method} ${route.path}`;
      const compiled: CompiledRoute = {
        resourceId: route.id,
        resourcePath: setup.protocol === 'REST' ? route.path : routeKey,
        routeKey,
        requestSteps: null,
        integration: async (ctx) => {
          const body = await readAll(ctx.req);
          const event = setup.build(ctx, { ...state.options, body });
          return {
            statusCode: 200,
            headers: { 'content-type': 'application/json' },
            body: Buffer.from(JSON.stringify(event)),
          };
        },
        responseSteps: null,
      };
      if (route.method === '$default') router.setDefault(compiled);
      else router.add(route.method, route.path, compiled);
    }
    const stage = new CompiledStage(
      {
        protocol: setup.protocol,
        apiId: API_ID,
        stageName,
        deploymentId: setup.deploymentId,
        variables: variables ?? {},
      },
      router.freeze(),
      { beforeRouting: null, finally: null, renderError: defaultErrorRenderer(setup.protocol) },
      (error) => {
        throw error;
      },
    );
    stages.set(stageName, stage);
  }
  const registry = new StageRegistry();
  registry.replace(new Map([[API_ID, { protocol: setup.protocol, stages }]]));

  const server: Server = createServer((req, res) => {
    void (async () => {
      try {
        const url = req.url ?? '/';
        const query = url.indexOf('?');
        const hash = url.indexOf('#');
        let pathEnd = url.length;
        if (query !== -1) pathEnd = query;
        if (hash !== -1 && hash < pathEnd) pathEnd = hash;
        // Unlike the listener, the fragment is left in the query string, so that the event
        // builders' own handling of `#` is what the tests see.
        const rawQuery = query !== -1 && query === pathEnd ? url.slice(query + 1) : '';
        const resolved = registry.resolve(req.headers.host, url.slice(0, pathEnd));
        const ctx = new RequestContext(
          REQUEST_ID,
          req,
          res,
          req.method ?? 'GET',
          resolved.path,
          rawQuery,
          resolved.stage.stageName,
          REQUEST_TIME_EPOCH,
          clientIp(req),
        );
        write(res, await resolved.stage.handle(ctx));
      } catch (error) {
        const gatewayError =
          error instanceof UnresolvedError
            ? error.gatewayError
            : error instanceof GatewayError
              ? error
              : new GatewayError('DEFAULT_5XX', String(error));
        const rendered = renderGatewayError(setup.protocol, gatewayError);
        write(res, {
          statusCode: rendered.status,
          headers: rendered.headers,
          body: Buffer.from(rendered.body),
        });
      }
    })();
  });
  await listen(server, state);
  return state;
}

export type ResponseFormat = 'rest' | 'http-v1' | 'http-v2';

export interface ResponseServer {
  url: string;
  port: number;
  /** The REST API's binaryMediaTypes for the requests that follow. */
  binaryMediaTypes: string[];
  close(): Promise<void>;
}

export async function startResponseServer(): Promise<ResponseServer> {
  const state: ResponseServer = { url: '', port: 0, binaryMediaTypes: [], close: async () => {} };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const format = (req.url ?? '').slice(1) as ResponseFormat;
      const payload = await readAll(req);
      try {
        const response =
          format === 'rest'
            ? restProxyResponse(payload, {
                binaryMediaTypes: state.binaryMediaTypes,
                accept: req.headers.accept,
              })
            : format === 'http-v1'
              ? httpApiResponseV1(payload)
              : httpApiResponseV2(payload);
        write(res, response);
      } catch (error) {
        if (!(error instanceof GatewayError)) throw error;
        const rendered = renderGatewayError(format === 'rest' ? 'REST' : 'HTTP', error);
        write(res, {
          statusCode: rendered.status,
          headers: rendered.headers,
          body: Buffer.from(rendered.body),
        });
      }
    })();
  });
  await listen(server, state);
  return state;
}

/**
 * Sends a request exactly as written (a literal `#` in the target, say, which an HTTP client
 * would strip) and returns the response body.
 */
export function rawRequest(port: number, head: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      resolve({ status: Number(text.slice(9, 12)), body: text.slice(split + 4) });
    });
  });
}

/** Written as the listener writes a buffered method response. */
function write(res: ServerResponse, response: MethodResponse): void {
  const body = response.body as Buffer | null;
  res.writeHead(response.statusCode, {
    ...response.headers,
    'content-length': String(body?.length ?? 0),
  });
  res.end(body);
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

function clientIp(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

async function listen(server: Server, state: { url: string; port: number; close(): Promise<void> }) {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${state.port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}
