// Authorizer results cached per stage, as API Gateway does: keyed by the authorizer and its
// identity-source values, kept for the authorizer's TTL. The whole result is cached (for REST,
// the policy), so one cached answer serves every method the authorizer protects until it
// expires. Bounded: past maxEntries the least recently used result is dropped, so a flood of
// distinct tokens costs memory up to the bound and then only re-invocations.
import { LruMap } from './lru.js';

/** authorizerResultTtlInSeconds when the API leaves it unset. */
export const DEFAULT_AUTHORIZER_TTL_SECONDS = 300;
export const MAX_AUTHORIZER_TTL_SECONDS = 3600;

/** The TTL to use for an authorizer setting: unset → 300, clamped to 0…3600; 0 turns caching off. */
export function authorizerTtlSeconds(configured: number | undefined): number {
  if (configured === undefined || !Number.isFinite(configured)) return DEFAULT_AUTHORIZER_TTL_SECONDS;
  return Math.min(MAX_AUTHORIZER_TTL_SECONDS, Math.max(0, Math.floor(configured)));
}

export interface AuthorizerCacheOptions {
  /** Default 10,000 results per stage. */
  maxEntries?: number;
  /** Milliseconds since the epoch; tests pass a clock they move by hand. */
  now?: () => number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

export class AuthorizerCache<V = unknown> {
  private readonly entries: LruMap<string, Entry<V>>;
  private readonly now: () => number;

  constructor(options: AuthorizerCacheOptions = {}) {
    this.entries = new LruMap(options.maxEntries ?? 10_000);
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  get(authorizerId: string, cacheKey: string): V | undefined {
    const key = entryKey(authorizerId, cacheKey);
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (this.now() >= entry.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** ttlSeconds 0 stores nothing; values above 3600 are held for 3600 seconds. */
  set(authorizerId: string, cacheKey: string, value: V, ttlSeconds: number): void {
    const ttl = Math.min(ttlSeconds, MAX_AUTHORIZER_TTL_SECONDS);
    if (!(ttl > 0)) return;
    this.entries.set(entryKey(authorizerId, cacheKey), { value, expiresAt: this.now() + ttl * 1000 });
  }

  /** Forgets every result, e.g. when the stage's authorizer cache is flushed. */
  flush(): void {
    this.entries.clear();
  }
}

// Authorizer ids never contain a NUL, so the pair cannot collide with another pair.
function entryKey(authorizerId: string, cacheKey: string): string {
  return `${authorizerId}\u0000${cacheKey}`;
}
