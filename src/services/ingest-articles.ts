import type { Article } from '../core/article.js';
import type { FieldIssue } from '../core/errors.js';
import { validateArticle } from '../core/validate-article.js';
import type { SearchEngine } from '../engines/search-engine.js';
import type { EntityWriter } from '../entities/entity-port.js';
import type { SimilarityWriter } from '../similarity/similarity-port.js';

/** Where ingestion writes: the engine first, then the similarity index and entity statistics. */
export interface IngestDeps {
  readonly engine: SearchEngine;
  readonly similarity?: SimilarityWriter;
  readonly entities?: EntityWriter;
}

/** A raw record and where it came from (`file:line`, or `body[3]` for an API batch). */
export interface SourceRecord {
  readonly location: string;
  /** The parsed value, or the reason it could not be parsed (malformed JSON, invalid UTF-8…). */
  readonly value: unknown;
  readonly parseError?: string;
  /** The source it was read from (a file or folder given to the indexer); absent for API requests. */
  readonly source?: string;
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
 * Validates records and upserts the valid ones in batches, into the search engine and the similarity index
 * (each skips articles whose content it already holds): a bad record is rejected with its location and
 * field-level reasons, and never stops its neighbours. An id seen twice in one run is rejected the second time
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
  const flush = async () => {
    if (batch.length === 0) return;
    const held = deps.entities?.held(batch) ?? new Set<string>();
    const fresh = held.size === 0 ? batch : batch.filter((a) => !held.has(a.id));
    const enriched = deps.entities ? deps.entities.enrich(fresh) : fresh;
    const written = enriched.length === 0 ? { indexed: 0, unchanged: 0 } : await deps.engine.upsert(enriched);
    // after the engine: a re-run after a crash between the writes completes them all
    deps.similarity?.upsert(enriched);
    deps.entities?.commit(enriched);
    options.onWritten?.(batch.map((a, i) => ({ id: a.id, source: batchSources[i] })));
    batch = [];
    batchSources = [];
    const unchanged = counts.unchanged + written.unchanged + held.size;
    counts = { ...counts, indexed: counts.indexed + written.indexed, unchanged };
    options.onProgress?.(counts);
  };
  for await (const record of records) {
    counts = { ...counts, read: counts.read + 1 };
    if (record.parseError !== undefined) {
      reject(record, [{ path: '(record)', message: record.parseError }]);
      continue;
    }
    const checked = validateArticle(record.value);
    if (!checked.ok) {
      reject(record, checked.issues);
      continue;
    }
    const first = seen.firstSeen(checked.article.id);
    if (first !== undefined) {
      reject(record, [{ path: 'id', message: `duplicate id "${checked.article.id}" (first seen at ${first})` }]);
      continue;
    }
    seen.remember(checked.article.id, record.location);
    batch.push(checked.article);
    batchSources.push(record.source);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return counts;
}

/**
 * Re-resolves the articles whose lone names ("President Reagan") or bare names depended on corpus evidence that has
 * changed since they were read, so that after a run every article sees the evidence of the whole corpus, whatever
 * the order articles came in (and a run cut short then resumed ends as an uninterrupted one). Evidence is text
 * only, but which names count as people can depend on it (a name another article gave as an organisation's), so
 * the pass repeats until the evidence stops changing (at most `MAX_REFRESH_PASSES`). Returns how many articles
 * changed.
 */
export async function refreshEntities(deps: IngestDeps, batchSize = 500): Promise<number> {
  if (!deps.entities) return 0;
  let changed = 0;
  for (let pass = 0; pass < MAX_REFRESH_PASSES; pass++) {
    const due = deps.entities.toRefresh();
    if (!due) break;
    for (let i = 0; i < due.ids.length; i += batchSize) {
      const found = await Promise.all(due.ids.slice(i, i + batchSize).map((id) => deps.engine.get(id)));
      const articles = deps.entities.enrich(found.filter((a): a is Article => a !== undefined));
      const written = await deps.engine.upsert(articles);
      deps.similarity?.upsert(articles);
      deps.entities.commit(articles);
      changed += written.indexed;
    }
    deps.entities.refreshed(due.generation);
  }
  return changed;
}

/** Refresh passes after a run; evidence settles in one or two (each pass only narrows what can still change). */
export const MAX_REFRESH_PASSES = 5;
