import type { KnownItemQuery, QueryKind } from './corpus.js';
import { kindOf } from './corpus.js';
import type { Searcher } from './peers.js';

/** Mean reciprocal rank (a miss beyond the top 10 counts 0) and success@10 of one kind of query. */
export interface KindScore {
  readonly n: number;
  readonly mrr: number;
  readonly successAt10: number;
}

/** Scores a searcher on known-item queries, per kind (clean, one typo, two words with one misspelled). */
export function scoreKnownItems(search: Searcher, queries: readonly KnownItemQuery[]): Record<QueryKind, KindScore> {
  const acc: Record<QueryKind, { n: number; rr: number; hits: number }> = {
    clean: { n: 0, rr: 0, hits: 0 },
    typo: { n: 0, rr: 0, hits: 0 },
    short: { n: 0, rr: 0, hits: 0 },
  };
  for (const query of queries) {
    const rank = search(query.q).slice(0, 10).indexOf(query.target);
    const a = acc[kindOf(query)];
    a.n++;
    if (rank >= 0) {
      a.rr += 1 / (rank + 1);
      a.hits++;
    }
  }
  const score = (a: { n: number; rr: number; hits: number }): KindScore => ({
    n: a.n,
    mrr: a.n === 0 ? 0 : a.rr / a.n,
    successAt10: a.n === 0 ? 0 : a.hits / a.n,
  });
  return { clean: score(acc.clean), typo: score(acc.typo), short: score(acc.short) };
}

/** The best peer's MRR per corpus and kind, from ../shared/peers/README.md (MiniSearch or raw FTS5). */
export const PEER_MRR: Record<'bbc' | 'reuters', Record<QueryKind, number>> = {
  bbc: { clean: 0.963, typo: 0.951, short: 0.892 },
  reuters: { clean: 0.905, typo: 0.893, short: 0.74 },
};
