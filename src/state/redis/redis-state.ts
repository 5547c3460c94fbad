// Runtime state in Redis, shared by every gateway process and node that uses the same Redis and
// key prefix. A request's decision is one script call (EVALSHA through defineCommand, with
// auto-pipelining); requests that arrive in the same turn of the event loop share the call.
//
// Redis must never make a request wait long or fail it for Gatehouse's own trouble: every call
// is bounded by a short command timeout, nothing is queued while disconnected, and when Redis
// cannot answer the request is decided by the failure mode: `open` decides it with a bucket
// in this process's memory, `closed` refuses it. The client reconnects by itself, and the
// next call after that goes to Redis again.
//
// Every key carries the prefix as a Redis Cluster hash tag (`{gatehouse:}b:…`), so that all the
// keys one script touches hash to the same slot. With a Cluster client this puts all of a
// prefix's throttling state on one shard, the price of deciding a request in one atomic call.
import { Cluster, Redis } from 'ioredis';
import { MemoryRuntimeState } from '../memory/memory-state.js';
import {
  DAY_MS,
  UNAVAILABLE,
  USAGE_RETENTION_DAYS,
  type RuntimeState,
  type TokenBucket,
  type UsageCharge,
  type Verdict,
} from '../runtime-state.js';
import { ADMIT_SCRIPT } from './admit-script.js';

export type StateFailureMode = 'open' | 'closed';

export const DEFAULT_KEY_PREFIX = 'gatehouse:';
export const DEFAULT_REDIS_TIMEOUT_MS = 50;

export interface RedisStateOptions {
  /** A connected (or connecting) client; see redisClientOptions for the settings it should have. */
  client: Redis | Cluster;
  /** Closed with the state when true (the state created the client). */
  ownsClient?: boolean;
  /** Default `gatehouse:`. Processes that share limits share the prefix. */
  keyPrefix?: string;
  /** What to do when Redis cannot answer in time: default `open`. */
  failure?: StateFailureMode;
  /** Told once when Redis stops answering, and once when it answers again. */
  onStatus?: (available: boolean, error?: unknown) => void;
}

type AdmitCommand = (numberOfKeys: number, ...args: (string | number)[]) => Promise<number[]>;

interface PendingAdmission {
  buckets: readonly TokenBucket[];
  charge: UsageCharge | null;
  now: number;
  resolve: (verdict: Verdict) => void;
}

/** The most requests one script call decides; more wait for the next call of the same flush. */
const MAX_BATCH = 64;

/** ioredis settings that keep requests from waiting on Redis: no offline queue, no retries, a command timeout. */
export function redisClientOptions(timeoutMs = DEFAULT_REDIS_TIMEOUT_MS) {
  return {
    commandTimeout: timeoutMs,
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    maxRetriesPerRequest: 0,
    connectTimeout: Math.max(1000, timeoutMs * 10),
    // Reconnects every 100 ms to 1 s, for ever: recovery needs nobody.
    retryStrategy: (times: number) => Math.min(times * 100, 1000),
  } as const;
}

/** `redis://…` / `rediss://…` for one server, `redis-cluster://host:port,host:port` for a cluster. */
export function createRedisClient(url: string, timeoutMs = DEFAULT_REDIS_TIMEOUT_MS): Redis | Cluster {
  const options = redisClientOptions(timeoutMs);
  if (url.startsWith('redis-cluster://')) {
    const nodes = url
      .slice('redis-cluster://'.length)
      .split(',')
      .map((hostPort) => {
        const { hostname, port } = new URL(`redis://${hostPort}`);
        return { host: hostname, port: port === '' ? 6379 : Number(port) };
      });
    const { retryStrategy, enableOfflineQueue, ...redisOptions } = options;
    return new Cluster(nodes, {
      enableOfflineQueue,
      enableAutoPipelining: true,
      clusterRetryStrategy: retryStrategy,
      redisOptions,
    });
  }
  if (!/^rediss?:\/\//.test(url)) {
    throw new Error(
      `the state URL must start with redis://, rediss:// or redis-cluster://, not ${withoutPassword(url)}`,
    );
  }
  return new Redis(url, options);
}

/** The URL with any user and password left out, for messages. */
export function withoutPassword(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//');
}

export class RedisRuntimeState implements RuntimeState {
  private readonly client: Redis | Cluster;
  private readonly admitCommand: AdmitCommand;
  private readonly tag: string;
  private readonly failure: StateFailureMode;
  /** Decides requests while Redis cannot, in `open` mode. */
  private readonly fallback = new MemoryRuntimeState();
  private available = true;
  /** Requests waiting for the next flush (see flush). */
  private queue: PendingAdmission[] = [];

  constructor(private readonly options: RedisStateOptions) {
    this.client = options.client;
    this.tag = `{${options.keyPrefix ?? DEFAULT_KEY_PREFIX}}`;
    this.failure = options.failure ?? 'open';
    this.client.defineCommand('gatehouseAdmit', { lua: ADMIT_SCRIPT });
    this.admitCommand = (this.client as unknown as { gatehouseAdmit: AdmitCommand }).gatehouseAdmit.bind(
      this.client,
    );
    // ioredis reports connection errors as events; without a listener Node would print them.
    this.client.on('error', (error: unknown) => this.markUnavailable(error));
  }

  admit(
    buckets: readonly TokenBucket[],
    charge: UsageCharge | null,
    now: number,
  ): Verdict | Promise<Verdict> {
    if (this.client.status !== 'ready') return this.unavailable(buckets, now, undefined);
    return new Promise<Verdict>((resolve) => {
      this.queue.push({ buckets, charge, now, resolve });
      if (this.queue.length === 1) setImmediate(this.flush);
    });
  }

  /**
   * Sends the requests that arrived since the last flush, in calls of at most MAX_BATCH. It runs
   * after the event loop has read every socket that was ready, so requests that arrive together
   * share one call and one round trip.
   */
  private readonly flush = (): void => {
    const queue = this.queue;
    this.queue = [];
    if (queue.length <= MAX_BATCH) this.send(queue);
    else for (let i = 0; i < queue.length; i += MAX_BATCH) this.send(queue.slice(i, i + MAX_BATCH));
  };

  private send(batch: readonly PendingAdmission[]): void {
    // KEYS first, then ARGV, in one array: ioredis sends it as it is.
    const keys: (string | number)[] = [];
    const argv: (string | number)[] = [batch.length];
    for (const { buckets, charge, now } of batch) {
      for (const bucket of buckets) keys.push(this.bucketKey(bucket.key));
      argv.push(now, buckets.length, charge === null ? 0 : 1);
      for (const bucket of buckets) argv.push(bucket.rateLimit, bucket.burstLimit);
      if (charge !== null) {
        keys.push(
          this.quotaKey(charge.key, charge.periodStart),
          this.usageKey(charge.key, charge.day),
          this.firstPeriodKey(charge.planKey),
        );
        argv.push(
          charge.quotaLimit,
          Math.max(1, charge.periodEnd - now) + DAY_MS,
          (USAGE_RETENTION_DAYS + 1) * DAY_MS,
          String(charge.periodStart),
          charge.quotaOffset,
        );
      }
    }
    const count = keys.length;
    for (const value of argv) keys.push(value);
    this.admitCommand(count, ...keys).then(
      (verdicts) => {
        if (!this.available) this.markAvailable();
        for (let i = 0; i < batch.length; i++) batch[i]!.resolve(verdicts[i] as Verdict);
      },
      (error: unknown) => {
        for (const pending of batch) pending.resolve(this.unavailable(pending.buckets, pending.now, error));
      },
    );
  }

  async dailyUsage(key: string, days: readonly number[]): Promise<number[]> {
    if (days.length === 0) return [];
    const values = await this.client.mget(days.map((day) => this.usageKey(key, day)));
    return values.map((value) => (value === null ? 0 : Number(value)));
  }

  async firstQuotaPeriod(planKey: string): Promise<number | undefined> {
    const value = await this.client.get(this.firstPeriodKey(planKey));
    return value === null ? undefined : Number(value);
  }

  /** True once Redis answers a PING, tried until `timeoutMs` has passed. */
  async ready(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // The status can still say ready for a moment after the connection dropped: ask Redis.
      if (this.client.status === 'ready') {
        try {
          await this.client.ping();
          return true;
        } catch {
          // Not yet; wait for the connection below.
        }
      }
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await this.readyEvent(Math.min(left, 100));
    }
  }

  private readyEvent(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.client.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.client.on('ready', done);
    });
  }

  async close(): Promise<void> {
    await this.fallback.close();
    if (this.options.ownsClient) {
      try {
        await this.client.quit();
      } catch {
        this.client.disconnect();
      }
    }
  }

  private unavailable(buckets: readonly TokenBucket[], now: number, error: unknown): Verdict {
    this.markUnavailable(error);
    if (this.failure === 'closed') return UNAVAILABLE;
    // Quotas and usage are Redis's to count: in memory they would restart from zero in each
    // process, so while Redis is away they are neither enforced nor recorded.
    return this.fallback.admit(buckets, null, now);
  }

  private markUnavailable(error: unknown): void {
    if (!this.available) return;
    this.available = false;
    this.options.onStatus?.(false, error);
  }

  private markAvailable(): void {
    this.available = true;
    this.options.onStatus?.(true);
  }

  private bucketKey(key: string): string {
    return `${this.tag}b:${key}`;
  }

  private quotaKey(key: string, periodStart: number): string {
    return `${this.tag}q:${key}:${periodStart}`;
  }

  private firstPeriodKey(planKey: string): string {
    return `${this.tag}f:${planKey}`;
  }

  private usageKey(key: string, day: number): string {
    return `${this.tag}u:${key}:${day}`;
  }
}
