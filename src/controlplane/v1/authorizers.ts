// v1 Authorizers: CreateAuthorizer, GetAuthorizer(s), UpdateAuthorizer (patch operations),
// DeleteAuthorizer. They live in the REST API's `authorizers` list in AWS's Authorizer shape,
// which is what the auth feature reads after a deployment. TestInvokeAuthorizer is refused.
import { restAuthorizerConfig } from '../../features/auth/authorizer-config.js';
import { AuthConfigurationError } from '../../features/auth/errors.js';
import { newId } from '../../model/ids.js';
import type { RestApi } from '../../model/rest-api.js';
import type { AdminContext } from '../admin-context.js';
import { badRequest, conflict, notFound } from '../admin-errors.js';
import { jsonBody, type AdminRequest, type AdminRoutes } from '../admin-router.js';
import { defined, readRestApi, updateRestApi } from '../api-updates.js';
import { v1List } from '../paging.js';
import { invalidPath, patchOperations, patchScalar, requireValue, segments } from '../patch.js';

const TYPES = ['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS'] as const;
/** AWS's default for authorizerResultTtlInSeconds. */
const DEFAULT_TTL_SECONDS = 300;
const MAX_TTL_SECONDS = 3600;

type Authorizer = Record<string, unknown>;

const FIELDS = [
  'name',
  'type',
  'providerARNs',
  'authType',
  'authorizerUri',
  'authorizerCredentials',
  'identitySource',
  'identityValidationExpression',
  'authorizerResultTtlInSeconds',
] as const;

export function authorizerResource(authorizer: Authorizer): Record<string, unknown> {
  const resource: Record<string, unknown> = { id: authorizer['id'] };
  for (const field of FIELDS) resource[field] = authorizer[field];
  return defined(resource);
}

export const authorizerNotFound = (): Error => notFound('Invalid Authorizer identifier specified');

function findAuthorizer(api: RestApi, id: string): Authorizer {
  const found = api.authorizers?.find((authorizer) => authorizer['id'] === id);
  if (!found) throw authorizerNotFound();
  return found;
}

function enumMessage(value: unknown, field: string): string {
  return (
    `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: ` +
    `Member must satisfy enum value set: [${TYPES.join(', ')}]`
  );
}

/** Checks an authorizer as the data plane will read it, so a deployment never meets a broken one. */
function checkAuthorizer(api: RestApi, authorizer: Authorizer): void {
  const type = authorizer['type'];
  if (typeof type !== 'string' || !(TYPES as readonly string[]).includes(type))
    throw badRequest(enumMessage(type, 'type'));
  if (typeof authorizer['name'] !== 'string' || authorizer['name'] === '')
    throw badRequest('Invalid authorizer name specified: it must not be empty');
  if (type === 'COGNITO_USER_POOLS') {
    const arns = authorizer['providerARNs'];
    if (!Array.isArray(arns) || arns.length === 0)
      throw badRequest('providerARNs must list the Cognito user pools of a COGNITO_USER_POOLS authorizer');
  } else if (typeof authorizer['authorizerUri'] !== 'string' || authorizer['authorizerUri'] === '') {
    throw badRequest(`Invalid authorizer URI specified: a ${type} authorizer needs an authorizerUri`);
  }
  if (type === 'TOKEN' && authorizer['identitySource'] === undefined)
    throw badRequest(
      'Invalid identity source specified: a TOKEN authorizer needs method.request.header.NAME',
    );
  const ttl = authorizer['authorizerResultTtlInSeconds'];
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0 || ttl > MAX_TTL_SECONDS) {
    throw badRequest(
      `Invalid authorizerResultTtlInSeconds ${String(ttl)}: it must be a whole number from 0 to ${MAX_TTL_SECONDS}`,
    );
  }
  const expression = authorizer['identityValidationExpression'];
  if (typeof expression === 'string') {
    try {
      new RegExp(expression);
    } catch {
      throw badRequest(`Invalid identityValidationExpression ${expression}: it is not a regular expression`);
    }
  }
  const others = (api.authorizers ?? []).filter((other) => other['id'] !== authorizer['id']);
  if (others.some((other) => other['name'] === authorizer['name']))
    throw conflict(`Authorizer name ${String(authorizer['name'])} already exists in this REST API`);
  try {
    restAuthorizerConfig({ ...api, authorizers: [authorizer] }, authorizer['id'] as string);
  } catch (error) {
    if (error instanceof AuthConfigurationError) throw badRequest(error.message);
    throw error;
  }
}

async function createAuthorizer(request: AdminRequest, ctx: AdminContext) {
  const body = jsonBody(request);
  const authorizer: Authorizer = { id: newId(6) };
  for (const field of FIELDS) {
    if (body[field] !== undefined && body[field] !== null) authorizer[field] = body[field];
  }
  for (const field of FIELDS) {
    const value = authorizer[field];
    const expected =
      field === 'providerARNs' ? 'list' : field === 'authorizerResultTtlInSeconds' ? 'number' : 'string';
    if (value === undefined) continue;
    const ok =
      expected === 'list'
        ? Array.isArray(value) && value.every((item) => typeof item === 'string')
        : typeof value === expected;
    if (!ok) throw badRequest(`${field} must be a ${expected === 'list' ? 'list of strings' : expected}`);
  }
  authorizer['authorizerResultTtlInSeconds'] ??= DEFAULT_TTL_SECONDS;
  const created = await updateRestApi(ctx, request.params['restapi_id']!, (api) => {
    checkAuthorizer(api, authorizer);
    api.authorizers = [...(api.authorizers ?? []), authorizer];
    return authorizer;
  });
  return { status: 201, body: authorizerResource(created) };
}

const SCALARS = {
  name: 'string',
  type: 'string',
  authType: 'string',
  authorizerUri: 'string',
  authorizerCredentials: 'string',
  identitySource: 'string',
  identityValidationExpression: 'string',
  authorizerResultTtlInSeconds: 'integer',
} as const;

async function updateAuthorizer(request: AdminRequest, ctx: AdminContext) {
  const ops = patchOperations(request);
  const id = request.params['authorizer_id']!;
  const updated = await updateRestApi(ctx, request.params['restapi_id']!, (api) => {
    const authorizer = findAuthorizer(api, id);
    for (const op of ops) {
      if (patchScalar(authorizer, op, SCALARS)) continue;
      const parts = segments(op.path);
      if (parts[0] === 'providerARNs') {
        // `add /providerARNs` with the ARN as value, `remove /providerARNs/{arn}`, `replace /providerARNs/{arn}`.
        const arns = new Set((authorizer['providerARNs'] as string[] | undefined) ?? []);
        const named = parts.length > 1 ? parts.slice(1).join('/') : undefined;
        if (op.op === 'add') arns.add(named ?? requireValue(op));
        else if (op.op === 'remove') arns.delete(named ?? requireValue(op));
        else if (op.op === 'replace' && named !== undefined) {
          arns.delete(named);
          arns.add(requireValue(op));
        } else throw invalidPath(op);
        authorizer['providerARNs'] = [...arns];
        continue;
      }
      throw invalidPath(op);
    }
    authorizer['authorizerResultTtlInSeconds'] ??= DEFAULT_TTL_SECONDS;
    checkAuthorizer(api, authorizer);
    return authorizer;
  });
  return { status: 200, body: authorizerResource(updated) };
}

async function deleteAuthorizer(request: AdminRequest, ctx: AdminContext) {
  const id = request.params['authorizer_id']!;
  await updateRestApi(ctx, request.params['restapi_id']!, (api) => {
    const authorizer = findAuthorizer(api, id);
    for (const resource of api.resources) {
      for (const [verb, method] of Object.entries(resource.resourceMethods)) {
        if (method.authorizerId === id) {
          throw conflict(
            `Cannot delete authorizer '${String(authorizer['name'])}': it is used by method ${verb} ${resource.path}`,
          );
        }
      }
    }
    api.authorizers = (api.authorizers ?? []).filter((other) => other !== authorizer);
  });
  return { status: 202 };
}

export function registerAuthorizers(routes: AdminRoutes): void {
  routes
    .add('POST', '/restapis/:restapi_id/authorizers', createAuthorizer)
    .add('GET', '/restapis/:restapi_id/authorizers', async (request, ctx) => {
      const api = await readRestApi(ctx, request.params['restapi_id']!);
      return { status: 200, body: v1List(request, (api.authorizers ?? []).map(authorizerResource)) };
    })
    .add('GET', '/restapis/:restapi_id/authorizers/:authorizer_id', async (request, ctx) => {
      const api = await readRestApi(ctx, request.params['restapi_id']!);
      return { status: 200, body: authorizerResource(findAuthorizer(api, request.params['authorizer_id']!)) };
    })
    .add('PATCH', '/restapis/:restapi_id/authorizers/:authorizer_id', updateAuthorizer)
    .add('DELETE', '/restapis/:restapi_id/authorizers/:authorizer_id', deleteAuthorizer)
    .unsupported('POST', '/restapis/:restapi_id/authorizers/:authorizer_id', 'TestInvokeAuthorizer');
}
