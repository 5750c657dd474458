import type { DeleteCounts } from './article-writes.js';
import { ArticleWrites } from './article-writes.js';
import type { IngestDeps, IngestSummary, Rejection, SourceRecord } from './ingest-articles.js';
import { ingestArticles } from './ingest-articles.js';

/** What one ingest of records did: the counts, and every record refused with its reasons. */
export interface IngestResult {
  readonly summary: IngestSummary;
  readonly rejections: readonly Rejection[];
}

/**
 * The writes of the HTTP API (`POST` / `DELETE /api/articles`): validation, entity extraction, term vectors and the
 * store transaction, through the one write path. Their cost grows with the articles sent (a 1,000,000-character
 * body takes the better part of a second), so a serving process runs them on a thread of its own
 * (storage/write-thread.ts) and its other requests are not held behind them; {@link inProcessWriter} runs them
 * where it is called (test rigs of in-memory stores).
 */
export interface ArticleWriter {
  /** Validates and upserts `records` as one write (all or nothing on the embedded engine); bad records are reported. */
  ingest(records: readonly SourceRecord[]): Promise<IngestResult>;
  /** Removes articles from every store; unknown ids are ignored. */
  delete(ids: readonly string[]): Promise<DeleteCounts>;
  /** Ends what the writer holds (its thread); writes already started finish first. */
  close(): Promise<void>;
}

/** The writes run in this thread, on `deps` (one transaction per call when `deps.local` is there). */
export function inProcessWriter(deps: IngestDeps): ArticleWriter {
  return {
    async ingest(records) {
      const rejections: Rejection[] = [];
      // one write: the request's articles, all or none
      const summary = await ingestArticles(deps, records, { batchSize: Math.max(1, records.length), onReject: (r) => rejections.push(r) });
      return { summary, rejections };
    },
    delete: (ids) => new ArticleWrites(deps).delete(ids),
    close: async () => {},
  };
}
