// Small builders for API models used by data-plane tests.
import type { Deployment, Stage } from '../../src/model/api.js';
import type { HttpApi, HttpIntegration } from '../../src/model/http-api.js';
import type { Integration, Method, Resource, RestApi } from '../../src/model/rest-api.js';

let counter = 0;
const nextId = (prefix: string) => `${prefix}${(++counter).toString(36)}`;

/** A REST API from `METHOD /path` → integration; the resource tree is derived from the paths. */
export function restApi(routes: Record<string, Integration>, extra: Partial<RestApi> = {}): RestApi {
  const resources = new Map<string, Resource>();
  const resourceFor = (path: string): Resource => {
    const existing = resources.get(path);
    if (existing) return existing;
    const parts = path.split('/').filter(Boolean);
    const resource: Resource = { id: nextId('r'), pathPart: parts.at(-1) ?? '', path, resourceMethods: {} };
    if (path !== '/') resource.parentId = resourceFor('/' + parts.slice(0, -1).join('/')).id;
    resources.set(path, resource);
    return resource;
  };
  resourceFor('/');
  for (const [key, integration] of Object.entries(routes)) {
    const [httpMethod, path] = key.split(' ') as [Method['httpMethod'], string];
    resourceFor(path).resourceMethods[httpMethod] = {
      httpMethod,
      authorizationType: 'NONE',
      apiKeyRequired: false,
      methodIntegration: integration,
    };
  }
  return {
    protocolType: 'REST',
    id: nextId('api'),
    name: 'test',
    createdDate: 0,
    binaryMediaTypes: [],
    apiKeySource: 'HEADER',
    resources: [...resources.values()],
    ...extra,
  };
}

export function httpProxy(uri: string, extra: Partial<Integration> = {}): Integration {
  return { type: 'HTTP_PROXY', httpMethod: 'ANY', uri, timeoutInMillis: 29_000, ...extra };
}

export function mock(status: number, body?: string): Integration {
  return {
    type: 'MOCK',
    timeoutInMillis: 29_000,
    requestTemplates: { 'application/json': `{"statusCode": ${status}}` },
    integrationResponses: {
      [String(status)]: {
        statusCode: String(status),
        selectionPattern: String(status),
        ...(body === undefined ? {} : { responseTemplates: { 'application/json': body } }),
      },
    },
  };
}

/** An HTTP API from route keys → HTTP_PROXY URIs. */
export function httpApi(routes: Record<string, string | Partial<HttpIntegration>>): HttpApi {
  const api: HttpApi = {
    protocolType: 'HTTP',
    apiId: nextId('h'),
    name: 'test-http',
    createdDate: 0,
    routeSelectionExpression: '${request.method} ${request.path}',
    routes: [],
    integrations: [],
  };
  for (const [routeKey, spec] of Object.entries(routes)) {
    const integrationId = nextId('i');
    api.integrations.push({
      integrationId,
      integrationType: 'HTTP_PROXY',
      integrationMethod: 'ANY',
      payloadFormatVersion: '1.0',
      timeoutInMillis: 30_000,
      ...(typeof spec === 'string' ? { integrationUri: spec } : spec),
    });
    api.routes.push({
      routeId: nextId('rt'),
      routeKey,
      target: `integrations/${integrationId}`,
      authorizationType: 'NONE',
      apiKeyRequired: false,
    });
  }
  return api;
}

export function deploymentOf(api: RestApi | HttpApi): Deployment {
  const apiId = api.protocolType === 'REST' ? api.id : api.apiId;
  return { id: nextId('d'), apiId, createdDate: 0, api };
}

export function stageOf(
  deployment: Deployment,
  stageName: string,
  variables: Record<string, string> = {},
): Stage {
  return {
    apiId: deployment.apiId,
    stageName,
    deploymentId: deployment.id,
    variables,
    createdDate: 0,
    lastUpdatedDate: 0,
  };
}
