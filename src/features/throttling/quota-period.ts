// Quota periods of usage plans, in UTC, as Gatehouse defines them (docs/throttling.md):
//   DAY    from 00:00 UTC to the next 00:00 UTC;
//   WEEK   seven days from 00:00 UTC on the weekday `offset` names (0 Sunday … 6 Saturday);
//   MONTH  from 00:00 UTC on day `offset + 1` of a month to the same day of the next month
//          (offset 0 is the 1st; at most 27, so every month has the day).
// `offset` follows the SDK documentation in which it is "the day that a time period starts";
// AWS's current reference reads it as requests subtracted in the first period, which needs the
// plan's creation time Gatehouse does not model. A DAY period ignores it.
import type { QuotaSettings } from '../../model/usage-plans.js';
import { DAY_MS } from '../../state/index.js';

export interface Period {
  /** ms since the epoch, inclusive */
  start: number;
  /** ms since the epoch, exclusive */
  end: number;
}

const MAX_MONTH_OFFSET = 27;

/** The quota period that contains `now`. */
export function quotaPeriod(quota: Pick<QuotaSettings, 'period' | 'offset'>, now: number): Period {
  const day = Math.floor(now / DAY_MS);
  switch (quota.period) {
    case 'DAY':
      return { start: day * DAY_MS, end: (day + 1) * DAY_MS };
    case 'WEEK': {
      // 1970-01-01, day 0, was a Thursday (weekday 4).
      const weekday = (day + 4) % 7;
      const first = day - ((weekday - (quota.offset % 7) + 7) % 7);
      return { start: first * DAY_MS, end: (first + 7) * DAY_MS };
    }
    case 'MONTH': {
      const offset = Math.min(quota.offset, MAX_MONTH_OFFSET);
      const date = new Date(now);
      let year = date.getUTCFullYear();
      let month = date.getUTCMonth();
      if (date.getUTCDate() < offset + 1) month -= 1;
      if (month < 0) {
        month = 11;
        year -= 1;
      }
      return { start: Date.UTC(year, month, offset + 1), end: Date.UTC(year, month + 1, offset + 1) };
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
