// v2 ApiMappings of a custom domain name: CreateApiMapping, GetApiMapping(s), UpdateApiMapping,
// DeleteApiMapping. A mapping may point at a stage of a REST or an HTTP API, as on AWS.
import { ApiMappingSchema, newApiMappingId, type ApiMapping } from '../../model/domain-names.js';
import { assertValid } from '../../model/validate.js';
import type { AdminContext } from '../admin-context.js';
import { badRequest, notFound } from '../admin-errors.js';
import { jsonBody, type AdminRoutes } from '../admin-router.js';
import { serialised } from '../api-updates.js';
import { v2List } from '../paging.js';
import { optionalString, requiredString, type Body } from '../body-fields.js';
import { invalidApiMappingId, invalidStageId } from './identifiers.js';
import { readDomainName } from './domain-names.js';

function apiMappingResource(mapping: ApiMapping): Record<string, unknown> {
  return {
    apiId: mapping.apiId,
    apiMappingId: mapping.apiMappingId,
    apiMappingKey: mapping.apiMappingKey,
    stage: mapping.stage,
  };
}

async function readApiMapping(ctx: AdminContext, domainName: string, id: string): Promise<ApiMapping> {
  await readDomainName(ctx, domainName);
  const mapping = await ctx.store.getApiMapping(domainName, id);
  if (!mapping) throw invalidApiMappingId(id);
  return mapping;
}

async function applyFields(ctx: AdminContext, mapping: ApiMapping, body: Body): Promise<void> {
  const apiId = optionalString(body, 'apiId');
  if (apiId !== undefined) mapping.apiId = apiId;
  const stage = optionalString(body, 'stage');
  if (stage !== undefined) mapping.stage = stage;
  const key = optionalString(body, 'apiMappingKey');
  if (key !== undefined) mapping.apiMappingKey = key.replace(/^\/+|\/+$/g, '');
  if (!(await ctx.store.getApi(mapping.apiId)))
    throw notFound(`Invalid API identifier specified ${mapping.apiId}`);
  if (!(await ctx.store.getStage(mapping.apiId, mapping.stage))) throw invalidStageId(mapping.stage);
  try {
    assertValid(ApiMappingSchema, mapping);
  } catch {
    throw badRequest(
      `Invalid apiMappingKey ${mapping.apiMappingKey}: use path segments of letters, digits, . _ ~ and -`,
    );
  }
}

const BASE = '/v2/domainnames/:domainName/apimappings';

export function registerApiMappings(routes: AdminRoutes): void {
  routes
    .add('POST', BASE, async (request, ctx) => {
      const body = jsonBody(request);
      const domainName = request.params['domainName']!;
      await readDomainName(ctx, domainName);
      const mapping: ApiMapping = {
        domainName,
        apiMappingId: newApiMappingId(),
        apiMappingKey: '',
        apiId: requiredString(body, 'apiId'),
        stage: requiredString(body, 'stage'),
      };
      await applyFields(ctx, mapping, body);
      await ctx.store.createApiMapping(mapping);
      return { status: 201, body: apiMappingResource(mapping) };
    })
    .add('GET', BASE, async (request, ctx) => {
      const domainName = request.params['domainName']!;
      await readDomainName(ctx, domainName);
      const mappings = await ctx.store.listApiMappings(domainName);
      return { status: 200, body: v2List(request, mappings.map(apiMappingResource)) };
    })
    .add('GET', `${BASE}/:apiMappingId`, async (request, ctx) => ({
      status: 200,
      body: apiMappingResource(
        await readApiMapping(ctx, request.params['domainName']!, request.params['apiMappingId']!),
      ),
    }))
    .add('PATCH', `${BASE}/:apiMappingId`, async (request, ctx) => {
      const body = jsonBody(request);
      const domainName = request.params['domainName']!;
      const mapping = await serialised(`domain:${domainName}`, async () => {
        const mapping = await readApiMapping(ctx, domainName, request.params['apiMappingId']!);
        await applyFields(ctx, mapping, body);
        await ctx.store.updateApiMapping(mapping);
        return mapping;
      });
      return { status: 200, body: apiMappingResource(mapping) };
    })
    .add('DELETE', `${BASE}/:apiMappingId`, async (request, ctx) => {
      const domainName = request.params['domainName']!;
      const id = request.params['apiMappingId']!;
      await serialised(`domain:${domainName}`, async () => {
        await readApiMapping(ctx, domainName, id);
        await ctx.store.deleteApiMapping(domainName, id);
      });
      return { status: 204 };
    });
}
