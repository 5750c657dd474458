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

/** The busiest months: their count and the months (in order) that reach it; none when no month has an article. */
export function peakMonths(months: readonly MonthCount[]): { articles: number; months: string[] } {
  const articles = Math.max(0, ...months.map((m) => m.articles));
  return { articles, months: articles === 0 ? [] : months.filter((m) => m.articles === articles).map((m) => m.month) };
}

/** Most months named in a summary's tie before it only counts them. */
const MAX_NAMED_TIES = 3;

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

/**
 * One sentence on a filled timeline, honest about ties: `12 articles from Feb 2026 to Oct 2026; most in Jun 2026
 * (4).`, `…; most in Apr 2026 and Jun 2026 (4 each).`, or, when more than three months tie, `…; at most 2 a month,
 * in 4 months.` `label` names a month (`2026-06` → `Jun 2026`).
 */
export function timelineSummary(months: readonly MonthCount[], label: (month: string) => string): string {
  const first = months[0];
  const last = months[months.length - 1];
  const total = months.reduce((sum, m) => sum + m.articles, 0);
  if (!first || !last || total === 0) return 'No dated articles.';
  const what = `${total} ${total === 1 ? 'article' : 'articles'}`;
  if (first === last) return `${what} in ${label(first.month)}.`;
  const peak = peakMonths(months);
  const most = peak.months.length === 1
    ? `most in ${label(peak.months[0] ?? '')} (${peak.articles})`
    : peak.months.length <= MAX_NAMED_TIES
      ? `most in ${listed(peak.months.map(label))} (${peak.articles} each)`
      : `at most ${peak.articles} a month, in ${peak.months.length} months`;
  return `${what} from ${label(first.month)} to ${label(last.month)}; ${most}.`;
}
