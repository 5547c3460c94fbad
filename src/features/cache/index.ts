// The per-stage response cache of REST APIs: settings, keys, the lookup and store steps, and
// the memory and Redis stores behind one interface. docs/caching.md describes the behaviour.
export { compileCacheKey, type CacheKeyOf, type CacheKeySpec } from './cache-key.js';
export { MAX_CACHED_BODY_BYTES, type CachedResponse } from './entry.js';
export { MemoryResponseCacheStore, type MemoryStoreOptions } from './memory-store.js';
export { RedisResponseCacheStore, type RedisStoreOptions } from './redis-store.js';
export {
  ResponseCaches,
  StageCache,
  type CacheStatistics,
  type ResponseCachesOptions,
} from './response-caches.js';
export {
  cacheCapacityBytes,
  CacheSettingsError,
  methodCacheSettings,
  methodSettingsKey,
  type MethodCacheSettings,
} from './settings.js';
export {
  asksForFreshEntry,
  CACHE_CONTROL_IGNORED_WARNING,
  compileResponseCacheSteps,
  UNAUTHORIZED_CACHE_CONTROL_MESSAGE,
  type ResponseCacheSteps,
} from './steps.js';
export type { ResponseCacheStore, StageCacheScope } from './store.js';
export { compileStageResponseCache, type StageResponseCache } from './compile.js';
