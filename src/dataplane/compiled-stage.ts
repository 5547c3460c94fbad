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
    ctx.apiId = this.apiId;
    ctx.deploymentId = this.deploymentId;
    ctx.stageVariables = this.variables;
    let response: MethodResponse;
    try {
      response = await this.run(ctx);
    } catch (error) {
      response = this.steps.renderError(ctx, this.asGatewayError(error));
    }
    const last = this.steps.finally;
    if (last) for (let i = last.length - 1; i >= 0; i--) response = await last[i]!(ctx, response);
    return response;
  }

  private async run(ctx: RequestContext): Promise<MethodResponse> {
    const before = this.steps.beforeRouting;
    if (before) {
      for (const step of before) {
        const early = await step(ctx);
        if (early) return early;
      }
    }
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
      for (const step of route.requestSteps) {
        const early = await step(ctx);
        if (early) return early;
      }
    }
    let response = await route.integration(ctx);
    const after = route.responseSteps;
    if (after) for (let i = after.length - 1; i >= 0; i--) response = await after[i]!(ctx, response);
    return response;
  }

  private asGatewayError(error: unknown): GatewayError {
    if (error instanceof GatewayError) return error;
    this.onUnexpected(error);
    return new GatewayError('DEFAULT_5XX');
  }
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
