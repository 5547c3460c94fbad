// The two steps caching adds to a REST method: before the integration, serve a hit (or
// handle `Cache-Control: max-age=0`); after the integration response phase, store the method
// response. A hit skips the integration and the integration response phase entirely.
import { Readable } from 'node:stream';
import type { MethodResponse, RequestContext } from '../../dataplane/context.js';
import type { RequestStep, ResponseStep } from '../../dataplane/compiled-stage.js';
import { GatewayError } from '../../dataplane/gateway-responses.js';
import type { CacheKeyOf } from './cache-key.js';
import { MAX_CACHED_BODY_BYTES, responseOf, type CachedResponse } from './entry.js';
import type { StageCache } from './response-caches.js';
import type { MethodCacheSettings } from './settings.js';

/**
 * The warning on a response whose `Cache-Control: max-age=0` was ignored
 * (SUCCEED_WITH_RESPONSE_HEADER). AWS's documentation does not quote it; this is the text
 * clients report seeing.
 */
export const CACHE_CONTROL_IGNORED_WARNING =
  '199 Cache-control headers were ignored because the caller was unauthorized.';

/** FAIL_WITH_403: AWS's documentation calls it "a 403 Unauthorized response". */
export const UNAUTHORIZED_CACHE_CONTROL_MESSAGE = 'Unauthorized';

// Headers that describe one transfer, not the response: never stored.
const NOT_STORED = new Set(['connection', 'content-length', 'keep-alive', 'transfer-encoding']);

export interface ResponseCacheSpec {
  cache: StageCache;
  settings: MethodCacheSettings;
  keyOf: CacheKeyOf;
  /** canarySettings.useStageCache: whether canary requests read and write the stage cache. */
  canaryUsesStageCache: boolean;
  /**
   * Whether the request's caller holds `execute-api:InvalidateCache` (features/auth
   * compileCacheInvalidationCheck); absent, no caller does.
   */
  mayInvalidate?: ((ctx: RequestContext) => boolean | Promise<boolean>) | undefined;
}

export interface ResponseCacheSteps {
  lookup: RequestStep;
  store: ResponseStep;
}

export function compileResponseCacheSteps(spec: ResponseCacheSpec): ResponseCacheSteps {
  const { cache, settings, keyOf, canaryUsesStageCache, mayInvalidate } = spec;
  const invalidationAllowed = !settings.requireAuthorizationForCacheControl;
  const strategy = settings.unauthorizedCacheControlHeaderStrategy;

  const lookup: RequestStep = (ctx) => {
    if (ctx.isCanaryRequest && !canaryUsesStageCache) return undefined;
    if (!(ctx.method === 'GET' ? settings.cachesGet : settings.cachesOtherMethods)) return undefined;
    const key = keyOf(ctx);
    if (asksForFreshEntry(ctx.req.headers['cache-control'])) {
      if (invalidationAllowed) return refetch(ctx, key);
      const authorized = mayInvalidate?.(ctx) ?? false;
      if (authorized instanceof Promise) {
        return authorized.then((yes) => (yes ? refetch(ctx, key) : ignoreCacheControl(ctx, key)));
      }
      return authorized ? refetch(ctx, key) : ignoreCacheControl(ctx, key);
    }
    return find(ctx, key);
  };

  /** An authorized `max-age=0`: fetch from the integration and replace the entry. */
  const refetch = (ctx: RequestContext, key: string) => {
    cache.missCount++;
    ctx.cacheKey = key;
    return undefined;
  };

  /** An unauthorized `max-age=0`: the method's unauthorizedCacheControlHeaderStrategy. */
  const ignoreCacheControl = (ctx: RequestContext, key: string) => {
    if (strategy === 'FAIL_WITH_403')
      throw new GatewayError('ACCESS_DENIED', UNAUTHORIZED_CACHE_CONTROL_MESSAGE);
    ctx.cacheControlIgnored = strategy === 'SUCCEED_WITH_RESPONSE_HEADER';
    return find(ctx, key);
  };

  const find = (ctx: RequestContext, key: string) => {
    const found = cache.lookup(key);
    if (found instanceof Promise) return found.then((entry) => answer(ctx, key, entry));
    return answer(ctx, key, found);
  };

  const answer = (ctx: RequestContext, key: string, entry: CachedResponse | undefined) => {
    if (entry) {
      cache.hitCount++;
      return warned(ctx, responseOf(entry));
    }
    cache.missCount++;
    ctx.cacheKey = key;
    return undefined;
  };

  const store: ResponseStep = async (ctx, response) => {
    const key = ctx.cacheKey;
    if (key === undefined) return response;
    let body = response.body;
    if (body !== null && !Buffer.isBuffer(body)) {
      const read = await readUpTo(body, MAX_CACHED_BODY_BYTES);
      if (!read.whole) return warned(ctx, { ...response, body: read.stream });
      body = read.buffer;
    }
    if (body === null || body.length <= MAX_CACHED_BODY_BYTES) {
      const headers = storedHeaders(response.headers);
      cache.save(key, { statusCode: response.statusCode, headers, body: body ?? EMPTY }, settings.ttlSeconds);
    }
    return warned(ctx, { ...response, body });
  };

  return { lookup, store };
}

const EMPTY = Buffer.alloc(0);

function warned(ctx: RequestContext, response: MethodResponse): MethodResponse {
  if (ctx.cacheControlIgnored)
    response.headers = { ...response.headers, warning: CACHE_CONTROL_IGNORED_WARNING };
  return response;
}

/** `Cache-Control: max-age=0`, alone or among other directives. */
export function asksForFreshEntry(header: string | undefined): boolean {
  if (header === undefined) return false;
  for (const directive of header.split(',')) {
    if (directive.trim().toLowerCase() === 'max-age=0') return true;
  }
  return false;
}

function storedHeaders(headers: Record<string, string | string[]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in headers) if (!NOT_STORED.has(name.toLowerCase())) out[name] = headers[name]!;
  return out;
}

type ReadResult = { whole: true; buffer: Buffer } | { whole: false; stream: Readable };

/**
 * Reads a streamed body while it fits the cap. A larger one is not cached: the client gets
 * what was read followed by the rest of the stream, so nothing is held in memory beyond 1 MB.
 */
async function readUpTo(body: Readable, limit: number): Promise<ReadResult> {
  const chunks: Buffer[] = [];
  let total = 0;
  const iterator = body[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  for (;;) {
    const next = await iterator.next();
    if (next.done) return { whole: true, buffer: Buffer.concat(chunks, total) };
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    chunks.push(chunk);
    total += chunk.length;
    if (total > limit) return { whole: false, stream: rest(chunks, iterator) };
  }
}

async function* restOf(chunks: Buffer[], iterator: AsyncIterator<Buffer | string>) {
  try {
    yield* chunks;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // The client went away early: release the integration's stream too.
    await iterator.return?.();
  }
}

function rest(chunks: Buffer[], iterator: AsyncIterator<Buffer | string>): Readable {
  return Readable.from(restOf(chunks, iterator), { objectMode: false });
}
