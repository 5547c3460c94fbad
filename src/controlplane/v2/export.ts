// v2 ExportApi: `GET /v2/apis/{apiId}/exports/OAS30?outputType=JSON|YAML&stageName=&includeExtensions=`.
// Without stageName the API as it is now is exported; with one, the deployment that stage serves.
import type { HttpApi } from '../../model/http-api.js';
import { exportOpenApi, serializeDocument } from '../../openapi/export.js';
import type { AdminContext } from '../admin-context.js';
import { badRequest } from '../admin-errors.js';
import type { AdminRequest, AdminRoutes } from '../admin-router.js';
import { readHttpApi } from '../api-updates.js';
import { apiEndpointOf } from './apis.js';
import { invalidStageId } from './identifiers.js';

const EXTENSION_PREFIX = 'x-amazon-apigateway-';

function withoutExtensions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutExtensions);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !key.startsWith(EXTENSION_PREFIX))
      .map(([key, entry]) => [key, withoutExtensions(entry)]),
  );
}

async function exportedApi(ctx: AdminContext, apiId: string, stageName: string | null): Promise<HttpApi> {
  const current = await readHttpApi(ctx, apiId);
  if (stageName === null || stageName === '') return current;
  const stage = await ctx.store.getStage(apiId, stageName);
  if (!stage) throw invalidStageId(stageName);
  if (stage.deploymentId === undefined) {
    throw badRequest(`Stage ${stageName} has no deployment to export`);
  }
  const deployment = await ctx.store.getDeployment(apiId, stage.deploymentId);
  if (deployment?.api.protocolType !== 'HTTP')
    throw badRequest(`Stage ${stageName} has no deployment to export`);
  return deployment.api;
}

async function exportApi(request: AdminRequest, ctx: AdminContext) {
  const apiId = request.params['apiId']!;
  const specification = request.params['specification']!;
  if (specification !== 'OAS30') {
    throw badRequest(`Invalid specification ${specification}: the supported specification is OAS30`);
  }
  const outputType = request.query.get('outputType');
  if (outputType !== 'JSON' && outputType !== 'YAML') {
    throw badRequest('Invalid outputType: it must be JSON or YAML');
  }
  const exportVersion = request.query.get('exportVersion');
  if (exportVersion !== null && exportVersion !== '1.0') {
    throw badRequest(`Invalid exportVersion ${exportVersion}: the supported version is 1.0`);
  }
  const stageName = request.query.get('stageName');
  const api = await exportedApi(ctx, apiId, stageName);
  const endpoint = apiEndpointOf(ctx, apiId);
  let document: unknown = exportOpenApi(api, {
    ...(stageName !== null && stageName !== '' && { stageName }),
    ...(endpoint !== undefined && { serverUrl: endpoint }),
  });
  if (request.query.get('includeExtensions') === 'false') document = withoutExtensions(document);
  const json = outputType === 'JSON';
  return {
    status: 200,
    raw: serializeDocument(document as Record<string, unknown>, json ? 'json' : 'yaml'),
    contentType: json ? 'application/json' : 'application/yaml',
  };
}

export function registerExportApi(routes: AdminRoutes): void {
  routes.add('GET', '/v2/apis/:apiId/exports/:specification', exportApi);
}
