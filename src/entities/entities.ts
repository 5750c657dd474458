import type Database from 'better-sqlite3';
import type { Article } from '../core/article.js';
import type { EntityKind } from '../core/entities/gazetteer.js';
import { defaultGazetteer } from './default-gazetteer.js';
import { EntityEnricher } from './entity-enricher.js';
import type { EntityKey, EntityNames } from './entity-names-state.js';
import type { EntityProfile, EntityReader, EntityResolution, EntitySuggestion, EntityWriter } from './entity-port.js';
import { EntityStats } from './entity-stats.js';
import { EntityStore } from './entity-store.js';

/** Entity extraction and statistics of a process, over the entity tables of the store file (like Similarity for TF-IDF). */
export class Entities implements EntityReader {
  private readonly enricher: EntityEnricher;
  private readonly stats: EntityStats;

  private constructor(
    private readonly store: EntityStore,
    names?: EntityNames,
  ) {
    this.enricher = new EntityEnricher(defaultGazetteer(), store);
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

  enrich(articles: readonly Article[], options: { record?: boolean } = {}): Article[] {
    return this.enricher.enrich(articles, options);
  }

  /** The same extraction with nothing written (for a dry run). */
  readOnly(): EntityWriter {
    return {
      enrich: (articles) => this.enricher.enrich(articles, { record: false }),
      commit: () => {},
      delete: () => {},
      clear: () => {},
      toRefresh: () => undefined,
      refreshed: () => {},
      held: () => new Set(), // a dry run compares every article with the engine, which counts what would change
    };
  }

  clear(): void {
    this.enricher.clear();
  }

  commit(articles: readonly Article[]): void {
    this.enricher.commit(articles);
  }

  delete(ids: readonly string[]): void {
    this.enricher.delete(ids);
  }

  /** See EntityEnricher. */
  toRefresh(): { generation: number; ids: string[] } | undefined {
    return this.enricher.toRefresh();
  }

  refreshed(generation: number): void {
    this.enricher.refreshed(generation);
  }

  held(articles: readonly Article[]): ReadonlySet<string> {
    return this.enricher.held(articles);
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
