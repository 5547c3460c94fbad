// Every stage's response cache on this gateway node: one store (memory or Redis) shared by all
// stages, hit and miss counts per stage (CacheHitCount / CacheMissCount), and FlushStageCache.
// It outlives recompiles, so a redeploy keeps the stage's entries and counts, as on AWS.
import type { CachedResponse } from './entry.js';
import { MemoryResponseCacheStore } from './memory-store.js';
import type { ResponseCacheStore, StageCacheScope } from './store.js';

export interface ResponseCachesOptions {
  /** Default: a memory store on the same clock. */
  store?: ResponseCacheStore;
  /** The clock entries are stamped with; tests move it instead of sleeping. */
  now?: () => number;
  /** Told when the store fails; the request carries on as a miss. */
  onError?: (error: unknown) => void;
}

export interface CacheStatistics {
  hitCount: number;
  missCount: number;
}

/** One stage's cache as its compiled routes use it. */
export class StageCache implements StageCacheScope {
  hitCount = 0;
  missCount = 0;
  capacityBytes: number;

  constructor(
    readonly id: string,
    capacityBytes: number,
    private readonly store: ResponseCacheStore,
    private readonly now: () => number,
    private readonly onError: (error: unknown) => void,
  ) {
    this.capacityBytes = capacityBytes;
  }

  /** A store failure or a slow store is a miss, never a failed request. */
  lookup(key: string): CachedResponse | undefined | Promise<CachedResponse | undefined> {
    try {
      const found = this.store.get(this, key);
      if (found instanceof Promise) return found.catch((error: unknown) => this.failed(error));
      return found;
    } catch (error) {
      return this.failed(error);
    }
  }

  /** Not awaited by the request: the client has its answer whether or not the write lands. */
  save(key: string, response: Omit<CachedResponse, 'expiresAt'>, ttlSeconds: number): void {
    const entry: CachedResponse = { ...response, expiresAt: this.now() + ttlSeconds * 1000 };
    try {
      const written = this.store.set(this, key, entry);
      if (written instanceof Promise) written.catch((error: unknown) => this.failed(error));
    } catch (error) {
      this.failed(error);
    }
  }

  private failed(error: unknown): undefined {
    this.onError(error);
    return undefined;
  }
}

export class ResponseCaches {
  private readonly stages = new Map<string, StageCache>();
  private readonly store: ResponseCacheStore;
  private readonly now: () => number;
  private readonly onError: (error: unknown) => void;

  constructor(options: ResponseCachesOptions = {}) {
    this.now = options.now ?? Date.now;
    this.store = options.store ?? new MemoryResponseCacheStore({ now: this.now });
    this.onError = quietly(options.onError ?? (() => {}), this.now);
  }

  /** The stage's cache, created on first use; a new capacity applies from now on. */
  stage(apiId: string, stageName: string, capacityBytes: number): StageCache {
    const id = scopeId(apiId, stageName);
    let cache = this.stages.get(id);
    if (!cache) {
      cache = new StageCache(id, capacityBytes, this.store, this.now, this.onError);
      this.stages.set(id, cache);
    }
    cache.capacityBytes = capacityBytes;
    return cache;
  }

  /** The stage's cache was turned off: its entries go (AWS deletes the cache instance). */
  disable(apiId: string, stageName: string): void {
    const id = scopeId(apiId, stageName);
    if (!this.stages.delete(id)) return;
    this.store.flush(id).catch((error: unknown) => this.onError(error));
  }

  /** FlushStageCache: every entry of the stage goes, on every node sharing the store. */
  async flushStageCache(apiId: string, stageName: string): Promise<void> {
    await this.store.flush(scopeId(apiId, stageName));
  }

  /** Hits and misses since this node started; zero for a stage that has cached nothing. */
  statistics(apiId: string, stageName: string): CacheStatistics {
    const cache = this.stages.get(scopeId(apiId, stageName));
    return { hitCount: cache?.hitCount ?? 0, missCount: cache?.missCount ?? 0 };
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

/** While a store is down every request fails the same way: say so once per interval. */
function quietly(report: (error: unknown) => void, now: () => number): (error: unknown) => void {
  const intervalMs = 10_000;
  let last = -Infinity;
  return (error) => {
    const at = now();
    if (at - last < intervalMs) return;
    last = at;
    report(error);
  };
}

function scopeId(apiId: string, stageName: string): string {
  return `${apiId}/${stageName}`;
}
