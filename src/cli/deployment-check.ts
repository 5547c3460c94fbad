// `--config` on deploy and import: compile the new deployment the way `serve` will, with the
// configured function runtimes, and refuse it when a route cannot work because of a function.
import { compileStage } from '../compiler/compile-stage.js';
import { loadConfig } from '../config/gatehouse-config.js';
import { UpstreamPools } from '../dataplane/integrations/upstream-pools.js';
import { createFunctionRuntime } from '../functions/registry.js';
import type { Deployment, Stage } from '../model/api.js';
import { silentLog } from '../observability/log.js';

export interface DeploymentCheck {
  check: (deployment: Deployment, stage: Stage) => string[];
  close: () => Promise<void>;
}

const FUNCTION_PROBLEM = /function runtime|runtime serves function/;

export async function deploymentCheck(configPath: string | undefined): Promise<DeploymentCheck> {
  const loaded = configPath === undefined ? undefined : await loadConfig(configPath);
  const functions = loaded && createFunctionRuntime(loaded.config, loaded.baseDir, silentLog);
  const pools = new UpstreamPools();
  return {
    check(deployment, stage) {
      const warnings: string[] = [];
      compileStage(deployment, stage, { pools, functions, warn: (message) => warnings.push(message) });
      // Without --config nothing says which functions exist, so only a checked file refuses.
      return loaded ? warnings.filter((warning) => FUNCTION_PROBLEM.test(warning)) : [];
    },
    async close() {
      await pools.close();
      await functions?.close();
    },
  };
}
