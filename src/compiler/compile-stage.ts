// Deployment + stage → CompiledStage. Every question that does not depend on the request is
// settled here, once per deploy: URIs with stage variables, parameter mappings, selection
// patterns, routing. A route whose configuration cannot work answers AWS's configuration
// error instead of failing the whole stage.
import type { Deployment, Stage } from '../model/api.js';
import {
  CompiledStage,
  defaultErrorRenderer,
  type CompiledRoute,
  type StageSteps,
} from '../dataplane/compiled-stage.js';
import { StageRouter } from '../dataplane/router.js';
import { AuthorizerCache } from '../features/auth/index.js';
import { compileCompression } from '../features/compression/index.js';
import { compileCors } from '../features/cors/index.js';
import { compileGatewayResponses } from '../features/gateway-responses/index.js';
import { ACCOUNT_ID, type Build, type CompileOptions } from './build.js';
import { compileHttpRoutes } from './compile-http.js';
import { compileRestRoutes } from './compile-rest.js';

export type { CompileOptions } from './build.js';

export function compileStage(deployment: Deployment, stage: Stage, options: CompileOptions): CompiledStage {
  const api = deployment.api;
  const router = new StageRouter<CompiledRoute>();
  const context = {
    apiId: deployment.apiId,
    stage: stage.stageName,
    deploymentId: deployment.id,
    domainPrefix: deployment.apiId,
    accountId: ACCOUNT_ID,
  };
  const binaryMediaTypes = api.protocolType === 'REST' ? api.binaryMediaTypes : [];
  const build: Build = { stage, context, options, binaryMediaTypes, authorizerCache: new AuthorizerCache() };
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
  const compiled = new CompiledStage(identity, router.freeze(), steps, options.onUnexpected ?? (() => {}));
  compiled.authorizerCache = build.authorizerCache;
  return compiled;
}
