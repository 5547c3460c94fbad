import { describe, expect, it } from 'vitest';
import { MemoryResponseCacheStore } from '../../../src/features/cache/memory-store.js';
import { manualClock, storeContract } from './store-contract.js';

storeContract('memory', () => {
  const clock = manualClock();
  return Promise.resolve({ store: new MemoryResponseCacheStore({ now: clock.now }), ...clock });
});

describe('memory store capacity', () => {
  const entry = (bytes: number) => ({
    statusCode: 200,
    headers: {},
    body: Buffer.alloc(bytes),
    expiresAt: Date.now() + 60_000,
  });

  it('evicts the least recently used entries once the stage holds its capacity in bytes', () => {
    const store = new MemoryResponseCacheStore();
    const stage = { id: 'api/prod', capacityBytes: 10_000 };
    store.set(stage, 'a', entry(4_000));
    store.set(stage, 'b', entry(4_000));
    expect(store.get(stage, 'a')).toBeDefined(); // a is now more recent than b
    store.set(stage, 'c', entry(4_000));
    expect(store.get(stage, 'b')).toBeUndefined();
    expect(store.get(stage, 'a')).toBeDefined();
    expect(store.get(stage, 'c')).toBeDefined();
  });

  it('gives each stage its own capacity', () => {
    const store = new MemoryResponseCacheStore();
    const small = { id: 'api/small', capacityBytes: 5_000 };
    const large = { id: 'api/large', capacityBytes: 50_000 };
    for (let i = 0; i < 5; i++) store.set(large, `k${i}`, entry(4_000));
    store.set(small, 'x', entry(4_000));
    store.set(small, 'y', entry(4_000));
    expect(store.get(small, 'x')).toBeUndefined();
    for (let i = 0; i < 5; i++) expect(store.get(large, `k${i}`)).toBeDefined();
  });

  it('starts a stage empty when its capacity changes, as AWS recreates the cache', () => {
    const store = new MemoryResponseCacheStore();
    store.set({ id: 'api/prod', capacityBytes: 10_000 }, 'a', entry(100));
    store.set({ id: 'api/prod', capacityBytes: 20_000 }, 'b', entry(100));
    expect(store.get({ id: 'api/prod', capacityBytes: 20_000 }, 'a')).toBeUndefined();
    expect(store.get({ id: 'api/prod', capacityBytes: 20_000 }, 'b')).toBeDefined();
  });
});
