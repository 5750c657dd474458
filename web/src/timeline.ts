/** Monthly counts made whole: pure, so that it is unit-tested under Node. */

/** Articles in one month, `month` as YYYY-MM. */
export interface MonthCount {
  readonly month: string;
  readonly articles: number;
}

const MONTH = /^(\d{4})-(\d{2})$/;

function nextMonth(month: string): string {
  const [, y, m] = MONTH.exec(month) ?? [];
  const year = Number(y);
  const index = Number(m); // 1..12; the next month is index + 1
  return index === 12 ? `${year + 1}-01` : `${year}-${String(index + 1).padStart(2, '0')}`;
}

/** Most months drawn; a longer history keeps its latest months. */
export const MAX_MONTHS = 120;

/**
 * Every month from the first to the last counted one, in order, with 0 for months without articles (a chart
 * that skipped them would squeeze time). Malformed months are dropped; counts of a repeated month add up.
 */
export function fillMonths(timeline: readonly MonthCount[]): MonthCount[] {
  const counts = new Map<string, number>();
  for (const { month, articles } of timeline) {
    if (MONTH.test(month) && Number.isFinite(articles)) counts.set(month, (counts.get(month) ?? 0) + articles);
  }
  const months = [...counts.keys()].sort();
  const first = months[0];
  const last = months[months.length - 1];
  if (first === undefined || last === undefined) return [];
  const filled: MonthCount[] = [];
  for (let month = first; month <= last; month = nextMonth(month)) {
    filled.push({ month, articles: counts.get(month) ?? 0 });
  }
  return filled.slice(-MAX_MONTHS);
}
