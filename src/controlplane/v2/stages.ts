// v2 Stages: CreateStage, GetStage(s), UpdateStage, DeleteStage, DeleteAccessLogSettings and
// DeleteRouteSettings. `stageVariables` on the wire are the stage's `variables`.
import { StageSchema, type Stage } from '../../model/api.js';
import { assertValid } from '../../model/validate.js';
import type { AdminContext } from '../admin-context.js';
import { epochSeconds } from '../admin-context.js';
import { badRequest, conflict } from '../admin-errors.js';
import { jsonBody, type AdminRequest, type AdminRoutes } from '../admin-router.js';
import { defined, readHttpApi, serialised } from '../api-updates.js';
import { INVALID_DEPLOYMENT } from '../deployments.js';
import { v2List } from '../paging.js';
import { AUTO_DEPLOYMENT_DESCRIPTION, deployToStage } from './deploying.js';
import { readDeployment } from './deployments.js';
import {
  assign,
  optionalBoolean,
  optionalObject,
  optionalString,
  optionalStringMap,
  requiredString,
  type Body,
} from '../body-fields.js';
import { isoDate } from './dates.js';
import { invalidStageId } from './identifiers.js';

export function stageResource(stage: Stage): Record<string, unknown> {
  const settings = stage.settings ?? {};
  return defined({
    accessLogSettings: stage.accessLogSettings,
    apiGatewayManaged: settings['apiGatewayManaged'] === true ? true : undefined,
    autoDeploy: stage.autoDeploy ?? false,
    clientCertificateId: settings['clientCertificateId'] as string | undefined,
    createdDate: isoDate(stage.createdDate),
    defaultRouteSettings: stage.defaultRouteSettings ?? {},
    deploymentId: stage.deploymentId,
    description: stage.description,
    lastDeploymentStatusMessage:
      stage.autoDeploy === true && stage.deploymentId !== undefined
        ? `Successfully deployed stage with deployment ID '${stage.deploymentId}'`
        : undefined,
    lastUpdatedDate: isoDate(stage.lastUpdatedDate),
    routeSettings: stage.routeSettings ?? {},
    stageName: stage.stageName,
    stageVariables: stage.variables,
    tags: stage.tags ?? {},
  });
}

async function readStage(ctx: AdminContext, apiId: string, stageName: string): Promise<Stage> {
  await readHttpApi(ctx, apiId);
  const stage = await ctx.store.getStage(apiId, stageName);
  if (!stage) throw invalidStageId(stageName);
  return stage;
}

/** Applies the body's fields; true when the stage now needs a deployment of its own (autoDeploy turned on). */
async function applyFields(ctx: AdminContext, stage: Stage, body: Body): Promise<boolean> {
  const deploymentId = optionalString(body, 'deploymentId');
  if (deploymentId !== undefined) {
    const deployment = await readDeployment(ctx, stage.apiId, deploymentId);
    const problems = ctx.checkDeployment?.(deployment, stage) ?? [];
    if (problems.length > 0) throw badRequest(`${INVALID_DEPLOYMENT}${problems.join('\n')}`);
    stage.deploymentId = deploymentId;
  }
  const wasAutoDeploy = stage.autoDeploy === true;
  assign(stage, 'autoDeploy', optionalBoolean(body, 'autoDeploy'));
  assign(stage, 'description', optionalString(body, 'description'));
  assign(stage, 'variables', optionalStringMap(body, 'stageVariables'));
  assign(stage, 'accessLogSettings', optionalObject(body, 'accessLogSettings'));
  assign(stage, 'defaultRouteSettings', optionalObject(body, 'defaultRouteSettings'));
  assign(
    stage,
    'routeSettings',
    optionalObject(body, 'routeSettings') as Record<string, Record<string, unknown>> | undefined,
  );
  const clientCertificateId = optionalString(body, 'clientCertificateId');
  if (clientCertificateId !== undefined) stage.settings = { ...stage.settings, clientCertificateId };
  stage.lastUpdatedDate = epochSeconds(ctx);
  assertValid(StageSchema, stage);
  return stage.autoDeploy === true && !wasAutoDeploy;
}

async function createStage(request: AdminRequest, ctx: AdminContext) {
  const apiId = request.params['apiId']!;
  const body = jsonBody(request);
  const stageName = requiredString(body, 'stageName');
  if (!/^(\$default|[A-Za-z0-9_-]{1,128})$/.test(stageName)) {
    throw badRequest(`Invalid stageName ${stageName}: use $default or 1 to 128 letters, digits, - and _`);
  }
  const stage = await serialised(`api:${apiId}`, async () => {
    await readHttpApi(ctx, apiId);
    if (await ctx.store.getStage(apiId, stageName)) throw conflict(`Stage ${stageName} already exists`);
    const now = epochSeconds(ctx);
    const stage: Stage = { apiId, stageName, variables: {}, createdDate: now, lastUpdatedDate: now };
    assign(stage, 'tags', optionalStringMap(body, 'tags'));
    const deployNow = await applyFields(ctx, stage, body);
    await ctx.store.putStage(stage);
    // As on AWS, an autoDeploy stage starts out serving the API as it is.
    if (deployNow) return (await deployToStage(ctx, apiId, stageName, AUTO_DEPLOYMENT_DESCRIPTION)).stage;
    return stage;
  });
  return { status: 201, body: stageResource(stage) };
}

async function updateStage(request: AdminRequest, ctx: AdminContext) {
  const apiId = request.params['apiId']!;
  const stageName = request.params['stageName']!;
  const body = jsonBody(request);
  const stage = await serialised(`api:${apiId}`, async () => {
    const stage = await readStage(ctx, apiId, stageName);
    const deployNow = await applyFields(ctx, stage, body);
    await ctx.store.putStage(stage);
    if (deployNow) return (await deployToStage(ctx, apiId, stageName, AUTO_DEPLOYMENT_DESCRIPTION)).stage;
    return stage;
  });
  return { status: 200, body: stageResource(stage) };
}

/** Read-modify-write of one stage, serialised with the API's other changes. */
function changeStage(
  ctx: AdminContext,
  request: AdminRequest,
  change: (stage: Stage) => void,
): Promise<void> {
  const apiId = request.params['apiId']!;
  return serialised(`api:${apiId}`, async () => {
    const stage = await readStage(ctx, apiId, request.params['stageName']!);
    change(stage);
    stage.lastUpdatedDate = epochSeconds(ctx);
    await ctx.store.putStage(stage);
  });
}

export function registerStages(routes: AdminRoutes): void {
  routes
    .add('POST', '/v2/apis/:apiId/stages', createStage)
    .add('GET', '/v2/apis/:apiId/stages', async (request, ctx) => {
      const apiId = request.params['apiId']!;
      await readHttpApi(ctx, apiId);
      return { status: 200, body: v2List(request, (await ctx.store.listStages(apiId)).map(stageResource)) };
    })
    .add('GET', '/v2/apis/:apiId/stages/:stageName', async (request, ctx) => ({
      status: 200,
      body: stageResource(await readStage(ctx, request.params['apiId']!, request.params['stageName']!)),
    }))
    .add('PATCH', '/v2/apis/:apiId/stages/:stageName', updateStage)
    .add('DELETE', '/v2/apis/:apiId/stages/:stageName', async (request, ctx) => {
      const apiId = request.params['apiId']!;
      const stageName = request.params['stageName']!;
      await serialised(`api:${apiId}`, async () => {
        await readStage(ctx, apiId, stageName);
        await ctx.store.deleteStage(apiId, stageName);
      });
      return { status: 204 };
    })
    .add('DELETE', '/v2/apis/:apiId/stages/:stageName/accesslogsettings', async (request, ctx) => {
      await changeStage(ctx, request, (stage) => {
        delete stage.accessLogSettings;
      });
      return { status: 204 };
    })
    .add('DELETE', '/v2/apis/:apiId/stages/:stageName/routesettings/:routeKey', async (request, ctx) => {
      const routeKey = request.params['routeKey']!;
      await changeStage(ctx, request, (stage) => {
        if (stage.routeSettings?.[routeKey] === undefined) {
          throw badRequest(`The stage has no route settings for ${routeKey}`);
        }
        delete stage.routeSettings[routeKey];
      });
      return { status: 204 };
    });
}
