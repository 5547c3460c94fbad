// A stage for authorization tests: a real node:http server on port 0 whose handler builds a
// RequestContext as the listener does and runs it through a CompiledStage with the steps under
// test; every route's integration answers 200 with what the steps left on the context. Also a
// function runtime that runs plain JS functions and records what it was asked.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import {
  CompiledStage,
  defaultErrorRenderer,
  type CompiledRoute,
  type RequestStep,
} from '../../../src/dataplane/compiled-stage.js';
import { RequestContext } from '../../../src/dataplane/context.js';
import { StageRouter } from '../../../src/dataplane/router.js';
import {
  FunctionInvokeError,
  type FunctionResult,
  type FunctionRuntime,
  type InvokeOptions,
} from '../../../src/functions/runtime.js';
import { authorizerUsageIdentifierKey } from '../../../src/features/auth/steps.js';

export interface RouteSpec {
  method: string;
  /** REST: the resource path (`/pets/{id}`); HTTP APIs: the route's path, or `$default`. */
  path: string;
  step: RequestStep | null;
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** The client address the stage sees (the test stands in for the listener's socket). */
  sourceIp?: string;
  body?: string;
}

export interface TestStage {
  url: string;
  request(path: string, options?: RequestOptions): Promise<Reply>;
  close(): Promise<void>;
}

export interface StageOptions {
  stageName?: string;
  apiId?: string;
  variables?: Record<string, string>;
}

export async function startStage(
  protocol: 'REST' | 'HTTP',
  routes: RouteSpec[],
  options: StageOptions = {},
): Promise<TestStage> {
  const stageName = options.stageName ?? 'prod';
  const router = new StageRouter<CompiledRoute>();
  routes.forEach((route, index) => {
    const routeKey = route.path === '$default' ? '$default' : `${route.method} ${route.path}`;
    const compiled: CompiledRoute = {
      resourceId: `r${index}`,
      resourcePath: protocol === 'REST' ? route.path : routeKey,
      routeKey,
      requestSteps: route.step === null ? null : [route.step],
      integration: (ctx) =>
        Promise.resolve({
          statusCode: 200,
          headers: { 'content-type': 'application/json' },
          body: Buffer.from(
            JSON.stringify({
              authorizer: ctx.authorizer ?? null,
              usageIdentifierKey: authorizerUsageIdentifierKey(ctx) ?? null,
            }),
          ),
        }),
      responseSteps: null,
    };
    if (route.path === '$default') router.setDefault(compiled);
    else router.add(route.method, route.path, compiled);
  });
  const stage = new CompiledStage(
    {
      protocol,
      apiId: options.apiId ?? 'a1b2c3',
      stageName,
      deploymentId: 'd1',
      variables: options.variables ?? {},
    },
    router.freeze(),
    { beforeRouting: null, finally: null, renderError: defaultErrorRenderer(protocol) },
    (error) => {
      throw error;
    },
  );
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    const queryStart = url.indexOf('?');
    const forced = req.headers['x-test-source-ip'];
    const ctx = new RequestContext(
      randomUUID(),
      req,
      res,
      req.method ?? 'GET',
      queryStart === -1 ? url : url.slice(0, queryStart),
      queryStart === -1 ? '' : url.slice(queryStart + 1),
      stageName,
      Date.now(),
      typeof forced === 'string' ? forced : (req.socket.remoteAddress ?? ''),
    );
    stage.handle(ctx).then(
      (response) => {
        res.writeHead(response.statusCode, response.headers);
        res.end(response.body as Buffer | null);
      },
      (error: unknown) => {
        res.writeHead(599).end(String(error));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async request(path, request = {}) {
      const headers: Record<string, string> = { ...request.headers };
      if (request.sourceIp !== undefined) headers['x-test-source-ip'] = request.sourceIp;
      const response = await fetch(url + path, {
        method: request.method ?? 'GET',
        headers,
        ...(request.body === undefined ? {} : { body: request.body }),
      });
      const text = await response.text();
      const replyHeaders: IncomingHttpHeaders = {};
      response.headers.forEach((value, name) => {
        replyHeaders[name] = value;
      });
      return { status: response.status, headers: replyHeaders, body: text === '' ? null : JSON.parse(text) };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type AuthorizerEvent = Record<string, unknown>;
/** Returns the function's result; throwing a string or Error is a function error, as in Lambda. */
export type TestHandler = (event: AuthorizerEvent) => unknown;

/** A FunctionRuntime running the given functions in-process, recording each invocation's event. */
export class TestFunctions implements FunctionRuntime {
  readonly calls: { name: string; event: AuthorizerEvent; requestId: string }[] = [];

  constructor(private readonly handlers: Record<string, TestHandler>) {}

  has(functionName: string): boolean {
    return Object.hasOwn(this.handlers, functionName);
  }

  callsOf(name: string): AuthorizerEvent[] {
    return this.calls.filter((call) => call.name === name).map((call) => call.event);
  }

  async invoke(functionName: string, event: Buffer, options: InvokeOptions): Promise<FunctionResult> {
    const handler = this.handlers[functionName];
    if (handler === undefined)
      throw new FunctionInvokeError(`Function not found: ${functionName}`, 'not-found');
    const parsed = JSON.parse(event.toString('utf8')) as AuthorizerEvent;
    this.calls.push({ name: functionName, event: parsed, requestId: options.requestId });
    try {
      const result = await handler(parsed);
      return { payload: Buffer.from(JSON.stringify(result ?? null)) };
    } catch (error) {
      if (error instanceof FunctionInvokeError) throw error;
      // Lambda's Node.js runtime reports `callback('text')` with errorType "string".
      const failure =
        error instanceof Error
          ? { errorType: error.name, errorMessage: error.message, trace: [] }
          : { errorType: 'string', errorMessage: String(error), trace: [] };
      return { payload: Buffer.from(JSON.stringify(failure)), functionError: 'Unhandled' };
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** An authorizer's policy answer for one Effect and Resource. */
export function policyAnswer(
  effect: 'Allow' | 'Deny',
  resource: string | string[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    principalId: 'user-1',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
    },
    ...extra,
  };
}

export const lambdaUri = (name: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`;
