// Runs a validation step on real IncomingMessages: a node:http server on port 0 builds a
// RequestContext per request, runs the step registered for the request's path, and answers
// what happened as JSON.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { RequestContext } from '../../../src/dataplane/context.js';
import type { RequestStep } from '../../../src/dataplane/compiled-stage.js';
import { GatewayError } from '../../../src/dataplane/gateway-responses.js';
import type { Method, RestApi } from '../../../src/model/rest-api.js';

export type Outcome =
  | { passed: true; bodyRead: boolean }
  | { type: string; message: string | null | undefined; validationErrorString: string | undefined };

export interface Send {
  method?: string;
  /** Appended to the step's URL, e.g. `?q=1`. */
  query?: string;
  headers?: Record<string, string>;
  body?: string;
  pathParameters?: Record<string, string>;
}

export interface Harness {
  run(step: RequestStep, send?: Send): Promise<Outcome>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const steps = new Map<string, { step: RequestStep; pathParameters: Record<string, string> }>();
  let counter = 0;
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const entry = steps.get(path.split('/')[2] ?? '');
    if (!entry) {
      res.writeHead(404).end();
      return;
    }
    const ctx = new RequestContext(
      'req-1',
      req,
      res,
      req.method ?? 'GET',
      path,
      q < 0 ? '' : url.slice(q + 1),
      'test',
      Date.now(),
      '127.0.0.1',
    );
    Object.assign(ctx.pathParameters, entry.pathParameters);
    const answer = (outcome: Outcome) => {
      if (ctx.body === undefined) req.resume();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(outcome));
    };
    Promise.resolve()
      .then(() => entry.step(ctx))
      .then(
        () => answer({ passed: true, bodyRead: ctx.body !== undefined }),
        (err: unknown) => {
          if (!(err instanceof GatewayError)) {
            res.writeHead(500).end(String(err));
            return;
          }
          answer({
            type: err.responseType,
            message: err.responseMessage,
            validationErrorString: err.validationErrorString,
          });
        },
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    async run(step, send = {}) {
      const id = String(++counter);
      steps.set(id, { step, pathParameters: send.pathParameters ?? {} });
      const res = await request(`${origin}/s/${id}/resource${send.query ?? ''}`, {
        method: (send.method ?? (send.body === undefined ? 'GET' : 'POST')) as 'GET',
        headers: send.headers ?? {},
        body: send.body ?? null,
      });
      if (res.statusCode !== 200)
        throw new Error(`harness answered ${res.statusCode}: ${await res.body.text()}`);
      return (await res.body.json()) as Outcome;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function restApi(extra: Partial<RestApi> = {}): RestApi {
  return {
    protocolType: 'REST',
    id: 'a1b2c3',
    name: 'validation',
    createdDate: 0,
    binaryMediaTypes: [],
    apiKeySource: 'HEADER',
    resources: [],
    ...extra,
  };
}

export function method(extra: Partial<Method> = {}): Method {
  return { httpMethod: 'POST', authorizationType: 'NONE', apiKeyRequired: false, ...extra };
}

export const validators = [
  { id: 'all', name: 'all', validateRequestBody: true, validateRequestParameters: true },
  { id: 'params-only', name: 'params-only', validateRequestBody: false, validateRequestParameters: true },
  { id: 'body-only', name: 'body-only', validateRequestBody: true, validateRequestParameters: false },
  { id: 'nothing', name: 'nothing', validateRequestBody: false, validateRequestParameters: false },
];
