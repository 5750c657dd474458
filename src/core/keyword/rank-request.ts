import type { Freshness } from '../freshness.js';
import type { DateHistogram, HistogramInterval } from '../trends/date-histogram.js';
import type { MultiField } from './keyword-index.js';
import type { ResolvedQuery } from './resolve.js';

/** Filters over interned values (an empty list matches nothing) and dates in ms, both bounds inclusive. */
export interface RankFilter {
  readonly category?: readonly number[];
  readonly source?: readonly number[];
  readonly tags?: readonly number[];
  readonly people?: readonly number[];
  readonly orgs?: readonly number[];
  readonly places?: readonly number[];
  readonly from?: number;
  readonly to?: number;
}

export type FacetName = 'category' | 'source' | MultiField;

/** An entity the query names: documents about it rank first within their words-and-typos bucket. */
export interface RankAbout {
  readonly field: MultiField;
  readonly id: number;
}

/** One ranked search over the keyword index. */
export interface RankRequest {
  readonly query: ResolvedQuery;
  readonly match: 'last' | 'all';
  readonly sort: 'relevance' | 'newest' | 'oldest';
  readonly filter: RankFilter;
  readonly offset: number;
  readonly limit: number;
  readonly facets: readonly FacetName[];
  readonly about?: readonly RankAbout[];
  /**
   * Recency (relevance sort only): the BM25 of each match is multiplied by its decay (core/freshness.ts), so an
   * older article yields to a newer one that matches as well on every rule before BM25 (words, typos, `about`,
   * proximity, attribute). Those rules keep their order: an exact match is never put behind a typo for being newer.
   */
  readonly freshness?: Freshness;
  /** Count the matches per period of publication. */
  readonly histogram?: HistogramInterval;
  /**
   * One hit per copy group (KeywordIndex.group), as Meilisearch's `distinct`: of each group, the member ranked
   * first stays; the total, facets and histogram count one match per group.
   */
  readonly collapse?: boolean;
}

/** The page (document numbers, best first), the exact number of matches, and facet counts (value id → count). */
export interface RankResult {
  readonly docs: number[];
  readonly total: number;
  readonly facets: Partial<Record<FacetName, Map<number, number>>>;
  readonly histogram?: DateHistogram;
}
