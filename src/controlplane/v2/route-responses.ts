// v2 RouteResponses of a route: Create, Get, GetAll, Update, Delete. Stored on the route and
// returned as given; AWS uses them for WebSocket APIs, and the HTTP API data plane does not
// read them.
import type { Route } from '../../model/http-api.js';
import { newId } from '../../model/ids.js';
import type { AdminContext } from '../admin-context.js';
import { jsonBody, type AdminRequest, type AdminRoutes } from '../admin-router.js';
import { defined, readHttpApi } from '../api-updates.js';
import { v2List } from '../paging.js';
import { changeHttpApi } from './deploying.js';
import {
  optionalObject,
  optionalString,
  optionalStringMap,
  requiredString,
  type Body,
} from '../body-fields.js';
import { invalidRouteResponseId } from './identifiers.js';
import { findRoute } from './routes.js';

type RouteResponse = Record<string, unknown>;

function routeResponseResource(response: RouteResponse): Record<string, unknown> {
  return defined({
    modelSelectionExpression: response['modelSelectionExpression'],
    responseModels: response['responseModels'],
    responseParameters: response['responseParameters'],
    routeResponseId: response['routeResponseId'],
    routeResponseKey: response['routeResponseKey'],
  });
}

function findResponse(route: Route, id: string): RouteResponse {
  const found = route.routeResponses?.find((response) => response['routeResponseId'] === id);
  if (!found) throw invalidRouteResponseId(id);
  return found;
}

function applyFields(response: RouteResponse, body: Body): void {
  const fields = {
    routeResponseKey: optionalString(body, 'routeResponseKey'),
    modelSelectionExpression: optionalString(body, 'modelSelectionExpression'),
    responseModels: optionalStringMap(body, 'responseModels'),
    responseParameters: optionalObject(body, 'responseParameters'),
  };
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) response[name] = value;
}

async function create(request: AdminRequest, ctx: AdminContext) {
  const body = jsonBody(request);
  requiredString(body, 'routeResponseKey');
  const response = await changeHttpApi(ctx, request.params['apiId']!, (api) => {
    const route = findRoute(api, request.params['routeId']!);
    const response: RouteResponse = { routeResponseId: newId(6) };
    applyFields(response, body);
    (route.routeResponses ??= []).push(response);
    return response;
  });
  return { status: 201, body: routeResponseResource(response) };
}

const BASE = '/v2/apis/:apiId/routes/:routeId/routeresponses';

export function registerRouteResponses(routes: AdminRoutes): void {
  routes
    .add('POST', BASE, create)
    .add('GET', BASE, async (request, ctx) => {
      const api = await readHttpApi(ctx, request.params['apiId']!);
      const route = findRoute(api, request.params['routeId']!);
      return { status: 200, body: v2List(request, (route.routeResponses ?? []).map(routeResponseResource)) };
    })
    .add('GET', `${BASE}/:routeResponseId`, async (request, ctx) => {
      const api = await readHttpApi(ctx, request.params['apiId']!);
      const route = findRoute(api, request.params['routeId']!);
      return {
        status: 200,
        body: routeResponseResource(findResponse(route, request.params['routeResponseId']!)),
      };
    })
    .add('PATCH', `${BASE}/:routeResponseId`, async (request, ctx) => {
      const body = jsonBody(request);
      const response = await changeHttpApi(ctx, request.params['apiId']!, (api) => {
        const route = findRoute(api, request.params['routeId']!);
        const response = findResponse(route, request.params['routeResponseId']!);
        applyFields(response, body);
        return response;
      });
      return { status: 200, body: routeResponseResource(response) };
    })
    .add('DELETE', `${BASE}/:routeResponseId`, async (request, ctx) => {
      await changeHttpApi(ctx, request.params['apiId']!, (api) => {
        const route = findRoute(api, request.params['routeId']!);
        const response = findResponse(route, request.params['routeResponseId']!);
        route.routeResponses = route.routeResponses!.filter((other) => other !== response);
        if (route.routeResponses.length === 0) delete route.routeResponses;
      });
      return { status: 204 };
    });
}
