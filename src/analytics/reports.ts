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
 * the distinct queries of those days, not with the number of searches: the three ranked lists come from one grouping
 * of those rows (a materialised CTE), not one each (366 days at 3,000 searches a day: ~0.5 s instead of ~1.5 s).
 * No file yet (`db` undefined): all empty.
 */
export function queryReport(db: Database.Database | undefined, range: ReportRange): QueryReport {
  const empty = (day: string) => ({ day, searches: 0, zeroResults: 0, clicks: 0 });
  if (db === undefined) return { from: range.from, to: range.to, top: [], zeroResults: [], noClick: [], daily: everyDay(range, [], empty) };
  const lists = db
    .prepare(
      `WITH g AS MATERIALIZED (
         SELECT query, SUM(searches) AS s, SUM(zero_results) AS z, SUM(clicks) AS c
         FROM query_days WHERE day BETWEEN @from AND @to AND query <> '' GROUP BY query)
       SELECT * FROM (SELECT 0 AS list, query, s AS count FROM g WHERE s > 0 ORDER BY count DESC, query LIMIT @limit)
       UNION ALL SELECT * FROM (SELECT 1, query, z FROM g WHERE z > 0 ORDER BY z DESC, query LIMIT @limit)
       UNION ALL SELECT * FROM (SELECT 2, query, s - z FROM g WHERE s - z > 0 AND c = 0 ORDER BY s - z DESC, query LIMIT @limit)
       ORDER BY list, count DESC, query`,
    )
    .all(range) as (QueryCount & { list: 0 | 1 | 2 })[];
  const ranked = (list: 0 | 1 | 2): QueryCount[] => lists.filter((r) => r.list === list).map(({ query, count }) => ({ query, count }));
  const daily = db
    .prepare(
      `SELECT day, SUM(searches) AS searches, SUM(zero_results) AS zeroResults, SUM(clicks) AS clicks
       FROM query_days WHERE day BETWEEN ? AND ? GROUP BY day`,
    )
    .all(range.from, range.to) as QueryReport['daily'];
  return {
    from: range.from,
    to: range.to,
    top: ranked(0),
    zeroResults: ranked(1),
    noClick: ranked(2),
    daily: everyDay(range, daily, empty),
  };
}

/** The widget's report, read from the daily link counts, like {@link queryReport}; its totals are the days' sums. */
export function relatedReport(db: Database.Database | undefined, range: ReportRange): RelatedReport {
  const emptyDay = (day: string) => ({ day, impressions: 0, clicks: 0 });
  if (db === undefined) {
    return { from: range.from, to: range.to, totals: stats({ impressions: 0, clicks: 0 }), byPosition: [], byArticle: [], daily: everyDay(range, [], emptyDay) };
  }
  const where = `FROM link_days WHERE source = 'widget' AND day BETWEEN ? AND ?`;
  const sums = 'SUM(impressions) AS impressions, SUM(clicks) AS clicks';
  const byPosition = db
    .prepare(`SELECT position, ${sums} ${where} AND position > 0 GROUP BY position ORDER BY position LIMIT ?`)
    .all(range.from, range.to, range.limit) as { position: number; impressions: number; clicks: number }[];
  const byArticle = db
    .prepare(`SELECT article_id AS articleId, ${sums} ${where} GROUP BY article_id ORDER BY impressions DESC, clicks DESC, article_id LIMIT ?`)
    .all(range.from, range.to, range.limit) as { articleId: string; impressions: number; clicks: number }[];
  const daily = db.prepare(`SELECT day, ${sums} ${where} GROUP BY day`).all(range.from, range.to) as RelatedReport['daily'];
  // the totals are the days' sums: one pass fewer over the range's rows
  const totals = daily.reduce((sum, d) => ({ impressions: sum.impressions + d.impressions, clicks: sum.clicks + d.clicks }), { impressions: 0, clicks: 0 });
  return {
    from: range.from,
    to: range.to,
    totals: stats(totals),
    byPosition: byPosition.map(stats),
    byArticle: byArticle.map(stats),
    daily: everyDay(range, daily, emptyDay),
  };
}
