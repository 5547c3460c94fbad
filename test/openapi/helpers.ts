// Shared by the OpenAPI tests: fixture loading and an API normaliser that replaces generated
// ids with names derived from paths and route keys, so two imports can be compared.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Api } from '../../src/model/api.js';
import type { HttpApi } from '../../src/model/http-api.js';
import type { Method, Resource, RestApi } from '../../src/model/rest-api.js';
import { importOpenApi, type ImportResult } from '../../src/openapi/import.js';
import { loadDocument } from '../../src/openapi/parse.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/openapi/', import.meta.url));
export const INVALID_FIXTURES = join(FIXTURES, 'invalid');

/** Every importable fixture file (the invalid ones live in their own folder). */
export function validFixtureNames(): string[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort();
}

export async function importFixture(name: string): Promise<ImportResult> {
  return importOpenApi(await loadDocument(join(FIXTURES, name)), { now: 1_700_000_000_000 });
}

export async function restFixture(name: string): Promise<{ api: RestApi; warnings: string[] }> {
  const { api, warnings } = await importFixture(name);
  if (api.protocolType !== 'REST') throw new Error(`${name} is not a REST API`);
  return { api, warnings };
}

export async function httpFixture(name: string): Promise<{ api: HttpApi; warnings: string[] }> {
  const { api, warnings } = await importFixture(name);
  if (api.protocolType !== 'HTTP') throw new Error(`${name} is not an HTTP API`);
  return { api, warnings };
}

export function resourceAt(api: RestApi, path: string): Resource {
  const resource = api.resources.find((r) => r.path === path);
  if (!resource) throw new Error(`no resource ${path}; have ${api.resources.map((r) => r.path).join(', ')}`);
  return resource;
}

export function methodAt(api: RestApi, path: string, httpMethod: string): Method {
  const method = resourceAt(api, path).resourceMethods[httpMethod];
  if (!method) throw new Error(`no ${httpMethod} on ${path}`);
  return method;
}

/** The API with generated ids replaced by stable names and createdDate zeroed. */
export function normalizeApi(api: Api): unknown {
  const copy = { ...structuredClone(api), createdDate: 0 };
  return copy.protocolType === 'REST' ? normalizeRest(copy) : normalizeHttp(copy);
}

function normalizeRest(api: RestApi): unknown {
  const pathOf = new Map(api.resources.map((resource) => [resource.id, resource.path]));
  return {
    ...api,
    id: 'API',
    resources: api.resources.map((resource) => ({
      ...resource,
      id: `resource:${resource.path}`,
      ...(resource.parentId === undefined ? {} : { parentId: `resource:${pathOf.get(resource.parentId)}` }),
    })),
  };
}

function normalizeHttp(api: HttpApi): unknown {
  const integrationName = new Map<string, string>();
  for (const route of api.routes) {
    if (route.target)
      integrationName.set(route.target.slice('integrations/'.length), `integration:${route.routeKey}`);
  }
  return {
    ...api,
    apiId: 'API',
    routes: api.routes.map((route) => ({
      ...route,
      routeId: `route:${route.routeKey}`,
      ...(route.target === undefined
        ? {}
        : { target: `integrations/${integrationName.get(route.target.slice('integrations/'.length))}` }),
    })),
    integrations: api.integrations.map((integration) => ({
      ...integration,
      integrationId: integrationName.get(integration.integrationId) ?? 'unreferenced',
    })),
  };
}

/** The value at a path of keys inside a document, or undefined. */
export function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** The keys of the object at a path inside a document, in order. */
export function keysAt(value: unknown, ...keys: string[]): string[] {
  const found = at(value, ...keys);
  return typeof found === 'object' && found !== null ? Object.keys(found) : [];
}
