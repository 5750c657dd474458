/**
 * The API's answers as the front end reads them (see src/http/response-schemas.ts and the entity contract of
 * issue 4). Entity fields are optional: the API adds them when entity extraction is available.
 */

/** Entity kinds, as in `/api/entities/:type/:name`. */
export type EntityType = 'person' | 'org' | 'place';

/** The article fields shared by search hits and full articles. */
export interface ArticleFields {
  readonly id: string;
  readonly title: string;
  readonly url?: string;
  readonly summary?: string;
  readonly publishedAt?: string;
  readonly source?: string;
  readonly category?: string;
  readonly tags?: readonly string[];
  readonly author?: string;
  readonly people?: readonly string[];
  readonly orgs?: readonly string[];
  readonly places?: readonly string[];
}

/** `GET /api/articles/:id`. */
export interface Article extends ArticleFields {
  readonly body: string;
}

/** One `GET /api/search` hit: the article without its body, and HTML-escaped highlights with `<mark>`. */
export interface SearchHit extends ArticleFields {
  readonly highlight: { readonly title: string; readonly snippet: string };
  /** With collapse: how many other articles of its copy group it stands for, and their first ids. */
  readonly copies?: number;
  readonly copyIds?: readonly string[];
}

/** `GET /api/search`. Facets map a field to value → count. */
export interface SearchResponse {
  readonly hits: readonly SearchHit[];
  readonly totalHits: number;
  readonly page: number;
  readonly perPage: number;
  readonly totalPages: number;
  readonly facets: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** One hit per copy group: totals, facets and histogram count groups. */
  readonly collapsed?: boolean;
  /** Present when some word matched only through typos: the query as the matched words spell it. */
  readonly suggestion?: string;
  /** With `histogram=…`: matches per period (first day, YYYY-MM-DD), and those without a date. */
  readonly histogram?: readonly { readonly start: string; readonly count: number }[];
  readonly undated?: number;
  /** With `significant=…`: what stands out in the best `sampled` matches. */
  readonly significant?: {
    readonly sampled: number;
    readonly corpus: number;
    readonly terms?: readonly SignificantValue[];
    readonly people?: readonly SignificantValue[];
    readonly orgs?: readonly SignificantValue[];
    readonly places?: readonly SignificantValue[];
  };
}

/** A value unusually frequent in the matches (JLH score), the sampled matches and corpus articles holding it. */
export interface SignificantValue {
  readonly value: string;
  readonly score: number;
  readonly count: number;
  readonly background: number;
}

/** One related article of `GET /api/articles/:id/similar`. */
export interface SimilarHit {
  readonly id: string;
  readonly title: string;
  readonly url?: string;
  readonly publishedAt?: string;
  readonly source?: string;
  readonly category?: string;
}

/** An article of a story: its role, first report, follow-up or copy of an earlier one. */
export interface StoryArticle extends SimilarHit {
  readonly role: 'first' | 'follow-up' | 'copy';
}

/** `GET /api/articles/:id/story`: the articles around the one asked, in time order, from `offset`. */
export interface StoryResponse {
  readonly id: string;
  readonly size: number;
  readonly offset: number;
  readonly complete: boolean;
  readonly articles: readonly StoryArticle[];
}

/** `GET /api/articles/:id/similar`. */
export interface SimilarResponse {
  readonly id: string;
  readonly title: string;
  readonly hits: readonly SimilarHit[];
}

/** An entity with the number of articles naming it. */
export interface EntityRef {
  readonly type: EntityType;
  readonly name: string;
  readonly articles: number;
}

/** `GET /api/entities/:type/:name`. */
export interface EntityResponse extends EntityRef {
  readonly firstSeen?: string;
  readonly lastSeen?: string;
  /** Articles per month, `month` as YYYY-MM. */
  readonly timeline: readonly { readonly month: string; readonly articles: number }[];
  /** Entities most often named in the same articles. */
  readonly related: readonly EntityRef[];
  readonly latest: readonly SimilarHit[];
  /** Periods where its mentions rise well above its own rate, in time order (absent from older services). */
  readonly bursts?: readonly EntityBurst[];
  /** Entities first named with it in its last 30 days (absent from older services). */
  readonly newCompanions?: readonly NewCompanion[];
}

/** An entity first named with another in a period: articles naming both then, and the first one's date. */
export interface NewCompanion extends EntityRef {
  readonly firstSeen: string;
}

/** A burst of an entity's mentions: days `YYYY-MM-DD` (end inclusive), articles, what its usual rate expects. */
export interface EntityBurst {
  readonly start: string;
  readonly end: string;
  readonly peak: string;
  readonly count: number;
  readonly baseline: number;
  readonly weight: number;
  readonly newCompanions: readonly NewCompanion[];
}

/** An RFC 9457 problem, as every API error is. */
export interface Problem {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors?: readonly { readonly path: string; readonly message: string }[];
}

/** A saved search as `GET /api/saved-searches` answers it: a query or an entity's bursts; never its webhook secret. */
export interface SavedSearch {
  readonly id: string;
  readonly name: string;
  /** Its `/api/search` parameters (a query's saved search). */
  readonly query?: Readonly<Record<string, string | readonly string[]>>;
  /** The entity whose bursts it follows (its canonical name). */
  readonly entityBursts?: { readonly type: EntityType; readonly name: string };
  readonly webhook?: { readonly url: string };
  /** ISO instant. */
  readonly createdAt: string;
}

/** `GET /api/saved-searches`: a page, oldest id first; `next` (pass it as `after`) when more may follow. */
export interface SavedSearchList {
  readonly savedSearches: readonly SavedSearch[];
  readonly next?: string;
}
