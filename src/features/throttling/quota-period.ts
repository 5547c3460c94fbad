// Quota periods of usage plans, in UTC (docs/throttling.md):
//   DAY    from 00:00 UTC to the next 00:00 UTC;
//   WEEK   from Sunday 00:00 UTC to the next Sunday 00:00 UTC;
//   MONTH  from 00:00 UTC on the 1st to the 1st of the next month.
// The quota's `offset` is what AWS's reference makes it: requests subtracted from the limit in
// the plan's first period (an older SDK text made it the weekday a week starts; not followed).
import type { QuotaPeriod } from '../../model/usage-plans.js';
import { DAY_MS } from '../../state/index.js';

export interface Period {
  /** ms since the epoch, inclusive */
  start: number;
  /** ms since the epoch, exclusive */
  end: number;
}

/** The quota period that contains `now`. */
export function quotaPeriod(period: QuotaPeriod, now: number): Period {
  const day = Math.floor(now / DAY_MS);
  switch (period) {
    case 'DAY':
      return { start: day * DAY_MS, end: (day + 1) * DAY_MS };
    case 'WEEK': {
      // 1970-01-01, day 0, was a Thursday: Sunday is 4 days before it.
      const first = day - ((day + 4) % 7);
      return { start: first * DAY_MS, end: (first + 7) * DAY_MS };
    }
    case 'MONTH': {
      const date = new Date(now);
      const year = date.getUTCFullYear();
      const month = date.getUTCMonth();
      return { start: Date.UTC(year, month, 1), end: Date.UTC(year, month + 1, 1) };
    }
  }
}

/** Days since the epoch of a `yyyy-MM-dd` date, or undefined when it is not one. */
export function dayOfDate(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const date = new Date(time);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  return time / DAY_MS;
}
