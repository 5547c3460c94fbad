// Promoting a canary: the stage takes the canary's deployment and its variable overrides, and
// the canary goes away. UpdateStage does the same with three patch operations (AWS's console
// leaves the canary at 0 %); `gatehouse canary promote` does it in one step.
import type { Stage } from '../model/api.js';
import { badRequest } from './admin-errors.js';

export const NO_CANARY = 'Promotion not available. Canary does not exist.';

export function promoteCanary(stage: Stage, nowSeconds: number): Stage {
  const canary = stage.canarySettings;
  if (canary === undefined) throw badRequest(NO_CANARY);
  const promoted: Stage = {
    ...stage,
    variables: { ...stage.variables, ...canary.stageVariableOverrides },
    lastUpdatedDate: nowSeconds,
  };
  if (canary.deploymentId !== undefined) promoted.deploymentId = canary.deploymentId;
  delete promoted.canarySettings;
  return promoted;
}
