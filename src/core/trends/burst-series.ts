import type { BurstBatch } from './bursts.js';

/** ms in a day. */
const DAY_MS = 86_400_000;
/** Longest span (days) counted per day; a longer one is counted per week (at most one batch a week of the span). */
export const MAX_DAILY_SPAN = 1_096;

/** Batch size of a series: a UTC day, or an ISO week (Monday to Sunday, UTC). */
export type BurstUnit = 'day' | 'week';

/** Day number (days since 1970-01-01, UTC) of a time in ms. */
export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS);
/** ISO date (`YYYY-MM-DD`) of a day number. */
export const isoDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** Day number of an ISO date (`YYYY-MM-DD`). */
export const dayNumber = (iso: string): number => dayOf(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`));
/** The Monday starting the ISO week of a day number (day 0, 1970-01-01, was a Thursday). */
const mondayOf = (day: number): number => day - ((((day + 3) % 7) + 7) % 7);

/** The batch size for an entity seen from day `first` to day `last`: days, unless the span passes {@link MAX_DAILY_SPAN}. */
export function burstUnit(first: number, last: number): BurstUnit {
  return last - first + 1 <= MAX_DAILY_SPAN ? 'day' : 'week';
}

/** What a series is built from: per-day counts, each list in any order, day numbers as {@link dayOf} gives them. */
export interface DailyCounts {
  /** Articles naming the entity, per day. */
  readonly mentions: readonly (readonly [day: number, articles: number])[];
  /** Articles of the corpus, per day (days with none may be left out). */
  readonly totals: readonly (readonly [day: number, articles: number])[];
  readonly unit: BurstUnit;
}

/**
 * The batches {@link detectBursts} reads, in time order: the days (or weeks) from the entity's first mention to
 * its last, each with its mentions and the corpus's articles; batches where the corpus has no article are left out
 * (a gap in the collection is no evidence either way). At most one batch per day (week) of the span.
 */
export function burstSeries(counts: DailyCounts): BurstBatch[] {
  const key = counts.unit === 'day' ? (day: number) => day : mondayOf;
  const batches = new Map<number, { count: number; total: number }>();
  const add = (day: number, field: 'count' | 'total', n: number) => {
    const k = key(day);
    let batch = batches.get(k);
    if (!batch) batches.set(k, (batch = { count: 0, total: 0 }));
    batch[field] += n;
  };
  for (const [day, n] of counts.mentions) add(day, 'count', n);
  if (batches.size === 0) return [];
  const keys = [...batches.keys()];
  const first = Math.min(...keys);
  const last = Math.max(...keys);
  for (const [day, n] of counts.totals) if (key(day) >= first && key(day) <= last) add(day, 'total', n);
  const length = counts.unit === 'day' ? 1 : 7;
  return [...batches.entries()]
    .filter(([, b]) => b.total > 0 || b.count > 0)
    .sort(([a], [b]) => a - b)
    .map(([k, b]) => ({ start: isoDay(k), end: isoDay(k + length - 1), count: b.count, total: Math.max(b.total, b.count) }));
}
