// What every response cache store must do (memory and Redis run the same suite): entries
// come back as stored, expire by the stage cache's clock, are replaced, kept apart per stage,
// flushed per stage, and refused over the 1 MB cap.
import { describe, expect, it } from 'vitest';
import { MAX_CACHED_BODY_BYTES, type CachedResponse } from '../../../src/features/cache/entry.js';
import type { ResponseCacheStore, StageCacheScope } from '../../../src/features/cache/store.js';

export interface StoreUnderTest {
  store: ResponseCacheStore;
  /** Moves the clock the store expires entries by. */
  advance(ms: number): void;
  now(): number;
}

const MB = 1024 * 1024;

export function storeContract(name: string, make: () => Promise<StoreUnderTest>): void {
  describe(`response cache store contract: ${name}`, () => {
    let n = 0;
    // Each test uses stages of its own, so tests never see each other's entries.
    const scope = (capacityBytes = 64 * MB): StageCacheScope => ({
      id: `api${Date.now().toString(36)}${(++n).toString(36)}/prod`,
      capacityBytes,
    });
    const entry = (t: StoreUnderTest, body: Buffer | string, ttlMs = 300_000): CachedResponse => ({
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] },
      body: Buffer.isBuffer(body) ? body : Buffer.from(body),
      expiresAt: t.now() + ttlMs,
    });

    it('returns an entry as it was stored: status, headers and binary body', async () => {
      const t = await make();
      const s = scope();
      const body = Buffer.from([0, 1, 2, 255, 254, 10, 13]);
      await t.store.set(s, 'GET /pets', { ...entry(t, body), statusCode: 404 });
      const got = await t.store.get(s, 'GET /pets');
      expect(got?.statusCode).toBe(404);
      expect(got?.headers).toEqual({ 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] });
      expect(got?.body.equals(body)).toBe(true);
      expect(await t.store.get(s, 'GET /other')).toBeUndefined();
    });

    it('stops answering once the TTL has passed on its clock', async () => {
      const t = await make();
      const s = scope();
      await t.store.set(s, 'k', entry(t, 'fresh', 60_000));
      t.advance(59_999);
      expect((await t.store.get(s, 'k'))?.body.toString()).toBe('fresh');
      t.advance(1);
      expect(await t.store.get(s, 'k')).toBeUndefined();
    });

    it('replaces an entry stored under the same key', async () => {
      const t = await make();
      const s = scope();
      await t.store.set(s, 'k', entry(t, 'old'));
      await t.store.set(s, 'k', entry(t, 'new'));
      expect((await t.store.get(s, 'k'))?.body.toString()).toBe('new');
    });

    it('keeps stages apart and flushes one stage only', async () => {
      const t = await make();
      const a = scope();
      const b = scope();
      await t.store.set(a, 'k', entry(t, 'a'));
      await t.store.set(a, 'k2', entry(t, 'a2'));
      await t.store.set(b, 'k', entry(t, 'b'));
      expect((await t.store.get(a, 'k'))?.body.toString()).toBe('a');
      expect((await t.store.get(b, 'k'))?.body.toString()).toBe('b');
      await t.store.flush(a.id);
      expect(await t.store.get(a, 'k')).toBeUndefined();
      expect(await t.store.get(a, 'k2')).toBeUndefined();
      expect((await t.store.get(b, 'k'))?.body.toString()).toBe('b');
    });

    it('stores a body of exactly 1 MB and refuses a larger one', async () => {
      const t = await make();
      const s = scope();
      await t.store.set(s, 'exact', entry(t, Buffer.alloc(MAX_CACHED_BODY_BYTES, 'a')));
      await t.store.set(s, 'over', entry(t, Buffer.alloc(MAX_CACHED_BODY_BYTES + 1, 'b')));
      expect((await t.store.get(s, 'exact'))?.body.length).toBe(MAX_CACHED_BODY_BYTES);
      expect(await t.store.get(s, 'over')).toBeUndefined();
    });

    it('keeps keys with any characters apart', async () => {
      const t = await make();
      const s = scope();
      await t.store.set(s, 'GET /a ["x:y*"]', entry(t, '1'));
      await t.store.set(s, 'GET /a ["x"]', entry(t, '2'));
      expect((await t.store.get(s, 'GET /a ["x:y*"]'))?.body.toString()).toBe('1');
      expect((await t.store.get(s, 'GET /a ["x"]'))?.body.toString()).toBe('2');
    });
  });
}

/** A clock tests move by hand, starting at the real time so Redis's own TTLs stay sensible. */
export function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let at = Date.now();
  return { now: () => at, advance: (ms) => void (at += ms) };
}
