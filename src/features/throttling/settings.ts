// Throttling settings from what `gatehouse serve` is given: the state backend from --state, else
// GATEHOUSE_STATE, else the configuration file's `state.url`, else memory; the failure mode,
// timeout and key prefix from `state`; the account-level limits from `throttling`, where false
// switches throttling and quotas off altogether.
import type { GatehouseConfig } from '../../config/gatehouse-config.js';
import { withoutPassword } from '../../state/index.js';
import type { ThrottlingSettings } from './throttling.js';

export function throttlingSettingsOf(
  config: GatehouseConfig | undefined,
  stateFlag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ThrottlingSettings {
  if (config?.throttling === false) return { enabled: false };
  const configured = config?.state;
  const url = stateFlag ?? env['GATEHOUSE_STATE'] ?? configured?.url;
  if (url !== undefined && url !== 'memory' && !/^(rediss?|redis-cluster):\/\/./.test(url)) {
    throw new Error(
      `the runtime state must be memory or a redis://, rediss:// or redis-cluster:// URL, not "${withoutPassword(url)}"`,
    );
  }
  return {
    state: {
      url,
      failure: configured?.failure,
      timeoutMs: configured?.timeoutMs,
      keyPrefix: configured?.keyPrefix,
    },
    account: config?.throttling,
  };
}
