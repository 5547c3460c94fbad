// Redis that stops answering: with `failure: open` requests are decided by a bucket in this
// process's memory, with `closed` they are refused; either way no call waits longer than the
// command timeout, and the state goes back to Redis by itself once Redis answers again. Redis
// is reached through a TCP proxy that the tests cut or stall; the shared Redis never stops.
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ADMITTED,
  createRedisClient,
  RedisRuntimeState,
  THROTTLED,
  UNAVAILABLE,
  type StateFailureMode,
  type TokenBucket,
} from '../../src/state/index.js';
import { REDIS_URL, redisAvailable } from '../helpers/services.js';
import { deleteKeys, ready, testPrefix } from './redis-keys.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

const hasRedis = await redisAvailable();
const NOW = Date.UTC(2026, 5, 1);
const bucket: TokenBucket = { key: 'outage', rateLimit: 1, burstLimit: 2 };

describe.runIf(hasRedis)('Redis state when Redis stops answering', () => {
  let proxy: TcpProxy;
  let state: RedisRuntimeState;
  let client: Redis;
  let keyPrefix: string;
  const events: { available: boolean; error: string }[] = [];

  async function start(failure: StateFailureMode): Promise<void> {
    const { hostname, port } = new URL(REDIS_URL);
    proxy = await startTcpProxy(hostname, Number(port));
    keyPrefix = testPrefix();
    events.length = 0;
    client = createRedisClient(proxy.url, 50) as Redis;
    state = new RedisRuntimeState({
      client,
      ownsClient: true,
      keyPrefix,
      failure,
      onStatus: (available, error) =>
        events.push({ available, error: error instanceof Error ? error.message : '' }),
    });
    await ready(client);
  }

  /** Polls until Redis decides again: the first Redis answer marks the state available. */
  async function recovered(): Promise<void> {
    await ready(client);
  }

  afterEach(async () => {
    await state.close();
    await proxy.close();
    await deleteKeys(keyPrefix);
  });

  it('fail-open: a cut connection falls back to a local bucket, and Redis decides again after it returns', async () => {
    await start('open');
    expect(await state.admit([bucket], null, NOW)).toBe(ADMITTED); // Redis: 1 token left
    await proxy.cut();
    // The local bucket is new and full: it admits its burst, then throttles.
    expect(await state.admit([bucket], null, NOW)).toBe(ADMITTED);
    expect(await state.admit([bucket], null, NOW)).toBe(ADMITTED);
    expect(await state.admit([bucket], null, NOW)).toBe(THROTTLED);
    expect(events.map((e) => e.available)).toEqual([false]);
    await proxy.restore();
    await recovered();
    // The local bucket is empty; Redis's still holds its one token.
    expect(await state.admit([bucket], null, NOW)).toBe(ADMITTED);
    expect(await state.admit([bucket], null, NOW)).toBe(THROTTLED);
    expect(events.map((e) => e.available)).toEqual([false, true]);
  });

  it('fail-closed: a cut connection refuses requests, and they are admitted again after it returns', async () => {
    await start('closed');
    expect(await state.admit([bucket], null, NOW)).toBe(ADMITTED);
    await proxy.cut();
    expect(await state.admit([bucket], null, NOW)).toBe(UNAVAILABLE);
    // A gateway starting now would wait this long for Redis, then serve in the failure mode.
    expect(await state.ready(100)).toBe(false);
    expect(await state.admit([bucket], null, NOW)).toBe(UNAVAILABLE);
    await proxy.restore();
    expect(await state.ready(5000)).toBe(true);
    expect(await state.admit([bucket], null, NOW)).toBe(ADMITTED);
    expect(await state.admit([bucket], null, NOW)).toBe(THROTTLED);
  });

  it('a Redis that hangs costs a request no more than the command timeout', async () => {
    await start('open');
    expect(await state.admit([bucket], null, NOW)).toBe(ADMITTED);
    proxy.stall();
    // Without the timeout this would wait for as long as the stall lasts, past the test's limit.
    expect(await state.admit([bucket], null, NOW)).toBe(ADMITTED);
    expect(events[0]?.available).toBe(false);
    expect(events[0]?.error).toMatch(/timed out/i);
    await proxy.restore();
    // The stalled command reaches Redis late and is ignored; the next one is Redis's again.
    await expect.poll(() => state.admit([bucket], null, NOW + 10_000), { timeout: 5000 }).toBe(ADMITTED);
    expect(events.at(-1)?.available).toBe(true);
  });

  it('fail-closed with a hanging Redis refuses within the timeout', async () => {
    await start('closed');
    proxy.stall();
    expect(await state.admit([bucket], null, NOW)).toBe(UNAVAILABLE);
    await proxy.restore();
  });
});
