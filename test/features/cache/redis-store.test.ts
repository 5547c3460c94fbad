// The Redis store against the real server, under a random key prefix that is removed after.
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisResponseCacheStore } from '../../../src/features/cache/redis-store.js';
import { ResponseCaches } from '../../../src/features/cache/response-caches.js';
import { REDIS_URL, redisAvailable } from '../../helpers/services.js';
import { manualClock, storeContract } from './store-contract.js';

const prefix = `gatehouse-test-${randomBytes(6).toString('hex')}:`;

describe.runIf(await redisAvailable())('Redis response cache store', () => {
  const stores: RedisResponseCacheStore[] = [];
  const admin = new Redis(REDIS_URL);

  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    // Only this run's keys: SCAN our prefix and delete what is there.
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await admin.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
    await admin.quit();
  });

  storeContract('redis', async () => {
    const clock = manualClock();
    const store = new RedisResponseCacheStore({ redis: REDIS_URL, prefix, now: clock.now, timeoutMs: 2_000 });
    stores.push(store);
    expect(await store.ready()).toBe(true);
    return { store, ...clock };
  });

  it('writes entries with a Redis TTL (PX) under its prefix', async () => {
    const store = new RedisResponseCacheStore({ redis: REDIS_URL, prefix, timeoutMs: 2_000 });
    stores.push(store);
    await store.ready();
    const stage = { id: 'ttlapi/prod', capacityBytes: 1_000_000 };
    await store.set(stage, 'GET /x', {
      statusCode: 200,
      headers: {},
      body: Buffer.from('x'),
      expiresAt: Date.now() + 30_000,
    });
    const ttl = await admin.pttl(`${prefix}cache:ttlapi/prod:GET /x`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });

  it('counts a failing Redis as a miss within its timeout, and a failed write as nothing', async () => {
    // A server that accepts connections and never answers: every command times out.
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
    client.on('error', () => {});
    const errors: unknown[] = [];
    const caches = new ResponseCaches({
      store: new RedisResponseCacheStore({ redis: client, prefix, timeoutMs: 30 }),
      onError: (error) => errors.push(error),
    });
    const stage = caches.stage('downapi', 'prod', 1_000_000);
    expect(await stage.lookup('GET /x')).toBeUndefined();
    expect(String(errors[0])).toMatch(/did not answer within 30 ms/);
    // The write fails the same way, off the request path; while the store stays down the
    // failure is reported once, not once per request.
    stage.save('GET /x', { statusCode: 200, headers: {}, body: Buffer.from('x') }, 300);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(errors.length).toBe(1);
    client.disconnect();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('answers misses at once while Redis is unreachable', async () => {
    const closed: Server = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const errors: unknown[] = [];
    const store = new RedisResponseCacheStore({ redis: `redis://127.0.0.1:${port}`, prefix, timeoutMs: 50 });
    const caches = new ResponseCaches({ store, onError: (error) => errors.push(error) });
    const stage = caches.stage('downapi', 'prod', 1_000_000);
    expect(await stage.lookup('GET /x')).toBeUndefined();
    expect(errors.length).toBe(1);
    await store.close();
  });
});
