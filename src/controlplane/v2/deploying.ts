// Deploying an HTTP API to a stage, and AWS's autoDeploy: a stage with autoDeploy true gets a
// new deployment after every change to its API's routes, integrations, authorizers …, so every
// v2 operation that changes an API goes through `changeHttpApi`.
import type { Deployment, Stage } from '../../model/api.js';
import type { HttpApi } from '../../model/http-api.js';
import type { AdminContext } from '../admin-context.js';
import { badRequest } from '../admin-errors.js';
import { serialised, updateHttpApi } from '../api-updates.js';
import { deploy, DeploymentRefused, INVALID_DEPLOYMENT, type DeployRequest } from '../deployments.js';

/** The description AWS gives the deployments it makes for autoDeploy stages. */
export const AUTO_DEPLOYMENT_DESCRIPTION =
  'Automatic deployment triggered by changes to the Api configuration';

/** Freezes the API as it is now and points the stage at it; a refused deployment is a BadRequestException. */
export async function deployToStage(
  ctx: AdminContext,
  apiId: string,
  stageName: string,
  description?: string,
): Promise<{ deployment: Deployment; stage: Stage }> {
  const request: DeployRequest & { stageName: string } = { apiId, stageName };
  if (description !== undefined) request.description = description;
  if (ctx.checkDeployment) request.check = ctx.checkDeployment;
  try {
    return await deploy(ctx.store, request, ctx.now());
  } catch (error) {
    if (error instanceof DeploymentRefused) {
      const message = error.message.startsWith(INVALID_DEPLOYMENT)
        ? error.message
        : `${INVALID_DEPLOYMENT}${error.message}`;
      throw badRequest(message);
    }
    throw error;
  }
}

/** Deploys the API to each of its autoDeploy stages. */
export function autoDeploy(ctx: AdminContext, apiId: string): Promise<void> {
  // Queued behind the API's writes, so each automatic deployment sees the change that caused it.
  return serialised(`api:${apiId}`, async () => {
    const stages = await ctx.store.listStages(apiId);
    for (const stage of stages) {
      if (stage.autoDeploy === true)
        await deployToStage(ctx, apiId, stage.stageName, AUTO_DEPLOYMENT_DESCRIPTION);
    }
  });
}

/** updateHttpApi, then autoDeploy. */
export async function changeHttpApi<T>(
  ctx: AdminContext,
  apiId: string,
  change: (api: HttpApi) => T | Promise<T>,
): Promise<T> {
  const result = await updateHttpApi(ctx, apiId, change);
  await autoDeploy(ctx, apiId);
  return result;
}
