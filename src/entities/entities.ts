import type Database from 'better-sqlite3';
import type { Article } from '../core/article.js';
import type { EntityKind, Gazetteer } from '../core/entities/gazetteer.js';
import type { NameLookup } from '../core/entities/names.js';
import { defaultGazetteer } from './default-gazetteer.js';
import { enrichArticles } from './enrich-articles.js';
import type { EntityKey, EntityNames } from './entity-names-state.js';
import type { EntityProfile, EntityReader, EntityResolution, EntitySuggestion, EntityWriter } from './entity-port.js';
import { EntityStats } from './entity-stats.js';
import { EntityStore } from './entity-store.js';

/**
 * Entity extraction and statistics of a process, over the entity tables of the store file (like Similarity for
 * TF-IDF): articles are enriched at index time (enrich-articles.ts) and their statistics written to the EntityStore
 * once the search engine holds them (commit).
 */
export class Entities implements EntityReader {
  private readonly gazetteer: Gazetteer = defaultGazetteer();
  private readonly stats: EntityStats;
  /** The corpus questions of each article enriched for writing and not committed yet (a dry run adds none). */
  private readonly pending = new Map<string, readonly NameLookup[]>();

  private constructor(
    private readonly store: EntityStore,
    names?: EntityNames,
  ) {
    this.stats = new EntityStats(store.db, names);
  }

  /** Opens the store in `file`; a write waits up to `busyTimeoutMs` for another process's (default 5 s). */
  static open(file: string, options: { busyTimeoutMs?: number } = {}): Entities {
    return new Entities(EntityStore.open(file, options));
  }

  /**
   * The same over the store file's shared connection (storage/open-store.ts), so that writes join its
   * transactions; `names`: where entity names are read (the service's index host), else this connection's own list.
   */
  static onDatabase(db: Database.Database, names?: EntityNames): Entities {
    return new Entities(EntityStore.onDatabase(db), names);
  }

  /** See EntityStore.afterRollback. */
  afterRollback(): void {
    this.store.afterRollback();
  }

  /**
   * The articles with their entities (see enrich-articles.ts); `record: false` (a dry run) resolves against the
   * stored evidence only and writes nothing.
   */
  enrich(articles: readonly Article[], options: { record?: boolean } = {}): Article[] {
    const record = options.record !== false;
    const batch = enrichArticles(articles, this.gazetteer, this.store, record);
    if (record) for (const [id, lookups] of batch.lookups) this.pending.set(id, lookups);
    return batch.articles;
  }

  /** The same extraction with nothing written (for a dry run). */
  readOnly(): EntityWriter {
    return {
      enrich: (articles) => this.enrich(articles, { record: false }),
      commit: () => {},
      delete: () => {},
      clear: () => {},
      toRefresh: () => undefined,
      refreshed: () => {},
      held: () => new Set(), // a dry run compares every article with the engine, which counts what would change
    };
  }

  clear(): void {
    this.store.clear();
  }

  /** Stores the entity statistics of enriched articles, once the search engine holds them. */
  commit(articles: readonly Article[]): void {
    this.store.upsert(articles.map((article) => ({ article, lookups: this.pending.get(article.id) ?? [] })));
    for (const a of articles) this.pending.delete(a.id);
  }

  delete(ids: readonly string[]): void {
    this.store.delete(ids);
  }

  /**
   * When evidence changed since the last refresh (else nothing to do): the evidence generation, and the ids of the
   * articles whose extraction asked the corpus a question that would now get another answer. Re-enrich them, then
   * call {@link refreshed} with that generation.
   */
  toRefresh(): { generation: number; ids: string[] } | undefined {
    const { evidence, refreshed } = this.store.generation();
    return evidence > refreshed ? { generation: evidence, ids: this.store.staleArticles() } : undefined;
  }

  refreshed(generation: number): void {
    this.store.markRefreshed(generation);
  }

  held(articles: readonly Article[]): ReadonlySet<string> {
    return this.store.held(articles);
  }

  suggest(q: string, kind: EntityKind | undefined, limit: number): Promise<EntitySuggestion[]> {
    return this.stats.suggest(q, kind, limit);
  }

  counts(): Promise<Record<EntityKind, number>> {
    return this.stats.counts();
  }

  named(text: string): Promise<EntitySuggestion[]> {
    return this.stats.named(text);
  }

  articlesOf(refs: readonly EntityKey[]): Promise<number[]> {
    return this.stats.articlesOf(refs);
  }

  resolve(kind: EntityKind, text: string): Promise<EntityResolution> {
    return this.stats.resolve(kind, text);
  }

  describe(kind: EntityKind, name: string, options: { related: number; latest: number }): EntityProfile | undefined {
    return this.stats.describe(kind, name, options);
  }

  close(): void {
    this.store.close();
  }
}
