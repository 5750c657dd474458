import type { Article } from '../core/article.js';
import type { EntityKind } from '../core/entities/gazetteer.js';
import type { EntityBurst, NewCompanion } from './entity-bursts.js';

/** An entity as autocomplete lists it. */
export interface EntitySuggestion {
  readonly kind: EntityKind;
  readonly name: string;
  /** Articles that mention it. */
  readonly articles: number;
}

/**
 * What a name given in an entity filter stands for (case, accents and punctuation folded):
 * - `name`: the canonical name of one entity (with its stored spellings that fold alike, and the lone surname when
 *   it stands for no one else);
 * - `alias`: a surname or short name of exactly one person (or of one named in 10 times as many articles as any
 *   other: entity-names-state.ts, DOMINANT_FACTOR), or a gazetteer alias of an organisation or place;
 * - `ambiguous`: a short name of several entities (`candidates`, most articles first, at most
 *   {@link MAX_CANDIDATES}; `more` others);
 * - `unknown`: no entity of the kind is named so.
 */
export type EntityResolution =
  | { readonly match: 'name' | 'alias'; readonly names: readonly string[] }
  | { readonly match: 'ambiguous'; readonly candidates: readonly EntitySuggestion[]; readonly more: number }
  | { readonly match: 'unknown' };

/** Most candidates an ambiguous resolution lists. */
export const MAX_CANDIDATES = 10;

/** What analysts see of one entity. Dates are ISO 8601; months are `YYYY-MM` (UTC). */
export interface EntityProfile {
  readonly kind: EntityKind;
  readonly name: string;
  readonly articles: number;
  readonly firstSeen: string | undefined;
  readonly lastSeen: string | undefined;
  readonly timeline: readonly { readonly month: string; readonly articles: number }[];
  /** The entities most often mentioned in the same articles, with how many articles they share. */
  readonly related: readonly EntitySuggestion[];
  /** The newest articles that mention it. */
  readonly latest: readonly { id: string; title: string; publishedAt?: string; source?: string; url?: string }[];
  /** Periods where its mentions rise well above its own rate (entities/entity-bursts.ts), in time order. */
  readonly bursts: readonly EntityBurst[];
  /** Entities first named with it in its last 30 days (entities/entity-bursts.ts, RECENT_DAYS). */
  readonly newCompanions: readonly NewCompanion[];
}

/** What services read of entity statistics. */
export interface EntityReader {
  /** Entities whose name has a word starting with each word of `q` (case and accents folded), most articles first. */
  suggest(q: string, kind: EntityKind | undefined, limit: number): Promise<EntitySuggestion[]>;
  /** Distinct entities per kind. */
  counts(): Promise<Record<EntityKind, number>>;
  /** Entities whose canonical name is `text` once case, accents and punctuation are folded (any kind). */
  named(text: string): Promise<EntitySuggestion[]>;
  /** Articles mentioning each entity (0 for an unknown one), in the order asked (significant entities' background). */
  articlesOf(refs: readonly { readonly kind: EntityKind; readonly name: string }[]): Promise<number[]>;
  /** What `text`, given as a filter on entities of `kind`, stands for (see {@link EntityResolution}). */
  resolve(kind: EntityKind, text: string): Promise<EntityResolution>;
  /** The profile of an entity, or undefined when no article mentions it. */
  describe(kind: EntityKind, name: string, options: { related: number; latest: number }): EntityProfile | undefined;
}

/** What ingestion writes: enrich a batch before the engine write, commit the statistics after it. */
export interface EntityWriter {
  enrich(articles: readonly Article[]): Article[];
  commit(articles: readonly Article[]): void;
  delete(ids: readonly string[]): void;
  /** Removes every article's entities and evidence (an indexer `--reset`). */
  clear(): void;
  /**
   * When corpus evidence changed since the last refresh: its generation and the ids of the articles to re-resolve
   * (those whose extraction asked the corpus a question that would now get another answer); else undefined.
   */
  toRefresh(): { generation: number; ids: string[] } | undefined;
  /** Called when those articles have been re-resolved against that generation. */
  refreshed(generation: number): void;
  /**
   * Ids of `articles` whose input every store already holds (entity statistics are written last): a re-run skips
   * them before extraction.
   */
  held(articles: readonly Article[]): ReadonlySet<string>;
}
