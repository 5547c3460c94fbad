// v2 Routes: CreateRoute, GetRoute(s), UpdateRoute, DeleteRoute, DeleteRouteRequestParameter.
import { ROUTE_KEY_PATTERN, type HttpApi, type Route } from '../../model/http-api.js';
import { newRouteId } from '../../model/ids.js';
import type { AdminContext } from '../admin-context.js';
import { badRequest, conflict } from '../admin-errors.js';
import { jsonBody, type AdminRequest, type AdminRoutes } from '../admin-router.js';
import { defined, readHttpApi } from '../api-updates.js';
import { v2List } from '../paging.js';
import { changeHttpApi } from './deploying.js';
import {
  assign,
  optionalBoolean,
  optionalObject,
  optionalString,
  optionalStringList,
  requiredString,
  type Body,
} from '../body-fields.js';
import { invalidAuthorizerId, invalidIntegrationId, invalidRouteId } from './identifiers.js';

const AUTHORIZATION_TYPES = ['NONE', 'JWT', 'AWS_IAM', 'CUSTOM'] as const;
const ROUTE_KEY = new RegExp(ROUTE_KEY_PATTERN);

export function routeResource(route: Route): Record<string, unknown> {
  return defined({
    apiKeyRequired: route.apiKeyRequired,
    authorizationScopes: route.authorizationScopes,
    authorizationType: route.authorizationType,
    authorizerId: route.authorizerId,
    operationName: route.operationName,
    requestParameters: route.requestParameters,
    routeId: route.routeId,
    routeKey: route.routeKey,
    target: route.target,
  });
}

export function findRoute(api: HttpApi, routeId: string): Route {
  const route = api.routes.find((candidate) => candidate.routeId === routeId);
  if (!route) throw invalidRouteId(routeId);
  return route;
}

function checkedRouteKey(body: Body, required: boolean): string | undefined {
  const routeKey = required ? requiredString(body, 'routeKey') : optionalString(body, 'routeKey');
  if (routeKey !== undefined && !ROUTE_KEY.test(routeKey)) {
    throw badRequest(
      `Invalid routeKey ${routeKey}: it must be $default or a method (GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS or ANY) and a path starting with /, e.g. "GET /pets/{id}"`,
    );
  }
  return routeKey;
}

/** Applies the body's fields to `route`, checking what they refer to in `api`. */
function applyRouteFields(api: HttpApi, route: Route, body: Body): void {
  const routeKey = checkedRouteKey(body, false);
  if (routeKey !== undefined && routeKey !== route.routeKey) {
    if (api.routes.some((other) => other !== route && other.routeKey === routeKey)) {
      throw conflict(`Route with key ${routeKey} already exists for this API`);
    }
    route.routeKey = routeKey;
  }
  const target = optionalString(body, 'target');
  if (target === '') delete route.target;
  else if (target !== undefined) {
    const match = /^integrations\/(.+)$/.exec(target);
    if (!match) throw badRequest(`Invalid target ${target}: it must be integrations/{integrationId}`);
    if (!api.integrations.some((integration) => integration.integrationId === match[1])) {
      throw invalidIntegrationId(match[1]!);
    }
    route.target = target;
  }
  const authorizationType = optionalString(body, 'authorizationType');
  if (authorizationType !== undefined) {
    if (!(AUTHORIZATION_TYPES as readonly string[]).includes(authorizationType)) {
      throw badRequest(
        `Invalid authorizationType ${authorizationType}: it must be one of ${AUTHORIZATION_TYPES.join(', ')}`,
      );
    }
    route.authorizationType = authorizationType as Route['authorizationType'];
  }
  assign(route, 'authorizerId', optionalString(body, 'authorizerId'));
  assign(route, 'authorizationScopes', optionalStringList(body, 'authorizationScopes'));
  assign(route, 'operationName', optionalString(body, 'operationName'));
  assign(route, 'requestParameters', optionalObject(body, 'requestParameters'));
  if (optionalBoolean(body, 'apiKeyRequired') === true) {
    throw badRequest('API keys are not supported for HTTP APIs: apiKeyRequired must be false');
  }
  checkAuthorization(api, route);
}

function checkAuthorization(api: HttpApi, route: Route): void {
  if (route.authorizationType === 'NONE' || route.authorizationType === 'AWS_IAM') {
    // AWS drops the authorizer when a route stops using one.
    delete route.authorizerId;
    if (route.authorizationType === 'NONE') delete route.authorizationScopes;
    return;
  }
  if (route.authorizerId === undefined || route.authorizerId === '') {
    throw badRequest(`authorizerId is required when authorizationType is ${route.authorizationType}`);
  }
  const authorizer = api.authorizers?.find((candidate) => candidate['authorizerId'] === route.authorizerId);
  if (!authorizer) throw invalidAuthorizerId(route.authorizerId);
  const expected = route.authorizationType === 'JWT' ? 'JWT' : 'REQUEST';
  if (authorizer['authorizerType'] !== expected) {
    throw badRequest(
      `Authorizer ${route.authorizerId} is a ${String(authorizer['authorizerType'])} authorizer; authorizationType ${route.authorizationType} needs a ${expected} authorizer`,
    );
  }
  if (route.authorizationType === 'CUSTOM' && route.authorizationScopes !== undefined) {
    throw badRequest('authorizationScopes are only supported for JWT and AWS_IAM authorization');
  }
}

async function createRoute(request: AdminRequest, ctx: AdminContext) {
  const body = jsonBody(request);
  const routeKey = checkedRouteKey(body, true)!;
  const route = await changeHttpApi(ctx, request.params['apiId']!, (api) => {
    if (api.routes.some((other) => other.routeKey === routeKey)) {
      throw conflict(`Route with key ${routeKey} already exists for this API`);
    }
    const route: Route = {
      routeId: newRouteId(),
      routeKey,
      authorizationType: 'NONE',
      apiKeyRequired: false,
    };
    applyRouteFields(api, route, body);
    api.routes.push(route);
    return route;
  });
  return { status: 201, body: routeResource(route) };
}

async function updateRoute(request: AdminRequest, ctx: AdminContext) {
  const body = jsonBody(request);
  const route = await changeHttpApi(ctx, request.params['apiId']!, (api) => {
    const route = findRoute(api, request.params['routeId']!);
    applyRouteFields(api, route, body);
    return route;
  });
  return { status: 200, body: routeResource(route) };
}

export function registerRoutes(routes: AdminRoutes): void {
  routes
    .add('POST', '/v2/apis/:apiId/routes', createRoute)
    .add('GET', '/v2/apis/:apiId/routes', async (request, ctx) => {
      const api = await readHttpApi(ctx, request.params['apiId']!);
      return { status: 200, body: v2List(request, api.routes.map(routeResource)) };
    })
    .add('GET', '/v2/apis/:apiId/routes/:routeId', async (request, ctx) => {
      const api = await readHttpApi(ctx, request.params['apiId']!);
      return { status: 200, body: routeResource(findRoute(api, request.params['routeId']!)) };
    })
    .add('PATCH', '/v2/apis/:apiId/routes/:routeId', updateRoute)
    .add('DELETE', '/v2/apis/:apiId/routes/:routeId', async (request, ctx) => {
      await changeHttpApi(ctx, request.params['apiId']!, (api) => {
        const route = findRoute(api, request.params['routeId']!);
        api.routes = api.routes.filter((other) => other !== route);
      });
      return { status: 204 };
    })
    .add(
      'DELETE',
      '/v2/apis/:apiId/routes/:routeId/requestparameters/:requestParameterKey',
      async (request, ctx) => {
        await changeHttpApi(ctx, request.params['apiId']!, (api) => {
          const route = findRoute(api, request.params['routeId']!);
          const key = request.params['requestParameterKey']!;
          if (route.requestParameters?.[key] === undefined) {
            throw badRequest(`Invalid request parameter key ${key}: the route has no such request parameter`);
          }
          delete route.requestParameters[key];
        });
        return { status: 204 };
      },
    );
}
