// v1 Deployments: CreateDeployment (to a stage, as its canary, or on its own), GetDeployments,
// GetDeployment (`?embed=apisummary`), UpdateDeployment (`/description`), DeleteDeployment.
import type { Deployment, Stage } from '../../model/api.js';
import type { AdminContext } from '../admin-context.js';
import { badRequest, notFound } from '../admin-errors.js';
import { jsonBody, type AdminRequest, type AdminRoutes } from '../admin-router.js';
import { defined, readRestApi, serialised } from '../api-updates.js';
import { optionalBoolean, optionalObject, optionalString } from '../body-fields.js';
import { deploy, DeploymentRefused, INVALID_DEPLOYMENT, type DeployRequest } from '../deployments.js';
import { v1List } from '../paging.js';
import { invalidPath, patchOperations, segments } from '../patch.js';
import { ConflictError } from '../../store/config-store.js';

/** Stage changes of one API are serialised in this process, as API edits are. */
export const stageQueue = (apiId: string): string => `stages:${apiId}`;

export const invalidDeploymentId = (): Error => notFound('Invalid Deployment identifier specified');

export async function readDeployment(
  ctx: AdminContext,
  apiId: string,
  deploymentId: string,
): Promise<Deployment> {
  const deployment = await ctx.store.getDeployment(apiId, deploymentId);
  if (!deployment) throw invalidDeploymentId();
  return deployment;
}

/** AWS's apiSummary: for each path, each method's authorization type and whether it needs a key. */
function apiSummary(deployment: Deployment): Record<string, unknown> {
  const summary: Record<string, Record<string, unknown>> = {};
  if (deployment.api.protocolType !== 'REST') return summary;
  for (const resource of deployment.api.resources) {
    const methods = Object.entries(resource.resourceMethods);
    if (methods.length === 0) continue;
    summary[resource.path] = Object.fromEntries(
      methods.map(([name, method]) => [
        name,
        { authorizationType: method.authorizationType, apiKeyRequired: method.apiKeyRequired },
      ]),
    );
  }
  return summary;
}

export function deploymentShape(deployment: Deployment, embedSummary = false): Record<string, unknown> {
  return defined({
    id: deployment.id,
    description: deployment.description,
    createdDate: deployment.createdDate,
    apiSummary: embedSummary ? apiSummary(deployment) : undefined,
  });
}

function canarySettingsOf(body: Record<string, unknown>): DeployRequest['canarySettings'] {
  const raw = optionalObject(body, 'canarySettings');
  if (raw === undefined) return undefined;
  const percentTraffic = raw['percentTraffic'];
  if (
    percentTraffic !== undefined &&
    (typeof percentTraffic !== 'number' || percentTraffic < 0 || percentTraffic > 100)
  ) {
    throw badRequest(`${INVALID_DEPLOYMENT}Canary percentTraffic must be a number from 0.0 to 100.0`);
  }
  return defined({
    percentTraffic: percentTraffic,
    stageVariableOverrides: optionalObject(raw, 'stageVariableOverrides') as
      Record<string, string> | undefined,
    useStageCache: optionalBoolean(raw, 'useStageCache'),
  }) as DeployRequest['canarySettings'];
}

async function createDeployment(request: AdminRequest, ctx: AdminContext) {
  const apiId = request.params['restapi_id']!;
  const body = jsonBody(request);
  const stageName = optionalString(body, 'stageName');
  const deployRequest = defined({
    apiId,
    stageName: stageName === '' && body['canarySettings'] === undefined ? undefined : stageName,
    description: optionalString(body, 'description'),
    stageDescription: optionalString(body, 'stageDescription'),
    variables: optionalObject(body, 'variables') as Record<string, string> | undefined,
    cacheClusterEnabled: optionalBoolean(body, 'cacheClusterEnabled'),
    cacheClusterSize: optionalString(body, 'cacheClusterSize'),
    tracingEnabled: optionalBoolean(body, 'tracingEnabled'),
    canarySettings: canarySettingsOf(body),
    check: ctx.checkDeployment,
  }) as DeployRequest;
  const deployment = await serialised(stageQueue(apiId), async () => {
    await readRestApi(ctx, apiId);
    try {
      return (await deploy(ctx.store, deployRequest, ctx.now())).deployment;
    } catch (error) {
      if (!(error instanceof DeploymentRefused)) throw error;
      const [first] = error.problems;
      throw badRequest(
        error.problems.length === 1 && first!.startsWith(INVALID_DEPLOYMENT)
          ? first!
          : `${INVALID_DEPLOYMENT} ${error.problems.join('; ')}`,
      );
    }
  });
  return { status: 201, body: deploymentShape(deployment) };
}

const embedsSummary = (request: AdminRequest): boolean =>
  request.query.getAll('embed').some((value) => value.split(',').includes('apisummary'));

/** The stages serving a deployment, as their main deployment or their canary. */
export const stagesOn = (stages: Stage[], deploymentId: string): Stage[] =>
  stages.filter(
    (stage) => stage.deploymentId === deploymentId || stage.canarySettings?.deploymentId === deploymentId,
  );

const ACTIVE_STAGES = 'Active stages pointing to this deployment must be moved or deleted';

export function registerDeployments(routes: AdminRoutes): void {
  const one = '/restapis/:restapi_id/deployments/:deployment_id';
  routes
    .add('POST', '/restapis/:restapi_id/deployments', createDeployment)
    .add('GET', '/restapis/:restapi_id/deployments', async (request, ctx) => {
      const apiId = request.params['restapi_id']!;
      await readRestApi(ctx, apiId);
      const deployments = await ctx.store.listDeployments(apiId);
      const embed = embedsSummary(request);
      return {
        status: 200,
        body: v1List(
          request,
          deployments.map((d) => deploymentShape(d, embed)),
        ),
      };
    })
    .add('GET', one, async (request, ctx) => {
      const apiId = request.params['restapi_id']!;
      await readRestApi(ctx, apiId);
      const deployment = await readDeployment(ctx, apiId, request.params['deployment_id']!);
      return { status: 200, body: deploymentShape(deployment, embedsSummary(request)) };
    })
    // A deployment's snapshot never changes; its description is the one field that can.
    .add('PATCH', one, async (request, ctx) => {
      const apiId = request.params['restapi_id']!;
      const deploymentId = request.params['deployment_id']!;
      const ops = patchOperations(request);
      await readRestApi(ctx, apiId);
      let deployment = await readDeployment(ctx, apiId, deploymentId);
      let description = deployment.description;
      for (const op of ops) {
        const parts = segments(op.path);
        if (parts.length !== 1 || parts[0] !== 'description') throw invalidPath(op);
        if (op.op === 'remove') description = undefined;
        else if (op.op === 'replace' || op.op === 'add') description = op.value ?? '';
        else throw invalidPath(op);
      }
      if (description !== deployment.description) {
        deployment = await ctx.store.describeDeployment(apiId, deploymentId, description);
      }
      return { status: 200, body: deploymentShape(deployment, false) };
    })
    .add('DELETE', one, async (request, ctx) => {
      const apiId = request.params['restapi_id']!;
      const deploymentId = request.params['deployment_id']!;
      await serialised(stageQueue(apiId), async () => {
        await readRestApi(ctx, apiId);
        await readDeployment(ctx, apiId, deploymentId);
        if (stagesOn(await ctx.store.listStages(apiId), deploymentId).length > 0)
          throw badRequest(ACTIVE_STAGES);
        try {
          await ctx.store.deleteDeployment(apiId, deploymentId);
        } catch (error) {
          // Another node pointed a stage at it meanwhile.
          if (error instanceof ConflictError) throw badRequest(ACTIVE_STAGES);
          throw error;
        }
      });
      return { status: 202 };
    });
}
