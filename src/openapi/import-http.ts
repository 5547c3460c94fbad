// An OpenAPI document marked with x-amazon-apigateway-importexport-version → an HTTP API:
// a route per operation (`GET /pets/{id}`, `ANY /{proxy+}`, `$default`), each with its own
// integration.
import { corsProblems } from '../features/cors/index.js';
import {
  HTTP_API_ROUTE_SELECTION_EXPRESSION,
  type HttpApi,
  type HttpIntegration,
  type Route,
} from '../model/http-api.js';
import { newApiId, newRouteId } from '../model/ids.js';
import { CorsDocSchema } from './document-schemas.js';
import { importSecuritySchemes, type SecuritySchemes } from './import-authorizers.js';
import type { ImportContext } from './import-context.js';
import { importHttpIntegration } from './import-http-integration.js';
import { withoutEmptyResponses } from './import-operation.js';
import { DEFAULT_ROUTE_PATHS, readPaths, type OperationEntry } from './import-paths.js';
import {
  endpointConfigurationOf,
  identityOf,
  keptComponentsOf,
  keptRootOf,
  tagsOf,
  warnForeignExtensions,
} from './import-root.js';
import { authorizationOf } from './import-security.js';
import { pointer } from './pointer.js';
import { nonEmpty, omit, optional, stringOf, type JsonObject } from './values.js';
import {
  CORS_EXTENSION,
  DEFAULT_ROUTE_KEY,
  ENDPOINT_CONFIGURATION_EXTENSION,
  IMPORTEXPORT_VERSION,
  IMPORTEXPORT_VERSION_EXTENSION,
  INTEGRATION_EXTENSION,
  REQUEST_VALIDATOR_EXTENSION,
  REST_ROOT_EXTENSIONS,
  ROUTE_MODELED_KEYS,
} from './extensions.js';

const MAX_HTTP_API_NAME = 128;

export function importHttpApi(ctx: ImportContext, createdDate: number): HttpApi {
  const identity = identityOf(ctx, MAX_HTTP_API_NAME);
  checkImportExportVersion(ctx);
  const endpoint = endpointConfigurationOf(ctx);
  const schemes = importSecuritySchemes(ctx, 'HTTP');
  const tags = tagsOf(ctx);
  warnForeignExtensions(ctx, ctx.doc, '', Object.values(REST_ROOT_EXTENSIONS), 'HTTP API');
  const paths = readPaths(ctx, 'HTTP');
  const routes: Route[] = [];
  const integrations: HttpIntegration[] = [];
  const definedAt = new Map<string, string>();
  for (const operation of paths.flatMap((entry) => entry.operations)) {
    const routeKey = routeKeyOf(operation);
    const earlier = definedAt.get(routeKey);
    if (earlier !== undefined) {
      ctx.problem(`${operation.at}: route "${routeKey}" is already defined at ${earlier}`);
      continue;
    }
    definedAt.set(routeKey, operation.at);
    const route = routeOf(ctx, operation, routeKey, schemes, integrations);
    if (route) routes.push(route);
  }
  const kept = keptRootOf(ctx, {
    modeledKeys: [IMPORTEXPORT_VERSION_EXTENSION, CORS_EXTENSION, ENDPOINT_CONFIGURATION_EXTENSION],
    components: keptComponentsOf(ctx, [], schemes.kept),
    tags: tags.kept,
    paths,
    pathKey: (path) => (DEFAULT_ROUTE_PATHS.includes(path) ? `/${DEFAULT_ROUTE_KEY}` : path),
  });
  return {
    protocolType: 'HTTP',
    apiId: newApiId(),
    ...identity,
    createdDate,
    routeSelectionExpression: HTTP_API_ROUTE_SELECTION_EXPRESSION,
    ...optional('disableExecuteApiEndpoint', endpoint.disableExecuteApiEndpoint),
    ...optional('corsConfiguration', corsOf(ctx)),
    ...optional('tags', tags.tags),
    routes,
    integrations,
    ...optional('authorizers', nonEmpty(schemes.authorizers)),
    ...optional('openapi', withEndpointRest(kept, endpoint.rest)),
  };
}

function routeKeyOf(entry: OperationEntry): string {
  return DEFAULT_ROUTE_PATHS.includes(entry.path) ? DEFAULT_ROUTE_KEY : `${entry.method} ${entry.path}`;
}

function routeOf(
  ctx: ImportContext,
  entry: OperationEntry,
  routeKey: string,
  schemes: SecuritySchemes,
  integrations: HttpIntegration[],
): Route | undefined {
  const { operation, at } = entry;
  warnForeignExtensions(ctx, operation, at, [REQUEST_VALIDATOR_EXTENSION], 'HTTP API');
  const authorization = authorizationOf(ctx, schemes, operation, at);
  // Cognito user pool authorizers belong to REST APIs; the scheme itself was already reported.
  if (authorization.authorizationType === 'COGNITO_USER_POOLS') return undefined;
  const imported =
    operation[INTEGRATION_EXTENSION] === undefined
      ? undefined
      : importHttpIntegration(ctx, operation[INTEGRATION_EXTENSION], pointer(at, INTEGRATION_EXTENSION));
  if (imported) integrations.push(imported.integration);
  const bag = withoutEmptyResponses(omit(operation, ROUTE_MODELED_KEYS));
  if (imported?.kept) bag[INTEGRATION_EXTENSION] = imported.kept;
  if (authorization.unmodeled) bag.security = authorization.unmodeled;
  return {
    routeId: newRouteId(),
    routeKey,
    ...optional('target', imported ? `integrations/${imported.integration.integrationId}` : undefined),
    authorizationType: authorization.authorizationType,
    ...optional('authorizerId', authorization.authorizerId),
    ...optional('authorizationScopes', authorization.authorizationScopes),
    apiKeyRequired: authorization.apiKeyRequired,
    ...optional(
      'operationName',
      typeof operation.operationId === 'string' ? operation.operationId : undefined,
    ),
    ...optional('openapi', nonEmpty(bag)),
  };
}

function checkImportExportVersion(ctx: ImportContext): void {
  const value = ctx.doc[IMPORTEXPORT_VERSION_EXTENSION];
  // YAML reads an unquoted 1.0 as the number 1.
  const version = typeof value === 'number' ? value.toFixed(1) : stringOf(value);
  if (version !== IMPORTEXPORT_VERSION) {
    ctx.problem(`${pointer('', IMPORTEXPORT_VERSION_EXTENSION)}: must be "${IMPORTEXPORT_VERSION}"`);
  }
}

function corsOf(ctx: ImportContext): JsonObject | undefined {
  const raw = ctx.doc[CORS_EXTENSION];
  const at = pointer('', CORS_EXTENSION);
  if (raw === undefined || !ctx.check(CorsDocSchema, raw, at)) return undefined;
  const problems = corsProblems(raw, at);
  problems.forEach((line) => ctx.problem(line));
  return problems.length > 0 ? undefined : (raw as JsonObject);
}

/** HTTP APIs model only disableExecuteApiEndpoint; the rest of the extension is kept as written. */
function withEndpointRest(
  kept: JsonObject | undefined,
  rest: JsonObject | undefined,
): JsonObject | undefined {
  if (!rest) return kept;
  return { ...kept, [ENDPOINT_CONFIGURATION_EXTENSION]: rest };
}
