// v2 Models: CreateModel, GetModel(s), UpdateModel, DeleteModel. Stored and returned as given;
// GetModelTemplate (a VTL template generated from the schema, for WebSocket APIs) is not offered.
import type { HttpApi } from '../../model/http-api.js';
import { newId } from '../../model/ids.js';
import type { AdminContext } from '../admin-context.js';
import { badRequest, conflict } from '../admin-errors.js';
import { jsonBody, type AdminRequest, type AdminRoutes } from '../admin-router.js';
import { defined, readHttpApi } from '../api-updates.js';
import { v2List } from '../paging.js';
import { changeHttpApi } from './deploying.js';
import { optionalString, requiredString, type Body } from '../body-fields.js';
import { invalidModelId } from './identifiers.js';

type Model = Record<string, unknown>;

function modelResource(model: Model): Record<string, unknown> {
  return defined({
    contentType: model['contentType'],
    description: model['description'],
    modelId: model['modelId'],
    name: model['name'],
    schema: model['schema'],
  });
}

function findModel(api: HttpApi, modelId: string): Model {
  const found = api.models?.find((model) => model['modelId'] === modelId);
  if (!found) throw invalidModelId(modelId);
  return found;
}

function applyFields(api: HttpApi, model: Model, body: Body): void {
  const name = optionalString(body, 'name');
  if (name !== undefined) {
    if (!/^[A-Za-z0-9]{1,128}$/.test(name)) {
      throw badRequest(`Invalid model name ${name}: it must be 1 to 128 letters and digits`);
    }
    if (api.models?.some((other) => other !== model && other['name'] === name)) {
      throw conflict(`Model name ${name} already exists for this API`);
    }
    model['name'] = name;
  }
  const schema = optionalString(body, 'schema');
  if (schema !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(schema);
    } catch {
      throw badRequest('Invalid model schema: it must be a JSON schema written as JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw badRequest('Invalid model schema: it must be a JSON object');
    }
    model['schema'] = schema;
  }
  const contentType = optionalString(body, 'contentType');
  if (contentType !== undefined) model['contentType'] = contentType;
  const description = optionalString(body, 'description');
  if (description !== undefined) model['description'] = description;
}

async function createModel(request: AdminRequest, ctx: AdminContext) {
  const body = jsonBody(request);
  requiredString(body, 'name');
  requiredString(body, 'schema');
  const model = await changeHttpApi(ctx, request.params['apiId']!, (api) => {
    const model: Model = { modelId: newId(6) };
    applyFields(api, model, body);
    (api.models ??= []).push(model);
    return model;
  });
  return { status: 201, body: modelResource(model) };
}

export function registerModels(routes: AdminRoutes): void {
  routes
    .add('POST', '/v2/apis/:apiId/models', createModel)
    .add('GET', '/v2/apis/:apiId/models', async (request, ctx) => {
      const api = await readHttpApi(ctx, request.params['apiId']!);
      return { status: 200, body: v2List(request, (api.models ?? []).map(modelResource)) };
    })
    .add('GET', '/v2/apis/:apiId/models/:modelId', async (request, ctx) => {
      const api = await readHttpApi(ctx, request.params['apiId']!);
      return { status: 200, body: modelResource(findModel(api, request.params['modelId']!)) };
    })
    .add('PATCH', '/v2/apis/:apiId/models/:modelId', async (request, ctx) => {
      const body = jsonBody(request);
      const model = await changeHttpApi(ctx, request.params['apiId']!, (api) => {
        const model = findModel(api, request.params['modelId']!);
        applyFields(api, model, body);
        return model;
      });
      return { status: 200, body: modelResource(model) };
    })
    .add('DELETE', '/v2/apis/:apiId/models/:modelId', async (request, ctx) => {
      await changeHttpApi(ctx, request.params['apiId']!, (api) => {
        const model = findModel(api, request.params['modelId']!);
        api.models = api.models!.filter((other) => other !== model);
        if (api.models.length === 0) delete api.models;
      });
      return { status: 204 };
    })
    .unsupported('GET', '/v2/apis/:apiId/models/:modelId/template', 'GetModelTemplate');
}
