// v1 Integrations and IntegrationResponses: PutIntegration, GetIntegration, UpdateIntegration,
// DeleteIntegration; PutIntegrationResponse, GetIntegrationResponse, UpdateIntegrationResponse,
// DeleteIntegrationResponse. On the wire the integration's own HTTP method is `httpMethod`
// (the CLI's --integration-http-method); the method's is in the path.
import {
  CONTENT_HANDLING,
  DEFAULT_REST_TIMEOUT_MS,
  MAX_TIMEOUT_MS,
  MIN_TIMEOUT_MS,
  PASSTHROUGH_BEHAVIORS,
  REST_INTEGRATION_TYPES,
  type Integration,
  type IntegrationResponse,
  type Method,
} from '../../model/rest-api.js';
import type { AdminContext } from '../admin-context.js';
import { badRequest, notFound } from '../admin-errors.js';
import { jsonBody, type AdminRequest, type AdminRoutes } from '../admin-router.js';
import { defined, readRestApi, updateRestApi } from '../api-updates.js';
import { optionalString, optionalStringMap } from '../body-fields.js';
import {
  invalidPath,
  patchOperations,
  patchScalar,
  patchStringMap,
  segments,
  type PatchOperation,
} from '../patch.js';
import {
  findMethod,
  findResource,
  invalidStatusCode,
  requestedMethod,
  requestedResponse,
  statusCodeOf,
} from './rest-lookup.js';

export function integrationResponseShape(response: IntegrationResponse): Record<string, unknown> {
  return defined({
    statusCode: response.statusCode,
    selectionPattern: response.selectionPattern,
    responseParameters: response.responseParameters,
    responseTemplates: response.responseTemplates,
    contentHandling: response.contentHandling,
  });
}

export function integrationShape(integration: Integration): Record<string, unknown> {
  const responses = Object.entries(integration.integrationResponses ?? {});
  return defined({
    type: integration.type,
    httpMethod: integration.httpMethod,
    uri: integration.uri,
    connectionType: integration.connectionType,
    connectionId: integration.connectionId,
    credentials: integration.credentials,
    requestParameters: integration.requestParameters,
    requestTemplates: integration.requestTemplates,
    passthroughBehavior: integration.passthroughBehavior,
    contentHandling: integration.contentHandling,
    timeoutInMillis: integration.timeoutInMillis,
    cacheNamespace: integration.cacheNamespace,
    cacheKeyParameters: integration.cacheKeyParameters,
    integrationResponses:
      responses.length > 0
        ? Object.fromEntries(responses.map(([code, response]) => [code, integrationResponseShape(response)]))
        : undefined,
    tlsConfig: integration.tlsConfig,
  });
}

const noIntegration = (): Error => notFound('No integration defined for method');

function integrationOf(method: Method): Integration {
  if (!method.methodIntegration) throw noIntegration();
  return method.methodIntegration;
}

function enumValue<T extends string>(value: unknown, allowed: readonly T[], name: string): T | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw badRequest(`Invalid ${name} specified. Valid options are ${allowed.join(',')}`);
  }
  return value as T;
}

/** What AWS requires of an integration of each type, checked after every write. */
function checkIntegration(integration: Integration): void {
  if (integration.type !== 'MOCK') {
    if (!integration.httpMethod) throw badRequest('Enumeration value for HttpMethod must be non-empty');
    if (!integration.uri) {
      throw badRequest(
        integration.type.startsWith('HTTP')
          ? 'Invalid HTTP endpoint specified for URI'
          : 'Invalid ARN specified in the request',
      );
    }
  }
  if (integration.type.startsWith('HTTP') && integration.uri && !/^https?:\/\//i.test(integration.uri)) {
    throw badRequest('Invalid HTTP endpoint specified for URI');
  }
  const timeout = integration.timeoutInMillis;
  if (!Number.isInteger(timeout) || timeout < MIN_TIMEOUT_MS || timeout > MAX_TIMEOUT_MS) {
    throw badRequest(`Timeout should be between ${MIN_TIMEOUT_MS} ms and ${MAX_TIMEOUT_MS} ms`);
  }
}

async function putIntegration(request: AdminRequest, ctx: AdminContext) {
  const body = jsonBody(request);
  const type = enumValue(body['type'], REST_INTEGRATION_TYPES, 'integration type');
  if (type === undefined) throw badRequest('Invalid null or empty value for type');
  const timeout = body['timeoutInMillis'];
  if (timeout !== undefined && timeout !== null && typeof timeout !== 'number') {
    throw badRequest('timeoutInMillis must be a number');
  }
  const cacheKeyParameters = body['cacheKeyParameters'];
  if (cacheKeyParameters !== undefined && cacheKeyParameters !== null && !Array.isArray(cacheKeyParameters)) {
    throw badRequest('cacheKeyParameters must be a list of strings');
  }
  const tlsConfig = body['tlsConfig'];
  const integration = await updateRestApi(ctx, request.params['restapi_id']!, (api) => {
    const resource = findResource(api, request.params['resource_id']!);
    const method = findMethod(resource, request.params['http_method']!);
    const integration: Integration = {
      type,
      timeoutInMillis: typeof timeout === 'number' ? timeout : DEFAULT_REST_TIMEOUT_MS,
      // AWS's defaults: the namespace is the resource's id, and no cache key parameters.
      cacheNamespace: optionalString(body, 'cacheNamespace') ?? resource.id,
      cacheKeyParameters: ((cacheKeyParameters as unknown[] | undefined) ?? []).map(String),
      passthroughBehavior:
        enumValue(body['passthroughBehavior'], PASSTHROUGH_BEHAVIORS, 'passthrough behavior') ??
        'WHEN_NO_MATCH',
    };
    const optional = {
      httpMethod: optionalString(body, 'httpMethod')?.toUpperCase(),
      uri: optionalString(body, 'uri'),
      connectionType: optionalString(body, 'connectionType'),
      connectionId: optionalString(body, 'connectionId'),
      credentials: optionalString(body, 'credentials'),
      requestParameters: optionalStringMap(body, 'requestParameters'),
      requestTemplates: optionalStringMap(body, 'requestTemplates'),
      contentHandling: enumValue(body['contentHandling'], CONTENT_HANDLING, 'content handling strategy'),
      tlsConfig:
        typeof tlsConfig === 'object' && tlsConfig !== null
          ? (tlsConfig as Record<string, unknown>)
          : undefined,
    };
    Object.assign(integration, defined(optional));
    checkIntegration(integration);
    // PutIntegration replaces the whole integration, its integration responses included.
    method.methodIntegration = integration;
    return integration;
  });
  return { status: 201, body: integrationShape(integration) };
}

const INTEGRATION_SCALARS = {
  type: 'string',
  httpMethod: 'string',
  uri: 'string',
  connectionType: 'string',
  connectionId: 'string',
  credentials: 'string',
  passthroughBehavior: 'string',
  contentHandling: 'string',
  timeoutInMillis: 'integer',
  cacheNamespace: 'string',
} as const;

function patchIntegration(integration: Integration, op: PatchOperation): void {
  const target = integration as unknown as Record<string, unknown>;
  const parts = segments(op.path);
  if (patchStringMap(target, op, 'requestParameters')) return;
  if (patchStringMap(target, op, 'requestTemplates')) return;
  if (parts[0] === 'cacheKeyParameters' && parts.length === 2) {
    const keys = new Set(integration.cacheKeyParameters ?? []);
    if (op.op === 'add') keys.add(parts[1]!);
    else if (op.op === 'remove') keys.delete(parts[1]!);
    else throw invalidPath(op);
    integration.cacheKeyParameters = [...keys];
    return;
  }
  if (parts[0] === 'tlsConfig' && parts[1] === 'insecureSkipVerification' && op.op === 'replace') {
    integration.tlsConfig = { ...integration.tlsConfig, insecureSkipVerification: op.value === 'true' };
    return;
  }
  if (parts[0] === 'type' && op.op === 'remove') throw invalidPath(op);
  if (parts[0] === 'timeoutInMillis' && op.op === 'remove') throw invalidPath(op);
  if (patchScalar(target, op, INTEGRATION_SCALARS)) {
    enumValue(integration.type, REST_INTEGRATION_TYPES, 'integration type');
    enumValue(integration.passthroughBehavior, PASSTHROUGH_BEHAVIORS, 'passthrough behavior');
    enumValue(integration.contentHandling, CONTENT_HANDLING, 'content handling strategy');
    if (parts[0] === 'httpMethod' && integration.httpMethod)
      integration.httpMethod = integration.httpMethod.toUpperCase();
    return;
  }
  throw invalidPath(op);
}

async function updateIntegration(request: AdminRequest, ctx: AdminContext) {
  const ops = patchOperations(request);
  const integration = await updateRestApi(ctx, request.params['restapi_id']!, (api) => {
    const method = requestedMethod(api, request);
    const integration = integrationOf(method);
    for (const op of ops) patchIntegration(integration, op);
    checkIntegration(integration);
    return integration;
  });
  return { status: 200, body: integrationShape(integration) };
}

async function putIntegrationResponse(request: AdminRequest, ctx: AdminContext) {
  const body = jsonBody(request);
  const statusCode = statusCodeOf(request.params['status_code']!);
  const response = {
    statusCode,
    ...defined({
      selectionPattern: optionalString(body, 'selectionPattern'),
      responseParameters: optionalStringMap(body, 'responseParameters'),
      responseTemplates: optionalStringMap(body, 'responseTemplates'),
      contentHandling: enumValue(body['contentHandling'], CONTENT_HANDLING, 'content handling strategy'),
    }),
  } as IntegrationResponse;
  await updateRestApi(ctx, request.params['restapi_id']!, (api) => {
    const method = requestedMethod(api, request);
    const integration = integrationOf(method);
    integration.integrationResponses = { ...integration.integrationResponses, [statusCode]: response };
  });
  return { status: 201, body: integrationResponseShape(response) };
}

function patchIntegrationResponse(response: IntegrationResponse, op: PatchOperation): void {
  const target = response as unknown as Record<string, unknown>;
  if (patchStringMap(target, op, 'responseParameters')) return;
  if (patchStringMap(target, op, 'responseTemplates')) return;
  if (patchScalar(target, op, { selectionPattern: 'string', contentHandling: 'string' })) {
    enumValue(response.contentHandling, CONTENT_HANDLING, 'content handling strategy');
    return;
  }
  throw invalidPath(op);
}

async function updateIntegrationResponse(request: AdminRequest, ctx: AdminContext) {
  const ops = patchOperations(request);
  const response = await updateRestApi(ctx, request.params['restapi_id']!, (api) => {
    const method = requestedMethod(api, request);
    const response = requestedResponse(integrationOf(method).integrationResponses, request);
    for (const op of ops) patchIntegrationResponse(response, op);
    return response;
  });
  return { status: 200, body: integrationResponseShape(response) };
}

export function registerIntegrations(routes: AdminRoutes): void {
  const integration = '/restapis/:restapi_id/resources/:resource_id/methods/:http_method/integration';
  const response = `${integration}/responses/:status_code`;
  routes
    .add('PUT', integration, putIntegration)
    .add('GET', integration, async (request, ctx) => {
      const api = await readRestApi(ctx, request.params['restapi_id']!);
      const method = requestedMethod(api, request);
      return { status: 200, body: integrationShape(integrationOf(method)) };
    })
    .add('PATCH', integration, updateIntegration)
    .add('DELETE', integration, async (request, ctx) => {
      await updateRestApi(ctx, request.params['restapi_id']!, (api) => {
        const method = requestedMethod(api, request);
        integrationOf(method);
        delete method.methodIntegration;
      });
      return { status: 204 };
    })
    .add('PUT', response, putIntegrationResponse)
    .add('GET', response, async (request, ctx) => {
      const api = await readRestApi(ctx, request.params['restapi_id']!);
      const method = requestedMethod(api, request);
      const found = requestedResponse(integrationOf(method).integrationResponses, request);
      return { status: 200, body: integrationResponseShape(found) };
    })
    .add('PATCH', response, updateIntegrationResponse)
    .add('DELETE', response, async (request, ctx) => {
      await updateRestApi(ctx, request.params['restapi_id']!, (api) => {
        const method = requestedMethod(api, request);
        const found = integrationOf(method);
        const code = request.params['status_code']!;
        if (!found.integrationResponses?.[code]) throw invalidStatusCode();
        delete found.integrationResponses[code];
      });
      return { status: 204 };
    });
}
