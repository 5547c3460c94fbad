// Deploy time: whether a stage caches at all, and for each REST method its key and steps.
import type { Stage } from '../../model/api.js';
import type { Integration } from '../../model/rest-api.js';
import { compileCacheKey } from './cache-key.js';
import type { ResponseCaches } from './response-caches.js';
import {
  cacheCapacityBytes,
  CacheSettingsError,
  DEFAULT_CACHE_CLUSTER_SIZE,
  methodCacheSettings,
} from './settings.js';
import { compileResponseCacheSteps, type ResponseCacheSpec, type ResponseCacheSteps } from './steps.js';

export interface StageResponseCache {
  /** The method's lookup and store steps, or null when the method caches nothing. */
  forMethod(resourcePath: string, httpMethod: string, integration: Integration): ResponseCacheSteps | null;
}

/** Null when the stage's cache is off (its entries, if it had any, are dropped). */
export function compileStageResponseCache(
  apiId: string,
  stage: Stage,
  caches: ResponseCaches,
  warn: (message: string) => void,
  /** Who may send `Cache-Control: max-age=0` when a method requires authorization for it. */
  mayInvalidate?: ResponseCacheSpec['mayInvalidate'],
): StageResponseCache | null {
  if (!stage.cacheClusterEnabled) {
    caches.disable(apiId, stage.stageName);
    return null;
  }
  let capacityBytes: number;
  try {
    capacityBytes = cacheCapacityBytes(stage.cacheClusterSize);
  } catch (error) {
    warn(
      `stage ${stage.stageName}: ${(error as Error).message}; the cache uses ${DEFAULT_CACHE_CLUSTER_SIZE} GB`,
    );
    capacityBytes = cacheCapacityBytes(DEFAULT_CACHE_CLUSTER_SIZE);
  }
  const cache = caches.stage(apiId, stage.stageName, capacityBytes);
  const canaryUsesStageCache = stage.canarySettings?.useStageCache ?? false;
  return {
    forMethod(resourcePath, httpMethod, integration) {
      const where = `stage ${stage.stageName}, ${httpMethod} ${resourcePath}`;
      let settings;
      try {
        settings = methodCacheSettings(stage, resourcePath, httpMethod);
      } catch (error) {
        if (!(error instanceof CacheSettingsError)) throw error;
        warn(`${where}: ${error.message}; the method is not cached`);
        return null;
      }
      if (!settings) return null;
      const keyOf = compileCacheKey({ resourcePath, integration, warn: (m) => warn(`${where}: ${m}`) });
      return compileResponseCacheSteps({ cache, settings, keyOf, canaryUsesStageCache, mayInvalidate });
    },
  };
}
