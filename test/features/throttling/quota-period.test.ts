import { describe, expect, it } from 'vitest';
import { dayOfDate, quotaPeriod } from '../../../src/features/throttling/index.js';

const iso = (ms: number) => new Date(ms).toISOString();
const period = (p: 'DAY' | 'WEEK' | 'MONTH', at: string) => {
  const { start, end } = quotaPeriod(p, Date.parse(at));
  return [iso(start), iso(end)];
};

describe('quota periods (UTC)', () => {
  it('DAY runs from midnight to midnight UTC', () => {
    expect(period('DAY', '2026-03-10T00:00:00.000Z')).toEqual([
      '2026-03-10T00:00:00.000Z',
      '2026-03-11T00:00:00.000Z',
    ]);
    expect(period('DAY', '2026-03-10T23:59:59.999Z')).toEqual([
      '2026-03-10T00:00:00.000Z',
      '2026-03-11T00:00:00.000Z',
    ]);
  });

  it('WEEK runs from Sunday 00:00 UTC', () => {
    // 2026-03-08 is a Sunday.
    for (const at of ['2026-03-08T00:00:00Z', '2026-03-10T12:00:00Z', '2026-03-14T23:59:59.999Z']) {
      expect(period('WEEK', at)).toEqual(['2026-03-08T00:00:00.000Z', '2026-03-15T00:00:00.000Z']);
    }
    expect(period('WEEK', '2026-03-07T23:59:59.999Z')).toEqual([
      '2026-03-01T00:00:00.000Z',
      '2026-03-08T00:00:00.000Z',
    ]);
    // Across a year end: 2026-12-27 is a Sunday.
    expect(period('WEEK', '2027-01-01T12:00:00Z')).toEqual([
      '2026-12-27T00:00:00.000Z',
      '2027-01-03T00:00:00.000Z',
    ]);
  });

  it('MONTH runs from the 1st 00:00 UTC, across year ends and short months', () => {
    expect(period('MONTH', '2026-02-28T23:59:59Z')).toEqual([
      '2026-02-01T00:00:00.000Z',
      '2026-03-01T00:00:00.000Z',
    ]);
    expect(period('MONTH', '2028-02-29T12:00:00Z')).toEqual([
      '2028-02-01T00:00:00.000Z',
      '2028-03-01T00:00:00.000Z',
    ]);
    expect(period('MONTH', '2026-12-31T12:00:00Z')).toEqual([
      '2026-12-01T00:00:00.000Z',
      '2027-01-01T00:00:00.000Z',
    ]);
  });

  it('dayOfDate reads yyyy-MM-dd and nothing else', () => {
    expect(dayOfDate('1970-01-02')).toBe(1);
    expect(dayOfDate('2026-03-10')).toBe(Date.UTC(2026, 2, 10) / 86_400_000);
    for (const bad of ['2026-02-30', '2026-3-10', '20260310', '2026-03-10T00:00:00Z', '']) {
      expect(dayOfDate(bad)).toBeUndefined();
    }
  });
});
