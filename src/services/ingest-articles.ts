import type { Article } from '../core/article.js';
import type { FieldIssue } from '../core/errors.js';
import { validateArticle } from '../core/validate-article.js';
import type { ArticleWritesDeps } from './article-writes.js';
import { ArticleWrites } from './article-writes.js';

/** Where ingestion writes: every store of an article, through the one write path (article-writes.ts). */
export type IngestDeps = ArticleWritesDeps;

/** A raw record and where it came from (`file:line`, or `body[3]` for an API batch). */
export interface SourceRecord {
  readonly location: string;
  /** The parsed value, or the reason it could not be parsed (malformed JSON, invalid UTF-8…). */
  readonly value: unknown;
  readonly parseError?: string;
  /** The source it was read from (a file or folder given to the indexer); absent for API requests. */
  readonly source?: string;
  /**
   * Optional fields the reader left out or cut because they broke a rule (a date it could not read, a link that is
   * not http(s), more than 100 tags): the record is still indexed, and each issue is reported as a warning.
   */
  readonly warnings?: readonly FieldIssue[];
}

/** A record that was not indexed, and every reason why. */
export interface Rejection {
  readonly source?: string;
  readonly location: string;
  readonly issues: readonly FieldIssue[];
}

/** Counts of one ingestion run. */
export interface IngestSummary {
  readonly read: number;
  readonly indexed: number;
  readonly unchanged: number;
  readonly rejected: number;
}

/** The ids a run has read, with where each was first read (to reject a second copy in the same run). */
export interface RunIds {
  firstSeen(id: string): string | undefined;
  remember(id: string, location: string): void;
}

/** Run ids held in memory: right for a batch of an API request; a long indexer run keeps them on disk instead. */
export function runIdsInMemory(): RunIds {
  const seen = new Map<string, string>();
  return { firstSeen: (id) => seen.get(id), remember: (id, location) => void seen.set(id, location) };
}

/** How an ingestion run reports as it goes. */
export interface IngestOptions {
  /** Articles per engine write (one transaction each); default 500. */
  readonly batchSize?: number;
  readonly onReject?: (rejection: Rejection) => void;
  /** Called for a record that is indexed without some optional field of it (see {@link SourceRecord.warnings}). */
  readonly onWarning?: (warning: Rejection) => void;
  /** Called after each batch with the counts so far. */
  readonly onProgress?: (summary: IngestSummary) => void;
  /** Called after each batch is written (or found unchanged) with its ids and sources, in record order. */
  readonly onWritten?: (written: readonly WrittenArticle[]) => void;
  /** Where the run keeps the ids it has read (default: in memory, see runIdsInMemory). */
  readonly ids?: RunIds;
}

/** An article a run wrote or found unchanged, and the source it came from. */
export interface WrittenArticle {
  readonly id: string;
  readonly source?: string | undefined;
}

/**
 * What one record comes to before anything is written: its article, or every reason it is rejected (it could not be
 * parsed, a field breaks a rule, or its id was read before in the run, which `seen` then remembers).
 */
export function triageRecord(record: SourceRecord, seen: RunIds): { readonly article: Article } | { readonly issues: readonly FieldIssue[] } {
  if (record.parseError !== undefined) return { issues: [{ path: '(record)', message: record.parseError }] };
  const checked = validateArticle(record.value);
  if (!checked.ok) return { issues: checked.issues };
  const first = seen.firstSeen(checked.article.id);
  if (first !== undefined) return { issues: [{ path: 'id', message: `duplicate id "${checked.article.id}" (first seen at ${first})` }] };
  seen.remember(checked.article.id, record.location);
  return { article: checked.article };
}

/**
 * Validates records and upserts the valid ones in batches through the one write path (each batch all or nothing
 * on the embedded engine; each store skips articles whose content it already holds): a bad record is rejected
 * with its location and field-level reasons, and never stops its neighbours. An id seen twice in one run is rejected the second time
 * (which copy would win would otherwise depend on batch boundaries).
 */
export async function ingestArticles(
  deps: IngestDeps,
  records: AsyncIterable<SourceRecord> | Iterable<SourceRecord>,
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const batchSize = options.batchSize ?? 500;
  const seen = options.ids ?? runIdsInMemory();
  let batch: Article[] = [];
  let batchSources: (string | undefined)[] = [];
  let counts = { read: 0, indexed: 0, unchanged: 0, rejected: 0 };
  const reject = (record: SourceRecord, issues: readonly FieldIssue[]) => {
    counts = { ...counts, rejected: counts.rejected + 1 };
    options.onReject?.({ ...(record.source === undefined ? {} : { source: record.source }), location: record.location, issues });
  };
  const writes = new ArticleWrites(deps);
  const flush = async () => {
    if (batch.length === 0) return;
    const written = await writes.upsert(batch);
    options.onWritten?.(batch.map((a, i) => ({ id: a.id, source: batchSources[i] })));
    batch = [];
    batchSources = [];
    counts = { ...counts, indexed: counts.indexed + written.indexed, unchanged: counts.unchanged + written.unchanged };
    options.onProgress?.(counts);
  };
  for await (const record of records) {
    counts = { ...counts, read: counts.read + 1 };
    const triaged = triageRecord(record, seen);
    if ('issues' in triaged) {
      reject(record, triaged.issues);
      continue;
    }
    if (record.warnings !== undefined && record.warnings.length > 0) {
      options.onWarning?.({ ...(record.source === undefined ? {} : { source: record.source }), location: record.location, issues: record.warnings });
    }
    batch.push(triaged.article);
    batchSources.push(record.source);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return counts;
}

/** See ArticleWrites.refreshEntities: re-resolves the articles whose entities depended on evidence that changed. */
export async function refreshEntities(deps: IngestDeps, batchSize = 500): Promise<number> {
  return new ArticleWrites(deps).refreshEntities(batchSize);
}
