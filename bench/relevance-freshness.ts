import type { SqliteEngine } from '../src/engines/sqlite/sqlite-engine.js';
import type { Freshness } from '../src/core/freshness.js';
import type { KnownItemQuery } from './corpus.js';
import { quantile, shortTitleQueries } from './corpus.js';
import { scoreKnownItems } from './known-item.js';

/** Half-lives tried, in days; undefined is freshness off. */
export const HALF_LIVES = [undefined, 365, 90, 30, 14, 7] as const;
/** Largest known-item MRR loss (any kind of query, either corpus) a default half-life may cost. */
export const MAX_MRR_LOSS = 0.01;

const DAY_MS = 86_400_000;

interface Doc {
  readonly id: string;
  readonly title: string;
  readonly publishedAt?: string;
}

/** One half-life's row: known-item MRR by kind, and how recent a search box's top 10 is. */
export interface FreshnessRow {
  readonly halfLifeDays: number | undefined;
  readonly mrr: { readonly clean: number; readonly typo: number; readonly short: number };
  /** Median over short queries of the median age (days before `now`) of their top 10. */
  readonly medianAgeDays: number;
}

/**
 * Known-item MRR (the cost: a known-item target is as likely old as new) and the age of the top 10 of 500 short
 * title queries (what recency is for) with each half-life of {@link HALF_LIVES}. `now` is a day after the corpus's
 * newest article, as on a live site; the order does not depend on it (the decay is exponential) except through
 * underflow far in the past.
 */
export function freshnessRows(engine: SqliteEngine, docs: readonly Doc[], queries: readonly KnownItemQuery[]): FreshnessRow[] {
  const dates = new Map(docs.map((d) => [d.id, d.publishedAt === undefined ? Number.NaN : Date.parse(d.publishedAt)]));
  const now = Math.max(...[...dates.values()].filter((t) => !Number.isNaN(t))) + DAY_MS;
  const short = shortTitleQueries(docs.map((d) => d.title), 500, 31);
  return HALF_LIVES.map((halfLifeDays) => {
    const freshness: Freshness | undefined = halfLifeDays === undefined ? undefined : { halfLifeDays, now };
    const top10 = (q: string) =>
      engine
        .searchSync({ q, page: 1, perPage: 10, sort: 'relevance', match: 'last', filters: {}, facets: [], ...(freshness ? { freshness } : {}) })
        .hits.map((h) => h.article.id);
    const scored = scoreKnownItems(top10, queries);
    const ages = short.flatMap((q) => {
      const days = top10(q).map((id) => (now - dates.get(id)!) / DAY_MS).filter((d) => !Number.isNaN(d));
      return days.length === 0 ? [] : [quantile(days, 0.5)];
    });
    return {
      halfLifeDays,
      mrr: { clean: scored.clean.mrr, typo: scored.typo.mrr, short: scored.short.mrr },
      medianAgeDays: quantile(ages, 0.5),
    };
  });
}

/** The shortest half-life whose MRR, every kind, stays within {@link MAX_MRR_LOSS} of freshness off; undefined: none. */
export function chooseHalfLife(rows: readonly FreshnessRow[]): number | undefined {
  const off = rows.find((r) => r.halfLifeDays === undefined)!;
  const within = rows.filter((r) => r.halfLifeDays !== undefined
    && (['clean', 'typo', 'short'] as const).every((k) => off.mrr[k] - r.mrr[k] <= MAX_MRR_LOSS));
  return within.length === 0 ? undefined : Math.min(...within.map((r) => r.halfLifeDays!));
}

/** The rows as a table. */
export function printFreshness(corpus: string, rows: readonly FreshnessRow[]): void {
  const f = (x: number) => x.toFixed(3).padStart(7);
  for (const r of rows) {
    const h = r.halfLifeDays === undefined ? 'off' : `${r.halfLifeDays} d`;
    console.log(`${corpus.padEnd(8)} ${h.padStart(6)}  ${f(r.mrr.clean)} ${f(r.mrr.typo)} ${f(r.mrr.short)}   ${r.medianAgeDays.toFixed(1).padStart(8)}`);
  }
}
