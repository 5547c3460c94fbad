// HTTP API routes → compiled routes, with `$default` as the router's fallback.
import type { HttpApi, HttpIntegration } from '../model/http-api.js';
import type { CompiledRoute, RequestStep } from '../dataplane/compiled-stage.js';
import { GatewayError } from '../dataplane/gateway-responses.js';
import { parseEndpoint, substituteStageVariables } from '../dataplane/integrations/endpoint.js';
import { lambdaProxyIntegration } from '../dataplane/integrations/function.js';
import { httpProxyIntegration, type Integration } from '../dataplane/integrations/http-proxy.js';
import type { StageRouter } from '../dataplane/router.js';
import {
  httpApiEventV1,
  httpApiEventV2,
  httpApiResponseV1,
  httpApiResponseV2,
} from '../features/lambda-proxy/index.js';
import { compileRequestMapping, compileResponseMapping } from '../features/parameter-mapping/index.js';
import { compileHttpAuthorization } from '../features/auth/index.js';
import { compileThrottle, httpRouteLimits } from '../features/throttling/index.js';
import { authDeps, guarded, stepsOf, type Build } from './build.js';
import { functionCall } from './compile-function.js';
import { lambdaEventOptions } from './compile-rest.js';

export function compileHttpRoutes(api: HttpApi, router: StageRouter<CompiledRoute>, build: Build): void {
  const integrations = new Map(api.integrations.map((i) => [i.integrationId, i]));
  const auth = authDeps(api.apiId, build);
  for (const route of api.routes) {
    const isDefault = route.routeKey === '$default';
    const { requestSteps, integration } = guarded(route.routeKey, build, () => {
      const id = route.target?.replace(/^integrations\//, '');
      const spec = id === undefined ? undefined : integrations.get(id);
      if (!spec)
        throw new Error(`the route's target ${route.target ?? '(none)'} is not an integration of this API`);
      return {
        requestSteps: stepsOf(
          compileHttpAuthorization(api, route, auth),
          httpThrottle(api, route.routeKey, build),
        ),
        integration: compileHttpIntegration(spec, isDefault, build),
      };
    });
    const compiled: CompiledRoute = {
      resourceId: route.routeId,
      resourcePath: route.routeKey,
      routeKey: route.routeKey,
      requestSteps,
      integration,
      responseSteps: null,
    };
    if (isDefault) {
      router.setDefault(compiled);
    } else {
      const [method, path] = route.routeKey.split(' ', 2) as [string, string];
      router.add(method, path, compiled);
    }
  }
}

/** Account limits, then the stage's routeSettings for the route or its defaultRouteSettings. */
function httpThrottle(api: HttpApi, routeKey: string, build: Build): RequestStep | null {
  const throttling = build.options.throttling;
  if (!throttling) return null;
  return compileThrottle({
    throttling,
    apiId: api.apiId,
    stageName: build.stage.stageName,
    routeKey,
    limits: httpRouteLimits(build.stage, routeKey, throttling.accountLimits),
  });
}

function compileHttpIntegration(spec: HttpIntegration, isDefault: boolean, build: Build): Integration {
  switch (spec.integrationType) {
    case 'HTTP_PROXY':
      return httpProxyIntegration(
        {
          endpoint: parseEndpoint(substituteStageVariables(spec.integrationUri ?? '', build.stage.variables)),
          httpMethod: spec.integrationMethod,
          timeoutMs: spec.timeoutInMillis,
          parameters: { path: [], querystring: [], header: [], needsBody: false },
          appendPath: isDefault,
          requestMapping: compileRequestMapping(spec.requestParameters),
          responseMapping: compileResponseMapping(spec.responseParameters),
        },
        build.options.pools,
      );
    case 'AWS_PROXY': {
      const v2 = spec.payloadFormatVersion === '2.0';
      return lambdaProxyIntegration({
        ...functionCall(spec.integrationUri, spec.timeoutInMillis, build, true),
        event: (ctx, body) => (v2 ? httpApiEventV2 : httpApiEventV1)(ctx, lambdaEventOptions(ctx, body, [])),
        response: (payload) => (v2 ? httpApiResponseV2 : httpApiResponseV1)(payload),
        functionError: () => new GatewayError('DEFAULT_5XX'),
      });
    }
    case 'MOCK':
    case 'HTTP':
    case 'AWS':
      throw new Error(`integration type ${spec.integrationType} is not available for HTTP APIs`);
  }
}
