// Deploying: freeze the API as it is now into an immutable deployment and point a stage at it.
// The CLI uses this today; the management API's CreateDeployment will too.
import { apiIdOf, type Deployment, type Stage } from '../model/api.js';
import { newDeploymentId } from '../model/ids.js';
import { StageVariablesSchema } from '../model/api.js';
import { assertValid } from '../model/validate.js';
import { NotFoundError, type ConfigStore } from '../store/config-store.js';

export interface DeployRequest {
  apiId: string;
  stageName: string;
  description?: string;
  /** Merged over the stage's existing variables. */
  variables?: Record<string, string>;
  /**
   * Problems that make the deployment unusable (e.g. a function no runtime serves); any
   * problem refuses the deployment before anything is written.
   */
  check?: (deployment: Deployment, stage: Stage) => string[];
}

export class DeploymentRefused extends Error {
  override name = 'DeploymentRefused';
}

export async function deploy(
  store: ConfigStore,
  request: DeployRequest,
  now = Date.now(),
): Promise<{ deployment: Deployment; stage: Stage }> {
  const api = await store.getApi(request.apiId);
  if (!api) throw new NotFoundError(`Invalid API identifier specified ${request.apiId}`);
  const createdDate = Math.floor(now / 1000);
  const deployment: Deployment = { id: newDeploymentId(), apiId: apiIdOf(api), createdDate, api };
  if (request.description !== undefined) deployment.description = request.description;
  const existing = await store.getStage(request.apiId, request.stageName);
  const variables = { ...existing?.variables, ...request.variables };
  assertValid(StageVariablesSchema, variables, '/variables');
  const stage: Stage = {
    ...existing,
    apiId: request.apiId,
    stageName: request.stageName,
    deploymentId: deployment.id,
    variables,
    createdDate: existing?.createdDate ?? createdDate,
    lastUpdatedDate: createdDate,
  };
  const problems = request.check?.(deployment, stage) ?? [];
  if (problems.length > 0) throw new DeploymentRefused(problems.join('\n'));
  await store.createDeployment(deployment);
  await store.putStage(stage);
  return { deployment, stage };
}

/** Parses `k=v,k2=v2` as the AWS CLI writes stage variables. */
export function parseVariables(text: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const pair of text.split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`stage variable "${pair}" must be written name=value`);
    variables[pair.slice(0, eq).trim()] = pair.slice(eq + 1);
  }
  return variables;
}
