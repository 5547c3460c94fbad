// The response cache in Redis, shared by every gateway process and node that names the same
// server and prefix. Entries expire in Redis (PX) and are also checked against the stage
// cache's clock on read. Per-stage capacity is not enforced here: Redis's own maxmemory and
// eviction policy bound the total (see docs/caching.md).
import { Redis } from 'ioredis';
import { decodeEntry, encodeEntry, MAX_CACHED_BODY_BYTES, type CachedResponse } from './entry.js';
import type { ResponseCacheStore, StageCacheScope } from './store.js';

export interface RedisStoreOptions {
  /** `redis://host:port[/db]`, or a client the caller owns (not closed by close()). */
  redis: string | Redis;
  /** Prepended to every key, so several gateways (or tests) share one server. Default `gatehouse:`. */
  prefix?: string;
  /** No request waits longer than this on Redis; a slower answer counts as a miss. Default 50 ms. */
  timeoutMs?: number;
  now?: () => number;
}

const FLUSH_BATCH = 500;

export class RedisResponseCacheStore implements ResponseCacheStore {
  private readonly redis: Redis;
  private readonly owned: boolean;
  private readonly prefix: string;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  /** An owned client has ioredis's own command timeout; a caller's client gets a timer per command. */
  private readonly bounded: <T>(command: Promise<T>) => Promise<T>;

  constructor(options: RedisStoreOptions) {
    this.prefix = `${options.prefix ?? 'gatehouse:'}cache:`;
    this.timeoutMs = options.timeoutMs ?? 50;
    this.now = options.now ?? Date.now;
    if (typeof options.redis === 'string') {
      this.redis = new Redis(options.redis, redisOptions(this.timeoutMs));
      // Connection problems surface as failed commands (a miss); ioredis reconnects by itself.
      this.redis.on('error', () => {});
      this.owned = true;
      this.bounded = (command) => command;
    } else {
      this.redis = options.redis;
      this.owned = false;
      this.bounded = (command) => withTimeout(command, this.timeoutMs);
    }
  }

  /** Resolves true once connected, false if not within `waitMs`; requests never wait for this. */
  ready(waitMs = 2_000): Promise<boolean> {
    if (this.redis.status === 'ready') return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.redis.off('ready', onReady);
        resolve(ok);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), waitMs);
      this.redis.on('ready', onReady);
    });
  }

  async get(scope: StageCacheScope, key: string): Promise<CachedResponse | undefined> {
    const bytes = await this.bounded(this.redis.getBuffer(this.keyOf(scope.id, key)));
    if (bytes === null) return undefined;
    const entry = decodeEntry(bytes);
    if (!entry || entry.expiresAt <= this.now()) return undefined;
    return entry;
  }

  async set(scope: StageCacheScope, key: string, entry: CachedResponse): Promise<void> {
    if (entry.body.length > MAX_CACHED_BODY_BYTES) return;
    const ttlMs = Math.ceil(entry.expiresAt - this.now());
    if (ttlMs <= 0) return;
    await this.bounded(this.redis.set(this.keyOf(scope.id, key), encodeEntry(entry), 'PX', ttlMs));
  }

  /** SCAN and UNLINK in batches: a flush is rare and must not block Redis for long. */
  async flush(scopeId: string): Promise<void> {
    const match = `${globEscape(this.prefix + scopeId)}:*`;
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', match, 'COUNT', FLUSH_BATCH);
      if (keys.length > 0) await this.redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  }

  async close(): Promise<void> {
    if (!this.owned) return;
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }

  private keyOf(scopeId: string, key: string): string {
    return `${this.prefix}${scopeId}:${key}`;
  }
}

function withTimeout<T>(command: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([command, timeout]).finally(() => clearTimeout(timer));
}

function redisOptions(timeoutMs: number) {
  return {
    commandTimeout: timeoutMs,
    // While disconnected, fail at once instead of queueing: the request goes to the integration.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    enableAutoPipelining: true,
  };
}

function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
