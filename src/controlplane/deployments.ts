// Deploying: freeze the API as it is now into an immutable deployment and point a stage at it,
// or make it the stage's canary. The CLI's `gatehouse deploy` and the management API's
// CreateDeployment both come through here.
import {
  apiIdOf,
  CanarySettingsSchema,
  StageSchema,
  type CanarySettings,
  type Deployment,
  type Stage,
} from '../model/api.js';
import { newDeploymentId } from '../model/ids.js';
import { StageVariablesSchema } from '../model/api.js';
import { assertValid } from '../model/validate.js';
import { canaryStageOf } from '../features/canary/index.js';
import { NotFoundError, type ConfigStore } from '../store/config-store.js';

/** CreateDeployment's canarySettings: the new deployment becomes the stage's canary. */
export interface DeploymentCanarySettings {
  percentTraffic?: number;
  stageVariableOverrides?: Record<string, string>;
  useStageCache?: boolean;
}

export interface DeployRequest {
  apiId: string;
  /** Omitted, the deployment is only stored; a stage can be pointed at it later. */
  stageName?: string;
  description?: string;
  /** Merged over the stage's existing variables. */
  variables?: Record<string, string>;
  /** Set as the stage's description. */
  stageDescription?: string;
  cacheClusterEnabled?: boolean;
  cacheClusterSize?: string;
  tracingEnabled?: boolean;
  /** Deploys as the stage's canary; the stage must exist and keeps its own deployment. */
  canarySettings?: DeploymentCanarySettings;
  /**
   * Problems that make the deployment unusable (e.g. a function no runtime serves); any
   * problem refuses the deployment before anything is written.
   */
  check?: (deployment: Deployment, stage: Stage) => string[];
}

/** The deployment was refused before anything was written; `problems` says why, one per line. */
export class DeploymentRefused extends Error {
  override name = 'DeploymentRefused';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** AWS's prefix for a deployment it refuses; its own messages are run on after it without a space. */
export const INVALID_DEPLOYMENT = 'Invalid deployment content specified.';

export async function deploy(
  store: ConfigStore,
  request: DeployRequest & { stageName: string },
  now?: number,
): Promise<{ deployment: Deployment; stage: Stage }>;
export async function deploy(
  store: ConfigStore,
  request: DeployRequest,
  now?: number,
): Promise<{ deployment: Deployment; stage?: Stage }>;
export async function deploy(
  store: ConfigStore,
  request: DeployRequest,
  now = Date.now(),
): Promise<{ deployment: Deployment; stage?: Stage }> {
  const api = await store.getApi(request.apiId);
  if (!api) throw new NotFoundError(`Invalid API identifier specified ${request.apiId}`);
  const createdDate = Math.floor(now / 1000);
  const deployment: Deployment = { id: newDeploymentId(), apiId: apiIdOf(api), createdDate, api };
  if (request.description !== undefined) deployment.description = request.description;
  const stageName = request.stageName;
  if (request.canarySettings !== undefined && (stageName === undefined || stageName === '')) {
    throw new DeploymentRefused([
      `${INVALID_DEPLOYMENT}Non null and non empty stageName must be provided for canary deployment. Provided value is ${stageName === undefined ? 'null' : ''}`,
    ]);
  }
  if (stageName === undefined) {
    await store.createDeployment(deployment);
    return { deployment };
  }
  const existing = await store.getStage(request.apiId, stageName);
  if (request.canarySettings !== undefined && !existing) {
    throw new DeploymentRefused([
      `${INVALID_DEPLOYMENT}Stage ${stageName} must already be created before making a canary release deployment`,
    ]);
  }
  const variables = { ...existing?.variables, ...request.variables };
  assertValid(StageVariablesSchema, variables, '/variables');
  const stage: Stage = {
    ...existing,
    apiId: request.apiId,
    stageName,
    variables,
    createdDate: existing?.createdDate ?? createdDate,
    lastUpdatedDate: createdDate,
  };
  if (request.stageDescription !== undefined) stage.description = request.stageDescription;
  if (request.cacheClusterEnabled !== undefined) stage.cacheClusterEnabled = request.cacheClusterEnabled;
  if (request.cacheClusterSize !== undefined) stage.cacheClusterSize = request.cacheClusterSize;
  if (request.tracingEnabled !== undefined) stage.tracingEnabled = request.tracingEnabled;
  let checked: Stage = stage;
  if (request.canarySettings !== undefined) {
    const canary: CanarySettings = {
      percentTraffic: 0,
      useStageCache: false,
      ...request.canarySettings,
      deploymentId: deployment.id,
    };
    assertValid(CanarySettingsSchema, canary, '/canarySettings');
    stage.canarySettings = canary;
    // The canary serves the new deployment with the overrides; the stage's own deployment is
    // already serving and was checked when it was deployed.
    checked = canaryStageOf({ ...stage, canarySettings: { ...canary, percentTraffic: 100 } })!;
  } else {
    stage.deploymentId = deployment.id;
  }
  assertValid(StageSchema, stage);
  const problems = request.check?.(deployment, checked) ?? [];
  if (problems.length > 0) throw new DeploymentRefused(problems);
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
