import { AppError } from '../core/errors.js';
import { parseJsonBytes } from '../core/json-bytes.js';
import type { DeleteCounts } from './article-writes.js';
import { ArticleWrites } from './article-writes.js';
import type { IngestDeps, IngestSummary, Rejection, SourceRecord } from './ingest-articles.js';
import { ingestArticles, runIdsInMemory, triageRecord } from './ingest-articles.js';

/** What one ingest of records did: the counts, and every record refused with its reasons. */
export interface IngestResult {
  readonly summary: IngestSummary;
  readonly rejections: readonly Rejection[];
}

/** Most articles one `POST /api/articles` may carry. */
export const MAX_BATCH = 1_000;

/** What a body that holds no article is told. */
export const NO_ARTICLE = 'send one article or an array of articles as JSON';

/**
 * The records of a `POST /api/articles` body: one article, or an array of 1 to {@link MAX_BATCH}, each with where
 * it sat (`body`, `body[3]`) for its rejection; `invalid_request` otherwise.
 */
export function recordsOfBody(body: unknown): SourceRecord[] {
  const items = Array.isArray(body) ? body : [body];
  if (body === undefined || items.length === 0) throw new AppError('invalid_request', NO_ARTICLE);
  if (items.length > MAX_BATCH) throw new AppError('invalid_request', `at most ${MAX_BATCH} articles per request`);
  return items.map((value: unknown, i) => ({ location: Array.isArray(body) ? `body[${i}]` : 'body', value }));
}

/** Bodies up to this size are checked where they are received before queueing for the write thread (~0.5 ms). */
export const PRECHECK_BYTES = 64 * 1024;

/**
 * The whole answer to a `POST /api/articles` body none of whose articles can be written (each rejected, as the write
 * path would reject it: same summary, same rejections), or undefined when one can be (or the body is over
 * {@link PRECHECK_BYTES}: left to the write thread). A body that is not JSON or holds no article throws as there.
 * Such a request is answered at once instead of waiting in the write thread's queue behind other writes.
 */
export function refusedWhole(body: Uint8Array): IngestResult | undefined {
  if (body.length > PRECHECK_BYTES) return undefined;
  const records = recordsOfBody(parseJsonBytes(body));
  const seen = runIdsInMemory();
  const rejections: Rejection[] = [];
  for (const record of records) {
    const triaged = triageRecord(record, seen);
    if (!('issues' in triaged)) return undefined;
    rejections.push({ location: record.location, issues: triaged.issues });
  }
  return { summary: { read: records.length, indexed: 0, unchanged: 0, rejected: records.length }, rejections };
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
  /**
   * The same for a `POST /api/articles` body as sent (JSON bytes, see core/json-bytes.ts and {@link recordsOfBody}),
   * parsed where the write runs: a 10 MB body's decoding and parsing never hold the HTTP worker.
   */
  ingestBody(body: Uint8Array): Promise<IngestResult>;
  /** Removes articles from every store; unknown ids are ignored. */
  delete(ids: readonly string[]): Promise<DeleteCounts>;
  /** Ends what the writer holds (its thread); writes already started finish first. */
  close(): Promise<void>;
}

/** The writes run in this thread, on `deps` (one transaction per call when `deps.local` is there). */
export function inProcessWriter(deps: IngestDeps): ArticleWriter {
  const ingest = async (records: readonly SourceRecord[]): Promise<IngestResult> => {
    const rejections: Rejection[] = [];
    // one write: the request's articles, all or none
    const summary = await ingestArticles(deps, records, { batchSize: Math.max(1, records.length), onReject: (r) => rejections.push(r) });
    return { summary, rejections };
  };
  return {
    ingest,
    ingestBody: async (body) => ingest(recordsOfBody(parseJsonBytes(body))),
    delete: (ids) => new ArticleWrites(deps).delete(ids),
    close: async () => {},
  };
}
