// v2 Deployments: CreateDeployment (to a stage, or on its own), GetDeployment(s),
// UpdateDeployment, DeleteDeployment.
import type { Deployment } from '../../model/api.js';
import type { AdminContext } from '../admin-context.js';
import { deploy, type DeployRequest } from '../deployments.js';

import { jsonBody, type AdminRequest, type AdminRoutes } from '../admin-router.js';
import { defined, readHttpApi, serialised } from '../api-updates.js';
import { v2List } from '../paging.js';
import { AUTO_DEPLOYMENT_DESCRIPTION, deployToStage } from './deploying.js';
import { optionalString } from '../body-fields.js';
import { isoDate } from './dates.js';
import { invalidDeploymentId, invalidStageId } from './identifiers.js';

export function deploymentResource(deployment: Deployment): Record<string, unknown> {
  return defined({
    // Deployments are immutable snapshots without a flag of their own; the ones Gatehouse
    // makes for autoDeploy stages carry AWS's description for them.
    autoDeployed: deployment.description === AUTO_DEPLOYMENT_DESCRIPTION,
    createdDate: isoDate(deployment.createdDate),
    deploymentId: deployment.id,
    deploymentStatus: 'DEPLOYED',
    description: deployment.description,
  });
}

export async function readDeployment(
  ctx: AdminContext,
  apiId: string,
  deploymentId: string,
): Promise<Deployment> {
  const deployment = await ctx.store.getDeployment(apiId, deploymentId);
  if (!deployment) throw invalidDeploymentId(deploymentId);
  return deployment;
}

async function createDeployment(request: AdminRequest, ctx: AdminContext) {
  const apiId = request.params['apiId']!;
  const body = jsonBody(request);
  const stageName = optionalString(body, 'stageName');
  const description = optionalString(body, 'description');
  const deployment = await serialised(`api:${apiId}`, async () => {
    await readHttpApi(ctx, apiId);
    if (stageName !== undefined && stageName !== '') {
      if (!(await ctx.store.getStage(apiId, stageName))) throw invalidStageId(stageName);
      return (await deployToStage(ctx, apiId, stageName, description)).deployment;
    }
    // A deployment no stage serves yet; CreateStage or UpdateStage points one at it later.
    const request: DeployRequest = { apiId };
    if (description !== undefined) request.description = description;
    const { deployment } = await deploy(ctx.store, request, ctx.now());
    return deployment;
  });
  return { status: 201, body: deploymentResource(deployment) };
}

async function updateDeployment(request: AdminRequest, ctx: AdminContext) {
  const apiId = request.params['apiId']!;
  const deploymentId = request.params['deploymentId']!;
  await readHttpApi(ctx, apiId);
  let deployment = await readDeployment(ctx, apiId, deploymentId);
  // A deployment's snapshot never changes; its description is the one field that can.
  const description = optionalString(jsonBody(request), 'description');
  if (description !== undefined && description !== deployment.description) {
    deployment = await ctx.store.describeDeployment(apiId, deploymentId, description);
  }
  return { status: 200, body: deploymentResource(deployment) };
}

export function registerDeployments(routes: AdminRoutes): void {
  routes
    .add('POST', '/v2/apis/:apiId/deployments', createDeployment)
    .add('GET', '/v2/apis/:apiId/deployments', async (request, ctx) => {
      const apiId = request.params['apiId']!;
      await readHttpApi(ctx, apiId);
      const deployments = await ctx.store.listDeployments(apiId);
      return { status: 200, body: v2List(request, deployments.map(deploymentResource)) };
    })
    .add('GET', '/v2/apis/:apiId/deployments/:deploymentId', async (request, ctx) => {
      const apiId = request.params['apiId']!;
      await readHttpApi(ctx, apiId);
      return {
        status: 200,
        body: deploymentResource(await readDeployment(ctx, apiId, request.params['deploymentId']!)),
      };
    })
    .add('PATCH', '/v2/apis/:apiId/deployments/:deploymentId', updateDeployment)
    .add('DELETE', '/v2/apis/:apiId/deployments/:deploymentId', async (request, ctx) => {
      const apiId = request.params['apiId']!;
      const deploymentId = request.params['deploymentId']!;
      await serialised(`api:${apiId}`, async () => {
        await readHttpApi(ctx, apiId);
        await readDeployment(ctx, apiId, deploymentId);
        await ctx.store.deleteDeployment(apiId, deploymentId);
      });
      return { status: 204 };
    });
}
