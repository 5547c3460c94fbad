// A stage compiled from one deployment: a frozen router whose routes each carry only the
// steps they need, plus the stage-wide steps (CORS preflight, response decoration) and the
// API's error rendering. Requests in flight keep the object they started on when a redeploy
// swaps in a new one.
import type { MethodResponse, RequestContext } from './context.js';
import { GatewayError, renderGatewayError } from './gateway-responses.js';
import type { Integration } from './integrations/http-proxy.js';
import type { StageRouter } from './router.js';

/** A request-side step: may answer early by returning a response, or raise a GatewayError. */
export type RequestStep = (
  ctx: RequestContext,
) => MethodResponse | undefined | Promise<MethodResponse | undefined>;

/** A response-side step: reshapes the response; response steps run in reverse order of request steps. */
export type ResponseStep = (
  ctx: RequestContext,
  response: MethodResponse,
) => MethodResponse | Promise<MethodResponse>;

/** Turns a gateway response type into the API's response for it. */
export type ErrorRenderer = (ctx: RequestContext, error: GatewayError) => MethodResponse;

export interface CompiledRoute {
  /** REST: the resource's id; HTTP APIs: the route's id. */
  resourceId: string;
  /** REST: the resource path (`/pets/{id}`); HTTP APIs: the route key (`GET /pets/{id}`). */
  resourcePath: string;
  routeKey: string;
  /** Null when the route needs no request-side step (no `if` per request). */
  requestSteps: RequestStep[] | null;
  integration: Integration;
  responseSteps: ResponseStep[] | null;
}

export interface StageSteps {
  /** Before route matching: answers that do not depend on the route (CORS preflight). */
  beforeRouting: RequestStep[] | null;
  /** After everything, on success and error responses alike (CORS headers, compression). */
  finally: ResponseStep[] | null;
  renderError: ErrorRenderer;
}

export interface StageIdentity {
  protocol: 'REST' | 'HTTP';
  apiId: string;
  stageName: string;
  deploymentId: string;
  variables: Readonly<Record<string, string>>;
}

export function defaultErrorRenderer(protocol: 'REST' | 'HTTP'): ErrorRenderer {
  return (_ctx, error) => {
    const rendered = renderGatewayError(protocol, error);
    return { statusCode: rendered.status, headers: rendered.headers, body: Buffer.from(rendered.body) };
  };
}

export class CompiledStage {
  readonly protocol: 'REST' | 'HTTP';
  readonly apiId: string;
  readonly stageName: string;
  readonly deploymentId: string;
  readonly variables: Readonly<Record<string, string>>;
  /** The stage's authorizer results, flushed by FlushStageAuthorizersCache. */
  authorizerCache: { flush(): void } | undefined;

  constructor(
    identity: StageIdentity,
    private readonly router: StageRouter<CompiledRoute>,
    private readonly steps: StageSteps,
    /** Told about failures that are Gatehouse's, not the client's; the client sees a 500. */
    private readonly onUnexpected: (error: unknown) => void,
  ) {
    this.protocol = identity.protocol;
    this.apiId = identity.apiId;
    this.stageName = identity.stageName;
    this.deploymentId = identity.deploymentId;
    this.variables = identity.variables;
  }

  /** Always answers: every failure becomes the API's gateway response. */
  async handle(ctx: RequestContext): Promise<MethodResponse> {
    return this.respond(ctx);
  }

  /**
   * As handle(), but synchronous for as long as every step is: a request answered without
   * waiting for anything (a cache hit, a 429, a mock) pays for no promise and no microtask
   * turn between its steps. A step that returns a promise switches the rest to async.
   */
  respond(ctx: RequestContext): MethodResponse | Promise<MethodResponse> {
    ctx.apiId = this.apiId;
    ctx.deploymentId = this.deploymentId;
    ctx.stageVariables = this.variables;
    let response: MethodResponse | Promise<MethodResponse>;
    try {
      response = this.run(ctx);
    } catch (error) {
      response = this.steps.renderError(ctx, this.asGatewayError(error));
    }
    if (response instanceof Promise)
      response = response.catch((error: unknown) => this.steps.renderError(ctx, this.asGatewayError(error)));
    const last = this.steps.finally;
    if (!last) return response;
    if (response instanceof Promise)
      return response.then((settled) => runResponseSteps(last, ctx, settled, last.length - 1));
    return runResponseSteps(last, ctx, response, last.length - 1);
  }

  private run(ctx: RequestContext): MethodResponse | Promise<MethodResponse> {
    const before = this.steps.beforeRouting;
    if (before) {
      const early = runRequestSteps(before, ctx, 0);
      if (early instanceof Promise) return early.then((answer) => answer ?? this.route(ctx));
      if (early) return early;
    }
    return this.route(ctx);
  }

  private route(ctx: RequestContext): MethodResponse | Promise<MethodResponse> {
    const match = this.router.match(ctx.method, ctx.path);
    if (!match)
      throw new GatewayError(
        this.protocol === 'REST' ? 'MISSING_AUTHENTICATION_TOKEN' : 'RESOURCE_NOT_FOUND',
      );
    const route = match.target;
    ctx.resourceId = route.resourceId;
    ctx.resourcePath = route.resourcePath;
    ctx.routeKey = route.routeKey;
    ctx.rawPathParameters = match.rawParameters;
    for (const name in match.rawParameters) ctx.pathParameters[name] = safeDecode(match.rawParameters[name]!);
    if (route.requestSteps) {
      const early = runRequestSteps(route.requestSteps, ctx, 0);
      if (early instanceof Promise) return early.then((answer) => answer ?? integrate(ctx, route));
      if (early) return early;
    }
    return integrate(ctx, route);
  }

  private asGatewayError(error: unknown): GatewayError {
    if (error instanceof GatewayError) return error;
    this.onUnexpected(error);
    return new GatewayError('DEFAULT_5XX');
  }
}

function integrate(ctx: RequestContext, route: CompiledRoute): Promise<MethodResponse> {
  const response = route.integration(ctx);
  const after = route.responseSteps;
  if (!after) return response;
  return response.then((settled) => runResponseSteps(after, ctx, settled, after.length - 1));
}

/** Request steps from `from` on, in order, until one answers; synchronous until a step is not. */
function runRequestSteps(
  steps: RequestStep[],
  ctx: RequestContext,
  from: number,
): MethodResponse | undefined | Promise<MethodResponse | undefined> {
  for (let i = from; i < steps.length; i++) {
    const early = steps[i]!(ctx);
    if (early instanceof Promise) return early.then((answer) => answer ?? runRequestSteps(steps, ctx, i + 1));
    if (early) return early;
  }
  return undefined;
}

/** Response steps from index `from` down to the first; synchronous until a step is not. */
function runResponseSteps(
  steps: ResponseStep[],
  ctx: RequestContext,
  response: MethodResponse,
  from: number,
): MethodResponse | Promise<MethodResponse> {
  for (let i = from; i >= 0; i--) {
    const next = steps[i]!(ctx, response);
    if (next instanceof Promise) return next.then((settled) => runResponseSteps(steps, ctx, settled, i - 1));
    response = next;
  }
  return response;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
