// v1 GetExport: the API a stage serves, as OpenAPI 3.0 (`oas30`) or Swagger 2.0 (`swagger`) in
// JSON or YAML by the Accept header, with AWS's `extensions` parameter choosing which
// x-amazon-apigateway-* extensions stay: none by default, `integrations`, `authorizers`, or
// `apigateway` for all of them.
import { exportOpenApi, exportSwagger2, serializeDocument } from '../../openapi/export.js';
import type { AdminContext } from '../admin-context.js';
import { AdminError, badRequest } from '../admin-errors.js';
import type { AdminRequest, AdminRoutes } from '../admin-router.js';
import { readDeployment } from './deployments.js';
import { readStage } from './stages.js';

const PREFIX = 'x-amazon-apigateway-';
/** An operation key, not an extension: ANY's operation in a path item. */
const ANY_METHOD = 'x-amazon-apigateway-any-method';
const EXTENSION_GROUPS: Record<string, string[]> = {
  integrations: ['x-amazon-apigateway-integration'],
  authorizers: ['x-amazon-apigateway-authorizer', 'x-amazon-apigateway-authtype'],
};

/** The extensions the request keeps; undefined for all of them. */
function keptExtensions(request: AdminRequest): Set<string> | undefined {
  const requested = request.query
    .getAll('extensions')
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
  const kept = new Set<string>();
  for (const name of requested) {
    if (name === 'apigateway') return undefined;
    if (name === 'postman') {
      throw new AdminError('NotImplementedException', 'Gatehouse does not export the postman extensions');
    }
    const group = EXTENSION_GROUPS[name];
    if (!group)
      throw badRequest(`Invalid extensions value ${name}: use integrations, authorizers or apigateway`);
    for (const extension of group) kept.add(extension);
  }
  return kept;
}

function withoutExtensions(value: unknown, kept: Set<string>): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutExtensions(item, kept));
  if (typeof value !== 'object' || value === null) return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key.startsWith(PREFIX) && key !== ANY_METHOD && !kept.has(key)) continue;
    // An extension's own content is kept whole, so names inside it are never mistaken for extensions.
    result[key] = key.startsWith(PREFIX) && key !== ANY_METHOD ? child : withoutExtensions(child, kept);
  }
  return result;
}

async function getExport(request: AdminRequest, ctx: AdminContext) {
  const apiId = request.params['restapi_id']!;
  const stageName = request.params['stage_name']!;
  const exportType = request.params['export_type']!;
  if (exportType !== 'oas30' && exportType !== 'swagger') {
    throw badRequest(`Invalid export type ${exportType}: use oas30 or swagger`);
  }
  const accept = String(request.headers['accept'] ?? '');
  const format = /yaml/i.test(accept) ? 'yaml' : 'json';
  const kept = keptExtensions(request);
  const stage = await readStage(ctx, apiId, stageName);
  if (stage.deploymentId === undefined) throw badRequest(`Stage ${stageName} has no deployment to export`);
  const deployment = await readDeployment(ctx, apiId, stage.deploymentId);
  // What Swagger 2.0 cannot say is left out, as in AWS's swagger export; the CLI lists it.
  const document =
    exportType === 'swagger'
      ? exportSwagger2(deployment.api, { stageName }).document
      : exportOpenApi(deployment.api, { stageName });
  const shown =
    kept === undefined ? document : (withoutExtensions(document, kept) as Record<string, unknown>);
  const contentType = format === 'yaml' ? 'application/yaml' : 'application/json';
  return {
    status: 200,
    raw: serializeDocument(shown, format),
    contentType,
    headers: { 'Content-Disposition': `attachment; filename="${exportType}_${stageName}.${format}"` },
  };
}

export function registerExport(routes: AdminRoutes): void {
  routes.add('GET', '/restapis/:restapi_id/stages/:stage_name/exports/:export_type', getExport);
}
