// v1 Methods and MethodResponses: PutMethod, GetMethod (with its integration and method
// responses embedded, as AWS answers), UpdateMethod, DeleteMethod; PutMethodResponse,
// GetMethodResponse, UpdateMethodResponse, DeleteMethodResponse.
import { AUTHORIZATION_TYPES, type Method, type MethodResponse, type RestApi } from '../../model/rest-api.js';
import type { AdminContext } from '../admin-context.js';
import { badRequest, conflict } from '../admin-errors.js';
import { jsonBody, type AdminRequest, type AdminRoutes } from '../admin-router.js';
import { defined, readRestApi, updateRestApi } from '../api-updates.js';
import { optionalBooleanMap, optionalString, optionalStringMap } from '../body-fields.js';
import {
  invalidPath,
  patchBooleanMap,
  patchOperations,
  patchScalar,
  patchStringMap,
  segments,
  type PatchOperation,
} from '../patch.js';
import { integrationShape } from './integrations.js';
import {
  findMethod,
  findResource,
  httpMethodOf,
  invalidStatusCode,
  requestedMethod,
  requestedResponse,
  statusCodeOf,
} from './rest-lookup.js';

export function methodResponseShape(response: MethodResponse): Record<string, unknown> {
  return defined({
    statusCode: response.statusCode,
    responseParameters: response.responseParameters,
    responseModels: response.responseModels,
  });
}

/** The Method as AWS answers it: the integration and method responses embedded. */
export function methodShape(method: Method): Record<string, unknown> {
  const responses = Object.entries(method.methodResponses ?? {});
  return defined({
    httpMethod: method.httpMethod,
    authorizationType: method.authorizationType,
    authorizerId: method.authorizerId,
    apiKeyRequired: method.apiKeyRequired,
    requestValidatorId: method.requestValidatorId,
    operationName: method.operationName,
    requestParameters: method.requestParameters,
    requestModels: method.requestModels,
    methodResponses:
      responses.length > 0
        ? Object.fromEntries(responses.map(([code, response]) => [code, methodResponseShape(response)]))
        : undefined,
    methodIntegration: method.methodIntegration && integrationShape(method.methodIntegration),
    authorizationScopes: method.authorizationScopes,
  });
}

function authorizationTypeOf(value: string): Method['authorizationType'] {
  if (!(AUTHORIZATION_TYPES as readonly string[]).includes(value)) {
    throw badRequest(
      `Invalid authorization type specified. Valid options are ${AUTHORIZATION_TYPES.join(',')}`,
    );
  }
  return value as Method['authorizationType'];
}

/** The ids a method names must exist in the API, as AWS checks when the method is written. */
function checkReferences(api: RestApi, method: Method): void {
  if (method.authorizerId !== undefined && !api.authorizers?.some((a) => a['id'] === method.authorizerId)) {
    throw badRequest('Invalid authorizer ID specified');
  }
  if (
    method.requestValidatorId !== undefined &&
    !api.requestValidators?.some((v) => v['id'] === method.requestValidatorId)
  ) {
    throw badRequest('Invalid Request Validator identifier specified');
  }
}

async function putMethod(request: AdminRequest, ctx: AdminContext) {
  const body = jsonBody(request);
  const httpMethod = httpMethodOf(request.params['http_method']!);
  const authorizationType = optionalString(body, 'authorizationType');
  if (authorizationType === undefined) throw badRequest('Invalid null or empty value for authorizationType');
  const method: Method = {
    httpMethod,
    authorizationType: authorizationTypeOf(authorizationType),
    apiKeyRequired: body['apiKeyRequired'] === true,
  };
  const optional = {
    authorizerId: optionalString(body, 'authorizerId'),
    operationName: optionalString(body, 'operationName'),
    requestValidatorId: optionalString(body, 'requestValidatorId'),
    requestParameters: optionalBooleanMap(body, 'requestParameters'),
    requestModels: optionalStringMap(body, 'requestModels'),
  };
  Object.assign(method, defined(optional));
  if (Array.isArray(body['authorizationScopes'])) {
    method.authorizationScopes = body['authorizationScopes'].map(String);
  }
  await updateRestApi(ctx, request.params['restapi_id']!, (api) => {
    const resource = findResource(api, request.params['resource_id']!);
    if (resource.resourceMethods[httpMethod]) throw conflict('Method already exists for this resource');
    checkReferences(api, method);
    resource.resourceMethods[httpMethod] = method;
  });
  return { status: 201, body: methodShape(method) };
}

const METHOD_SCALARS = {
  authorizationType: 'string',
  authorizerId: 'string',
  apiKeyRequired: 'boolean',
  requestValidatorId: 'string',
  operationName: 'string',
} as const;

function patchMethod(method: Method, op: PatchOperation): void {
  const target = method as unknown as Record<string, unknown>;
  const parts = segments(op.path);
  if (patchBooleanMap(target, op, 'requestParameters')) return;
  if (parts[0] === 'authorizationScopes' && parts.length <= 2) {
    const scopes = new Set(method.authorizationScopes ?? []);
    const scope = parts[1] ?? op.value;
    if (op.op === 'remove' && parts.length === 1) scopes.clear();
    else if (scope === undefined) throw invalidPath(op);
    else if (op.op === 'add' || op.op === 'replace') scopes.add(scope);
    else if (op.op === 'remove') scopes.delete(scope);
    else throw invalidPath(op);
    if (scopes.size > 0) method.authorizationScopes = [...scopes];
    else delete method.authorizationScopes;
    return;
  }
  if (patchStringMap(target, op, 'requestModels')) return;
  if (patchScalar(target, op, METHOD_SCALARS)) {
    if (op.op === 'remove' && (parts[0] === 'authorizationType' || parts[0] === 'apiKeyRequired')) {
      throw invalidPath(op);
    }
    if (parts[0] === 'authorizationType') authorizationTypeOf(method.authorizationType);
    return;
  }
  throw invalidPath(op);
}

async function updateMethod(request: AdminRequest, ctx: AdminContext) {
  const ops = patchOperations(request);
  const method = await updateRestApi(ctx, request.params['restapi_id']!, (api) => {
    const method = requestedMethod(api, request);
    for (const op of ops) patchMethod(method, op);
    // Without an authorizer type the method has no use for an authorizer id.
    if (method.authorizationType !== 'CUSTOM' && method.authorizationType !== 'COGNITO_USER_POOLS') {
      delete method.authorizerId;
    }
    checkReferences(api, method);
    return method;
  });
  return { status: 200, body: methodShape(method) };
}

async function putMethodResponse(request: AdminRequest, ctx: AdminContext) {
  const body = jsonBody(request);
  const statusCode = statusCodeOf(request.params['status_code']!);
  const response = defined({
    statusCode,
    responseParameters: optionalBooleanMap(body, 'responseParameters'),
    responseModels: optionalStringMap(body, 'responseModels'),
  }) as MethodResponse;
  await updateRestApi(ctx, request.params['restapi_id']!, (api) => {
    const method = requestedMethod(api, request);
    method.methodResponses = { ...method.methodResponses, [statusCode]: response };
  });
  return { status: 201, body: methodResponseShape(response) };
}

function patchMethodResponse(response: MethodResponse, op: PatchOperation): void {
  if (patchBooleanMap(response, op, 'responseParameters')) return;
  if (patchStringMap(response, op, 'responseModels')) return;
  throw invalidPath(op);
}

async function updateMethodResponse(request: AdminRequest, ctx: AdminContext) {
  const ops = patchOperations(request);
  const response = await updateRestApi(ctx, request.params['restapi_id']!, (api) => {
    const response = requestedResponse(requestedMethod(api, request).methodResponses, request);
    for (const op of ops) patchMethodResponse(response, op);
    return response;
  });
  // AWS answers UpdateMethodResponse with 201.
  return { status: 201, body: methodResponseShape(response) };
}

export function registerMethods(routes: AdminRoutes): void {
  const method = '/restapis/:restapi_id/resources/:resource_id/methods/:http_method';
  const response = `${method}/responses/:status_code`;
  routes
    .add('PUT', method, putMethod)
    .add('GET', method, async (request, ctx) => {
      const api = await readRestApi(ctx, request.params['restapi_id']!);
      const found = requestedMethod(api, request);
      return { status: 200, body: methodShape(found) };
    })
    .add('PATCH', method, updateMethod)
    .add('DELETE', method, async (request, ctx) => {
      await updateRestApi(ctx, request.params['restapi_id']!, (api) => {
        const resource = findResource(api, request.params['resource_id']!);
        const found = findMethod(resource, request.params['http_method']!);
        delete resource.resourceMethods[found.httpMethod];
      });
      return { status: 204 };
    })
    .add('PUT', response, putMethodResponse)
    .add('GET', response, async (request, ctx) => {
      const api = await readRestApi(ctx, request.params['restapi_id']!);
      const methodResponse = requestedResponse(requestedMethod(api, request).methodResponses, request);
      return { status: 200, body: methodResponseShape(methodResponse) };
    })
    .add('PATCH', response, updateMethodResponse)
    .add('DELETE', response, async (request, ctx) => {
      await updateRestApi(ctx, request.params['restapi_id']!, (api) => {
        const found = requestedMethod(api, request);
        const code = request.params['status_code']!;
        if (!found.methodResponses?.[code]) throw invalidStatusCode();
        delete found.methodResponses[code];
      });
      return { status: 204 };
    });
}
