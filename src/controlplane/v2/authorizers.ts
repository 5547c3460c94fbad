// v2 Authorizers: CreateAuthorizer, GetAuthorizer(s), UpdateAuthorizer, DeleteAuthorizer, and
// ResetAuthorizersCache. They are stored in the shape the data plane's HTTP API authorization
// reads (src/features/auth/authorizer-config.ts), so a deployed authorizer works as created.
import { httpAuthorizerConfig } from '../../features/auth/authorizer-config.js';
import { AuthConfigurationError } from '../../features/auth/errors.js';
import type { HttpApi } from '../../model/http-api.js';
import { newId } from '../../model/ids.js';
import type { AdminContext } from '../admin-context.js';
import { AdminError, badRequest, conflict } from '../admin-errors.js';
import { jsonBody, type AdminRequest, type AdminRoutes } from '../admin-router.js';
import { defined, readHttpApi } from '../api-updates.js';
import { v2List } from '../paging.js';
import { changeHttpApi } from './deploying.js';
import {
  optionalBoolean,
  optionalInteger,
  optionalObject,
  optionalString,
  optionalStringList,
  requiredString,
  type Body,
} from '../body-fields.js';
import { invalidAuthorizerId, invalidStageId } from './identifiers.js';

type Authorizer = Record<string, unknown>;

const FIELDS = [
  'authorizerCredentialsArn',
  'authorizerId',
  'authorizerPayloadFormatVersion',
  'authorizerResultTtlInSeconds',
  'authorizerType',
  'authorizerUri',
  'enableSimpleResponses',
  'identitySource',
  'identityValidationExpression',
  'jwtConfiguration',
  'name',
] as const;

function authorizerResource(authorizer: Authorizer): Record<string, unknown> {
  return defined(Object.fromEntries(FIELDS.map((field) => [field, authorizer[field]])));
}

function findAuthorizer(api: HttpApi, authorizerId: string): Authorizer {
  const found = api.authorizers?.find((authorizer) => authorizer['authorizerId'] === authorizerId);
  if (!found) throw invalidAuthorizerId(authorizerId);
  return found;
}

function jwtConfigurationOf(body: Body): Record<string, unknown> | undefined {
  const jwt = optionalObject(body, 'jwtConfiguration');
  if (jwt === undefined) return undefined;
  return defined({
    audience: optionalStringList(jwt, 'audience'),
    issuer: optionalString(jwt, 'issuer'),
  });
}

function applyFields(authorizer: Authorizer, body: Body): void {
  const type = optionalString(body, 'authorizerType');
  if (type !== undefined && type !== 'JWT' && type !== 'REQUEST') {
    throw badRequest(`Invalid authorizerType ${type}: HTTP APIs support JWT and REQUEST authorizers`);
  }
  const fields: Record<string, unknown> = {
    authorizerType: type,
    name: optionalString(body, 'name'),
    authorizerCredentialsArn: optionalString(body, 'authorizerCredentialsArn'),
    authorizerPayloadFormatVersion: optionalString(body, 'authorizerPayloadFormatVersion'),
    authorizerResultTtlInSeconds: optionalInteger(body, 'authorizerResultTtlInSeconds', 0, 3600),
    authorizerUri: optionalString(body, 'authorizerUri'),
    enableSimpleResponses: optionalBoolean(body, 'enableSimpleResponses'),
    identitySource: optionalStringList(body, 'identitySource'),
    identityValidationExpression: optionalString(body, 'identityValidationExpression'),
    jwtConfiguration: jwtConfigurationOf(body),
  };
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) authorizer[name] = value;
}

/** AWS's rules for each type, then the data plane's own reading of the authorizer. */
function checkAuthorizer(api: HttpApi, authorizer: Authorizer): void {
  const name = authorizer['name'];
  if (typeof name !== 'string' || name === '') throw badRequest('name is required');
  if (api.authorizers?.some((other) => other !== authorizer && other['name'] === name)) {
    throw conflict(`Authorizer name ${name} already exists for this API`);
  }
  const sources = (authorizer['identitySource'] as string[] | undefined) ?? [];
  if (authorizer['authorizerType'] === 'JWT') {
    const jwt = authorizer['jwtConfiguration'] as Record<string, unknown> | undefined;
    if (typeof jwt?.['issuer'] !== 'string')
      throw badRequest('jwtConfiguration.issuer is required for a JWT authorizer');
    if (sources.length !== 1)
      throw badRequest(
        'A JWT authorizer takes exactly one identitySource, e.g. $request.header.Authorization',
      );
  } else {
    if (typeof authorizer['authorizerUri'] !== 'string')
      throw badRequest('authorizerUri is required for a REQUEST authorizer');
    const version = authorizer['authorizerPayloadFormatVersion'];
    if (version !== '1.0' && version !== '2.0') {
      throw badRequest('authorizerPayloadFormatVersion is required for a REQUEST authorizer: 1.0 or 2.0');
    }
    if (authorizer['enableSimpleResponses'] === true && version !== '2.0') {
      throw badRequest('enableSimpleResponses is only supported with authorizerPayloadFormatVersion 2.0');
    }
    const ttl = authorizer['authorizerResultTtlInSeconds'];
    if (typeof ttl === 'number' && ttl > 0 && sources.length === 0) {
      throw badRequest(
        'Caching authorizer results (authorizerResultTtlInSeconds > 0) needs at least one identitySource',
      );
    }
  }
  try {
    httpAuthorizerConfig({ ...api, authorizers: [authorizer] }, authorizer['authorizerId'] as string);
  } catch (error) {
    if (error instanceof AuthConfigurationError) throw badRequest(error.message);
    throw error;
  }
}

async function createAuthorizer(request: AdminRequest, ctx: AdminContext) {
  const body = jsonBody(request);
  requiredString(body, 'authorizerType');
  requiredString(body, 'name');
  const authorizer = await changeHttpApi(ctx, request.params['apiId']!, (api) => {
    const authorizer: Authorizer = { authorizerId: newId(6) };
    applyFields(authorizer, body);
    checkAuthorizer(api, authorizer);
    (api.authorizers ??= []).push(authorizer);
    return authorizer;
  });
  return { status: 201, body: authorizerResource(authorizer) };
}

async function updateAuthorizer(request: AdminRequest, ctx: AdminContext) {
  const body = jsonBody(request);
  const authorizer = await changeHttpApi(ctx, request.params['apiId']!, (api) => {
    const authorizer = findAuthorizer(api, request.params['authorizerId']!);
    const before = authorizer['authorizerType'];
    applyFields(authorizer, body);
    checkAuthorizer(api, authorizer);
    const usedBy = api.routes.filter((route) => route.authorizerId === authorizer['authorizerId']);
    if (before !== authorizer['authorizerType'] && usedBy.length > 0) {
      throw conflict(
        `Authorizer ${String(authorizer['authorizerId'])} is used by routes; its type cannot change`,
      );
    }
    return authorizer;
  });
  return { status: 200, body: authorizerResource(authorizer) };
}

async function resetAuthorizersCache(request: AdminRequest, ctx: AdminContext) {
  const apiId = request.params['apiId']!;
  const stageName = request.params['stageName']!;
  await readHttpApi(ctx, apiId);
  if (!(await ctx.store.getStage(apiId, stageName))) throw invalidStageId(stageName);
  if (!ctx.dataPlane) {
    throw new AdminError('NotImplementedException', 'This management listener has no data plane to flush');
  }
  await ctx.dataPlane.flushStageAuthorizersCache(apiId, stageName);
  return { status: 204 };
}

export function registerAuthorizers(routes: AdminRoutes): void {
  routes
    .add('POST', '/v2/apis/:apiId/authorizers', createAuthorizer)
    .add('GET', '/v2/apis/:apiId/authorizers', async (request, ctx) => {
      const api = await readHttpApi(ctx, request.params['apiId']!);
      return { status: 200, body: v2List(request, (api.authorizers ?? []).map(authorizerResource)) };
    })
    .add('GET', '/v2/apis/:apiId/authorizers/:authorizerId', async (request, ctx) => {
      const api = await readHttpApi(ctx, request.params['apiId']!);
      return { status: 200, body: authorizerResource(findAuthorizer(api, request.params['authorizerId']!)) };
    })
    .add('PATCH', '/v2/apis/:apiId/authorizers/:authorizerId', updateAuthorizer)
    .add('DELETE', '/v2/apis/:apiId/authorizers/:authorizerId', async (request, ctx) => {
      await changeHttpApi(ctx, request.params['apiId']!, (api) => {
        const authorizer = findAuthorizer(api, request.params['authorizerId']!);
        const users = api.routes.filter((route) => route.authorizerId === authorizer['authorizerId']);
        if (users.length > 0) {
          throw conflict(
            `Authorizer ${String(authorizer['authorizerId'])} is used by route(s) ${users.map((route) => route.routeKey).join(', ')}; change them first`,
          );
        }
        api.authorizers = api.authorizers!.filter((other) => other !== authorizer);
      });
      return { status: 204 };
    })
    .add('DELETE', '/v2/apis/:apiId/stages/:stageName/cache/authorizers', resetAuthorizersCache);
}
