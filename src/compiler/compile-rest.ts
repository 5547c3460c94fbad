// REST API resources and methods → routes, each with its method request steps and its
// integration.
import type { Integration as RestIntegration, RestApi } from '../model/rest-api.js';
import type { CompiledRoute, RequestStep } from '../dataplane/compiled-stage.js';
import { GatewayError } from '../dataplane/gateway-responses.js';
import { parseEndpoint, substituteStageVariables } from '../dataplane/integrations/endpoint.js';
import { lambdaIntegration, lambdaProxyIntegration } from '../dataplane/integrations/function.js';
import { httpIntegration } from '../dataplane/integrations/http.js';
import { httpProxyIntegration, type Integration } from '../dataplane/integrations/http-proxy.js';
import { mockIntegration } from '../dataplane/integrations/mock.js';
import { compileRequestParameters } from '../dataplane/integrations/request-parameters.js';
import type { StageRouter } from '../dataplane/router.js';
import { compileIntegrationResponses } from '../features/mapping/integration-responses.js';
import { compileRequestMapping } from '../features/mapping/request-mapping.js';
import { restProxyEvent, restProxyResponse, type EventOptions } from '../features/lambda-proxy/index.js';
import type { RequestContext } from '../dataplane/context.js';
import { compileRequestValidation } from '../features/validation/index.js';
import { ApiKeyState, compileApiKeyCheck } from '../features/api-keys/index.js';
import {
  authorizerUsageIdentifierKey,
  compileCacheInvalidationCheck,
  compileRestAuthorization,
} from '../features/auth/index.js';
import { compileStageResponseCache, ResponseCaches } from '../features/cache/index.js';
import { compileThrottle, restMethodLimits } from '../features/throttling/index.js';
import { authDeps, guarded, stepsOf, type Build } from './build.js';
import { functionCall } from './compile-function.js';

export function compileRestRoutes(api: RestApi, router: StageRouter<CompiledRoute>, build: Build): void {
  const auth = authDeps(api.id, build);
  const apiKeys = build.options.apiKeys ?? new ApiKeyState();
  const responseCache = compileStageResponseCache(
    api.id,
    build.stage,
    build.options.responseCaches ?? new ResponseCaches(),
    build.options.warn,
    compileCacheInvalidationCheck(auth),
  );
  for (const resource of api.resources) {
    for (const method of Object.values(resource.resourceMethods)) {
      const where = `${method.httpMethod} ${resource.path}`;
      const caching =
        method.methodIntegration &&
        responseCache?.forMethod(resource.path, method.httpMethod, method.methodIntegration);
      const { requestSteps, integration } = guarded(where, build, () => ({
        // AWS's method request order (resource policy and authorizer, then validation);
        // test/compiler/step-order.test.ts pins it.
        requestSteps: stepsOf(
          compileRestAuthorization(api, method, resource.path, auth),
          compileApiKeyCheck({
            required: method.apiKeyRequired,
            apiKeySource: api.apiKeySource,
            apiId: api.id,
            stageName: build.stage.stageName,
            state: apiKeys,
            usageIdentifierKey: authorizerUsageIdentifierKey,
          }),
          compileRequestValidation(api, method),
          restThrottle(api, resource.path, method.httpMethod, method.apiKeyRequired, build),
          // The cache is consulted last: a hit skips only the integration, never a check.
          caching ? caching.lookup : null,
        ),
        integration: compileRestIntegration(api, method.methodIntegration, build),
      }));
      router.add(method.httpMethod, resource.path, {
        resourceId: resource.id,
        resourcePath: resource.path,
        routeKey: `${method.httpMethod} ${resource.path}`,
        requestSteps,
        integration,
        responseSteps: caching ? [caching.store] : null,
      });
    }
  }
}

/** Account, stage and method limits; with apiKeyRequired, the key's usage plan too. */
function restThrottle(
  api: RestApi,
  resourcePath: string,
  httpMethod: string,
  apiKeyRequired: boolean,
  build: Build,
): RequestStep | null {
  const throttling = build.options.throttling;
  if (!throttling) return null;
  return compileThrottle({
    throttling,
    apiId: api.id,
    stageName: build.stage.stageName,
    routeKey: `${httpMethod} ${resourcePath}`,
    limits: restMethodLimits(build.stage, resourcePath, httpMethod, throttling.accountLimits),
    // Usage plans name a method `/pets/GET`, the root `//GET`.
    planMethodKey: apiKeyRequired ? `${resourcePath}/${httpMethod}` : undefined,
  });
}

function compileRestIntegration(api: RestApi, spec: RestIntegration | undefined, build: Build): Integration {
  if (!spec) throw new Error('the method has no integration');
  const variables = build.stage.variables;
  switch (spec.type) {
    case 'MOCK':
      return mockIntegration(
        compileRequestMapping(spec, build.binaryMediaTypes),
        compileIntegrationResponses(spec.integrationResponses, build.binaryMediaTypes),
      );
    case 'HTTP_PROXY':
    case 'HTTP': {
      const endpoint = parseEndpoint(substituteStageVariables(spec.uri ?? '', variables));
      const parameters = compileRequestParameters(spec.requestParameters, variables, build.context);
      const common = { endpoint, httpMethod: spec.httpMethod, timeoutMs: spec.timeoutInMillis, parameters };
      if (spec.type === 'HTTP_PROXY')
        return httpProxyIntegration({ ...common, appendPath: false }, build.options.pools);
      return httpIntegration(
        {
          ...common,
          apiId: api.id,
          requestMapping: compileRequestMapping(spec, build.binaryMediaTypes),
          select: compileIntegrationResponses(spec.integrationResponses, build.binaryMediaTypes),
        },
        build.options.pools,
      );
    }
    case 'AWS_PROXY': {
      // Lambda is invoked with POST; AWS answers 500 for any other integration method.
      if (spec.httpMethod !== undefined && spec.httpMethod.toUpperCase() !== 'POST') {
        throw new Error(`AWS_PROXY integrations must use httpMethod POST, not ${spec.httpMethod}`);
      }
      const binaryMediaTypes = [...build.binaryMediaTypes];
      return lambdaProxyIntegration({
        ...functionCall(spec.uri, spec.timeoutInMillis, build),
        event: (ctx, body) => restProxyEvent(ctx, lambdaEventOptions(ctx, body, binaryMediaTypes)),
        response: (payload, ctx) =>
          restProxyResponse(payload, { binaryMediaTypes, accept: ctx.req.headers.accept }),
        functionError: () => new GatewayError('DEFAULT_5XX', 'Internal server error', undefined, 502),
      });
    }
    case 'AWS':
      return lambdaIntegration({
        ...functionCall(spec.uri, spec.timeoutInMillis, build),
        requestMapping: compileRequestMapping(spec, build.binaryMediaTypes),
        select: compileIntegrationResponses(spec.integrationResponses, build.binaryMediaTypes),
      });
  }
}

export function lambdaEventOptions(
  ctx: RequestContext,
  body: Buffer,
  binaryMediaTypes: string[],
): EventOptions {
  return {
    body,
    binaryMediaTypes,
    ...(ctx.authorizer && { authorizer: ctx.authorizer }),
    ...(ctx.apiKey && { identity: { apiKey: ctx.apiKey.value, apiKeyId: ctx.apiKey.id } }),
  };
}
