// v2 ImportApi (`PUT /v2/apis`) and ReimportApi (`PUT /v2/apis/{apiId}`): an OpenAPI document
// in the JSON body's `body` field becomes an HTTP API. AWS reads any document given to
// apigatewayv2 as an HTTP API, marked with x-amazon-apigateway-importexport-version or not.
import type { HttpApi } from '../../model/http-api.js';
import { IMPORTEXPORT_VERSION, IMPORTEXPORT_VERSION_EXTENSION } from '../../openapi/extensions.js';
import { importOpenApi } from '../../openapi/import.js';
import { parseDocument } from '../../openapi/parse.js';
import type { AdminContext } from '../admin-context.js';
import { AdminError, badRequest } from '../admin-errors.js';
import { jsonBody, type AdminRequest, type AdminRoutes } from '../admin-router.js';
import { defined } from '../api-updates.js';
import { apiResource } from './apis.js';
import { changeHttpApi } from './deploying.js';
import { requiredString } from '../body-fields.js';

function asHttpApiDocument(doc: unknown): unknown {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return doc;
  if (IMPORTEXPORT_VERSION_EXTENSION in doc) return doc;
  return { ...doc, [IMPORTEXPORT_VERSION_EXTENSION]: IMPORTEXPORT_VERSION };
}

function importedHttpApi(request: AdminRequest, ctx: AdminContext): { api: HttpApi; warnings: string[] } {
  const text = requiredString(jsonBody(request), 'body');
  const basepath = request.query.get('basepath');
  if (basepath !== null && basepath !== 'ignore') {
    throw new AdminError(
      'NotImplementedException',
      `Gatehouse does not support basepath=${basepath}; import with basepath=ignore (the default)`,
    );
  }
  const { api, warnings } = importOpenApi(asHttpApiDocument(parseDocument(text, 'body')), { now: ctx.now() });
  if (api.protocolType !== 'HTTP') throw badRequest('The document does not describe an HTTP API');
  if (request.query.get('failOnWarnings') === 'true' && warnings.length > 0) {
    throw badRequest(`Warnings found during import:\n\t${warnings.join('\n\t')}`);
  }
  return { api, warnings };
}

const withWarnings = (resource: Record<string, unknown>, warnings: string[]) =>
  defined({ ...resource, warnings: warnings.length > 0 ? warnings : undefined });

async function importApi(request: AdminRequest, ctx: AdminContext) {
  const { api, warnings } = importedHttpApi(request, ctx);
  await ctx.store.createApi(api);
  return { status: 201, body: withWarnings(apiResource(ctx, api), warnings) };
}

async function reimportApi(request: AdminRequest, ctx: AdminContext) {
  const { api: incoming, warnings } = importedHttpApi(request, ctx);
  const api = await changeHttpApi(ctx, request.params['apiId']!, (current) => {
    // The document replaces the definition; the API keeps its identity and, unless the
    // document names its own, its tags.
    const kept = {
      apiId: current.apiId,
      createdDate: current.createdDate,
      tags: incoming.tags ?? current.tags,
    };
    for (const key of Object.keys(current)) delete (current as Record<string, unknown>)[key];
    Object.assign(current, incoming, defined(kept));
    return current;
  });
  return { status: 201, body: withWarnings(apiResource(ctx, api), warnings) };
}

export function registerImportApi(routes: AdminRoutes): void {
  routes.add('PUT', '/v2/apis', importApi).add('PUT', '/v2/apis/:apiId', reimportApi);
}
