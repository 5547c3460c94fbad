// v1 RestApis: CreateRestApi, ImportRestApi (`POST /restapis?mode=import`), GetRestApi(s),
// UpdateRestApi (patch operations), PutRestApi (`?mode=overwrite|merge`), DeleteRestApi.
import { newApiId, newResourceId } from '../../model/ids.js';
import type { RestApi } from '../../model/rest-api.js';
import { importOpenApi } from '../../openapi/import.js';
import { parseDocument } from '../../openapi/parse.js';
import type { AdminContext } from '../admin-context.js';
import { epochSeconds } from '../admin-context.js';
import { badRequest } from '../admin-errors.js';
import { jsonBody, type AdminRequest, type AdminRoutes } from '../admin-router.js';
import { defined, readRestApi, serialised, updateRestApi } from '../api-updates.js';
import { optionalString } from '../body-fields.js';
import { v1List } from '../paging.js';
import { invalidPath, patchOperations, patchScalar, patchStringMap, segments } from '../patch.js';

/** The RestApi resource as AWS answers it (no resources: those have their own operations). */
export function restApiResource(api: RestApi): Record<string, unknown> {
  return defined({
    id: api.id,
    name: api.name,
    description: api.description,
    createdDate: api.createdDate,
    version: api.version,
    binaryMediaTypes: api.binaryMediaTypes.length > 0 ? api.binaryMediaTypes : undefined,
    minimumCompressionSize: api.minimumCompressionSize,
    apiKeySource: api.apiKeySource,
    endpointConfiguration: api.endpointConfiguration ?? { types: ['EDGE'] },
    policy: api.policy,
    tags: api.tags,
    disableExecuteApiEndpoint: api.disableExecuteApiEndpoint ?? false,
    rootResourceId: api.resources.find((resource) => resource.path === '/')?.id,
  });
}

async function createRestApi(request: AdminRequest, ctx: AdminContext) {
  const body = jsonBody(request);
  const name = optionalString(body, 'name');
  if (name === undefined || name === '')
    throw badRequest('Invalid REST API name specified: it must not be empty');
  const api: RestApi = {
    protocolType: 'REST',
    id: newApiId(),
    name,
    createdDate: epochSeconds(ctx),
    binaryMediaTypes: Array.isArray(body['binaryMediaTypes']) ? (body['binaryMediaTypes'] as string[]) : [],
    apiKeySource: body['apiKeySource'] === 'AUTHORIZER' ? 'AUTHORIZER' : 'HEADER',
    resources: [{ id: newResourceId(), path: '/', pathPart: '', resourceMethods: {} }],
  };
  const description = optionalString(body, 'description');
  if (description !== undefined) api.description = description;
  const version = optionalString(body, 'version');
  if (version !== undefined) api.version = version;
  const policy = optionalString(body, 'policy');
  if (policy !== undefined) api.policy = policy;
  if (typeof body['minimumCompressionSize'] === 'number')
    api.minimumCompressionSize = body['minimumCompressionSize'];
  if (typeof body['disableExecuteApiEndpoint'] === 'boolean')
    api.disableExecuteApiEndpoint = body['disableExecuteApiEndpoint'];
  if (typeof body['endpointConfiguration'] === 'object' && body['endpointConfiguration'] !== null) {
    api.endpointConfiguration = body['endpointConfiguration'] as Record<string, unknown>;
  }
  if (typeof body['tags'] === 'object' && body['tags'] !== null)
    api.tags = body['tags'] as Record<string, string>;
  if (typeof body['cloneFrom'] === 'string') {
    const source = await readRestApi(ctx, body['cloneFrom']);
    Object.assign(api, structuredClone({ ...source, id: api.id, name, createdDate: api.createdDate }));
  }
  await ctx.store.createApi(api);
  return { status: 201, body: restApiResource(api) };
}

/** The OpenAPI document in an import or put body, as a REST API. */
function importedRestApi(request: AdminRequest, ctx: AdminContext): { api: RestApi; warnings: string[] } {
  const text = request.rawBody.toString('utf8');
  if (text.trim() === '') throw badRequest('The request body must be an OpenAPI or Swagger document');
  const { api, warnings } = importOpenApi(parseDocument(text, 'body'), { now: ctx.now() });
  if (api.protocolType !== 'REST') {
    throw badRequest(
      'This document is an HTTP API (it has x-amazon-apigateway-importexport-version); import it with apigatewayv2 ImportApi',
    );
  }
  if (request.query.get('failonwarnings') === 'true' && warnings.length > 0) {
    throw badRequest(`Warnings found during import:\n\t${warnings.join('\n\t')}`);
  }
  const endpointType =
    request.query.get('parameters[endpointConfigurationTypes]') ??
    request.query.get('endpointConfigurationTypes');
  if (endpointType !== null) api.endpointConfiguration = { types: [endpointType] };
  return { api, warnings };
}

async function importRestApi(request: AdminRequest, ctx: AdminContext) {
  const { api, warnings } = importedRestApi(request, ctx);
  api.id = newApiId();
  await ctx.store.createApi(api);
  return {
    status: 201,
    body: defined({ ...restApiResource(api), warnings: warnings.length > 0 ? warnings : undefined }),
  };
}

async function putRestApi(request: AdminRequest, ctx: AdminContext) {
  const apiId = request.params['restapi_id']!;
  const mode = request.query.get('mode') ?? 'merge';
  if (mode !== 'merge' && mode !== 'overwrite')
    throw badRequest(`Invalid mode ${mode}: use merge or overwrite`);
  const { api: incoming, warnings } = importedRestApi(request, ctx);
  const api = await updateRestApi(ctx, apiId, (current) => {
    if (mode === 'overwrite') {
      const kept = { id: current.id, createdDate: current.createdDate, tags: current.tags };
      for (const key of Object.keys(current)) delete (current as Record<string, unknown>)[key];
      Object.assign(current, incoming, kept);
      if (kept.tags === undefined) delete current.tags;
      return current;
    }
    mergeInto(current, incoming);
    return current;
  });
  return {
    status: 200,
    body: defined({ ...restApiResource(api), warnings: warnings.length > 0 ? warnings : undefined }),
  };
}

/** Merge mode: the document's resources and methods are added, a method it defines again replaces the old one; everything else stays. */
function mergeInto(current: RestApi, incoming: RestApi): void {
  for (const resource of incoming.resources) {
    const existing = current.resources.find((r) => r.path === resource.path);
    if (!existing) {
      const parentPath = resource.path.slice(0, resource.path.lastIndexOf('/')) || '/';
      const parent = current.resources.find((r) => r.path === parentPath);
      current.resources.push({ ...resource, id: newResourceId(), ...(parent && { parentId: parent.id }) });
      continue;
    }
    Object.assign(existing.resourceMethods, resource.resourceMethods);
  }
  for (const list of ['authorizers', 'models', 'requestValidators'] as const) {
    const added = incoming[list];
    if (!added) continue;
    const byName = new Map((current[list] ?? []).map((item) => [String(item['name']), item]));
    for (const item of added) byName.set(String(item['name']), item);
    current[list] = [...byName.values()];
  }
  if (incoming.gatewayResponses)
    current.gatewayResponses = { ...current.gatewayResponses, ...incoming.gatewayResponses };
  if (incoming.policy !== undefined) current.policy = incoming.policy;
  if (incoming.binaryMediaTypes.length > 0) {
    current.binaryMediaTypes = [...new Set([...current.binaryMediaTypes, ...incoming.binaryMediaTypes])];
  }
}

const SCALARS = {
  name: 'string',
  description: 'string',
  version: 'string',
  policy: 'string',
  apiKeySource: 'string',
  minimumCompressionSize: 'integer',
  disableExecuteApiEndpoint: 'boolean',
} as const;

async function updateRestApiOperation(request: AdminRequest, ctx: AdminContext) {
  const ops = patchOperations(request);
  const api = await updateRestApi(ctx, request.params['restapi_id']!, (api) => {
    const target = api as unknown as Record<string, unknown>;
    for (const op of ops) {
      if (patchScalar(target, op, SCALARS)) continue;
      if (patchStringMap(target, op, 'tags')) continue;
      const parts = segments(op.path);
      if (parts[0] === 'binaryMediaTypes' && parts.length === 2) {
        const type = parts[1]!;
        if (op.op === 'add') api.binaryMediaTypes = [...new Set([...api.binaryMediaTypes, type])];
        else if (op.op === 'remove') api.binaryMediaTypes = api.binaryMediaTypes.filter((t) => t !== type);
        else if (op.op === 'replace') {
          api.binaryMediaTypes = api.binaryMediaTypes.map((t) => (t === type ? (op.value ?? t) : t));
        } else throw invalidPath(op);
        continue;
      }
      if (parts[0] === 'endpointConfiguration' && parts[1] === 'types' && op.op === 'replace') {
        api.endpointConfiguration = { ...api.endpointConfiguration, types: [op.value ?? 'REGIONAL'] };
        continue;
      }
      throw invalidPath(op);
    }
    return api;
  });
  return { status: 200, body: restApiResource(api) };
}

export function registerRestApis(routes: AdminRoutes): void {
  routes
    .add('POST', '/restapis', (request, ctx) =>
      request.query.get('mode') === 'import' ? importRestApi(request, ctx) : createRestApi(request, ctx),
    )
    .add('GET', '/restapis', async (request, ctx) => {
      const apis = (await ctx.store.listApis()).filter((api): api is RestApi => api.protocolType === 'REST');
      return { status: 200, body: v1List(request, apis.map(restApiResource)) };
    })
    .add('GET', '/restapis/:restapi_id', async (request, ctx) => ({
      status: 200,
      body: restApiResource(await readRestApi(ctx, request.params['restapi_id']!)),
    }))
    .add('PATCH', '/restapis/:restapi_id', updateRestApiOperation)
    .add('PUT', '/restapis/:restapi_id', putRestApi)
    .add('DELETE', '/restapis/:restapi_id', async (request, ctx) => {
      const apiId = request.params['restapi_id']!;
      await serialised(`api:${apiId}`, async () => {
        await readRestApi(ctx, apiId);
        await ctx.store.deleteApi(apiId);
      });
      return { status: 202 };
    });
}
