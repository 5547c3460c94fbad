// The interface every response cache store implements (memory and Redis), held to one contract
// suite (test/features/cache/store-contract.ts).
import type { CachedResponse } from './entry.js';

/** One stage's cache: its entries are apart from every other stage's. */
export interface StageCacheScope {
  /** `{apiId}/{stageName}`. */
  readonly id: string;
  /** The stage's cache capacity in bytes (cacheClusterSize). */
  readonly capacityBytes: number;
}

export interface ResponseCacheStore {
  /** The live entry for a key, or undefined when there is none or it has expired. */
  get(scope: StageCacheScope, key: string): CachedResponse | undefined | Promise<CachedResponse | undefined>;
  /** Stores or replaces an entry; one whose body is over the 1 MB cap is not stored. */
  set(scope: StageCacheScope, key: string, entry: CachedResponse): void | Promise<void>;
  /** Removes every entry of one stage (FlushStageCache). */
  flush(scopeId: string): Promise<void>;
  close(): Promise<void>;
}
