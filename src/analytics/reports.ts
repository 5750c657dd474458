import type Database from 'better-sqlite3';

/** A day range, both ends included, as UTC days `YYYY-MM-DD`; and how many rows each ranked list holds at most. */
export interface ReportRange {
  readonly from: string;
  readonly to: string;
  readonly limit: number;
}

/** A query and how many times it was searched (or, in `noClick`, searched with results). */
export interface QueryCount {
  readonly query: string;
  readonly count: number;
}

/** `GET /api/analytics/queries`. */
export interface QueryReport {
  readonly from: string;
  readonly to: string;
  /** The most searched queries (first pages only; the empty query, filters alone, is left out), most first, ties by query. */
  readonly top: QueryCount[];
  /** Queries that found nothing, most searched first: what readers look for that the site has not covered. */
  readonly zeroResults: QueryCount[];
  /** Queries with results of which no result was clicked in the range; count = searches with results. */
  readonly noClick: QueryCount[];
  /** Every day of the range: first-page searches (the empty query included), those that found nothing, result clicks. */
  readonly daily: { readonly day: string; readonly searches: number; readonly zeroResults: number; readonly clicks: number }[];
}

/** Impressions and clicks of links, and click-through = clicks / impressions (0 without impressions), 4 decimals. */
export interface LinkStats {
  readonly impressions: number;
  readonly clicks: number;
  readonly clickThrough: number;
}

/** `GET /api/analytics/related`: the related-articles widget's links. */
export interface RelatedReport {
  readonly from: string;
  readonly to: string;
  readonly totals: LinkStats;
  /** Per 1-based position in the list, every position that was shown or clicked, in order. */
  readonly byPosition: (LinkStats & { readonly position: number })[];
  /** Per article linked, most shown first (ties: most clicked, then id). */
  readonly byArticle: (LinkStats & { readonly articleId: string })[];
  readonly daily: (Omit<LinkStats, 'clickThrough'> & { readonly day: string })[];
}

const clickThrough = (impressions: number, clicks: number): number =>
  impressions > 0 ? Math.round((clicks / impressions) * 10_000) / 10_000 : 0;

const stats = <T extends { impressions: number; clicks: number }>(row: T): T & LinkStats => ({
  ...row,
  clickThrough: clickThrough(row.impressions, row.clicks),
});

/** Every UTC day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

/** Fills the days of the range that have no row with `empty`, keeping the range's order. */
function everyDay<R extends { day: string }>(range: ReportRange, rows: readonly R[], empty: (day: string) => R): R[] {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return daysBetween(range.from, range.to).map((day) => byDay.get(day) ?? empty(day));
}

/**
 * The query report, read from the daily counts (analytics-db.ts). Its cost grows with the days of the range times
 * the distinct queries of those days, not with the number of searches. No file yet (`db` undefined): all empty.
 */
export function queryReport(db: Database.Database | undefined, range: ReportRange): QueryReport {
  const empty = (day: string) => ({ day, searches: 0, zeroResults: 0, clicks: 0 });
  if (db === undefined) return { from: range.from, to: range.to, top: [], zeroResults: [], noClick: [], daily: everyDay(range, [], empty) };
  const ranked = (sum: string, having = `${sum} > 0`) =>
    db
      .prepare(
        `SELECT query, ${sum} AS count FROM query_days WHERE day BETWEEN ? AND ? AND query <> ''
         GROUP BY query HAVING ${having} ORDER BY count DESC, query LIMIT ?`,
      )
      .all(range.from, range.to, range.limit) as QueryCount[];
  const daily = db
    .prepare(
      `SELECT day, SUM(searches) AS searches, SUM(zero_results) AS zeroResults, SUM(clicks) AS clicks
       FROM query_days WHERE day BETWEEN ? AND ? GROUP BY day`,
    )
    .all(range.from, range.to) as QueryReport['daily'];
  return {
    from: range.from,
    to: range.to,
    top: ranked('SUM(searches)'),
    zeroResults: ranked('SUM(zero_results)'),
    noClick: ranked('SUM(searches - zero_results)', 'SUM(searches - zero_results) > 0 AND SUM(clicks) = 0'),
    daily: everyDay(range, daily, empty),
  };
}

/** The widget's report, read from the daily link counts, like {@link queryReport}. */
export function relatedReport(db: Database.Database | undefined, range: ReportRange): RelatedReport {
  const emptyDay = (day: string) => ({ day, impressions: 0, clicks: 0 });
  if (db === undefined) {
    return { from: range.from, to: range.to, totals: stats({ impressions: 0, clicks: 0 }), byPosition: [], byArticle: [], daily: everyDay(range, [], emptyDay) };
  }
  const where = `FROM link_days WHERE source = 'widget' AND day BETWEEN ? AND ?`;
  const sums = 'SUM(impressions) AS impressions, SUM(clicks) AS clicks';
  const totals = db.prepare(`SELECT COALESCE(SUM(impressions), 0) AS impressions, COALESCE(SUM(clicks), 0) AS clicks ${where}`).get(range.from, range.to) as {
    impressions: number;
    clicks: number;
  };
  const byPosition = db
    .prepare(`SELECT position, ${sums} ${where} AND position > 0 GROUP BY position ORDER BY position LIMIT ?`)
    .all(range.from, range.to, range.limit) as { position: number; impressions: number; clicks: number }[];
  const byArticle = db
    .prepare(`SELECT article_id AS articleId, ${sums} ${where} GROUP BY article_id ORDER BY impressions DESC, clicks DESC, article_id LIMIT ?`)
    .all(range.from, range.to, range.limit) as { articleId: string; impressions: number; clicks: number }[];
  const daily = db.prepare(`SELECT day, ${sums} ${where} GROUP BY day`).all(range.from, range.to) as RelatedReport['daily'];
  return {
    from: range.from,
    to: range.to,
    totals: stats(totals),
    byPosition: byPosition.map(stats),
    byArticle: byArticle.map(stats),
    daily: everyDay(range, daily, emptyDay),
  };
}
