import type { Article } from '../core/article.js';
import type { SearchEngine, WriteSummary } from '../engines/search-engine.js';
import type { EntityWriter } from '../entities/entity-port.js';
import type { SimilarityWriter } from '../similarity/similarity-port.js';
import type { CopyGrouper } from '../storage/copy-groups.js';
import type { OutboxWriter } from './engine-outbox.js';

/** The search engine's writes when its articles live in the local store file (the embedded engine): synchronous. */
export interface LocalArticles {
  upsertNow(articles: readonly Article[]): WriteSummary;
  deleteNow(ids: readonly string[]): WriteSummary;
  clearNow(): WriteSummary;
  getNow(id: string): Article | undefined;
}

/**
 * The local store file (DATA_DIR/newsfind.db) that holds the similarity and entity tables, and with the embedded
 * engine the articles too (storage/open-store.ts).
 */
export interface LocalStore {
  /**
   * Runs `work` (synchronous) as one write transaction: it takes the file's write lock first (BEGIN IMMEDIATE),
   * waiting up to the busy timeout for another process's write, and commits all of `work` or none of it.
   */
  transaction<T>(work: () => T): T;
  /** Present when the search engine's articles are in this file: then they join the same transaction. */
  readonly articles?: LocalArticles;
  /**
   * Present with an engine outside the file (Meilisearch): its operations are appended here in the same
   * transaction as the term vectors and entities, and delivered to the engine afterwards (services/engine-outbox.ts).
   */
  readonly outbox?: OutboxWriter;
}

/** What an upsert changed: articles written (in any store) and articles every store already held as sent. */
export interface UpsertCounts {
  readonly indexed: number;
  readonly unchanged: number;
}

/** What a delete found: articles removed from the search engine, and from the similarity index. */
export interface DeleteCounts {
  readonly deleted: number;
  readonly fromSimilarity: number;
}

/** Where an article's parts are written: the engine (search document), the similarity index, the entity store. */
export interface ArticleWritesDeps {
  readonly engine: SearchEngine;
  readonly similarity?: SimilarityWriter;
  readonly entities?: EntityWriter;
  /**
   * The local store file. With it, every write of the local parts is one transaction (and, with the embedded
   * engine, the search document joins it: all or nothing). Without it (rigs of separate in-memory stores, dry
   * runs) the stores are written one after another.
   */
  readonly local?: LocalStore;
  /**
   * Copy groups (storage/copy-groups.ts), in the local store file: each article written gets its `copyGroup` in the
   * same transaction as its other parts. Without a local store there are none.
   */
  readonly copies?: CopyGrouper;
}

const NOTHING: ReadonlySet<string> = new Set();

/**
 * The one write path of articles (indexer, `POST`/`DELETE /api/articles`, `--prune`, `--reset`, the demo load,
 * entity refreshes, reconcile). An article is its search document, its term vector and its entities (statistics
 * and evidence), written together:
 * - embedded engine (`local.articles`): one SQLite transaction over the three, so a crash or an error at any point
 *   leaves each article wholly written or wholly as before;
 * - Meilisearch (`local.outbox`): the evidence is recorded, then the term vectors, the entity statistics and the
 *   engine operations (outbox rows) in one local transaction; the write returns once it commits, and the outbox's
 *   deliverer sends the operations to Meilisearch afterwards, in order, until a task succeeds (engine-outbox.ts).
 *   Counts are then the local ones: `indexed` articles not already held as sent, `deleted` those the store held.
 * - an engine outside the file and no outbox (test rigs): the engine is written first, then the local parts.
 */
export class ArticleWrites {
  constructor(private readonly deps: ArticleWritesDeps) {}

  /**
   * Enriches (entities) and writes articles; each store skips what it already holds with the same content, and
   * articles whose input the entity store already holds are not even read again. `force` re-derives every part
   * of every article (reconcile).
   */
  async upsert(articles: readonly Article[], options: { force?: boolean } = {}): Promise<UpsertCounts> {
    const { engine, similarity, entities, local } = this.deps;
    const prepare = () => {
      const held = options.force ? NOTHING : (entities?.held(articles) ?? NOTHING);
      const fresh = held.size === 0 ? articles : articles.filter((a) => !held.has(a.id));
      return { held: held.size, enriched: entities ? entities.enrich(fresh) : [...fresh] };
    };
    const localParts = (enriched: readonly Article[]) => {
      similarity?.upsert(enriched);
      entities?.commit(enriched);
    };
    if (local?.articles) {
      const articlesStore = local.articles;
      return local.transaction(() => {
        const { held, enriched } = prepare();
        const grouped = this.grouped(enriched);
        const written = grouped.length === 0 ? { indexed: 0, unchanged: 0 } : articlesStore.upsertNow(grouped);
        localParts(grouped);
        return { indexed: written.indexed, unchanged: written.unchanged + held };
      });
    }
    const { held, enriched } = prepare();
    const outbox = local?.outbox;
    if (outbox) {
      if (enriched.length > 0) {
        this.inLocal(() => {
          const grouped = this.grouped(enriched);
          outbox.upsert(grouped);
          localParts(grouped);
        });
      }
      return { indexed: enriched.length, unchanged: held };
    }
    const written = enriched.length === 0 ? { indexed: 0, unchanged: 0 } : await engine.upsert(enriched);
    this.inLocal(() => localParts(enriched));
    return { indexed: written.indexed, unchanged: written.unchanged + held };
  }

  /** Removes articles from every store; unknown ids are ignored. */
  async delete(ids: readonly string[]): Promise<DeleteCounts> {
    const { engine, similarity, entities, local } = this.deps;
    const localParts = () => {
      const fromSimilarity = similarity?.delete(ids) ?? 0;
      entities?.delete(ids);
      this.deps.copies?.delete(ids);
      return fromSimilarity;
    };
    if (local?.articles) {
      const articlesStore = local.articles;
      return local.transaction(() => ({ deleted: articlesStore.deleteNow(ids).deleted, fromSimilarity: localParts() }));
    }
    const outbox = local?.outbox;
    if (outbox) {
      const fromSimilarity = this.inLocal(() => {
        outbox.delete(ids);
        return localParts();
      });
      return { deleted: fromSimilarity, fromSimilarity };
    }
    const { deleted } = await engine.delete(ids);
    return { deleted, fromSimilarity: this.inLocal(localParts) };
  }

  /** Removes every article from every store (an indexer `--reset`); returns how many the engine held. */
  async clear(): Promise<number> {
    const { engine, similarity, entities, local } = this.deps;
    const localParts = () => {
      similarity?.clear();
      entities?.clear();
      this.deps.copies?.clear();
    };
    if (local?.articles) {
      const articlesStore = local.articles;
      return local.transaction(() => {
        const { deleted } = articlesStore.clearNow();
        localParts();
        return deleted;
      });
    }
    const outbox = local?.outbox;
    if (outbox) {
      return this.inLocal(() => {
        outbox.clear();
        const held = similarity?.clear() ?? 0;
        entities?.clear();
        this.deps.copies?.clear();
        return held;
      });
    }
    const { deleted } = await engine.clear();
    this.inLocal(localParts);
    return deleted;
  }

  /**
   * A replica's mirror (mirror-follower.ts): writes the local parts of articles exactly as the engine holds them —
   * their entities and copy group as the writer derived them (no extraction, no grouping), term vectors from their
   * text — and queues nothing to the outbox: they came from the engine. `also` runs in the same local transaction
   * (the mirror's position). Needs a local store.
   */
  applyMirrored(articles: readonly Article[], also: () => void): void {
    const { similarity, entities, copies } = this.deps;
    this.inLocal(() => {
      if (articles.length > 0) {
        similarity?.upsert(articles);
        entities?.commit(articles);
        copies?.record(articles);
      }
      also();
    });
  }

  /** The same for articles the engine no longer holds: their local parts go, nothing is queued. */
  removeMirrored(ids: readonly string[], also: () => void): void {
    const { similarity, entities, copies } = this.deps;
    this.inLocal(() => {
      if (ids.length > 0) {
        similarity?.delete(ids);
        entities?.delete(ids);
        copies?.delete(ids);
      }
      also();
    });
  }

  /**
   * Re-resolves the articles whose lone names ("President Reagan") or bare names depended on corpus evidence that
   * has changed since they were read, so that after a run every article sees the evidence of the whole corpus,
   * whatever the order articles came in (and a run cut short then resumed ends as an uninterrupted one). Evidence
   * is text only, but which names count as people can depend on it (a name another article gave as an
   * organisation's), so the pass repeats until the evidence stops changing (at most `MAX_REFRESH_PASSES`). Each
   * chunk of `batchSize` articles is written like an upsert. Returns how many articles changed.
   */
  async refreshEntities(batchSize = 500): Promise<number> {
    const { entities } = this.deps;
    if (!entities) return 0;
    let changed = 0;
    for (let pass = 0; pass < MAX_REFRESH_PASSES; pass++) {
      const due = entities.toRefresh();
      if (!due) break;
      for (let i = 0; i < due.ids.length; i += batchSize) changed += await this.rewrite(due.ids.slice(i, i + batchSize));
      entities.refreshed(due.generation);
    }
    return changed;
  }

  /** Reads stored articles by id and writes them again, every part re-derived; returns how many changed in the engine. */
  private async rewrite(ids: readonly string[]): Promise<number> {
    const { local } = this.deps;
    const articlesStore = local?.articles;
    if (articlesStore) {
      // read inside the transaction: a concurrent delete cannot bring the article back
      return local.transaction(() => {
        const found = ids.map((id) => articlesStore.getNow(id)).filter((a): a is Article => a !== undefined);
        return this.upsertLocked(articlesStore, found);
      });
    }
    const found = (await Promise.all(ids.map((id) => this.read(id)))).filter((a): a is Article => a !== undefined);
    return (await this.upsert(found, { force: true })).indexed;
  }

  /**
   * An article as written, from the engine — or, with an outbox, as its latest pending operation leaves it (the
   * engine may not have it yet, or an older version).
   */
  async read(id: string): Promise<Article | undefined> {
    const pending = this.deps.local?.outbox?.pending(id);
    return pending ? pending.article : this.deps.engine.get(id);
  }

  private upsertLocked(articlesStore: LocalArticles, articles: readonly Article[]): number {
    const { similarity, entities } = this.deps;
    const enriched = this.grouped(entities ? entities.enrich(articles) : articles);
    const written = articlesStore.upsertNow(enriched);
    similarity?.upsert(enriched);
    entities?.commit(enriched);
    return written.indexed;
  }

  /** The articles with their copy groups, when copy groups are kept (inside the write's transaction). */
  private grouped(articles: readonly Article[]): readonly Article[] {
    const { copies } = this.deps;
    return copies && articles.length > 0 ? copies.assign(articles) : articles;
  }

  /** Runs the local stores' part of a write in one local transaction when there is a local store. */
  private inLocal<T>(work: () => T): T {
    return this.deps.local ? this.deps.local.transaction(work) : work();
  }
}

/** Refresh passes after a run; evidence settles in one or two (each pass only narrows what can still change). */
export const MAX_REFRESH_PASSES = 5;
