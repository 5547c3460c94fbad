import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { ADMITTED, RedisRuntimeState, THROTTLED } from '../../src/state/index.js';
import { REDIS_URL, redisAvailable } from '../helpers/services.js';
import { runtimeStateContract } from './contract.js';
import { deleteKeys, ready, testClient, testPrefix } from './redis-keys.js';

const hasRedis = await redisAvailable();

if (hasRedis) {
  runtimeStateContract('Redis', async () => {
    const keyPrefix = testPrefix();
    const client = testClient();
    await ready(client);
    const state = new RedisRuntimeState({ client, ownsClient: true, keyPrefix, failure: 'closed' });
    return {
      state,
      cleanup: async () => {
        await state.close();
        await deleteKeys(keyPrefix);
      },
    };
  });
}

describe.runIf(hasRedis)('RedisRuntimeState', () => {
  it('keeps every key under its prefix, as a Cluster hash tag, and lets counters expire', async () => {
    const keyPrefix = testPrefix();
    const client = testClient();
    await ready(client);
    const state = new RedisRuntimeState({ client, ownsClient: true, keyPrefix, failure: 'closed' });
    const admin = new Redis(REDIS_URL);
    try {
      const now = Date.now();
      const verdict = await state.admit(
        [{ key: 'account', rateLimit: 100, burstLimit: 50 }],
        {
          key: 'plan:key',
          planKey: 'plan',
          quotaLimit: 10,
          quotaOffset: 0,
          periodStart: 0,
          periodEnd: now + 1000,
          day: 7,
        },
        now,
      );
      expect(verdict).toBe(ADMITTED);
      const keys = (await admin.keys(`{${keyPrefix}}*`)).sort();
      expect(keys).toEqual([
        `{${keyPrefix}}b:account`,
        `{${keyPrefix}}f:plan`,
        `{${keyPrefix}}q:plan:key:0`,
        `{${keyPrefix}}u:plan:key:7`,
      ]);
      // The whole prefix in braces is the hash tag: every key hashes to one slot, so one script
      // may touch them all on a cluster.
      for (const key of keys) expect(key.startsWith(`{${keyPrefix}}`)).toBe(true);
      // Counters and buckets expire; the plan's first quota period is kept (one key per plan).
      for (const key of keys) {
        const ttl = await admin.pttl(key);
        if (key.endsWith('f:plan')) expect(ttl).toBe(-1);
        else expect(ttl).toBeGreaterThan(0);
      }
    } finally {
      admin.disconnect();
      await state.close();
      await deleteKeys(keyPrefix);
    }
  });

  it('two states on one prefix share their buckets (two processes, one limit)', async () => {
    const keyPrefix = testPrefix();
    const [a, b] = [testClient(), testClient()];
    await Promise.all([ready(a), ready(b)]);
    const one = new RedisRuntimeState({ client: a, ownsClient: true, keyPrefix, failure: 'closed' });
    const two = new RedisRuntimeState({ client: b, ownsClient: true, keyPrefix, failure: 'closed' });
    try {
      const shared = [{ key: 'shared', rateLimit: 1, burstLimit: 3 }];
      const now = Date.now();
      const verdicts = await Promise.all(
        [1, 2, 3, 4, 5, 6].map((i) => Promise.resolve((i % 2 ? one : two).admit(shared, null, now))),
      );
      expect(verdicts.filter((v) => v === ADMITTED)).toHaveLength(3);
      expect(verdicts.filter((v) => v === THROTTLED)).toHaveLength(3);
    } finally {
      await Promise.all([one.close(), two.close()]);
      await deleteKeys(keyPrefix);
    }
  });
});
