import { ValidationError } from '../errors.js';

/** Width of a histogram bucket: a UTC day, an ISO 8601 week (Monday to Sunday, UTC) or a UTC calendar month. */
export type HistogramInterval = 'day' | 'week' | 'month';

export const HISTOGRAM_INTERVALS = ['day', 'week', 'month'] as const satisfies readonly HistogramInterval[];

/**
 * Most buckets one histogram may have (non-empty ones; empty buckets are not listed). A day histogram of matches
 * published on more than this many different days (27 years of daily news) exceeds it and is refused (a 400 naming
 * `histogram`): ask a wider interval or a date range. Meilisearch's `faceting.maxValuesPerFacet` is set to this number so that its counts are never cut.
 */
export const MAX_HISTOGRAM_BUCKETS = 10_000;

/** One bucket: its first day (`YYYY-MM-DD`, UTC) and how many matches were published in it. */
export interface HistogramBucket {
  readonly start: string;
  readonly count: number;
}

/**
 * Matches per period: `buckets` (non-empty only, oldest first) plus `undated`, the matches without a publication
 * date, so that the counts of the buckets and `undated` add up to the search's `totalHits`.
 */
export interface DateHistogram {
  readonly interval: HistogramInterval;
  readonly buckets: readonly HistogramBucket[];
  readonly undated: number;
}

const DAY_MS = 86_400_000;

/**
 * The start (ms since the epoch, UTC midnight) of the bucket holding `ms`: the day; the Monday of its ISO week;
 * the first day of its month.
 */
export function bucketStart(ms: number, interval: HistogramInterval): number {
  const day = Math.floor(ms / DAY_MS) * DAY_MS;
  if (interval === 'day') return day;
  if (interval === 'week') {
    const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
    return day - weekday * DAY_MS;
  }
  const d = new Date(day);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** A bucket start as `YYYY-MM-DD` (years 0–9999). */
export function bucketLabel(startMs: number): string {
  return new Date(startMs).toISOString().slice(0, 10);
}

/**
 * Counts dates (ms since the epoch; NaN or undefined: undated) into buckets of `interval`. Throws RangeError when
 * there would be more than {@link MAX_HISTOGRAM_BUCKETS} buckets ({@link TooManyBucketsError}, a 400).
 */
export class HistogramCounter {
  /** Matches per UTC day (days since the epoch): integer arithmetic per match; weeks and months are folded at the end. */
  private readonly days = new Map<number, number>();
  private undated = 0;

  constructor(private readonly interval: HistogramInterval) {}

  add(ms: number | undefined): void {
    if (ms === undefined || Number.isNaN(ms)) {
      this.undated++;
      return;
    }
    const day = Math.floor(ms / DAY_MS);
    this.days.set(day, (this.days.get(day) ?? 0) + 1);
  }

  result(): DateHistogram {
    const counts = new Map<number, number>();
    for (const [day, n] of this.days) {
      const start = bucketStart(day * DAY_MS, this.interval);
      counts.set(start, (counts.get(start) ?? 0) + n);
    }
    return histogramOf(this.interval, [...counts].map(([start, count]) => ({ start: bucketLabel(start), count })), this.undated);
  }
}

/** A histogram from bucket counts in any order: sorted oldest first, checked against {@link MAX_HISTOGRAM_BUCKETS}. */
export function histogramOf(interval: HistogramInterval, buckets: readonly HistogramBucket[], undated: number): DateHistogram {
  if (buckets.length > MAX_HISTOGRAM_BUCKETS) throw new TooManyBucketsError(interval, buckets.length);
  const sorted = [...buckets].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  return { interval, buckets: sorted, undated };
}

/** More buckets than {@link MAX_HISTOGRAM_BUCKETS}: a 400 invalid_request naming the `histogram` parameter. */
export class TooManyBucketsError extends ValidationError {
  constructor(interval: HistogramInterval, buckets: number) {
    const message = `the matches span ${buckets} ${interval}s, more than ${MAX_HISTOGRAM_BUCKETS}: ask a wider histogram interval or a date range`;
    super(message, [{ path: 'histogram', message }]);
  }
}
