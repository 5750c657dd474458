import type Database from 'better-sqlite3';
import type { Article } from '../core/article.js';
import { IndexHost } from '../index-host/index-host.js';
import type { IndexPort, SimilarAnswer } from '../index-host/index-port.js';
import type { SignificantTerms, SimilarArticle, SimilarQuery, SimilarityReader, SimilarityWriter } from './similarity-port.js';
import { SimilarityStore } from './similarity-store.js';
import { termCountsInTurns } from './text-counts.js';

/** How a process opens the similarity store: to write only, or to answer queries too. */
export interface SimilarityOpenOptions {
  /**
   * Answer queries: from `index` when given (the service's one index host, index-host.ts), else from an index
   * host of this store's own (tests, benchmarks, one-process tools). False: the indexer, which only writes.
   */
  readonly serve: boolean;
  readonly index?: IndexPort;
  /** Idf exponent of an own host (weighting.ts; default 0.5). */
  readonly idfExponent?: number;
  /** Answers an own host keeps (default 20,000; 0: none). */
  readonly cacheEntries?: number;
}

/**
 * The similarity index of a process: the store (writes), plus — for a process that answers queries — the index
 * host that answers them. Writes through it notify the host, which applies them in the background at once.
 */
export class Similarity implements SimilarityReader, SimilarityWriter {
  private constructor(
    private readonly store: SimilarityStore,
    private readonly reader: IndexPort | undefined,
    private readonly ownHost: IndexHost | undefined,
  ) {}

  /**
   * Opens the store in `file`; `serve` builds the in-memory index for queries (the indexer only writes), weighting
   * with `idfExponent` (weighting.ts; default 0.5) and keeping up to `cacheEntries` answers (0: none). A write
   * waits up to `busyTimeoutMs` for another process's (default 5 s).
   */
  static open(file: string, options: SimilarityOpenOptions & { busyTimeoutMs?: number }): Similarity {
    return Similarity.over(SimilarityStore.open(file, { busyTimeoutMs: options.busyTimeoutMs }), options);
  }

  /** The same over the store file's shared connection (storage/open-store.ts), so that writes join its transactions. */
  static onDatabase(db: Database.Database, options: SimilarityOpenOptions): Similarity {
    return Similarity.over(SimilarityStore.onDatabase(db), options);
  }

  private static over(store: SimilarityStore, options: SimilarityOpenOptions): Similarity {
    if (!options.serve) return new Similarity(store, undefined, undefined);
    if (options.index) return new Similarity(store, options.index, undefined);
    const similarity = { idfExponent: options.idfExponent, cacheEntries: options.cacheEntries };
    const host = new IndexHost(store.db, { keyword: false, similarity });
    return new Similarity(store, host, host);
  }

  /** See SimilarityStore.afterRollback. */
  afterRollback(): void {
    this.store.afterRollback();
  }

  upsert(articles: readonly Article[]): { indexed: number; unchanged: number } {
    const result = this.store.upsert(articles);
    if (result.indexed > 0) this.reader?.notify();
    return result;
  }

  delete(ids: readonly string[]): number {
    const removed = this.store.delete(ids);
    if (removed > 0) this.reader?.notify();
    return removed;
  }

  /** Removes every article. */
  clear(): number {
    const removed = this.store.clear();
    if (removed > 0) this.reader?.notify();
    return removed;
  }

  similarTo(id: string, query: SimilarQuery): Promise<SimilarAnswer | undefined> {
    return this.serving().similarTo(id, query);
  }

  /** Analyses the text here, a piece per turn (text-counts.ts), and asks the index host with its term counts. */
  async similarToText(title: string, body: string, query: SimilarQuery): Promise<SimilarArticle[]> {
    const serving = this.serving();
    return serving.similarToCounts(await termCountsInTurns(title, body), query);
  }

  generation(): Promise<number> {
    return this.serving().generation();
  }

  significantTerms(ids: readonly string[], limit: number): Promise<SignificantTerms> {
    return this.serving().significantTerms(ids, limit);
  }

  /** Resolves once queries see every write committed before the call (see IndexPort.sync). */
  sync(): Promise<void> {
    return this.reader?.sync() ?? Promise.resolve();
  }

  close(): void {
    this.ownHost?.close();
    this.store.close();
  }

  private serving(): IndexPort {
    if (!this.reader) throw new Error('this similarity index was opened for writing only');
    return this.reader;
  }
}
