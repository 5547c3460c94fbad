// Runtime state in this process's memory: exact, synchronous, the default. Buckets and counters
// that can no longer matter (a bucket that has refilled, a quota period that has ended, usage
// older than the retention) are swept now and then, so the maps do not grow without end.
import {
  ADMITTED,
  DAY_MS,
  QUOTA_EXCEEDED,
  THROTTLED,
  USAGE_RETENTION_DAYS,
  type RuntimeState,
  type TokenBucket,
  type UsageCharge,
  type Verdict,
} from '../runtime-state.js';

interface BucketState {
  tokens: number;
  /** The time the tokens were last brought up to date; never moves backwards. */
  last: number;
  /** When the bucket is full again if nobody takes from it. */
  fullAt: number;
}

interface UsageState {
  periodStart: number;
  periodEnd: number;
  used: number;
  /** Requests per day (days since the epoch). */
  days: Map<number, number>;
}

/** How often the sweep runs, counted in admissions. */
const SWEEP_EVERY = 10_000;

export class MemoryRuntimeState implements RuntimeState {
  private readonly buckets = new Map<string, BucketState>();
  private readonly usage = new Map<string, UsageState>();
  /** Plan → the start of its first quota period; one number per plan, never swept. */
  private readonly firstPeriods = new Map<string, number>();
  private readonly tokens: number[] = [];
  private untilSweep = SWEEP_EVERY;

  admit(buckets: readonly TokenBucket[], charge: UsageCharge | null, now: number): Verdict {
    if (--this.untilSweep <= 0) this.sweep(now);
    const tokens = this.tokens;
    for (let i = 0; i < buckets.length; i++) {
      const bucket = buckets[i]!;
      const state = this.buckets.get(bucket.key);
      let available = bucket.burstLimit;
      if (state !== undefined && now < state.fullAt) {
        const elapsed = now > state.last ? now - state.last : 0;
        available = Math.min(bucket.burstLimit, state.tokens + (elapsed * bucket.rateLimit) / 1000);
      }
      if (available < 1) return THROTTLED;
      tokens[i] = available;
    }
    let usage: UsageState | undefined;
    if (charge !== null) {
      usage = this.usage.get(charge.key);
      if (usage === undefined) {
        usage = { periodStart: charge.periodStart, periodEnd: charge.periodEnd, used: 0, days: new Map() };
        this.usage.set(charge.key, usage);
      } else if (usage.periodStart !== charge.periodStart) {
        usage.periodStart = charge.periodStart;
        usage.periodEnd = charge.periodEnd;
        usage.used = 0;
      }
      if (charge.quotaLimit >= 0) {
        let first = this.firstPeriods.get(charge.planKey);
        if (first === undefined) this.firstPeriods.set(charge.planKey, (first = charge.periodStart));
        const limit =
          first === charge.periodStart ? charge.quotaLimit - charge.quotaOffset : charge.quotaLimit;
        if (usage.used >= limit) return QUOTA_EXCEEDED;
      }
    }
    for (let i = 0; i < buckets.length; i++) {
      const bucket = buckets[i]!;
      const left = tokens[i]! - 1;
      const state = this.buckets.get(bucket.key);
      const last = state !== undefined && state.last > now ? state.last : now;
      const fullAt = last + ((bucket.burstLimit - left) * 1000) / bucket.rateLimit;
      if (state === undefined) {
        this.buckets.set(bucket.key, { tokens: left, last, fullAt });
      } else {
        state.tokens = left;
        state.last = last;
        state.fullAt = fullAt;
      }
    }
    if (charge !== null && usage !== undefined) {
      usage.used++;
      usage.days.set(charge.day, (usage.days.get(charge.day) ?? 0) + 1);
    }
    return ADMITTED;
  }

  dailyUsage(key: string, days: readonly number[]): Promise<number[]> {
    const usage = this.usage.get(key);
    return Promise.resolve(days.map((day) => usage?.days.get(day) ?? 0));
  }

  firstQuotaPeriod(planKey: string): Promise<number | undefined> {
    return Promise.resolve(this.firstPeriods.get(planKey));
  }

  ready(): Promise<boolean> {
    return Promise.resolve(true);
  }

  close(): Promise<void> {
    this.firstPeriods.clear();
    this.buckets.clear();
    this.usage.clear();
    return Promise.resolve();
  }

  /** Forgets what can no longer change a decision or a usage report. */
  sweep(now: number): void {
    this.untilSweep = SWEEP_EVERY;
    for (const [key, state] of this.buckets) if (state.fullAt <= now) this.buckets.delete(key);
    const oldestDay = Math.floor(now / DAY_MS) - USAGE_RETENTION_DAYS;
    for (const [key, usage] of this.usage) {
      for (const day of usage.days.keys()) if (day < oldestDay) usage.days.delete(day);
      if (usage.days.size === 0 && usage.periodEnd <= now) this.usage.delete(key);
    }
  }

  /** How many buckets and usage keys are held (for tests of the sweep). */
  get size(): number {
    return this.buckets.size + this.usage.size;
  }
}
