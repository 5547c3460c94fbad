// The runtime state interface and how a gateway picks its implementation: memory unless a
// Redis URL is given (`--state`, GATEHOUSE_STATE, or `state.url` in the configuration file).
import { MemoryRuntimeState } from './memory/memory-state.js';
import {
  createRedisClient,
  DEFAULT_REDIS_TIMEOUT_MS,
  RedisRuntimeState,
  type StateFailureMode,
} from './redis/redis-state.js';
import type { RuntimeState } from './runtime-state.js';

export * from './runtime-state.js';
export { MemoryRuntimeState } from './memory/memory-state.js';
export {
  createRedisClient,
  DEFAULT_KEY_PREFIX,
  DEFAULT_REDIS_TIMEOUT_MS,
  RedisRuntimeState,
  redisClientOptions,
  withoutPassword,
  type RedisStateOptions,
  type StateFailureMode,
} from './redis/redis-state.js';

export interface StateSettings {
  /** Absent or `memory`: this process's memory. Otherwise a Redis URL. */
  url?: string | undefined;
  failure?: StateFailureMode | undefined;
  /** The longest a request waits for Redis (default 50 ms). */
  timeoutMs?: number | undefined;
  keyPrefix?: string | undefined;
  /** Told when Redis stops and starts answering. */
  log?: ((message: string, fields?: Record<string, unknown>) => void) | undefined;
}

export function openRuntimeState(settings: StateSettings = {}): RuntimeState {
  const { url, log } = settings;
  if (url === undefined || url === '' || url === 'memory') return new MemoryRuntimeState();
  const client = createRedisClient(url, settings.timeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS);
  const failure = settings.failure ?? 'open';
  return new RedisRuntimeState({
    client,
    ownsClient: true,
    failure,
    ...(settings.keyPrefix !== undefined && { keyPrefix: settings.keyPrefix }),
    onStatus: (available, error) =>
      log?.(
        available
          ? 'runtime state: Redis answers again'
          : `runtime state: Redis does not answer; requests are ${failure === 'open' ? 'decided in memory' : 'refused'}`,
        error instanceof Error ? { error: error.message } : undefined,
      ),
  });
}
