import type { EntityKind } from '../core/entities/gazetteer.js';
import type { KeyOrder } from '../core/key-order.js';
import type { DateHistogram } from '../core/trends/date-histogram.js';
import type { FacetField, SearchRequest, WholeSearch } from '../engines/search-engine.js';
import type { EntityResolution, EntitySuggestion } from '../entities/entity-port.js';
import type { EntityKey } from '../entities/entity-names-state.js';
import type { SignificantTerms } from '../similarity/similarity-port.js';
import type { Suggestion } from '../core/suggest/suggest-index.js';
import type { SimilarArticle, SimilarQuery, SimilarSource } from '../similarity/similarity-port.js';
import type { StoriesQuery, StoryList, StoryThread } from '../stories/story-port.js';
import type { TermCountList } from '../similarity/text-counts.js';

/**
 * A page of a keyword search as the index host ranks it: the articles' store keys (`articles.pk`) best first, the
 * exact total, facet counts (most frequent first) and the words and prefixes to highlight. The caller reads the
 * page's documents from the store by key and highlights them.
 */
export interface RankedPage {
  readonly keys: readonly number[];
  /**
   * Each key's article id check (core/key-order.ts, parallel to `keys`): the store reuses the key of a deleted
   * article, so a page read while the index host catches up on a reset or deletions could otherwise show an article
   * added since at a deleted one's rank (one whose text does not even hold the query's words).
   */
  readonly checks: readonly number[];
  readonly total: number;
  readonly facets: Partial<Record<FacetField, readonly (readonly [string, number])[]>>;
  readonly highlight: { readonly words: readonly string[]; readonly prefixes: readonly string[] };
  /** Matches per period, when the request asks it (plain data: it crosses the IPC channel as JSON). */
  readonly histogram?: DateHistogram;
  /** The query as the first hit spells the words it matched through typos (see SearchResult.suggestion). */
  readonly suggestion?: string;
  /**
   * With collapse: how many articles the index holds in each page article's copy group, itself included (parallel
   * to `keys`), so that the caller asks the store for the members of groups with copies only.
   */
  readonly groupSizes?: readonly number[];
}

/** Articles like an indexed article, with the source as the index knows it. */
export interface SimilarAnswer {
  readonly source: SimilarSource;
  readonly hits: SimilarArticle[];
}

/**
 * The service's in-memory indexes (keyword ranking on the embedded engine, TF-IDF similarity on both), as a
 * process asks them of the one process that holds them: the cluster primary over IPC when several workers serve
 * (ipc-index.ts), or this process's own {@link IndexHost} (index-host.ts). Every call may fail with an
 * EngineUnavailableError (503 with Retry-After) when the host does not answer in time; none does catch-up work.
 */
export interface IndexPort {
  /** Ranks a search with words or exclusions (a query with neither is the store's placeholder search); keyword side only. */
  rank(request: SearchRequest): Promise<RankedPage>;
  /**
   * Every match of a search with words or exclusions in result order (the pages of {@link rank} laid end to end),
   * as store keys with the id check of each key's article (core/key-order.ts, so that a reader drops a key reused
   * by an article added since): one ranking for a whole export. The request's `aboutNamed` is honoured as by `rank`.
   * `abandoned`, when given, is asked between the walk's slices: once it is true the walk stops and the call rejects
   * with EngineUnavailableError (its caller has stopped waiting).
   */
  rankOrder(request: WholeSearch, abandoned?: () => boolean): Promise<KeyOrder>;
  /** Articles like the article `id`; undefined when no committed article has that id. */
  similarTo(id: string, query: SimilarQuery): Promise<SimilarAnswer | undefined>;
  /** Articles like a text that is not indexed, given as its term counts (similarity/text-counts.ts). */
  similarToCounts(counts: TermCountList, query: SimilarQuery): Promise<SimilarArticle[]>;
  /** Entities whose name has a word starting with each word of `q`, most articles first (autocomplete). */
  suggestEntities(q: string, kind: EntityKind | undefined, limit: number): Promise<EntitySuggestion[]>;
  /** Completions for the search box (core/suggest/suggest-index.ts), best first. */
  suggestQueries(q: string, limit: number): Promise<Suggestion[]>;
  /** Entities whose canonical name is `text` once case, accents and punctuation are folded (any kind). */
  namedEntities(text: string): Promise<EntitySuggestion[]>;
  /** What `text`, given as a filter on entities of `kind`, stands for (entities/entity-port.ts). */
  resolveEntity(kind: EntityKind, text: string): Promise<EntityResolution>;
  /** Distinct entity names per kind. */
  entityCounts(): Promise<Record<EntityKind, number>>;
  /** Articles mentioning each entity (0 for an unknown one), in the order asked. */
  entityArticles(refs: readonly EntityKey[]): Promise<number[]>;
  /** The words unusually frequent in the articles `ids` against the corpus (see SimilarityState.significantTerms). */
  significantTerms(ids: readonly string[], limit: number): Promise<SignificantTerms>;
  /** The story of article `id`, `limit` articles around it (stories/story-state.ts); undefined when not indexed. */
  storyOf(id: string, limit: number): Promise<StoryThread | undefined>;
  /** The stories with the most articles in a period (stories/story-state.ts). */
  stories(query: StoriesQuery): Promise<StoryList>;
  /** A number that changes whenever the similarity index does (answer caches, readiness). */
  generation(): Promise<number>;
  /** Resolves once the host has applied every change committed before the call. */
  sync(): Promise<void>;
  /** Tells the host that this process just committed a write (it applies it in the background, at once). */
  notify(): void;
  /**
   * Whether the host keeps the entity names, so that `rank` finds the entities a query names itself when the
   * request sets `aboutNamed` (one call instead of namedEntities then rank).
   */
  readonly namesEntities: boolean;
}

/** A port whose host is made later (after the store it reads is migrated): calls go to `host()` when made. */
export function deferredPort(host: () => IndexPort): IndexPort {
  return {
    rank: (request) => host().rank(request),
    rankOrder: (request, abandoned) => host().rankOrder(request, abandoned),
    similarTo: (id, query) => host().similarTo(id, query),
    similarToCounts: (counts, query) => host().similarToCounts(counts, query),
    suggestEntities: (q, kind, limit) => host().suggestEntities(q, kind, limit),
    namedEntities: (text) => host().namedEntities(text),
    suggestQueries: (q, limit) => host().suggestQueries(q, limit),
    resolveEntity: (kind, text) => host().resolveEntity(kind, text),
    entityCounts: () => host().entityCounts(),
    entityArticles: (refs) => host().entityArticles(refs),
    significantTerms: (ids, limit) => host().significantTerms(ids, limit),
    storyOf: (id, limit) => host().storyOf(id, limit),
    stories: (query) => host().stories(query),
    generation: () => host().generation(),
    sync: () => host().sync(),
    notify: () => host().notify(),
    get namesEntities() {
      return host().namesEntities;
    },
  };
}
