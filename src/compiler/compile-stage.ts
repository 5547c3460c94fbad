// Deployment + stage → CompiledStage. Every question that does not depend on the request is
// settled here, once per deploy: URIs with stage variables, parameter mappings, selection
// patterns, routing. A route whose configuration cannot work answers AWS's configuration
// error instead of failing the whole stage.
import type { Deployment, Stage } from '../model/api.js';
import type { HttpApi } from '../model/http-api.js';
import type { Integration as RestIntegration, RestApi } from '../model/rest-api.js';
import {
  CompiledStage,
  defaultErrorRenderer,
  type CompiledRoute,
  type RequestStep,
  type StageSteps,
} from '../dataplane/compiled-stage.js';
import { GatewayError } from '../dataplane/gateway-responses.js';
import { parseEndpoint, substituteStageVariables } from '../dataplane/integrations/endpoint.js';
import { httpIntegration } from '../dataplane/integrations/http.js';
import { httpProxyIntegration, type Integration } from '../dataplane/integrations/http-proxy.js';
import { compileIntegrationResponses } from '../features/mapping/integration-responses.js';
import { compileRequestMapping } from '../features/mapping/request-mapping.js';
import { mockIntegration } from '../dataplane/integrations/mock.js';
import { compileRequestParameters } from '../dataplane/integrations/request-parameters.js';
import type { UpstreamPools } from '../dataplane/integrations/upstream-pools.js';
import { StageRouter } from '../dataplane/router.js';
import { compileCors } from '../features/cors/index.js';
import { compileRequestValidation } from '../features/validation/index.js';
import { compileGatewayResponses } from '../features/gateway-responses/index.js';
import { compileCompression } from '../features/compression/index.js';
import {
  compileRequestMapping as compileHttpRequestMapping,
  compileResponseMapping as compileHttpResponseMapping,
} from '../features/parameter-mapping/index.js';

export interface CompileOptions {
  pools: UpstreamPools;
  /** Told about each route that cannot work, with the reason. */
  warn: (message: string) => void;
  /** Told about unexpected failures while serving (bugs); clients see a 500. */
  onUnexpected?: (error: unknown) => void;
}

export function compileStage(deployment: Deployment, stage: Stage, options: CompileOptions): CompiledStage {
  const api = deployment.api;
  const router = new StageRouter<CompiledRoute>();
  const context = {
    apiId: deployment.apiId,
    stage: stage.stageName,
    deploymentId: deployment.id,
    domainPrefix: deployment.apiId,
    accountId: '000000000000',
  };
  const binaryMediaTypes = api.protocolType === 'REST' ? api.binaryMediaTypes : [];
  const build = { stage, context, options, binaryMediaTypes };
  if (api.protocolType === 'REST') compileRestRoutes(api, router, build);
  else compileHttpRoutes(api, router, build);
  const identity = {
    protocol: api.protocolType,
    apiId: deployment.apiId,
    stageName: stage.stageName,
    deploymentId: deployment.id,
    variables: stage.variables,
  };
  const steps: StageSteps = {
    beforeRouting: null,
    finally: null,
    renderError: defaultErrorRenderer(api.protocolType),
  };
  if (api.protocolType === 'REST') {
    const render = compileGatewayResponses(api.gatewayResponses, {
      onTemplateError: (type, contentType, error) =>
        options.warn(`gateway response ${type} (${contentType}): ${String(error)}; the default body is sent`),
    });
    steps.renderError = (ctx, error) => render(error, { ctx, stageVariables: stage.variables, context });
    // Compression runs last, after every other response step, and covers error responses too.
    const compression = compileCompression(api.minimumCompressionSize);
    if (compression) steps.finally = [compression];
  }
  if (api.protocolType === 'HTTP' && api.corsConfiguration) {
    // The gateway answers preflights itself, before any route or authorizer, and its CORS
    // headers replace the backend's on every response, errors included.
    const cors = compileCors(api.corsConfiguration);
    steps.beforeRouting = [(ctx) => cors.preflight(ctx)];
    steps.finally = [(ctx, response) => cors.decorate(ctx, response)];
  }
  return new CompiledStage(identity, router.freeze(), steps, options.onUnexpected ?? (() => {}));
}

interface Build {
  stage: Stage;
  binaryMediaTypes: readonly string[];
  context: Record<string, string>;
  options: CompileOptions;
}

function compileRestRoutes(api: RestApi, router: StageRouter<CompiledRoute>, build: Build): void {
  for (const resource of api.resources) {
    for (const method of Object.values(resource.resourceMethods)) {
      const where = `${method.httpMethod} ${resource.path}`;
      // The order of request steps is AWS's method request order; test/compiler pins it.
      const { requestSteps, integration } = guarded(where, build, () => {
        const steps = [compileRequestValidation(api, method)].filter((step) => step !== null);
        return {
          requestSteps: steps.length > 0 ? steps : null,
          integration: compileRestIntegration(api.id, method.methodIntegration, build),
        };
      });
      router.add(method.httpMethod, resource.path, {
        resourceId: resource.id,
        resourcePath: resource.path,
        routeKey: `${method.httpMethod} ${resource.path}`,
        requestSteps,
        integration,
        responseSteps: null,
      });
    }
  }
}

function compileRestIntegration(apiId: string, spec: RestIntegration | undefined, build: Build): Integration {
  if (!spec) throw new Error('the method has no integration');
  const variables = build.stage.variables;
  switch (spec.type) {
    case 'MOCK':
      return mockIntegration(
        compileRequestMapping(spec, build.binaryMediaTypes),
        compileIntegrationResponses(spec.integrationResponses),
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
          apiId,
          requestMapping: compileRequestMapping(spec, build.binaryMediaTypes),
          select: compileIntegrationResponses(spec.integrationResponses),
        },
        build.options.pools,
      );
    }
    case 'AWS':
    case 'AWS_PROXY':
      throw new Error(`integration type ${spec.type} (functions) is not supported yet`);
  }
}

function compileHttpRoutes(api: HttpApi, router: StageRouter<CompiledRoute>, build: Build): void {
  const integrations = new Map(api.integrations.map((i) => [i.integrationId, i]));
  for (const route of api.routes) {
    const isDefault = route.routeKey === '$default';
    const { integration } = guarded(route.routeKey, build, () => {
      const id = route.target?.replace(/^integrations\//, '');
      const spec = id === undefined ? undefined : integrations.get(id);
      if (!spec)
        throw new Error(`the route's target ${route.target ?? '(none)'} is not an integration of this API`);
      if (spec.integrationType !== 'HTTP_PROXY') {
        throw new Error(`integration type ${spec.integrationType} is not supported yet for HTTP APIs`);
      }
      const endpoint = parseEndpoint(
        substituteStageVariables(spec.integrationUri ?? '', build.stage.variables),
      );
      return {
        requestSteps: null,
        integration: httpProxyIntegration(
          {
            endpoint,
            httpMethod: spec.integrationMethod,
            timeoutMs: spec.timeoutInMillis,
            parameters: { path: [], querystring: [], header: [], needsBody: false },
            appendPath: isDefault,
            requestMapping: compileHttpRequestMapping(spec.requestParameters),
            responseMapping: compileHttpResponseMapping(spec.responseParameters),
          },
          build.options.pools,
        ),
      };
    });
    const compiled: CompiledRoute = {
      resourceId: route.routeId,
      resourcePath: route.routeKey,
      routeKey: route.routeKey,
      requestSteps: null,
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

interface RouteParts {
  requestSteps: RequestStep[] | null;
  integration: Integration;
}

/** Compiles one route; if it cannot work, the route answers a configuration error instead. */
function guarded(where: string, build: Build, compile: () => RouteParts): RouteParts {
  try {
    return compile();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    build.options.warn(`stage ${build.stage.stageName}, ${where}: ${reason}; the route answers 500`);
    return {
      requestSteps: null,
      integration: () => Promise.reject(new GatewayError('API_CONFIGURATION_ERROR')),
    };
  }
}
