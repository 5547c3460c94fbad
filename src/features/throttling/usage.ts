// GetUsage: a usage plan's daily usage per API key, in AWS's shape
// `{usagePlanId, startDate, endDate, items: {keyId: [[used, remaining], …one per day]}}`.
// `used` is the requests admitted that UTC day; `remaining` is what was left of the key's quota
// at the end of that day (the offset taken off in the plan's first period; 0 when the plan has
// no quota). For the management API.
import { DAY_MS } from '../../state/index.js';
import { dayOfDate, quotaPeriod } from './quota-period.js';
import type { Throttling } from './throttling.js';

export interface Usage {
  usagePlanId: string;
  startDate: string;
  endDate: string;
  items: Record<string, [number, number][]>;
}

/** The longest range one GetUsage call may ask for. */
export const MAX_USAGE_DAYS = 366;

export class UsageRequestError extends Error {
  override name = 'UsageRequestError';
  constructor(
    readonly kind: 'BadRequest' | 'NotFound',
    message: string,
  ) {
    super(message);
  }
}

export async function getUsage(
  throttling: Throttling,
  usagePlanId: string,
  keyId: string | undefined,
  startDate: string,
  endDate: string,
): Promise<Usage> {
  const first = dayOfDate(startDate);
  const last = dayOfDate(endDate);
  if (first === undefined) throw new UsageRequestError('BadRequest', `Invalid startDate: ${startDate}`);
  if (last === undefined) throw new UsageRequestError('BadRequest', `Invalid endDate: ${endDate}`);
  if (last < first) throw new UsageRequestError('BadRequest', 'The endDate must not be before the startDate');
  if (last - first + 1 > MAX_USAGE_DAYS) {
    throw new UsageRequestError(
      'BadRequest',
      `At most ${MAX_USAGE_DAYS} days of usage can be asked for at once`,
    );
  }
  const index = throttling.plans.current;
  const plan = index.plans.get(usagePlanId);
  if (plan === undefined) throw new UsageRequestError('NotFound', `Invalid Usage Plan ID specified`);
  const members = index.keysOfPlan.get(usagePlanId) ?? [];
  const keyIds = keyId === undefined ? members : members.filter((id) => id === keyId);
  const quota = plan.quota;
  // The remaining quota on the first day depends on the days before it in the same period.
  const from = quota ? Math.floor(quotaPeriod(quota.period, first * DAY_MS).start / DAY_MS) : first;
  const firstPeriod = quota ? await throttling.state.firstQuotaPeriod(usagePlanId) : undefined;
  const days = Array.from({ length: last - from + 1 }, (_, i) => from + i);
  const items: Record<string, [number, number][]> = {};
  for (const id of keyIds) {
    const counts = await throttling.state.dailyUsage(`${usagePlanId}:${id}`, days);
    const series: [number, number][] = [];
    let periodEnd = -Infinity;
    let used = 0;
    let limit = 0;
    for (let i = 0; i < days.length; i++) {
      const day = days[i]!;
      const count = counts[i] ?? 0;
      if (quota && day * DAY_MS >= periodEnd) {
        const period = quotaPeriod(quota.period, day * DAY_MS);
        periodEnd = period.end;
        used = 0;
        limit = period.start === firstPeriod ? quota.limit - quota.offset : quota.limit;
      }
      used += count;
      if (day >= first) series.push([count, quota ? Math.max(0, limit - used) : 0]);
    }
    items[id] = series;
  }
  return { usagePlanId, startDate, endDate, items };
}
