import type { Article } from '../core/article.js';
import type { Freshness } from '../core/freshness.js';
import type { DateHistogram, HistogramInterval } from '../core/trends/date-histogram.js';

/** Fields a search can count values of. */
export const FACET_FIELDS = ['category', 'source', 'tags', 'people', 'orgs', 'places'] as const;
export type FacetField = (typeof FACET_FIELDS)[number];

/** Result order: by relevance (ties: newest first), or by publication date. */
export type SortOrder = 'relevance' | 'newest' | 'oldest';

/**
 * Which words a result must hold: `all` of them, or (`last`, the default) all of them first, then — when those are
 * fewer than the page asks for — results holding fewer, dropping words from the end of the query.
 */
export type MatchStrategy = 'last' | 'all';

/** Structured filters: values OR-ed within a field, fields AND-ed; dates are ISO 8601, both bounds inclusive. */
export interface SearchFilters {
  readonly category?: readonly string[];
  readonly source?: readonly string[];
  readonly tags?: readonly string[];
  /** Canonical entity names (see core/entities): articles mentioning any of the people, AND any of the orgs… */
  readonly people?: readonly string[];
  readonly orgs?: readonly string[];
  readonly places?: readonly string[];
  readonly from?: string;
  readonly to?: string;
}

/** A keyword search, as the service asks it of an engine. `page` starts at 1. */
export interface SearchRequest {
  readonly q: string;
  readonly page: number;
  readonly perPage: number;
  readonly sort: SortOrder;
  readonly match: MatchStrategy;
  readonly filters: SearchFilters;
  readonly facets: readonly FacetField[];
  /** Count every match per day, week or month of publication (see {@link SearchResult.histogram}); none when absent. */
  readonly histogram?: HistogramInterval;
  /**
   * Entities the query names (found by the service in the entity statistics): articles about them rank first. The
   * embedded engine ranks them among those matching the same words with the same typos, the most salient first;
   * Meilisearch puts the matches about them (salience ≥ ABOUT_SALIENCE, core/entities/about.ts) before the others.
   */
  readonly about?: readonly EntityRef[];
  /**
   * Instead of `about`: the engine finds the entities the query names itself (only asked of an engine whose
   * {@link SearchEngine.findsNamedEntities} is true).
   */
  readonly aboutNamed?: boolean;
  /**
   * Recency for the relevance sort of a query with words: newer articles first among those that match equally well.
   * The embedded engine decays BM25, its last rule before the date (core/keyword/rank.ts); Meilisearch, which has no
   * decay function, has the first {@link FRESHNESS_WINDOW} matches of its own order re-ordered by ranking score
   * times decay (engines/meilisearch/fresh-first.ts). No effect on date sorts or on a query without words.
   */
  readonly freshness?: Freshness;
  /**
   * One hit per copy group (Article.copyGroup: syndicated copies and near-duplicates of one text): the best-ranked
   * of each group stays, and `totalHits`, facets and the histogram count the hits that stay (as Meilisearch's
   * `distinct` does). A listing without words keeps the first stored article of each group that passes the filters.
   */
  readonly collapse?: boolean;
}

/**
 * A search whose every result is read, in order (an export): no page, and nothing counted (no facets, no histogram).
 */
export type WholeSearch = Omit<SearchRequest, 'page' | 'perPage' | 'facets' | 'histogram'>;

/** How many of Meilisearch's first matches a `freshness` search re-orders (see SearchRequest.freshness). */
export const FRESHNESS_WINDOW = 200;

/** An entity by the article field that holds it and its canonical name. */
export interface EntityRef {
  readonly kind: 'people' | 'orgs' | 'places';
  readonly name: string;
}

/**
 * The article of a hit: every field, except that an engine may leave out the body and the entity salience, which
 * results never show (the body is read for the snippet only, and reading it into every hit costs the most).
 */
export type HitArticle = Omit<Article, 'body' | 'salience'> & Partial<Pick<Article, 'body' | 'salience'>>;

/** One result: the article and its highlighted title and body snippet (HTML-escaped, matches in `<mark>`). */
export interface SearchHit {
  readonly article: HitArticle;
  readonly highlight: { readonly title: string; readonly snippet: string };
  /** With collapse: the other articles of the hit's copy group (how many, and the first ids). */
  readonly copies?: { readonly count: number; readonly ids: readonly string[] };
  /**
   * With collapse, when the index host ranked the page: the articles of the hit's copy group it holds, the hit
   * included (services/search-articles.ts then reads members only of groups with copies). Not shown.
   */
  readonly groupSize?: number;
}

/** Facet value → number of matching articles holding it. */
export type FacetCounts = Readonly<Record<string, number>>;

/**
 * A page of results. `totalHits` is exact: every article matching at least the words the strategy keeps last
 * (with `last`, the first query word that matches anything; with `all`, every word), after filters and
 * exclusions. Facets count over that same set.
 */
export interface SearchResult {
  readonly hits: readonly SearchHit[];
  readonly totalHits: number;
  readonly page: number;
  readonly perPage: number;
  readonly totalPages: number;
  readonly facets: Partial<Record<FacetField, FacetCounts>>;
  /**
   * When asked: matches per period over the same set as `totalHits` (its buckets' counts plus `undated` add up to
   * `totalHits`, within the engine's exact-count limit).
   */
  readonly histogram?: DateHistogram;
  /**
   * "Showing results for": when some query word matched only through typos in the page's first hit, the query as
   * that hit spells the matched words (`blunket electon` → `blunkett election`; folded, phrases quoted, exclusions
   * kept); absent otherwise.
   */
  readonly suggestion?: string;
}

/** What an engine says about itself. */
export interface EngineStats {
  readonly engine: string;
  readonly articles: number;
}

/** What a write changed: articles added or changed, left as they were (same content), and removed. */
export interface WriteSummary {
  readonly indexed: number;
  readonly unchanged: number;
  readonly deleted: number;
}

/**
 * The search-engine port: what the service needs from a keyword-search engine. Adapters translate to their
 * engine and never let a driver type or error escape (failures are AppErrors).
 */
export interface SearchEngine {
  /** Adds or replaces articles by id, atomically per call; articles whose content is unchanged are skipped. */
  upsert(articles: readonly Article[]): Promise<WriteSummary>;
  /** Removes articles by id; unknown ids are ignored. */
  delete(ids: readonly string[]): Promise<WriteSummary>;
  /** Removes every article (an indexer `--reset`); `deleted` counts them. */
  clear(): Promise<WriteSummary>;
  /** One article by id, or undefined. */
  get(id: string): Promise<Article | undefined>;
  search(request: SearchRequest): Promise<SearchResult>;
  /**
   * Every result of a search (an export), in the order of search()'s pages laid end to end, at most `batch`
   * articles per step of the iteration (each article without its body and salience; no highlights). The embedded
   * engine ranks the query once, as store keys, and reads the articles by key a batch at a time: an article deleted
   * after the ranking is skipped (its batch is shorter), one changed is read as it is then, one added is not in the
   * order (not even at the key of a deleted one, which SQLite reuses: each key carries a check of its article's id,
   * core/key-order.ts). Meilisearch, which ranks by itself, is read page by page (a write between pages may shift later results).
   * `abandoned`, polled while the order is taken and between steps: true once nobody will read the rest (the
   * request was answered otherwise, or its client left), which stops the work.
   */
  allResults(request: WholeSearch, batch: number, abandoned?: () => boolean): AsyncIterable<readonly HitArticle[]>;
  stats(): Promise<EngineStats>;
  /** Resolves when the engine answers; rejects with EngineUnavailableError otherwise. */
  health(): Promise<void>;
  /**
   * Resolves once searches see every write committed before the call (the embedded engine: once the index host
   * has applied it; Meilisearch makes writes visible on its own schedule, after their task, and resolves at once).
   * Required, so that a wrapper of an engine cannot drop it unnoticed (the metrics wrapper once did).
   */
  sync(): Promise<void>;
  /**
   * Whether search() finds the entities a query names itself when asked (`aboutNamed`): the embedded engine ranked
   * by an index host that keeps the entity names; the caller otherwise finds them and passes `about`. Required, as
   * sync() is, so that no wrapper drops it.
   */
  findsNamedEntities(): boolean;
  close(): Promise<void>;
}
