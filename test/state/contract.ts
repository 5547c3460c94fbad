// The behaviour every RuntimeState must have, whatever holds the counters. Each implementation
// runs this suite from its own test file. Time is passed in explicitly; nothing sleeps.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ADMITTED,
  DAY_MS,
  QUOTA_EXCEEDED,
  THROTTLED,
  type RuntimeState,
  type TokenBucket,
  type UsageCharge,
  type Verdict,
} from '../../src/state/index.js';

export interface StateSubject {
  state: RuntimeState;
  /** Closes the state and removes whatever it stored. */
  cleanup: () => Promise<void>;
}

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);

const bucket = (key: string, rateLimit: number, burstLimit: number): TokenBucket => ({
  key,
  rateLimit,
  burstLimit,
});

const charge = (
  key: string,
  quotaLimit: number,
  periodStart = T0 - (T0 % DAY_MS),
  quotaOffset = 0,
): UsageCharge => ({
  key,
  planKey: key.split(':')[0]!,
  quotaLimit,
  quotaOffset,
  periodStart,
  periodEnd: periodStart + DAY_MS,
  day: Math.floor(periodStart / DAY_MS),
});

export function runtimeStateContract(name: string, open: () => Promise<StateSubject>): void {
  describe(`RuntimeState contract: ${name}`, () => {
    let subject: StateSubject;
    let state: RuntimeState;
    beforeEach(async () => {
      subject = await open();
      state = subject.state;
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    const admitMany = async (
      count: number,
      buckets: readonly TokenBucket[],
      usage: UsageCharge | null,
      now: number,
    ): Promise<Verdict[]> => {
      const verdicts: Verdict[] = [];
      for (let i = 0; i < count; i++) verdicts.push(await state.admit(buckets, usage, now));
      return verdicts;
    };
    const count = (verdicts: Verdict[], verdict: Verdict) => verdicts.filter((v) => v === verdict).length;

    it('is ready to answer', async () => {
      expect(await state.ready(1000)).toBe(true);
    });

    it('a new bucket is full: it admits its burst at one instant, then throttles', async () => {
      const verdicts = await admitMany(7, [bucket('burst', 1, 5)], null, T0);
      expect(verdicts).toEqual([ADMITTED, ADMITTED, ADMITTED, ADMITTED, ADMITTED, THROTTLED, THROTTLED]);
    });

    it('refills at the rate: one token per 1/rate seconds, fractions carried over', async () => {
      const b = [bucket('refill', 4, 2)];
      expect(await admitMany(3, b, null, T0)).toEqual([ADMITTED, ADMITTED, THROTTLED]);
      // 4 tokens/s: after 125 ms half a token, not enough; after 250 ms one.
      expect(await state.admit(b, null, T0 + 125)).toBe(THROTTLED);
      expect(await state.admit(b, null, T0 + 250)).toBe(ADMITTED);
      expect(await state.admit(b, null, T0 + 250)).toBe(THROTTLED);
      // Half a second later: two tokens, the burst.
      expect(await admitMany(3, b, null, T0 + 750)).toEqual([ADMITTED, ADMITTED, THROTTLED]);
    });

    it('never holds more than the burst, however long it rests', async () => {
      const b = [bucket('rest', 10, 3)];
      await admitMany(3, b, null, T0);
      const later = await admitMany(5, b, null, T0 + 3_600_000);
      expect(count(later, ADMITTED)).toBe(3);
    });

    it('a rate below one request a second refills over several seconds', async () => {
      const b = [bucket('slow', 0.5, 1)];
      expect(await admitMany(2, b, null, T0)).toEqual([ADMITTED, THROTTLED]);
      expect(await state.admit(b, null, T0 + 1999)).toBe(THROTTLED);
      expect(await state.admit(b, null, T0 + 2000)).toBe(ADMITTED);
    });

    it('a clock behind the bucket adds nothing and does not move the bucket back', async () => {
      const b = [bucket('skew', 1, 1)];
      expect(await state.admit(b, null, T0 + 10_000)).toBe(ADMITTED);
      // A caller whose clock is 5 s behind: no refill from its point of view either.
      expect(await state.admit(b, null, T0 + 5_000)).toBe(THROTTLED);
      expect(await state.admit(b, null, T0 + 10_500)).toBe(THROTTLED);
      expect(await state.admit(b, null, T0 + 11_000)).toBe(ADMITTED);
    });

    it('buckets with different keys are independent', async () => {
      expect(await admitMany(2, [bucket('a', 1, 1)], null, T0)).toEqual([ADMITTED, THROTTLED]);
      expect(await state.admit([bucket('b', 1, 1)], null, T0)).toBe(ADMITTED);
    });

    it('every bucket must admit, and a refusal takes no token from any bucket', async () => {
      const wide = bucket('wide', 1, 10);
      const narrow = bucket('narrow', 1, 2);
      expect(await admitMany(3, [wide, narrow], null, T0)).toEqual([ADMITTED, ADMITTED, THROTTLED]);
      // The wide bucket gave only the two admitted requests' tokens: 8 are left.
      expect(count(await admitMany(9, [wide], null, T0), ADMITTED)).toBe(8);
    });

    it('counts a quota per period and refuses past it; a new period starts from zero', async () => {
      const b = [bucket('q-bucket', 1000, 1000)];
      const today = charge('plan1:key1', 3);
      const verdicts = await admitMany(5, b, today, T0);
      expect(verdicts).toEqual([ADMITTED, ADMITTED, ADMITTED, QUOTA_EXCEEDED, QUOTA_EXCEEDED]);
      const tomorrow = charge('plan1:key1', 3, today.periodEnd);
      expect(await admitMany(4, b, tomorrow, today.periodEnd)).toEqual([
        ADMITTED,
        ADMITTED,
        ADMITTED,
        QUOTA_EXCEEDED,
      ]);
    });

    it('a request refused by the quota takes no token; a throttled one uses no quota', async () => {
      const b = [bucket('q-order', 1, 2)];
      const usage = charge('plan2:key', 1);
      expect(await admitMany(2, b, usage, T0)).toEqual([ADMITTED, QUOTA_EXCEEDED]);
      // One token left in the bucket: the refused request did not take it.
      expect(await state.admit(b, null, T0)).toBe(ADMITTED);
      expect(await state.admit(b, null, T0)).toBe(THROTTLED);
      // A throttled request with a fresh quota does not count against it.
      const other = charge('plan2:other', 1);
      expect(await state.admit(b, other, T0)).toBe(THROTTLED);
      expect(await state.admit([bucket('q-free', 1, 1)], other, T0)).toBe(ADMITTED);
    });

    it("the offset is taken off the limit in the plan's first period only", async () => {
      const day1 = T0 - (T0 % DAY_MS);
      const day2 = day1 + DAY_MS;
      expect(await state.firstQuotaPeriod('plan6')).toBeUndefined();
      expect(await admitMany(4, [], charge('plan6:a', 5, day1, 2), T0)).toEqual([
        ADMITTED,
        ADMITTED,
        ADMITTED,
        QUOTA_EXCEEDED,
      ]);
      expect(await state.firstQuotaPeriod('plan6')).toBe(day1);
      // Another key of the plan: the same first period, so the same reduced limit.
      expect(count(await admitMany(4, [], charge('plan6:b', 5, day1, 2), T0), ADMITTED)).toBe(3);
      expect(count(await admitMany(6, [], charge('plan6:a', 5, day2, 2), day2), ADMITTED)).toBe(5);
    });

    it('a quota of zero refuses every request', async () => {
      expect(await state.admit([], charge('plan3:key', 0), T0)).toBe(QUOTA_EXCEEDED);
    });

    it('records usage per key and day, with or without a quota', async () => {
      const day = Math.floor(T0 / DAY_MS);
      const start = day * DAY_MS;
      const usage = (d: number): UsageCharge => ({
        key: 'plan4:key',
        planKey: 'plan4',
        quotaLimit: -1,
        quotaOffset: 0,
        periodStart: start,
        periodEnd: start + 7 * DAY_MS,
        day: d,
      });
      await admitMany(3, [], usage(day), T0);
      await admitMany(2, [], usage(day + 2), T0 + 2 * DAY_MS);
      expect(await state.dailyUsage('plan4:key', [day - 1, day, day + 1, day + 2])).toEqual([0, 3, 0, 2]);
      expect(await state.dailyUsage('plan4:nobody', [day])).toEqual([0]);
      expect(await state.dailyUsage('plan4:key', [])).toEqual([]);
    });

    it('refused requests are not counted as usage', async () => {
      const day = Math.floor(T0 / DAY_MS);
      await admitMany(4, [bucket('u-bucket', 1, 1)], charge('plan5:key', 100), T0);
      await admitMany(3, [], charge('plan5:key', 2), T0);
      expect(await state.dailyUsage('plan5:key', [day])).toEqual([2]);
    });

    it('requests decided together are decided in order, each as if alone', async () => {
      const charged = [bucket('together-a', 1, 4)];
      const plain = [bucket('together-b', 1, 2)];
      const quota = charge('plan7:key', 3);
      const verdicts = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          Promise.resolve(i % 2 === 0 ? state.admit(charged, quota, T0) : state.admit(plain, null, T0)),
        ),
      );
      expect(verdicts.filter((_, i) => i % 2 === 0)).toEqual([
        ADMITTED,
        ADMITTED,
        ADMITTED,
        QUOTA_EXCEEDED,
        QUOTA_EXCEEDED,
        QUOTA_EXCEEDED,
      ]);
      expect(verdicts.filter((_, i) => i % 2 === 1)).toEqual([
        ADMITTED,
        ADMITTED,
        THROTTLED,
        THROTTLED,
        THROTTLED,
        THROTTLED,
      ]);
      // The quota-refused requests left the bucket its last token.
      expect(await state.admit(charged, null, T0)).toBe(ADMITTED);
      expect(await state.dailyUsage('plan7:key', [Math.floor(T0 / DAY_MS)])).toEqual([3]);
    });

    it('concurrent requests at one instant are admitted exactly up to the burst', async () => {
      const b = [bucket('concurrent', 1, 25)];
      const verdicts = await Promise.all(
        Array.from({ length: 100 }, () => Promise.resolve(state.admit(b, null, T0))),
      );
      expect(count(verdicts, ADMITTED)).toBe(25);
      expect(count(verdicts, THROTTLED)).toBe(75);
    });
  });
}
