// v1 Stages: CreateStage, GetStages (`?deploymentId=`), GetStage, UpdateStage, DeleteStage.
// UpdateStage takes AWS's patch paths, including the canary ones and the promotion: copy the
// canary's deployment and stage variable overrides onto the stage.
import { StageSchema, type CanarySettings, type MethodSetting, type Stage } from '../../model/api.js';
import { assertValid } from '../../model/validate.js';
import { canaryStageOf } from '../../features/canary/index.js';
import type { AdminContext } from '../admin-context.js';
import { epochSeconds } from '../admin-context.js';
import { badRequest, conflict, notFound } from '../admin-errors.js';
import { jsonBody, type AdminRequest, type AdminRoutes } from '../admin-router.js';
import { defined, readRestApi, serialised } from '../api-updates.js';
import { optionalBoolean, optionalObject, optionalString } from '../body-fields.js';
import { INVALID_DEPLOYMENT } from '../deployments.js';
import {
  booleanValue,
  invalidPath,
  numberValue,
  patchOperations,
  patchStringMap,
  requireValue,
  segments,
  type PatchOperation,
} from '../patch.js';
import { readDeployment, stageQueue } from './deployments.js';

/** Stage fields AWS returns that Gatehouse keeps in `settings` without acting on them. */
const KEPT_SETTINGS = ['clientCertificateId', 'documentationVersion', 'webAclArn'] as const;

export function stageShape(stage: Stage): Record<string, unknown> {
  const kept = stage.settings ?? {};
  return defined({
    deploymentId: stage.deploymentId,
    clientCertificateId: kept['clientCertificateId'],
    stageName: stage.stageName,
    description: stage.description,
    cacheClusterEnabled: stage.cacheClusterEnabled ?? false,
    cacheClusterSize: stage.cacheClusterSize,
    cacheClusterStatus: stage.cacheClusterEnabled ? 'AVAILABLE' : 'NOT_AVAILABLE',
    methodSettings: methodSettingsShape(stage.methodSettings),
    variables: Object.keys(stage.variables).length > 0 ? stage.variables : undefined,
    documentationVersion: kept['documentationVersion'],
    accessLogSettings: stage.accessLogSettings,
    canarySettings: stage.canarySettings,
    tracingEnabled: stage.tracingEnabled ?? false,
    webAclArn: kept['webAclArn'],
    tags: stage.tags,
    createdDate: stage.createdDate,
    lastUpdatedDate: stage.lastUpdatedDate,
  });
}

export const invalidStage = (): Error => notFound('Invalid Stage identifier specified');

export async function readStage(ctx: AdminContext, apiId: string, stageName: string): Promise<Stage> {
  await readRestApi(ctx, apiId);
  const stage = await ctx.store.getStage(apiId, stageName);
  if (!stage) throw invalidStage();
  return stage;
}

const CACHE_CLUSTER_SIZES = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'];

/** A stage as it will be stored: AWS's rules first, in its words, then the model's. */
function checkStage(stage: Stage): void {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(stage.stageName)) {
    throw badRequest('Stage name only allows a-zA-Z0-9_-');
  }
  if (stage.cacheClusterSize !== undefined && !CACHE_CLUSTER_SIZES.includes(stage.cacheClusterSize)) {
    throw badRequest(
      `Invalid cache cluster size specified. Valid options are ${CACHE_CLUSTER_SIZES.join(',')}`,
    );
  }
  assertValid(StageSchema, stage);
}

async function checkCanaryDeployment(ctx: AdminContext, stage: Stage): Promise<void> {
  const deploymentId = stage.canarySettings?.deploymentId;
  if (deploymentId !== undefined && !(await ctx.store.getDeployment(stage.apiId, deploymentId))) {
    throw badRequest('Deployment id does not exist');
  }
}

/** Runs the node's deployment check on what the stage and its canary will serve. */
async function checkServing(ctx: AdminContext, stage: Stage): Promise<void> {
  if (!ctx.checkDeployment) return;
  const problems: string[] = [];
  if (stage.deploymentId !== undefined) {
    problems.push(...ctx.checkDeployment(await readDeployment(ctx, stage.apiId, stage.deploymentId), stage));
  }
  const canary =
    stage.canarySettings &&
    canaryStageOf({ ...stage, canarySettings: { ...stage.canarySettings, percentTraffic: 100 } });
  if (canary?.deploymentId !== undefined && canary.deploymentId !== stage.deploymentId) {
    problems.push(
      ...ctx.checkDeployment(await readDeployment(ctx, stage.apiId, canary.deploymentId), canary),
    );
  }
  if (problems.length > 0) throw badRequest(`${INVALID_DEPLOYMENT} ${problems.join('; ')}`);
}

async function createStage(request: AdminRequest, ctx: AdminContext) {
  const apiId = request.params['restapi_id']!;
  const body = jsonBody(request);
  const stageName = optionalString(body, 'stageName');
  if (!stageName) throw badRequest('Invalid null or empty value for stageName');
  const deploymentId = optionalString(body, 'deploymentId');
  if (!deploymentId) throw badRequest('Invalid null or empty value for deploymentId');
  const now = epochSeconds(ctx);
  const stage = defined({
    apiId,
    stageName,
    deploymentId,
    description: optionalString(body, 'description'),
    variables: (optionalObject(body, 'variables') as Record<string, string> | undefined) ?? {},
    createdDate: now,
    lastUpdatedDate: now,
    cacheClusterEnabled: optionalBoolean(body, 'cacheClusterEnabled'),
    cacheClusterSize: optionalString(body, 'cacheClusterSize'),
    tracingEnabled: optionalBoolean(body, 'tracingEnabled'),
    canarySettings: optionalObject(body, 'canarySettings'),
    tags: optionalObject(body, 'tags') as Record<string, string> | undefined,
  }) as Stage;
  const documentationVersion = optionalString(body, 'documentationVersion');
  if (documentationVersion !== undefined) stage.settings = { documentationVersion };
  if (stage.canarySettings)
    stage.canarySettings = { percentTraffic: 0, useStageCache: false, ...stage.canarySettings };
  checkStage(stage);
  await serialised(stageQueue(apiId), async () => {
    await readRestApi(ctx, apiId);
    if (await ctx.store.getStage(apiId, stageName)) throw conflict('Stage already exists');
    await readDeployment(ctx, apiId, deploymentId);
    await checkCanaryDeployment(ctx, stage);
    await checkServing(ctx, stage);
    await ctx.store.putStage(stage);
  });
  return { status: 201, body: stageShape(stage) };
}

/**
 * AWS's defaults for a methodSettings entry, as recorded from AWS. They are shown, not stored:
 * the stage keeps only what was set, so a per-method entry created to change its logging does
 * not pin its throttling or caching to these defaults over the stage-wide entry.
 */
const METHOD_SETTING_DEFAULTS: Required<MethodSetting> = {
  metricsEnabled: false,
  loggingLevel: 'OFF',
  dataTraceEnabled: false,
  throttlingBurstLimit: 5000,
  throttlingRateLimit: 10000,
  cachingEnabled: false,
  cacheTtlInSeconds: 300,
  cacheDataEncrypted: false,
  requireAuthorizationForCacheControl: true,
  unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
};

function methodSettingsShape(settings: Stage['methodSettings']): Record<string, MethodSetting> {
  const shown: Record<string, MethodSetting> = {};
  for (const [key, setting] of Object.entries(settings ?? {}))
    shown[key] = { ...METHOD_SETTING_DEFAULTS, ...setting };
  return shown;
}

type SettingKind = 'boolean' | 'integer' | 'number' | 'logLevel' | 'strategy';
const METHOD_SETTING_PATHS: Record<string, [keyof MethodSetting, SettingKind]> = {
  'throttling/rateLimit': ['throttlingRateLimit', 'number'],
  'throttling/burstLimit': ['throttlingBurstLimit', 'integer'],
  'caching/enabled': ['cachingEnabled', 'boolean'],
  'caching/ttlInSeconds': ['cacheTtlInSeconds', 'integer'],
  'caching/dataEncrypted': ['cacheDataEncrypted', 'boolean'],
  'caching/requireAuthorizationForCacheControl': ['requireAuthorizationForCacheControl', 'boolean'],
  'caching/unauthorizedCacheControlHeaderStrategy': ['unauthorizedCacheControlHeaderStrategy', 'strategy'],
  'metrics/enabled': ['metricsEnabled', 'boolean'],
  'logging/loglevel': ['loggingLevel', 'logLevel'],
  'logging/dataTrace': ['dataTraceEnabled', 'boolean'],
};
const LOG_LEVELS = ['OFF', 'ERROR', 'INFO'];
const STRATEGIES = ['FAIL_WITH_403', 'SUCCEED_WITH_RESPONSE_HEADER', 'SUCCEED_WITHOUT_RESPONSE_HEADER'];

function settingValue(op: PatchOperation, kind: SettingKind): unknown {
  switch (kind) {
    case 'boolean':
      return booleanValue(op);
    case 'integer':
      return numberValue(op, true);
    case 'number':
      return numberValue(op);
    case 'logLevel': {
      const level = requireValue(op).toUpperCase();
      if (!LOG_LEVELS.includes(level))
        throw badRequest(`Invalid logging level ${op.value ?? ''}: use ${LOG_LEVELS.join(', ')}`);
      return level;
    }
    case 'strategy': {
      const strategy = requireValue(op);
      if (!STRATEGIES.includes(strategy)) {
        throw badRequest(
          `Invalid unauthorizedCacheControlHeaderStrategy ${strategy}: use ${STRATEGIES.join(', ')}`,
        );
      }
      return strategy;
    }
  }
}

/**
 * `/{resourcePath}/{METHOD}/{group}/{name}`, the resource path `~1`-escaped and `*` for every
 * resource and method; stored under `{resourcePath without its leading slash}/{METHOD}`.
 */
function patchMethodSetting(stage: Stage, op: PatchOperation, parts: string[]): void {
  const [resourcePath, method, ...rest] = parts as [string, string, ...string[]];
  if (method === undefined || (resourcePath !== '*' && !resourcePath.startsWith('/'))) throw invalidPath(op);
  const key = resourcePath === '*' ? `*/${method}` : `${resourcePath.slice(1)}/${method.toUpperCase()}`;
  const settings = { ...stage.methodSettings };
  if (rest.length === 0) {
    if (op.op !== 'remove') throw invalidPath(op);
    delete settings[key];
  } else {
    const known = METHOD_SETTING_PATHS[rest.join('/')];
    if (!known) throw invalidPath(op);
    const [field, kind] = known;
    const entry: Record<string, unknown> = { ...settings[key] };
    if (op.op === 'remove') delete entry[field];
    else if (op.op === 'replace' || op.op === 'add') entry[field] = settingValue(op, kind);
    else throw invalidPath(op);
    settings[key] = entry;
  }
  if (Object.keys(settings).length > 0) stage.methodSettings = settings;
  else delete stage.methodSettings;
}

const COPY_PATHS = ['/deploymentId', '/variables'];
const COPY_FROM = ['/canarySettings/deploymentId', '/canarySettings/stageVariableOverrides'];

/** The promotion: the canary's deployment, or its overrides merged into the variables, onto the stage. */
function copyFromCanary(stage: Stage, op: PatchOperation): void {
  const from = op.from ?? '';
  const pairIndex = COPY_PATHS.indexOf(op.path);
  if (pairIndex === -1 || COPY_FROM.indexOf(from) !== pairIndex) {
    throw badRequest(
      `Invalid copy operation with path: ${op.path} and from ${from}. Valid copy:path are [${COPY_PATHS.join(', ')}] and valid copy:from are [${COPY_FROM.join(', ')}]`,
    );
  }
  const canary = stage.canarySettings;
  if (!canary) throw badRequest('Promotion not available. Canary does not exist.');
  if (op.path === '/deploymentId') {
    if (canary.deploymentId !== undefined) stage.deploymentId = canary.deploymentId;
  } else {
    stage.variables = { ...stage.variables, ...canary.stageVariableOverrides };
  }
}

function patchCanary(stage: Stage, op: PatchOperation, parts: string[]): void {
  if (parts.length === 1) {
    if (op.op !== 'remove') throw invalidPath(op);
    delete stage.canarySettings;
    return;
  }
  const canary: CanarySettings = { ...stage.canarySettings };
  const field = parts[1];
  if (field === 'stageVariableOverrides' && parts.length === 3) {
    const overrides = { ...canary.stageVariableOverrides };
    if (op.op === 'remove') delete overrides[parts[2]!];
    else if (op.op === 'add' || op.op === 'replace') overrides[parts[2]!] = op.value ?? '';
    else throw invalidPath(op);
    canary.stageVariableOverrides = overrides;
  } else if (parts.length !== 2) {
    throw invalidPath(op);
  } else if (op.op === 'add' && field === 'deploymentId') {
    throw badRequest(`Invalid add operation with path: ${op.path}`);
  } else if (op.op !== 'replace') {
    throw invalidPath(op);
  } else if (field === 'percentTraffic') {
    const percent = numberValue(op);
    if (percent < 0 || percent > 100)
      throw badRequest('Canary percentTraffic must be a number from 0.0 to 100.0');
    canary.percentTraffic = percent;
  } else if (field === 'deploymentId') {
    canary.deploymentId = requireValue(op);
  } else if (field === 'useStageCache') {
    canary.useStageCache = booleanValue(op);
  } else {
    throw invalidPath(op);
  }
  stage.canarySettings = canary;
}

function patchStage(stage: Stage, op: PatchOperation): void {
  if (op.op === 'copy') {
    copyFromCanary(stage, op);
    return;
  }
  const parts = segments(op.path);
  const first = parts[0]!;
  if (first === '*' || first.startsWith('/')) {
    patchMethodSetting(stage, op, parts);
    return;
  }
  if (patchStringMap(stage, op, 'variables')) return;
  if (first === 'canarySettings') {
    patchCanary(stage, op, parts);
    return;
  }
  if (first === 'accessLogSettings') {
    if (parts.length === 1 && op.op === 'remove') delete stage.accessLogSettings;
    else if (parts.length === 2 && (parts[1] === 'format' || parts[1] === 'destinationArn')) {
      const settings = { ...stage.accessLogSettings };
      if (op.op === 'remove') delete settings[parts[1]];
      else if (op.op === 'replace' || op.op === 'add') settings[parts[1]] = requireValue(op);
      else throw invalidPath(op);
      stage.accessLogSettings = settings;
    } else throw invalidPath(op);
    return;
  }
  if (parts.length !== 1 || (op.op !== 'replace' && op.op !== 'remove' && op.op !== 'add'))
    throw invalidPath(op);
  const removing = op.op === 'remove';
  switch (first) {
    case 'description':
      if (removing) delete stage.description;
      else stage.description = op.value ?? '';
      return;
    case 'deploymentId':
      if (removing) throw invalidPath(op);
      stage.deploymentId = requireValue(op);
      return;
    case 'cacheClusterEnabled':
      if (removing) delete stage.cacheClusterEnabled;
      else stage.cacheClusterEnabled = booleanValue(op);
      return;
    case 'cacheClusterSize':
      if (removing) delete stage.cacheClusterSize;
      else stage.cacheClusterSize = requireValue(op);
      return;
    case 'tracingEnabled':
      if (removing) delete stage.tracingEnabled;
      else stage.tracingEnabled = booleanValue(op);
      return;
    default:
      if (!(KEPT_SETTINGS as readonly string[]).includes(first)) throw invalidPath(op);
      stage.settings = { ...stage.settings };
      if (removing) delete stage.settings[first];
      else stage.settings[first] = op.value ?? '';
  }
}

async function updateStage(request: AdminRequest, ctx: AdminContext) {
  const apiId = request.params['restapi_id']!;
  const stageName = request.params['stage_name']!;
  const ops = patchOperations(request);
  const stage = await serialised(stageQueue(apiId), async () => {
    const before = await readStage(ctx, apiId, stageName);
    const stage = structuredClone(before);
    for (const op of ops) patchStage(stage, op);
    stage.lastUpdatedDate = epochSeconds(ctx);
    checkStage(stage);
    if (stage.deploymentId !== before.deploymentId && stage.deploymentId !== undefined) {
      await readDeployment(ctx, apiId, stage.deploymentId);
    }
    await checkCanaryDeployment(ctx, stage);
    const serving = (s: Stage) => JSON.stringify([s.deploymentId, s.variables, s.canarySettings]);
    if (serving(stage) !== serving(before)) await checkServing(ctx, stage);
    await ctx.store.putStage(stage);
    return stage;
  });
  return { status: 200, body: stageShape(stage) };
}

export function registerStages(routes: AdminRoutes): void {
  const one = '/restapis/:restapi_id/stages/:stage_name';
  routes
    .add('POST', '/restapis/:restapi_id/stages', createStage)
    .add('GET', '/restapis/:restapi_id/stages', async (request, ctx) => {
      const apiId = request.params['restapi_id']!;
      await readRestApi(ctx, apiId);
      const deploymentId = request.query.get('deploymentId');
      const stages = (await ctx.store.listStages(apiId)).filter(
        (stage) => deploymentId === null || stage.deploymentId === deploymentId,
      );
      // GetStages is not paged: AWS answers every stage in `item`.
      return { status: 200, body: { item: stages.map(stageShape) } };
    })
    .add('GET', one, async (request, ctx) => ({
      status: 200,
      body: stageShape(await readStage(ctx, request.params['restapi_id']!, request.params['stage_name']!)),
    }))
    .add('PATCH', one, updateStage)
    .add('DELETE', one, async (request, ctx) => {
      const apiId = request.params['restapi_id']!;
      const stageName = request.params['stage_name']!;
      await serialised(stageQueue(apiId), async () => {
        await readStage(ctx, apiId, stageName);
        await ctx.store.deleteStage(apiId, stageName);
      });
      return { status: 202 };
    });
}
