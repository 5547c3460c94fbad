// A stage's cache settings as AWS layers them: the stage turns the cache on and sizes it
// (cacheClusterEnabled, cacheClusterSize); methodSettings `*/*` supplies defaults and
// `{path}/{METHOD}` overrides them per method. Settled once per deploy.
import type { MethodSetting, Stage } from '../../model/api.js';

export const DEFAULT_TTL_SECONDS = 300;
export const MAX_TTL_SECONDS = 3600;

/** AWS's cache sizes in GB; Gatehouse reads each as that many GiB of entries. */
export const CACHE_CLUSTER_SIZES = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'] as const;
export const DEFAULT_CACHE_CLUSTER_SIZE = '0.5';

export type UnauthorizedCacheControlHeaderStrategy = NonNullable<
  MethodSetting['unauthorizedCacheControlHeaderStrategy']
>;

export interface MethodCacheSettings {
  ttlSeconds: number;
  requireAuthorizationForCacheControl: boolean;
  unauthorizedCacheControlHeaderStrategy: UnauthorizedCacheControlHeaderStrategy;
  /** Stored and reported; entries are not encrypted (docs/caching.md). */
  dataEncrypted: boolean;
  /** Whether GET requests to the method are cached. */
  cachesGet: boolean;
  /** Whether requests with other methods are cached (only when the method's own setting says so). */
  cachesOtherMethods: boolean;
}

export class CacheSettingsError extends Error {
  override name = 'CacheSettingsError';
}

/** The stage's capacity in bytes: cacheClusterSize GB read as GiB (0.5 → 536,870,912). */
export function cacheCapacityBytes(size: string | undefined): number {
  const value = size ?? DEFAULT_CACHE_CLUSTER_SIZE;
  if (!(CACHE_CLUSTER_SIZES as readonly string[]).includes(value)) {
    throw new CacheSettingsError(
      `cacheClusterSize ${JSON.stringify(value)} is not one of ${CACHE_CLUSTER_SIZES.join(', ')}`,
    );
  }
  return Math.round(Number(value) * 2 ** 30);
}

/** The methodSettings key of a method: the resource path without its leading slash, then the method. */
export function methodSettingsKey(resourcePath: string, httpMethod: string): string {
  return `${resourcePath.slice(1)}/${httpMethod}`;
}

/**
 * The cache settings of one method of a stage whose cache is enabled, or null when the method
 * caches nothing. As on AWS, GET methods are cached by default; any other method only when its
 * own entry sets cachingEnabled (the `*` entry does not turn it on). A TTL of 0 turns caching off.
 */
export function methodCacheSettings(
  stage: Stage,
  resourcePath: string,
  httpMethod: string,
): MethodCacheSettings | null {
  const all = stage.methodSettings?.['*/*'];
  const own = stage.methodSettings?.[methodSettingsKey(resourcePath, httpMethod)];
  const ttlSeconds = own?.cacheTtlInSeconds ?? all?.cacheTtlInSeconds ?? DEFAULT_TTL_SECONDS;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 0 || ttlSeconds > MAX_TTL_SECONDS) {
    throw new CacheSettingsError(`cacheTtlInSeconds ${ttlSeconds} is outside 0..${MAX_TTL_SECONDS}`);
  }
  const servesGet = httpMethod === 'GET' || httpMethod === 'ANY';
  const cachesGet = servesGet && (own?.cachingEnabled ?? all?.cachingEnabled ?? true);
  const cachesOtherMethods = httpMethod !== 'GET' && own?.cachingEnabled === true;
  if (ttlSeconds === 0 || (!cachesGet && !cachesOtherMethods)) return null;
  return {
    ttlSeconds,
    requireAuthorizationForCacheControl:
      own?.requireAuthorizationForCacheControl ?? all?.requireAuthorizationForCacheControl ?? true,
    unauthorizedCacheControlHeaderStrategy:
      own?.unauthorizedCacheControlHeaderStrategy ??
      all?.unauthorizedCacheControlHeaderStrategy ??
      'SUCCEED_WITH_RESPONSE_HEADER',
    dataEncrypted: own?.cacheDataEncrypted ?? all?.cacheDataEncrypted ?? false,
    cachesGet,
    cachesOtherMethods,
  };
}
