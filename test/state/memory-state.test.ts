import { describe, expect, it } from 'vitest';
import {
  ADMITTED,
  DAY_MS,
  MemoryRuntimeState,
  THROTTLED,
  USAGE_RETENTION_DAYS,
} from '../../src/state/index.js';
import { runtimeStateContract } from './contract.js';

runtimeStateContract('memory', () => {
  const state = new MemoryRuntimeState();
  return Promise.resolve({ state, cleanup: () => state.close() });
});

describe('MemoryRuntimeState', () => {
  it('answers synchronously, so a memory-backed throttle step allocates no promise', () => {
    const state = new MemoryRuntimeState();
    expect(state.admit([{ key: 'sync', rateLimit: 1, burstLimit: 1 }], null, 0)).toBe(ADMITTED);
    expect(state.admit([{ key: 'sync', rateLimit: 1, burstLimit: 1 }], null, 0)).toBe(THROTTLED);
  });

  it('the sweep forgets refilled buckets, ended periods and usage past the retention', async () => {
    const state = new MemoryRuntimeState();
    const now = Date.UTC(2026, 2, 1);
    state.admit([{ key: 'short', rateLimit: 10, burstLimit: 10 }], null, now);
    state.admit(
      [],
      {
        key: 'p:k',
        planKey: 'p',
        quotaLimit: 5,
        quotaOffset: 0,
        periodStart: now,
        periodEnd: now + DAY_MS,
        day: now / DAY_MS,
      },
      now,
    );
    expect(state.size).toBe(2);
    // One second later the bucket is full again: forgetting it changes nothing.
    state.sweep(now + 1000);
    expect(state.size).toBe(1);
    expect(await state.dailyUsage('p:k', [now / DAY_MS])).toEqual([1]);
    state.sweep(now + (USAGE_RETENTION_DAYS + 2) * DAY_MS);
    expect(state.size).toBe(0);
    expect(await state.dailyUsage('p:k', [now / DAY_MS])).toEqual([0]);
  });
});
