import fc from 'fast-check';
import { ValidationError } from '../../../src/core/errors.js';
import { bucketLabel, bucketStart, HistogramCounter, histogramOf, MAX_HISTOGRAM_BUCKETS } from '../../../src/core/trends/date-histogram.js';

const at = (iso: string) => Date.parse(iso);
const label = (iso: string, interval: 'day' | 'week' | 'month') => bucketLabel(bucketStart(at(iso), interval));

describe('date histogram buckets (UTC)', () => {
  it('when a date is bucketed by day, then its bucket is its UTC day', () => {
    expect(label('2026-03-14T23:59:59.999Z', 'day')).toBe('2026-03-14');
    expect(label('2026-03-15T00:00:00.000Z', 'day')).toBe('2026-03-15');
  });

  it('when a date is bucketed by week, then its bucket starts on the Monday of its ISO week', () => {
    expect(label('2026-03-16T10:00:00Z', 'week')).toBe('2026-03-16'); // a Monday
    expect(label('2026-03-22T23:00:00Z', 'week')).toBe('2026-03-16'); // the Sunday after it
    expect(label('2026-03-15T12:00:00Z', 'week')).toBe('2026-03-09'); // the Sunday before it
    expect(label('2027-01-01T00:00:00Z', 'week')).toBe('2026-12-28'); // a week across the new year
  });

  it('when a date is bucketed by month, then its bucket is the month\'s first day', () => {
    expect(label('1987-02-26T15:01:01.790Z', 'month')).toBe('1987-02-01');
    expect(label('1969-12-31T23:59:59.999Z', 'month')).toBe('1969-12-01'); // before the epoch
  });

  it('when any date is bucketed, then the bucket holds it and starts at most one period earlier', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2e12, max: 4e12 }), fc.constantFrom('day', 'week', 'month' as const), (ms, interval) => {
        const start = bucketStart(ms, interval);
        const span = { day: 1, week: 7, month: 31 }[interval] * 86_400_000;
        return start <= ms && ms - start < span && new Date(start).getUTCHours() === 0;
      }),
    );
  });

  it('when dates are counted, then undated ones are counted apart and every date is counted once', () => {
    const counter = new HistogramCounter('month');
    for (const ms of [at('2026-01-31T23:00:00Z'), at('2026-01-01T00:00:00Z'), at('2026-02-01T00:00:00Z'), Number.NaN, undefined]) counter.add(ms);
    expect(counter.result()).toEqual({
      interval: 'month',
      buckets: [{ start: '2026-01-01', count: 2 }, { start: '2026-02-01', count: 1 }],
      undated: 2,
    });
  });

  it('when there are more buckets than allowed, then a validation error names the histogram parameter', () => {
    const buckets = Array.from({ length: MAX_HISTOGRAM_BUCKETS + 1 }, (_, i) => ({ start: bucketLabel(i * 86_400_000), count: 1 }));
    expect(() => histogramOf('day', buckets, 0)).toThrow(ValidationError);
    expect(() => histogramOf('day', buckets, 0)).toThrow(/wider histogram interval/);
    expect(histogramOf('day', buckets.slice(1), 0).buckets).toHaveLength(MAX_HISTOGRAM_BUCKETS);
  });
});
