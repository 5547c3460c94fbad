// v1 Models: CreateModel, GetModel(s), UpdateModel (patch /schema, /description), DeleteModel.
// A model's schema is kept as the JSON text the caller sent, as AWS keeps and returns it; request
// validation reads it from the REST API's `models` list after a deployment. GetModelTemplate is
// refused.
import { newId } from '../../model/ids.js';
import type { Method, RestApi } from '../../model/rest-api.js';
import type { AdminContext } from '../admin-context.js';
import { badRequest, conflict, notFound } from '../admin-errors.js';
import { jsonBody, type AdminRequest, type AdminRoutes } from '../admin-router.js';
import { defined, readRestApi, updateRestApi } from '../api-updates.js';
import { optionalString } from '../body-fields.js';
import { v1List } from '../paging.js';
import { invalidPath, patchOperations, patchScalar } from '../patch.js';

type Model = Record<string, unknown>;

const NAME = /^[a-zA-Z0-9]+$/;
/** AWS's answer for a schema it cannot use. */
const INVALID_SCHEMA =
  'Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]';

export function modelResource(model: Model): Record<string, unknown> {
  return defined({
    id: model['id'] ?? model['name'],
    name: model['name'],
    description: model['description'],
    schema: model['schema'],
    contentType: model['contentType'],
  });
}

export const modelNotFound = (name: string): Error => notFound(`Invalid model name specified: ${name}`);

function findModel(api: RestApi, name: string): Model {
  const found = api.models?.find((model) => model['name'] === name);
  if (!found) throw modelNotFound(name);
  return found;
}

function checkSchema(schema: unknown): void {
  if (schema === undefined) return;
  if (typeof schema !== 'string') throw badRequest(INVALID_SCHEMA);
  let parsed: unknown;
  try {
    parsed = JSON.parse(schema);
  } catch {
    throw badRequest(INVALID_SCHEMA);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw badRequest(INVALID_SCHEMA);
}

async function createModel(request: AdminRequest, ctx: AdminContext) {
  const body = jsonBody(request);
  const name = optionalString(body, 'name');
  if (name === undefined || !NAME.test(name)) throw badRequest('Model name must be alphanumeric');
  const contentType = optionalString(body, 'contentType');
  if (contentType === undefined || contentType === '') throw badRequest('Content type must be specified');
  const schema = optionalString(body, 'schema');
  checkSchema(schema);
  const model: Model = defined({
    id: newId(6),
    name,
    contentType,
    description: optionalString(body, 'description'),
    schema,
  });
  await updateRestApi(ctx, request.params['restapi_id']!, (api) => {
    if (api.models?.some((other) => other['name'] === name))
      throw conflict('Model name already exists for this REST API');
    api.models = [...(api.models ?? []), model];
  });
  return { status: 201, body: modelResource(model) };
}

async function updateModel(request: AdminRequest, ctx: AdminContext) {
  const ops = patchOperations(request);
  const name = request.params['model_name']!;
  const model = await updateRestApi(ctx, request.params['restapi_id']!, (api) => {
    const model = findModel(api, name);
    for (const op of ops) {
      if (!patchScalar(model, op, { schema: 'string', description: 'string' })) throw invalidPath(op);
    }
    checkSchema(model['schema']);
    return model;
  });
  return { status: 200, body: modelResource(model) };
}

/** Where a method names the model, for the refusal to delete it. */
function useOf(method: Method, name: string): string | undefined {
  if (Object.values(method.requestModels ?? {}).includes(name)) return 'method request';
  for (const response of Object.values(method.methodResponses ?? {})) {
    if (Object.values(response.responseModels ?? {}).includes(name))
      return `method response ${response.statusCode}`;
  }
  return undefined;
}

async function deleteModel(request: AdminRequest, ctx: AdminContext) {
  const name = request.params['model_name']!;
  await updateRestApi(ctx, request.params['restapi_id']!, (api) => {
    const model = findModel(api, name);
    for (const resource of api.resources) {
      for (const [verb, method] of Object.entries(resource.resourceMethods)) {
        const use = useOf(method, name);
        if (use !== undefined)
          throw conflict(`Cannot delete model '${name}', is referenced in ${use}: ${resource.path}/${verb}`);
      }
    }
    const refersToIt = api.models?.find(
      (other) =>
        other !== model &&
        typeof other['schema'] === 'string' &&
        other['schema'].includes(`/models/${name}"`),
    );
    if (refersToIt !== undefined)
      throw conflict(`Cannot delete model '${name}', is referenced by model ${String(refersToIt['name'])}`);
    api.models = (api.models ?? []).filter((other) => other !== model);
  });
  return { status: 202 };
}

export function registerModels(routes: AdminRoutes): void {
  routes
    .add('POST', '/restapis/:restapi_id/models', createModel)
    .add('GET', '/restapis/:restapi_id/models', async (request, ctx) => {
      const api = await readRestApi(ctx, request.params['restapi_id']!);
      return { status: 200, body: v1List(request, (api.models ?? []).map(modelResource)) };
    })
    .add('GET', '/restapis/:restapi_id/models/:model_name', async (request, ctx) => {
      const api = await readRestApi(ctx, request.params['restapi_id']!);
      return { status: 200, body: modelResource(findModel(api, request.params['model_name']!)) };
    })
    .add('PATCH', '/restapis/:restapi_id/models/:model_name', updateModel)
    .add('DELETE', '/restapis/:restapi_id/models/:model_name', deleteModel)
    .unsupported('GET', '/restapis/:restapi_id/models/:model_name/default_template', 'GetModelTemplate');
}
