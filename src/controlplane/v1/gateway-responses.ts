// v1 GatewayResponses: PutGatewayResponse, GetGatewayResponse(s), UpdateGatewayResponse (patch
// /statusCode, /responseParameters/{name}, /responseTemplates/{contentType}) and
// DeleteGatewayResponse, which returns the type to its default. Configured responses live in the
// REST API's `gatewayResponses`, keyed by type, as the gateway-responses feature reads them; the
// other types are answered with their defaults and `defaultResponse: true`, as AWS does.
import {
  DEFAULT_GATEWAY_RESPONSE_TEMPLATE,
  gatewayResponseProblems,
} from '../../features/gateway-responses/index.js';
import { GATEWAY_RESPONSE_TYPES, type GatewayResponseType } from '../../dataplane/gateway-responses.js';
import type { RestApi } from '../../model/rest-api.js';
import type { AdminContext } from '../admin-context.js';
import { badRequest, notFound } from '../admin-errors.js';
import { jsonBody, type AdminRequest, type AdminRoutes } from '../admin-router.js';
import { defined, readRestApi, updateRestApi } from '../api-updates.js';
import { optionalStringMap } from '../body-fields.js';
import { v1List } from '../paging.js';
import { invalidPath, patchOperations, patchStringMap, segments } from '../patch.js';

const TYPES = Object.keys(GATEWAY_RESPONSE_TYPES) as GatewayResponseType[];

type Stored = Record<string, unknown>;

function responseType(request: AdminRequest): GatewayResponseType {
  const type = request.params['response_type']!;
  if (!(TYPES as string[]).includes(type)) {
    throw badRequest(
      `1 validation error detected: Value '${type}' at 'responseType' failed to satisfy constraint: ` +
        `Member must satisfy enum value set: [${TYPES.join(', ')}]`,
    );
  }
  return type as GatewayResponseType;
}

/** The class default a type falls back to: DEFAULT_4XX or DEFAULT_5XX. */
function classDefault(type: GatewayResponseType): GatewayResponseType | undefined {
  if (type === 'DEFAULT_4XX' || type === 'DEFAULT_5XX') return undefined;
  return GATEWAY_RESPONSE_TYPES[type].status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
}

/**
 * The response of a type as AWS shows it: the configured one, else the built-in default with
 * whatever a configured DEFAULT_4XX/DEFAULT_5XX supplies (the data plane resolves it the same way).
 */
export function gatewayResponseResource(api: RestApi, type: GatewayResponseType): Record<string, unknown> {
  const configured = api.gatewayResponses?.[type];
  if (configured) {
    return defined({
      responseType: type,
      statusCode: typeof configured['statusCode'] === 'string' ? configured['statusCode'] : undefined,
      responseParameters: configured['responseParameters'],
      responseTemplates: configured['responseTemplates'],
      defaultResponse: false,
    });
  }
  const fallbackType = classDefault(type);
  const fallback = fallbackType === undefined ? undefined : api.gatewayResponses?.[fallbackType];
  // DEFAULT_4XX and DEFAULT_5XX have no status of their own.
  const ownStatus = fallbackType === undefined ? undefined : String(GATEWAY_RESPONSE_TYPES[type].status);
  return defined({
    responseType: type,
    statusCode: typeof fallback?.['statusCode'] === 'string' ? fallback['statusCode'] : ownStatus,
    responseParameters: (fallback?.['responseParameters'] as Record<string, string> | undefined) ?? {},
    responseTemplates: (fallback?.['responseTemplates'] as Record<string, string> | undefined) ?? {
      'application/json': DEFAULT_GATEWAY_RESPONSE_TEMPLATE,
    },
    defaultResponse: true,
  });
}

function check(type: GatewayResponseType, response: Stored): void {
  const problems = gatewayResponseProblems({ [type]: response }, '');
  if (problems.length > 0) throw badRequest(problems.join('; '));
}

async function putGatewayResponse(request: AdminRequest, ctx: AdminContext) {
  const type = responseType(request);
  const body = jsonBody(request);
  const statusCode = body['statusCode'];
  if (statusCode !== undefined && statusCode !== null && typeof statusCode !== 'string')
    throw badRequest('statusCode must be a string such as "404"');
  const response: Stored = defined({
    statusCode: statusCode ?? undefined,
    responseParameters: optionalStringMap(body, 'responseParameters'),
    responseTemplates: optionalStringMap(body, 'responseTemplates'),
  });
  check(type, response);
  const api = await updateRestApi(ctx, request.params['restapi_id']!, (api) => {
    api.gatewayResponses = { ...api.gatewayResponses, [type]: response };
    return api;
  });
  return { status: 201, body: gatewayResponseResource(api, type) };
}

async function updateGatewayResponse(request: AdminRequest, ctx: AdminContext) {
  const type = responseType(request);
  const ops = patchOperations(request);
  const api = await updateRestApi(ctx, request.params['restapi_id']!, (api) => {
    // Updating a type still at its default starts from the default, as on AWS.
    const response: Stored = { ...api.gatewayResponses?.[type] };
    for (const op of ops) {
      if (patchStringMap(response, op, 'responseParameters')) continue;
      if (patchStringMap(response, op, 'responseTemplates')) continue;
      const parts = segments(op.path);
      if (parts.length === 1 && parts[0] === 'statusCode') {
        if (op.op === 'remove') delete response['statusCode'];
        else if (op.op === 'replace' || op.op === 'add') response['statusCode'] = op.value ?? '';
        else throw invalidPath(op);
        continue;
      }
      throw invalidPath(op);
    }
    check(type, response);
    api.gatewayResponses = { ...api.gatewayResponses, [type]: response };
    return api;
  });
  return { status: 200, body: gatewayResponseResource(api, type) };
}

async function deleteGatewayResponse(request: AdminRequest, ctx: AdminContext) {
  const type = responseType(request);
  await updateRestApi(ctx, request.params['restapi_id']!, (api) => {
    if (!api.gatewayResponses?.[type])
      throw notFound('Invalid Gateway Response type specified: it has no custom response');
    const rest = { ...api.gatewayResponses };
    delete rest[type];
    if (Object.keys(rest).length === 0) delete api.gatewayResponses;
    else api.gatewayResponses = rest;
  });
  return { status: 202 };
}

export function registerGatewayResponses(routes: AdminRoutes): void {
  routes
    .add('GET', '/restapis/:restapi_id/gatewayresponses', async (request, ctx) => {
      const api = await readRestApi(ctx, request.params['restapi_id']!);
      return {
        status: 200,
        body: v1List(
          request,
          TYPES.map((type) => gatewayResponseResource(api, type)),
        ),
      };
    })
    .add('GET', '/restapis/:restapi_id/gatewayresponses/:response_type', async (request, ctx) => {
      const type = responseType(request);
      const api = await readRestApi(ctx, request.params['restapi_id']!);
      return { status: 200, body: gatewayResponseResource(api, type) };
    })
    .add('PUT', '/restapis/:restapi_id/gatewayresponses/:response_type', putGatewayResponse)
    .add('PATCH', '/restapis/:restapi_id/gatewayresponses/:response_type', updateGatewayResponse)
    .add('DELETE', '/restapis/:restapi_id/gatewayresponses/:response_type', deleteGatewayResponse);
}
