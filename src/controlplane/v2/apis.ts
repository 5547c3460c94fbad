// v2 Apis: CreateApi (with quick create), GetApi(s), UpdateApi (a JSON body of fields),
// DeleteApi and DeleteCorsConfiguration. Import, reimport and export have their own files.
import { corsProblems } from '../../features/cors/index.js';
import { HTTP_API_ROUTE_SELECTION_EXPRESSION, type HttpApi } from '../../model/http-api.js';
import { newApiId } from '../../model/ids.js';
import type { AdminContext } from '../admin-context.js';
import { epochSeconds } from '../admin-context.js';
import { AdminError, badRequest } from '../admin-errors.js';
import { jsonBody, type AdminRequest, type AdminRoutes } from '../admin-router.js';
import { defined, readHttpApi, serialised } from '../api-updates.js';
import { v2List } from '../paging.js';
import { changeHttpApi } from './deploying.js';
import {
  assign,
  optionalBoolean,
  optionalObject,
  optionalString,
  optionalStringMap,
  requiredString,
  type Body,
} from '../body-fields.js';
import { isoDate } from './dates.js';
import { quickCreate, quickCreateTarget } from './quick-create.js';

/** AWS's default for HTTP APIs, which have no API keys. */
const DEFAULT_API_KEY_SELECTION_EXPRESSION = '$request.header.x-api-key';

/**
 * Where the API is served. AWS answers `https://{apiId}.execute-api.{region}.amazonaws.com`;
 * Gatehouse answers the path-style base on its data plane, which any client can reach
 * (`{apiEndpoint}/{stage}/…`, or `{apiEndpoint}/…` for `$default`).
 */
export function apiEndpointOf(ctx: AdminContext, apiId: string): string | undefined {
  return ctx.invokeBaseUrl === undefined ? undefined : `${ctx.invokeBaseUrl}/_aws/execute-api/${apiId}`;
}

/** The Api resource as apigatewayv2 answers it. */
export function apiResource(ctx: AdminContext, api: HttpApi): Record<string, unknown> {
  return defined({
    apiEndpoint: apiEndpointOf(ctx, api.apiId),
    apiId: api.apiId,
    apiKeySelectionExpression: api.apiKeySelectionExpression ?? DEFAULT_API_KEY_SELECTION_EXPRESSION,
    corsConfiguration: api.corsConfiguration,
    createdDate: isoDate(api.createdDate),
    description: api.description,
    disableExecuteApiEndpoint: api.disableExecuteApiEndpoint ?? false,
    name: api.name,
    protocolType: api.protocolType,
    routeSelectionExpression: api.routeSelectionExpression,
    tags: api.tags ?? {},
    version: api.version,
  });
}

export function checkedCors(body: Body): Record<string, unknown> | undefined {
  const cors = optionalObject(body, 'corsConfiguration');
  if (cors === undefined) return undefined;
  const problems = corsProblems(cors, '/corsConfiguration');
  if (problems.length > 0) throw badRequest(`Invalid corsConfiguration: ${problems.join('; ')}`);
  return cors;
}

function checkedName(body: Body, required: boolean): string | undefined {
  const name = required ? requiredString(body, 'name') : optionalString(body, 'name');
  if (name !== undefined && (name === '' || name.length > 128)) {
    throw badRequest('Invalid name: it must be 1 to 128 characters');
  }
  return name;
}

function checkedRouteSelectionExpression(body: Body): string | undefined {
  const expression = optionalString(body, 'routeSelectionExpression');
  if (expression !== undefined && expression !== HTTP_API_ROUTE_SELECTION_EXPRESSION) {
    throw badRequest(
      `Invalid routeSelectionExpression ${expression}: HTTP APIs only support ${HTTP_API_ROUTE_SELECTION_EXPRESSION}`,
    );
  }
  return expression;
}

function checkIpAddressType(body: Body): void {
  const type = optionalString(body, 'ipAddressType');
  if (type !== undefined && type !== 'ipv4') {
    throw badRequest(
      `Invalid ipAddressType ${type}: Gatehouse serves the addresses its listener binds; only ipv4 is accepted`,
    );
  }
}

async function createApi(request: AdminRequest, ctx: AdminContext) {
  const body = jsonBody(request);
  const name = checkedName(body, true)!;
  const protocolType = requiredString(body, 'protocolType');
  if (protocolType === 'WEBSOCKET') {
    throw new AdminError(
      'NotImplementedException',
      'Gatehouse does not support creating WebSocket APIs through the management API; create an HTTP API',
    );
  }
  if (protocolType !== 'HTTP')
    throw badRequest(`Invalid protocolType ${protocolType}: it must be HTTP or WEBSOCKET`);
  checkIpAddressType(body);
  const api: HttpApi = {
    protocolType: 'HTTP',
    apiId: newApiId(),
    name,
    createdDate: epochSeconds(ctx),
    routeSelectionExpression: checkedRouteSelectionExpression(body) ?? HTTP_API_ROUTE_SELECTION_EXPRESSION,
    routes: [],
    integrations: [],
  };
  assign(api, 'description', optionalString(body, 'description'));
  assign(api, 'version', optionalString(body, 'version'));
  assign(api, 'apiKeySelectionExpression', optionalString(body, 'apiKeySelectionExpression'));
  assign(api, 'disableExecuteApiEndpoint', optionalBoolean(body, 'disableExecuteApiEndpoint'));
  assign(api, 'corsConfiguration', checkedCors(body));
  assign(api, 'tags', optionalStringMap(body, 'tags'));
  const target = quickCreateTarget(body);
  if (target) {
    await quickCreate(ctx, api, target);
  } else {
    if (body['routeKey'] !== undefined || body['credentialsArn'] !== undefined) {
      throw badRequest('routeKey and credentialsArn are only accepted together with target (quick create)');
    }
    await ctx.store.createApi(api);
  }
  return { status: 201, body: apiResource(ctx, api) };
}

async function updateApi(request: AdminRequest, ctx: AdminContext) {
  const body = jsonBody(request);
  for (const field of ['target', 'routeKey', 'credentialsArn']) {
    if (body[field] !== undefined && body[field] !== null) {
      throw new AdminError(
        'NotImplementedException',
        `Gatehouse does not support changing ${field} in UpdateApi; update the route and integration instead`,
      );
    }
  }
  const name = checkedName(body, false);
  const cors = checkedCors(body);
  const routeSelectionExpression = checkedRouteSelectionExpression(body);
  checkIpAddressType(body);
  const api = await changeHttpApi(ctx, request.params['apiId']!, (api) => {
    assign(api, 'name', name);
    assign(api, 'routeSelectionExpression', routeSelectionExpression);
    assign(api, 'description', optionalString(body, 'description'));
    assign(api, 'version', optionalString(body, 'version'));
    assign(api, 'apiKeySelectionExpression', optionalString(body, 'apiKeySelectionExpression'));
    assign(api, 'disableExecuteApiEndpoint', optionalBoolean(body, 'disableExecuteApiEndpoint'));
    assign(api, 'corsConfiguration', cors);
    return api;
  });
  return { status: 200, body: apiResource(ctx, api) };
}

export function registerApis(routes: AdminRoutes): void {
  routes
    .add('POST', '/v2/apis', createApi)
    .add('GET', '/v2/apis', async (request, ctx) => {
      const apis = (await ctx.store.listApis()).filter((api): api is HttpApi => api.protocolType === 'HTTP');
      return {
        status: 200,
        body: v2List(
          request,
          apis.map((api) => apiResource(ctx, api)),
        ),
      };
    })
    .add('GET', '/v2/apis/:apiId', async (request, ctx) => ({
      status: 200,
      body: apiResource(ctx, await readHttpApi(ctx, request.params['apiId']!)),
    }))
    .add('PATCH', '/v2/apis/:apiId', updateApi)
    .add('DELETE', '/v2/apis/:apiId', async (request, ctx) => {
      const apiId = request.params['apiId']!;
      await serialised(`api:${apiId}`, async () => {
        await readHttpApi(ctx, apiId);
        await ctx.store.deleteApi(apiId);
      });
      return { status: 204 };
    })
    .add('DELETE', '/v2/apis/:apiId/cors', async (request, ctx) => {
      await changeHttpApi(ctx, request.params['apiId']!, (api) => {
        delete api.corsConfiguration;
      });
      return { status: 204 };
    });
}
