import type { Article } from '../core/article.js';
import type { SimilarArticle, SimilarQuery, SimilarSource, SimilarityReader, SimilarityWriter } from './similarity-port.js';
import { SimilarityStore } from './similarity-store.js';
import { SimilaritySync } from './similarity-sync.js';

/**
 * The similarity index of a process: the store, plus — for a process that answers queries — the in-memory index
 * that follows it. Writes through it are seen by its own queries at once.
 */
export class Similarity implements SimilarityReader, SimilarityWriter {
  private readonly reader: SimilaritySync | undefined;

  private constructor(private readonly store: SimilarityStore, reader: SimilaritySync | undefined) {
    this.reader = reader;
  }

  /**
   * Opens the store in `file`; `serve` builds the in-memory index for queries (the indexer only writes), weighting
   * with `idfExponent` (weighting.ts; default 0.5) and keeping up to `cacheEntries` answers (0: none). A write
   * waits up to `busyTimeoutMs` for another process's (default 5 s).
   */
  static open(file: string, options: { serve: boolean; idfExponent?: number; cacheEntries?: number; busyTimeoutMs?: number }): Similarity {
    const store = SimilarityStore.open(file, { busyTimeoutMs: options.busyTimeoutMs });
    const reader = options.serve ? new SimilaritySync(store.db, options.idfExponent, options.cacheEntries) : undefined;
    return new Similarity(store, reader);
  }

  upsert(articles: readonly Article[]): { indexed: number; unchanged: number } {
    const result = this.store.upsert(articles);
    if (result.indexed > 0) this.reader?.markChanged();
    return result;
  }

  delete(ids: readonly string[]): number {
    const removed = this.store.delete(ids);
    if (removed > 0) this.reader?.markChanged();
    return removed;
  }

  /** Removes every article. */
  clear(): number {
    const removed = this.store.clear();
    if (removed > 0) this.reader?.markChanged();
    return removed;
  }

  similarTo(id: string, query: SimilarQuery): { source: SimilarSource; hits: SimilarArticle[] } | undefined {
    return this.serving().similarTo(id, query);
  }

  similarToText(title: string, body: string, query: SimilarQuery): SimilarArticle[] {
    return this.serving().similarToText(title, body, query);
  }

  generation(): number {
    return this.serving().generation();
  }

  close(): void {
    this.store.close();
  }

  private serving(): SimilaritySync {
    if (!this.reader) throw new Error('this similarity index was opened for writing only');
    return this.reader;
  }
}
