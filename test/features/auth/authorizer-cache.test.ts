// The per-stage authorizer result cache, on a clock the tests move by hand.
import { describe, expect, it } from 'vitest';
import { AuthorizerCache, authorizerTtlSeconds } from '../../../src/features/auth/authorizer-cache.js';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('AuthorizerCache', () => {
  it('returns a result until its TTL has passed, then forgets it', () => {
    const time = clock();
    const cache = new AuthorizerCache<string>({ now: time.now });
    cache.set('auth1', 'token-a', 'policy-a', 300);
    expect(cache.get('auth1', 'token-a')).toBe('policy-a');
    time.advance(299_999);
    expect(cache.get('auth1', 'token-a')).toBe('policy-a');
    time.advance(1);
    expect(cache.get('auth1', 'token-a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('stores nothing for a TTL of 0 (caching off)', () => {
    const cache = new AuthorizerCache<string>({ now: clock().now });
    cache.set('auth1', 'k', 'v', 0);
    expect(cache.get('auth1', 'k')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('holds results for at most 3600 seconds', () => {
    const time = clock();
    const cache = new AuthorizerCache<string>({ now: time.now });
    cache.set('auth1', 'k', 'v', 86_400);
    time.advance(3_599_999);
    expect(cache.get('auth1', 'k')).toBe('v');
    time.advance(1);
    expect(cache.get('auth1', 'k')).toBeUndefined();
  });

  it('keeps authorizers apart, and a changed identity value misses', () => {
    const cache = new AuthorizerCache<string>({ now: clock().now });
    cache.set('auth1', 'k', 'one', 60);
    cache.set('auth2', 'k', 'two', 60);
    expect(cache.get('auth1', 'k')).toBe('one');
    expect(cache.get('auth2', 'k')).toBe('two');
    expect(cache.get('auth1', 'k2')).toBeUndefined();
  });

  it('replaces a result and restarts its TTL', () => {
    const time = clock();
    const cache = new AuthorizerCache<string>({ now: time.now });
    cache.set('a', 'k', 'old', 10);
    time.advance(9_000);
    cache.set('a', 'k', 'new', 10);
    time.advance(9_000);
    expect(cache.get('a', 'k')).toBe('new');
  });

  it('drops the least recently used result past maxEntries', () => {
    const cache = new AuthorizerCache<string>({ now: clock().now, maxEntries: 2 });
    cache.set('a', '1', 'one', 60);
    cache.set('a', '2', 'two', 60);
    expect(cache.get('a', '1')).toBe('one');
    cache.set('a', '3', 'three', 60);
    expect(cache.get('a', '2')).toBeUndefined();
    expect(cache.get('a', '1')).toBe('one');
    expect(cache.get('a', '3')).toBe('three');
    expect(cache.size).toBe(2);
  });

  it('flushes everything', () => {
    const cache = new AuthorizerCache<string>({ now: clock().now });
    cache.set('a', '1', 'one', 60);
    cache.set('b', '2', 'two', 60);
    cache.flush();
    expect(cache.get('a', '1')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('refuses a non-positive size bound', () => {
    expect(() => new AuthorizerCache({ maxEntries: 0 })).toThrow(RangeError);
  });
});

describe('authorizerTtlSeconds', () => {
  it('defaults to 300, clamps to 0…3600', () => {
    expect(authorizerTtlSeconds(undefined)).toBe(300);
    expect(authorizerTtlSeconds(0)).toBe(0);
    expect(authorizerTtlSeconds(60)).toBe(60);
    expect(authorizerTtlSeconds(7200)).toBe(3600);
    expect(authorizerTtlSeconds(-5)).toBe(0);
  });
});
