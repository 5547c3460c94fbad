// v1 UsagePlans (CreateUsagePlan, GetUsagePlan(s), UpdateUsagePlan with AWS's patch paths,
// DeleteUsagePlan), UsagePlanKeys (Create/Get/GetAll/Delete) and GetUsage, which asks the running
// data plane for the counts. Plans and their keys are account-wide, like on AWS; the data plane
// follows changes through the store's watch, without a redeploy.
import {
  assertValidUsagePlan,
  newUsagePlan,
  QUOTA_PERIODS,
  usagePlanKeyResource,
  type ApiStage,
  type NewUsagePlanInput,
  type QuotaSettings,
  type ThrottleSettings,
  type UsagePlan,
} from '../../model/usage-plans.js';
import type { AdminContext } from '../admin-context.js';
import { badRequest, conflict, notFound, notImplemented } from '../admin-errors.js';
import { jsonBody, type AdminRequest, type AdminRoutes } from '../admin-router.js';
import { defined, serialised } from '../api-updates.js';
import { isRecord } from '../body-fields.js';
import { v1List } from '../paging.js';
import {
  invalidPath,
  numberValue,
  patchOperations,
  requireValue,
  segments,
  type PatchOperation,
} from '../patch.js';
import { apiKeyNotFound, readApiKey } from './api-keys.js';

export const usagePlanNotFound = (): Error => notFound('Invalid Usage Plan ID specified');

export function usagePlanResource(plan: UsagePlan): Record<string, unknown> {
  return defined({
    id: plan.id,
    name: plan.name,
    description: plan.description,
    apiStages: plan.apiStages,
    throttle: plan.throttle,
    quota: plan.quota,
    tags: plan.tags,
  });
}

async function readUsagePlan(ctx: AdminContext, usagePlanId: string): Promise<UsagePlan> {
  const plan = await ctx.store.getUsagePlan(usagePlanId);
  if (!plan) throw usagePlanNotFound();
  return plan;
}

/** Read-modify-write of one plan, serialised within the process. */
export function updateUsagePlan<T>(
  ctx: AdminContext,
  usagePlanId: string,
  change: (plan: UsagePlan) => T | Promise<T>,
): Promise<T> {
  return serialised(`usageplan:${usagePlanId}`, async () => {
    const plan = structuredClone(await readUsagePlan(ctx, usagePlanId));
    const result = await change(plan);
    assertValidUsagePlan(plan);
    await ctx.store.updateUsagePlan(plan);
    return result;
  });
}

/** AWS's refusal of an API stage that does not exist (or is not a REST API's). */
async function checkApiStage(ctx: AdminContext, apiStage: ApiStage, usagePlanId: string): Promise<void> {
  const api = await ctx.store.getApi(apiStage.apiId);
  const stage =
    api?.protocolType === 'REST' ? await ctx.store.getStage(apiStage.apiId, apiStage.stage) : undefined;
  if (!stage) {
    throw badRequest(
      `Invalid API Stage {api: ${apiStage.apiId}, stage: ${apiStage.stage}} specified for usageplan ${usagePlanId}`,
    );
  }
}

function throttleOf(value: unknown, at: string): ThrottleSettings | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw badRequest(`${at} must be {rateLimit, burstLimit}`);
  const { rateLimit, burstLimit } = value;
  if (rateLimit !== undefined && typeof rateLimit !== 'number')
    throw badRequest(`${at}.rateLimit must be a number`);
  if (burstLimit !== undefined && typeof burstLimit !== 'number')
    throw badRequest(`${at}.burstLimit must be a number`);
  // AWS fills a limit left out with 0.
  return { rateLimit: rateLimit ?? 0, burstLimit: burstLimit ?? 0 };
}

function quotaOf(value: unknown): QuotaSettings | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw badRequest('quota must be {limit, offset, period}');
  const { limit, offset, period } = value;
  if (typeof period !== 'string' || !(QUOTA_PERIODS as readonly string[]).includes(period))
    throw badRequest(`Invalid quota period ${String(period)}: it must be one of ${QUOTA_PERIODS.join(', ')}`);
  if (typeof limit !== 'number') throw badRequest('quota.limit must be a number of requests');
  if (offset !== undefined && typeof offset !== 'number') throw badRequest('quota.offset must be a number');
  return { limit, offset: offset ?? 0, period: period as QuotaSettings['period'] };
}

function apiStagesOf(value: unknown): ApiStage[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badRequest('apiStages must be a list of {apiId, stage, throttle}');
  return value.map((raw: unknown, index) => {
    if (!isRecord(raw) || typeof raw['apiId'] !== 'string' || typeof raw['stage'] !== 'string')
      throw badRequest(`apiStages[${index}] must name an apiId and a stage`);
    const apiStage: ApiStage = { apiId: raw['apiId'], stage: raw['stage'] };
    const throttle = raw['throttle'];
    if (throttle !== undefined && throttle !== null) {
      if (!isRecord(throttle))
        throw badRequest(`apiStages[${index}].throttle must map /path/METHOD to limits`);
      apiStage.throttle = {};
      for (const [method, limits] of Object.entries(throttle))
        apiStage.throttle[method] = throttleOf(limits, `apiStages[${index}].throttle[${method}]`)!;
    }
    return apiStage;
  });
}

async function createUsagePlan(request: AdminRequest, ctx: AdminContext) {
  const body = jsonBody(request);
  const name = body['name'];
  if (typeof name !== 'string' || name === '')
    throw badRequest('Invalid usage plan name specified: it must not be empty');
  const input: NewUsagePlanInput = { name, apiStages: apiStagesOf(body['apiStages']) };
  if (typeof body['description'] === 'string') input.description = body['description'];
  const throttle = throttleOf(body['throttle'], 'throttle');
  if (throttle) input.throttle = throttle;
  const quota = quotaOf(body['quota']);
  if (quota) input.quota = quota;
  if (isRecord(body['tags'])) input.tags = body['tags'] as Record<string, string>;
  const plan = newUsagePlan(input);
  for (const apiStage of plan.apiStages) await checkApiStage(ctx, apiStage, plan.id);
  await ctx.store.createUsagePlan(plan);
  return { status: 201, body: usagePlanResource(plan) };
}

function setLimit(target: Record<string, number>, field: string, op: PatchOperation): void {
  if (op.op !== 'replace' && op.op !== 'add') throw invalidPath(op);
  target[field] = numberValue(op, field !== 'rateLimit');
}

/** `/apiStages/{apiId}:{stage}/throttle/{resourcePath}/{METHOD}[/rateLimit|burstLimit]`. */
function patchMethodThrottle(apiStage: ApiStage, op: PatchOperation, rest: string[]): void {
  if (rest.length === 0) {
    if (op.op !== 'remove') throw invalidPath(op);
    delete apiStage.throttle;
    return;
  }
  const last = rest[rest.length - 1]!;
  const field = last === 'rateLimit' || last === 'burstLimit' ? last : undefined;
  const methodParts = field === undefined ? rest : rest.slice(0, -1);
  if (methodParts.length < 2) throw invalidPath(op);
  const httpMethod = methodParts[methodParts.length - 1]!;
  // The resource path arrives as `~1pets` (one segment) or `/pets` split into segments.
  let resourcePath = methodParts.slice(0, -1).join('/');
  if (!resourcePath.startsWith('/')) resourcePath = `/${resourcePath}`;
  const key = `${resourcePath}/${httpMethod}`;
  const throttle = { ...apiStage.throttle };
  if (field === undefined) {
    if (op.op !== 'remove') throw invalidPath(op);
    delete throttle[key];
  } else if (op.op === 'remove') {
    delete throttle[key];
  } else {
    const limits = { rateLimit: 0, burstLimit: 0, ...throttle[key] };
    setLimit(limits, field, op);
    throttle[key] = limits;
  }
  if (Object.keys(throttle).length > 0) apiStage.throttle = throttle;
  else delete apiStage.throttle;
}

function parseApiStage(op: PatchOperation, text: string): { apiId: string; stage: string } {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1)
    throw badRequest(`Invalid API stage ${text} for ${op.path}: write it {apiId}:{stage}`);
  return { apiId: text.slice(0, colon), stage: text.slice(colon + 1) };
}

async function applyPlanPatch(ctx: AdminContext, plan: UsagePlan, op: PatchOperation): Promise<void> {
  const parts = segments(op.path);
  const [head, second, ...rest] = parts;
  if ((head === 'name' || head === 'description') && parts.length === 1) {
    if (op.op === 'remove' && head === 'description') delete plan.description;
    else if (op.op === 'replace' || op.op === 'add') plan[head] = requireValue(op);
    else throw invalidPath(op);
    return;
  }
  if (head === 'throttle' || head === 'quota') {
    if (parts.length === 1) {
      if (op.op !== 'remove') throw invalidPath(op);
      delete plan[head];
      return;
    }
    if (parts.length !== 2) throw invalidPath(op);
    if (head === 'throttle') {
      if (second !== 'rateLimit' && second !== 'burstLimit') throw invalidPath(op);
      const throttle = { rateLimit: 0, burstLimit: 0, ...plan.throttle };
      setLimit(throttle, second, op);
      plan.throttle = throttle;
      return;
    }
    if (op.op !== 'replace' && op.op !== 'add') throw invalidPath(op);
    const quota = { limit: 0, offset: 0, period: undefined as string | undefined, ...plan.quota };
    if (second === 'period') quota.period = requireValue(op).toUpperCase();
    else if (second === 'limit' || second === 'offset') quota[second] = numberValue(op, true);
    else throw invalidPath(op);
    // The period is checked after all operations: it may follow in the same request.
    plan.quota = quota as QuotaSettings;
    return;
  }
  if (head === 'apiStages') {
    if (parts.length === 1) {
      const { apiId, stage } = parseApiStage(op, requireValue(op));
      const index = plan.apiStages.findIndex((s) => s.apiId === apiId && s.stage === stage);
      if (op.op === 'add') {
        if (index !== -1) throw conflict(`API stage ${apiId}:${stage} is already in usage plan ${plan.id}`);
        await checkApiStage(ctx, { apiId, stage }, plan.id);
        plan.apiStages.push({ apiId, stage });
      } else if (op.op === 'remove') {
        if (index === -1) throw notFound(`API stage ${apiId}:${stage} is not in usage plan ${plan.id}`);
        plan.apiStages.splice(index, 1);
      } else throw invalidPath(op);
      return;
    }
    if (second === undefined || rest[0] !== 'throttle') throw invalidPath(op);
    const { apiId, stage } = parseApiStage(op, second);
    const apiStage = plan.apiStages.find((s) => s.apiId === apiId && s.stage === stage);
    if (!apiStage) throw notFound(`API stage ${apiId}:${stage} is not in usage plan ${plan.id}`);
    patchMethodThrottle(apiStage, op, rest.slice(1));
    return;
  }
  throw invalidPath(op);
}

async function updateUsagePlanOperation(request: AdminRequest, ctx: AdminContext) {
  const ops = patchOperations(request);
  const plan = await updateUsagePlan(ctx, request.params['usageplan_id']!, async (plan) => {
    for (const op of ops) await applyPlanPatch(ctx, plan, op);
    const period = plan.quota?.period as string | undefined;
    if (plan.quota && (period === undefined || !(QUOTA_PERIODS as readonly string[]).includes(period)))
      throw badRequest(
        `Invalid quota period ${period ?? '(none)'}: it must be one of ${QUOTA_PERIODS.join(', ')}`,
      );
    return plan;
  });
  return { status: 200, body: usagePlanResource(plan) };
}

async function listUsagePlans(request: AdminRequest, ctx: AdminContext) {
  let plans = await ctx.store.listUsagePlans();
  const keyId = request.query.get('keyId');
  if (keyId !== null) {
    const planIds = new Set(
      (await ctx.store.listUsagePlanKeys())
        .filter((link) => link.keyId === keyId)
        .map((link) => link.usagePlanId),
    );
    plans = plans.filter((plan) => planIds.has(plan.id));
  }
  return { status: 200, body: v1List(request, plans.map(usagePlanResource)) };
}

async function createUsagePlanKey(request: AdminRequest, ctx: AdminContext) {
  const usagePlanId = request.params['usageplan_id']!;
  const body = jsonBody(request);
  const { keyId, keyType } = body;
  if (typeof keyId !== 'string' || keyId === '') throw badRequest('keyId must name an API key');
  if (keyType !== 'API_KEY')
    throw badRequest(`Invalid key type ${String(keyType)}: the only key type is API_KEY`);
  await readUsagePlan(ctx, usagePlanId);
  const key = await readApiKey(ctx, keyId);
  await ctx.store.addUsagePlanKey(usagePlanId, keyId);
  return { status: 201, body: usagePlanKeyResource(key) };
}

async function usagePlanKeyIds(ctx: AdminContext, usagePlanId: string): Promise<string[]> {
  return (await ctx.store.listUsagePlanKeys(usagePlanId)).map((link) => link.keyId);
}

/** GetUsage: the data plane's counts for the plan's keys, per day of the range. */
async function getUsage(request: AdminRequest, ctx: AdminContext) {
  const usagePlanId = request.params['usageplan_id']!;
  const startDate = request.query.get('startDate');
  const endDate = request.query.get('endDate');
  const day = /^\d{4}-\d{2}-\d{2}$/;
  if (startDate === null || !day.test(startDate)) throw badRequest('Invalid startDate: write it yyyy-MM-dd');
  if (endDate === null || !day.test(endDate)) throw badRequest('Invalid endDate: write it yyyy-MM-dd');
  if (endDate < startDate) throw badRequest('The endDate must not be before the startDate');
  await readUsagePlan(ctx, usagePlanId);
  const keyId = request.query.get('keyId') ?? undefined;
  if (!ctx.dataPlane) throw notImplemented('GetUsage');
  const report = await ctx.dataPlane.getUsage({ usagePlanId, keyId, startDate, endDate });
  return {
    status: 200,
    body: {
      usagePlanId: report.usagePlanId,
      startDate: report.startDate,
      endDate: report.endDate,
      values: report.items,
    },
  };
}

export function registerUsagePlans(routes: AdminRoutes): void {
  routes
    .add('POST', '/usageplans', createUsagePlan)
    .add('GET', '/usageplans', listUsagePlans)
    .add('GET', '/usageplans/:usageplan_id', async (request, ctx) => ({
      status: 200,
      body: usagePlanResource(await readUsagePlan(ctx, request.params['usageplan_id']!)),
    }))
    .add('PATCH', '/usageplans/:usageplan_id', updateUsagePlanOperation)
    .add('DELETE', '/usageplans/:usageplan_id', async (request, ctx) => {
      const usagePlanId = request.params['usageplan_id']!;
      await serialised(`usageplan:${usagePlanId}`, async () => {
        await readUsagePlan(ctx, usagePlanId);
        await ctx.store.deleteUsagePlan(usagePlanId);
      });
      return { status: 202 };
    })
    .add('POST', '/usageplans/:usageplan_id/keys', createUsagePlanKey)
    .add('GET', '/usageplans/:usageplan_id/keys', async (request, ctx) => {
      const usagePlanId = request.params['usageplan_id']!;
      const ids = new Set(await usagePlanKeyIds(ctx, usagePlanId));
      const nameQuery = request.query.get('name');
      const keys = (await ctx.store.listApiKeys()).filter(
        (key) => ids.has(key.id) && (nameQuery === null || (key.name ?? '').startsWith(nameQuery)),
      );
      return { status: 200, body: v1List(request, keys.map(usagePlanKeyResource)) };
    })
    .add('GET', '/usageplans/:usageplan_id/keys/:key_id', async (request, ctx) => {
      const usagePlanId = request.params['usageplan_id']!;
      const keyId = request.params['key_id']!;
      await readUsagePlan(ctx, usagePlanId);
      if (!(await usagePlanKeyIds(ctx, usagePlanId)).includes(keyId)) throw apiKeyNotFound();
      return { status: 200, body: usagePlanKeyResource(await readApiKey(ctx, keyId)) };
    })
    .add('DELETE', '/usageplans/:usageplan_id/keys/:key_id', async (request, ctx) => {
      const usagePlanId = request.params['usageplan_id']!;
      const keyId = request.params['key_id']!;
      await readUsagePlan(ctx, usagePlanId);
      if (!(await usagePlanKeyIds(ctx, usagePlanId)).includes(keyId)) throw apiKeyNotFound();
      await ctx.store.removeUsagePlanKey(usagePlanId, keyId);
      return { status: 202 };
    })
    .add('GET', '/usageplans/:usageplan_id/usage', getUsage)
    .unsupported('PATCH', '/usageplans/:usageplan_id/keys/:key_id/usage', 'UpdateUsage');
}
