// Canary releases (REST stages' canarySettings): a share of a stage's requests goes to another
// deployment with its own stage variables. The stage loader compiles the canary as a second
// stage from `canaryStageOf`; the registry asks `CanaryRelease.takesRequest()` per request.
import type { Stage } from '../../model/api.js';
import type { CompiledStage } from '../../dataplane/compiled-stage.js';

/**
 * The stage as the canary serves it: the canary's deployment (the stage's own when the
 * settings name none) and the stage variables overlaid by stageVariableOverrides. Undefined
 * when the stage has no canary that takes any traffic: a promoted canary keeps its settings
 * with percentTraffic 0, exactly as AWS leaves it, and costs nothing.
 */
export function canaryStageOf(stage: Stage): Stage | undefined {
  const settings = stage.canarySettings;
  if (!settings || !(typeof settings.percentTraffic === 'number' && settings.percentTraffic > 0)) {
    return undefined;
  }
  const deploymentId = settings.deploymentId ?? stage.deploymentId;
  if (deploymentId === undefined) return undefined;
  return {
    ...stage,
    deploymentId,
    variables: { ...stage.variables, ...settings.stageVariableOverrides },
  };
}

export class CanaryRelease {
  /** The canary's share as a probability in [0, 1]. */
  private readonly share: number;

  constructor(
    readonly stage: CompiledStage,
    readonly percentTraffic: number,
  ) {
    this.share = Math.min(Math.max(percentTraffic, 0), 100) / 100;
  }

  /**
   * Whether this request goes to the canary. Math.random is V8's xorshift128+: a few
   * nanoseconds and no allocation, and each request is drawn independently, as on AWS, so no
   * client is pinned to the canary.
   */
  takesRequest(): boolean {
    return Math.random() < this.share;
  }
}
