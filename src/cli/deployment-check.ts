// `--config` on deploy and import: compile the new deployment the way `serve` will, with the
// configured function runtimes, and refuse it when a route cannot work because of a function.
import { compileStage } from '../compiler/compile-stage.js';
import { loadConfig } from '../config/gatehouse-config.js';
import { UpstreamPools } from '../dataplane/integrations/upstream-pools.js';
import { createFunctionRuntime } from '../functions/registry.js';
import type { Deployment, Stage } from '../model/api.js';
import type { FunctionRuntime } from '../functions/runtime.js';
import { silentLog } from '../observability/log.js';

export interface DeploymentCheck {
  check: (deployment: Deployment, stage: Stage) => string[];
  close: () => Promise<void>;
}

const FUNCTION_PROBLEM = /function runtime|runtime serves function/;

/**
 * The deployment's routes that name a function these runtimes do not serve. `serve` hands this
 * to the management API so CreateDeployment refuses such a deployment as `deploy` does.
 */
export function functionProblems(
  functions: FunctionRuntime,
  pools: UpstreamPools,
): (deployment: Deployment, stage: Stage) => string[] {
  return (deployment, stage) => {
    const warnings: string[] = [];
    compileStage(deployment, stage, { pools, functions, warn: (message) => warnings.push(message) });
    return warnings.filter((warning) => FUNCTION_PROBLEM.test(warning));
  };
}

export async function deploymentCheck(configPath: string | undefined): Promise<DeploymentCheck> {
  const loaded = configPath === undefined ? undefined : await loadConfig(configPath);
  const functions = loaded && createFunctionRuntime(loaded.config, loaded.baseDir, silentLog);
  const pools = new UpstreamPools();
  // Without --config nothing says which functions exist, so only a checked file refuses.
  const problems = functions ? functionProblems(functions, pools) : () => [];
  return {
    check: problems,
    async close() {
      await pools.close();
      await functions?.close();
    },
  };
}
