// A Redis client for tests, with its own random key prefix, and the cleanup that deletes every
// key under that prefix (never anything else).
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { REDIS_URL } from '../helpers/services.js';

export const testPrefix = (): string => `gatehouse-test:${randomBytes(6).toString('hex')}:`;

export function testClient(url = REDIS_URL, timeoutMs = 1000): Redis {
  return new Redis(url, {
    commandTimeout: timeoutMs,
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    maxRetriesPerRequest: 0,
    retryStrategy: (times) => Math.min(times * 50, 200),
  });
}

/** Deletes the keys the state wrote under `prefix` (they all begin with `{prefix}`). */
export async function deleteKeys(prefix: string): Promise<number> {
  const admin = new Redis(REDIS_URL);
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `{${prefix}}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await admin.del(...keys);
    } while (cursor !== '0');
  } finally {
    admin.disconnect();
  }
  return deleted;
}

/** Waits until the client's connection is ready. */
export function ready(client: Redis): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    client.once('ready', () => resolve());
    client.once('end', () => reject(new Error('the Redis connection ended')));
  });
}
