// An HTTP API → an OpenAPI 3 document in the shape AWS exports: importexport-version 1.0, a
// path item per route path, and the $default route under `/$default`.
import type { HttpApi, HttpIntegration, Route } from '../model/http-api.js';
import { httpIntegrationDocOf } from './export-integration.js';
import { componentsOf, documentOf, keptPathItems, type ExportOptions } from './export-root.js';
import { authorizerNames, securityOf, securitySchemesOf } from './export-security.js';
import { METHOD_KEYS } from './import-paths.js';
import { isObject, nonEmpty, omit, optional, type JsonObject } from './values.js';
import {
  ANY_METHOD_KEY,
  AUTH_EXTENSION,
  CORS_EXTENSION,
  DEFAULT_ROUTE_FIELD,
  DEFAULT_ROUTE_KEY,
  ENDPOINT_CONFIGURATION_EXTENSION,
  IMPORTEXPORT_VERSION,
  IMPORTEXPORT_VERSION_EXTENSION,
  INTEGRATION_EXTENSION,
} from './extensions.js';

const DOCUMENT_KEY_OF: Record<string, string> = Object.fromEntries(
  Object.entries(METHOD_KEYS).map(([key, method]) => [method, key]),
);

export function exportHttpApi(api: HttpApi, opts: ExportOptions): JsonObject {
  const keptComponents = isObject(api.openapi?.components) ? api.openapi.components : {};
  const components = componentsOf(api, {
    securitySchemes: securitySchemesOf(api, keptComponents.securitySchemes, { apiKey: false, sigv4: false }),
  });
  return documentOf(api, opts, { paths: pathsOf(api), components, extensions: extensionsOf(api) });
}

function pathsOf(api: HttpApi): JsonObject {
  const keptItems = keptPathItems(api);
  const integrations = new Map(
    api.integrations.map((integration) => [integration.integrationId, integration]),
  );
  const names = authorizerNames(api);
  const paths: JsonObject = {};
  for (const route of api.routes) {
    const { path, method } = splitRouteKey(route.routeKey);
    const kept = keptItems[path];
    const item = (paths[path] ??= isObject(kept) ? { ...kept } : {}) as JsonObject;
    item[DOCUMENT_KEY_OF[method] ?? ANY_METHOD_KEY] = operationOf(
      route,
      integrationOf(route, integrations),
      names,
    );
  }
  // Path items that held no route still carry what was written on them.
  for (const [path, kept] of Object.entries(keptItems)) if (!(path in paths)) paths[path] = kept;
  return paths;
}

function splitRouteKey(routeKey: string): { path: string; method: string } {
  if (routeKey === DEFAULT_ROUTE_KEY) return { path: `/${DEFAULT_ROUTE_KEY}`, method: 'ANY' };
  const space = routeKey.indexOf(' ');
  return { method: routeKey.slice(0, space), path: routeKey.slice(space + 1) };
}

function integrationOf(
  route: Route,
  integrations: Map<string, HttpIntegration>,
): HttpIntegration | undefined {
  const id = route.target?.startsWith('integrations/')
    ? route.target.slice('integrations/'.length)
    : undefined;
  return id === undefined ? undefined : integrations.get(id);
}

function operationOf(
  route: Route,
  integration: HttpIntegration | undefined,
  names: Map<string, string>,
): JsonObject {
  const kept = route.openapi ?? {};
  return {
    ...optional('operationId', route.operationName),
    ...omit(kept, [INTEGRATION_EXTENSION, 'security']),
    ...optional('security', securityOf(route, kept.security, names, 'HTTP')),
    ...optional(AUTH_EXTENSION, route.authorizationType === 'AWS_IAM' ? { type: 'AWS_IAM' } : undefined),
    ...optional(DEFAULT_ROUTE_FIELD, route.routeKey === DEFAULT_ROUTE_KEY ? true : undefined),
    ...optional(
      INTEGRATION_EXTENSION,
      integration ? httpIntegrationDocOf(integration, kept[INTEGRATION_EXTENSION]) : undefined,
    ),
  };
}

function extensionsOf(api: HttpApi): JsonObject {
  const keptEndpoint = api.openapi?.[ENDPOINT_CONFIGURATION_EXTENSION];
  const endpoint = nonEmpty({
    ...(isObject(keptEndpoint) ? keptEndpoint : {}),
    ...optional('disableExecuteApiEndpoint', api.disableExecuteApiEndpoint),
  });
  return {
    [IMPORTEXPORT_VERSION_EXTENSION]: IMPORTEXPORT_VERSION,
    ...optional(CORS_EXTENSION, api.corsConfiguration),
    ...optional(ENDPOINT_CONFIGURATION_EXTENSION, endpoint),
  };
}
