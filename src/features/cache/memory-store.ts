// The in-process response cache: one LRU per stage, bounded by the stage's capacity in bytes.
// Exact on one process; every process of a machine or cluster keeps its own.
import { LRUCache } from 'lru-cache';
import { entryBytes, MAX_CACHED_BODY_BYTES, type CachedResponse } from './entry.js';
import type { ResponseCacheStore, StageCacheScope } from './store.js';

export interface MemoryStoreOptions {
  /** The clock entries expire by; tests move it instead of sleeping. */
  now?: () => number;
}

export class MemoryResponseCacheStore implements ResponseCacheStore {
  private readonly stages = new Map<string, LRUCache<string, CachedResponse>>();
  private readonly now: () => number;

  constructor(options: MemoryStoreOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  get(scope: StageCacheScope, key: string): CachedResponse | undefined {
    const lru = this.stages.get(scope.id);
    const entry = lru?.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      lru!.delete(key);
      return undefined;
    }
    return entry;
  }

  set(scope: StageCacheScope, key: string, entry: CachedResponse): void {
    if (entry.body.length > MAX_CACHED_BODY_BYTES) return;
    this.lruFor(scope).set(key, entry);
  }

  flush(scopeId: string): Promise<void> {
    this.stages.get(scopeId)?.clear();
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.stages.clear();
    return Promise.resolve();
  }

  /** A stage whose capacity changed starts empty, as AWS recreates the cache instance. */
  private lruFor(scope: StageCacheScope): LRUCache<string, CachedResponse> {
    let lru = this.stages.get(scope.id);
    if (lru?.maxSize !== scope.capacityBytes) {
      lru = new LRUCache<string, CachedResponse>({
        maxSize: scope.capacityBytes,
        sizeCalculation: entryBytes,
      });
      this.stages.set(scope.id, lru);
    }
    return lru;
  }
}
