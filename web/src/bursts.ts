/** Bursts on a monthly chart and in words: pure, so that it is unit-tested under Node. */
import { formatDay } from './dates.js';

/** A period of days, `YYYY-MM-DD`, the end inclusive. */
export interface DayPeriod {
  readonly start: string;
  readonly end: string;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days in the month of a `YYYY-MM-DD` day. */
const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Slot position of a day on a chart of `months` (YYYY-MM, consecutive): its month's index plus the share of the month before it. */
function position(months: readonly string[], day: string, endOfDay: boolean): number | undefined {
  const m = DAY.exec(day);
  if (!m) return undefined;
  const [year, month, date] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const key = `${m[1]}-${m[2]}`;
  const first = months[0];
  const last = months[months.length - 1];
  if (first === undefined || last === undefined) return undefined;
  if (key < first) return 0;
  if (key > last) return months.length;
  const index = months.indexOf(key);
  if (index < 0) return undefined;
  return index + (date - (endOfDay ? 0 : 1)) / daysInMonth(year, month);
}

/**
 * Where a period falls on a chart of consecutive `months`, in slots (0: the start of the first month,
 * `months.length`: the end of the last), clipped to the chart; undefined when it lies wholly outside it or a day is
 * malformed.
 */
export function monthSpan(months: readonly string[], period: DayPeriod): { from: number; to: number } | undefined {
  const from = position(months, period.start, false);
  const to = position(months, period.end, true);
  if (from === undefined || to === undefined || to <= from) return undefined;
  return { from, to };
}

/** `16 Feb 1987`, or `16 Feb 1987 – 18 Feb 1987`. */
export function periodLabel(period: DayPeriod): string {
  return period.start === period.end ? formatDay(period.start) : `${formatDay(period.start)} – ${formatDay(period.end)}`;
}

/** `18 articles where its usual rate expects 3.2` (the baseline to one decimal, at least 0.1 when not 0). */
export function burstSummary(burst: { readonly count: number; readonly baseline: number }): string {
  const expected = burst.baseline === 0 ? '0' : burst.baseline < 0.1 ? 'under 0.1' : burst.baseline.toFixed(1);
  return `${burst.count} ${burst.count === 1 ? 'article' : 'articles'} where its usual rate expects ${expected}`;
}
