// v1 ApiKeys: CreateApiKey, GetApiKey(s), UpdateApiKey (patch /name, /description, /enabled,
// /customerId, add|remove /stages), DeleteApiKey and ImportApiKeys (`POST /apikeys?mode=import`,
// AWS's CSV key file). A key's value is shown only when asked for (includeValue/includeValues)
// and on creation, as AWS does. Changes reach the data plane through the store's watch.
import { KeyFileError, parseKeyFile, type KeyFileEntry } from '../../features/api-keys/key-file.js';
import { apiKeyFieldProblem, assertValidApiKey, newApiKey, type ApiKey } from '../../model/usage-plans.js';
import type { AdminContext } from '../admin-context.js';
import { epochSeconds } from '../admin-context.js';
import { badRequest, notFound } from '../admin-errors.js';
import { jsonBody, type AdminRequest, type AdminRoutes } from '../admin-router.js';
import { defined, serialised } from '../api-updates.js';
import { optionalBoolean, optionalObject, optionalString } from '../body-fields.js';
import { v1List } from '../paging.js';
import { invalidPath, patchOperations, patchScalar, requireValue, segments } from '../patch.js';

export const apiKeyNotFound = (): Error => notFound('Invalid API Key identifier specified');

export function apiKeyResource(key: ApiKey, includeValue: boolean): Record<string, unknown> {
  return defined({
    id: key.id,
    value: includeValue ? key.value : undefined,
    name: key.name,
    customerId: key.customerId,
    description: key.description,
    enabled: key.enabled,
    createdDate: key.createdDate,
    lastUpdatedDate: key.lastUpdatedDate,
    stageKeys: key.stageKeys ?? [],
    tags: key.tags,
  });
}

export async function readApiKey(ctx: AdminContext, keyId: string): Promise<ApiKey> {
  const key = await ctx.store.getApiKey(keyId);
  if (!key) throw apiKeyNotFound();
  return key;
}

/** Read-modify-write of one key, serialised within the process like API updates. */
export function updateApiKey<T>(
  ctx: AdminContext,
  keyId: string,
  change: (key: ApiKey) => T | Promise<T>,
): Promise<T> {
  return serialised(`apikey:${keyId}`, async () => {
    const key: ApiKey = structuredClone(await readApiKey(ctx, keyId));
    const result = await change(key);
    key.lastUpdatedDate = epochSeconds(ctx);
    assertValidApiKey(key);
    await ctx.store.updateApiKey(key);
    return result;
  });
}

/** `{restApiId}/{stageName}`, checked to name an existing stage of a REST API. */
async function stageKey(ctx: AdminContext, restApiId: string, stageName: string): Promise<string> {
  const api = await ctx.store.getApi(restApiId);
  if (api?.protocolType !== 'REST' || !(await ctx.store.getStage(restApiId, stageName)))
    throw badRequest('Invalid stage identifier specified');
  return `${restApiId}/${stageName}`;
}

async function createApiKey(request: AdminRequest, ctx: AdminContext) {
  const body = jsonBody(request);
  const enabled = optionalBoolean(body, 'enabled');
  const tags = optionalObject(body, 'tags') as Record<string, string> | undefined;
  const rawStageKeys = body['stageKeys'] ?? [];
  if (!Array.isArray(rawStageKeys)) throw badRequest('stageKeys must be a list of {restApiId, stageName}');
  const stageKeys: string[] = [];
  for (const entry of rawStageKeys as unknown[]) {
    const { restApiId, stageName } = (entry ?? {}) as Record<string, unknown>;
    if (typeof restApiId !== 'string' || typeof stageName !== 'string')
      throw badRequest('stageKeys must be a list of {restApiId, stageName}');
    stageKeys.push(await stageKey(ctx, restApiId, stageName));
  }
  // generateDistinctId is accepted and needs nothing: every key's id is distinct.
  const key: ApiKey = newApiKey(
    {
      name: optionalString(body, 'name'),
      value: optionalString(body, 'value'),
      description: optionalString(body, 'description'),
      customerId: optionalString(body, 'customerId'),
      enabled,
      tags,
    },
    ctx.now(),
  );
  if (stageKeys.length > 0) key.stageKeys = [...new Set(stageKeys)];
  await ctx.store.createApiKey(key);
  return { status: 201, body: apiKeyResource(key, true) };
}

const SCALARS = { name: 'string', description: 'string', enabled: 'boolean', customerId: 'string' } as const;

async function updateApiKeyOperation(request: AdminRequest, ctx: AdminContext) {
  const ops = patchOperations(request);
  const key = await updateApiKey(ctx, request.params['api_key']!, async (key) => {
    for (const op of ops) {
      if (patchScalar(key, op, SCALARS)) {
        // AWS drops an empty name rather than storing it.
        if (key.name === '') delete key.name;
        const problem = apiKeyFieldProblem({ name: key.name, description: key.description });
        if (problem !== undefined) throw badRequest(problem);
        continue;
      }
      const parts = segments(op.path);
      if (parts[0] === 'stages' && parts.length === 1 && (op.op === 'add' || op.op === 'remove')) {
        const value = requireValue(op);
        const slash = value.indexOf('/');
        if (slash <= 0) throw badRequest(`Invalid stage key ${value}: write it {restApiId}/{stageName}`);
        const stages = new Set(key.stageKeys ?? []);
        if (op.op === 'add') stages.add(await stageKey(ctx, value.slice(0, slash), value.slice(slash + 1)));
        else stages.delete(value);
        if (stages.size > 0) key.stageKeys = [...stages];
        else delete key.stageKeys;
        continue;
      }
      throw invalidPath(op);
    }
    return key;
  });
  return { status: 200, body: apiKeyResource(key, false) };
}

async function listApiKeys(request: AdminRequest, ctx: AdminContext) {
  const nameQuery = request.query.get('name');
  const customerId = request.query.get('customerId');
  const includeValues = request.query.get('includeValues') === 'true';
  const keys = (await ctx.store.listApiKeys()).filter(
    (key) =>
      (nameQuery === null || (key.name ?? '').startsWith(nameQuery)) &&
      (customerId === null || key.customerId === customerId),
  );
  return {
    status: 200,
    body: v1List(
      request,
      keys.map((key) => apiKeyResource(key, includeValues)),
    ),
  };
}

/**
 * ImportApiKeys: a key value seen before updates that key (its id stays), a new one is created;
 * rows with problems are warnings, or with failonwarnings=true nothing is imported.
 */
async function importApiKeys(request: AdminRequest, ctx: AdminContext) {
  const format = request.query.get('format');
  if (format?.toLowerCase() !== 'csv') throw badRequest(`Invalid format specified: ${format ?? ''}; use csv`);
  const failOnWarnings = request.query.get('failonwarnings') === 'true';
  let file;
  try {
    file = parseKeyFile(request.rawBody.toString('utf8'));
  } catch (error) {
    if (error instanceof KeyFileError) throw badRequest(`Invalid API key file: ${error.message}`);
    throw error;
  }
  const planIds = new Set((await ctx.store.listUsagePlans()).map((plan) => plan.id));
  const warnings = [...file.warnings];
  for (const entry of file.entries) {
    for (const planId of entry.usagePlanIds) {
      if (!planIds.has(planId))
        warnings.push(`line ${entry.line}: Invalid Usage Plan ID specified: ${planId}`);
    }
  }
  if (failOnWarnings && warnings.length > 0)
    throw badRequest(`Warnings found during import:\n\t${warnings.join('\n\t')}`);
  if (file.entries.length === 0) throw badRequest('The API key file has no keys to import');
  const ids: string[] = [];
  for (const entry of file.entries) {
    const key = await importKey(ctx, entry);
    for (const planId of entry.usagePlanIds.filter((id) => planIds.has(id))) {
      const inPlan = (await ctx.store.listUsagePlanKeys(planId)).some((link) => link.keyId === key.id);
      if (!inPlan) await ctx.store.addUsagePlanKey(planId, key.id);
    }
    ids.push(key.id);
  }
  return { status: 201, body: defined({ ids, warnings: warnings.length > 0 ? warnings : undefined }) };
}

async function importKey(ctx: AdminContext, entry: KeyFileEntry): Promise<ApiKey> {
  const existing = await ctx.store.getApiKeyByValue(entry.value);
  if (existing === undefined) {
    const key = newApiKey(
      { name: entry.name, value: entry.value, description: entry.description, enabled: entry.enabled },
      ctx.now(),
    );
    await ctx.store.createApiKey(key);
    return key;
  }
  return updateApiKey(ctx, existing.id, (key) => {
    key.enabled = entry.enabled;
    if (entry.name !== undefined) key.name = entry.name;
    if (entry.description !== undefined) key.description = entry.description;
    return key;
  });
}

export function registerApiKeys(routes: AdminRoutes): void {
  routes
    .add('POST', '/apikeys', (request, ctx) =>
      request.query.get('mode') === 'import' ? importApiKeys(request, ctx) : createApiKey(request, ctx),
    )
    .add('GET', '/apikeys', listApiKeys)
    .add('GET', '/apikeys/:api_key', async (request, ctx) => {
      const key = await readApiKey(ctx, request.params['api_key']!);
      return { status: 200, body: apiKeyResource(key, request.query.get('includeValue') === 'true') };
    })
    .add('PATCH', '/apikeys/:api_key', updateApiKeyOperation)
    .add('DELETE', '/apikeys/:api_key', async (request, ctx) => {
      const keyId = request.params['api_key']!;
      await serialised(`apikey:${keyId}`, async () => {
        await readApiKey(ctx, keyId);
        await ctx.store.deleteApiKey(keyId);
      });
      return { status: 202 };
    });
}
