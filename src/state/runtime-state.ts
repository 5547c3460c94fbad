// The runtime state throttling and usage plans need, behind one interface: token buckets, quota
// counters per period and daily usage counts. The memory implementation is exact within one
// process; the Redis one shares the state between processes and nodes. A request's whole
// decision (every bucket, its quota and its usage count) is one call, so that the Redis
// implementation answers it in one round trip, and it is all or nothing: a refused request
// takes no token and counts against no quota.

/**
 * A token bucket: `rateLimit` tokens a second refill it, up to `burstLimit`; a request takes one.
 * Both are positive: a zero limit refuses everything and is settled before the state is asked.
 * A bucket nobody asked about is full.
 */
export interface TokenBucket {
  /** Names the bucket within the state, e.g. `account` or `method:{apiId}:{stage}:GET /pets`. */
  readonly key: string;
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/**
 * What an admitted request counts against: a usage plan's quota for one API key (when the plan
 * has one) and the key's usage on the current day (for GetUsage). Keys and windows are computed
 * by the caller; the state only counts.
 */
export interface UsageCharge {
  /** Names the counters, e.g. `{usagePlanId}:{keyId}`. */
  readonly key: string;
  /** Names the plan, whose first quota period the state remembers (see quotaOffset). */
  readonly planKey: string;
  /** Requests allowed in the current quota period; -1 when the plan has no quota. */
  readonly quotaLimit: number;
  /**
   * Requests subtracted from the limit in the plan's first period: the period in which the
   * state first counted a request for the plan.
   */
  readonly quotaOffset: number;
  /** Start and end of the current quota period, ms since the epoch (UTC). */
  readonly periodStart: number;
  readonly periodEnd: number;
  /** The current UTC day, as days since the epoch. */
  readonly day: number;
}

export const ADMITTED = 0;
export const THROTTLED = 1;
export const QUOTA_EXCEEDED = 2;
/** The state could not decide (Redis unreachable with `failure: closed`): the request is refused. */
export const UNAVAILABLE = 3;
export type Verdict = typeof ADMITTED | typeof THROTTLED | typeof QUOTA_EXCEEDED | typeof UNAVAILABLE;

export interface RuntimeState {
  /**
   * Admits a request if every bucket has a token and the quota (if any) is not used up; then
   * takes one token from each bucket and counts the request against the quota and the day's
   * usage. Otherwise changes nothing. Buckets are checked before the quota. `now` is ms since
   * the epoch; the memory implementation answers synchronously.
   */
  admit(buckets: readonly TokenBucket[], usage: UsageCharge | null, now: number): Verdict | Promise<Verdict>;
  /** Requests counted for the usage key `key` on each of `days` (days since the epoch), in order. */
  dailyUsage(key: string, days: readonly number[]): Promise<number[]>;
  /** The start of the plan's first quota period (see UsageCharge.quotaOffset), if any was counted. */
  firstQuotaPeriod(planKey: string): Promise<number | undefined>;
  /** Resolves true once the state can answer, or false after `timeoutMs` (a gateway starting up waits for it). */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export const DAY_MS = 86_400_000;

/** How long daily usage counts are kept for GetUsage. */
export const USAGE_RETENTION_DAYS = 90;
