import type { Article } from '../../core/article.js';
import { contentHash } from '../../core/article.js';
import { ABOUT_SALIENCE, aboutKeys } from '../../core/entities/about.js';
import { bucketLabel, bucketStart } from '../../core/trends/date-histogram.js';
import type { HistogramInterval } from '../../core/trends/date-histogram.js';

/**
 * An article as stored in Meilisearch: its fields, with `publishedAt` as a number (ms since the epoch, so that it
 * can be range-filtered and sorted), `about` (the `kind:name` keys of the entities it is about, see
 * core/entities/about.ts: Meilisearch cannot order by salience) and `contentHash` so that unchanged articles are
 * skipped, and the day, week and month of `publishedAt` as facets for histograms.
 */
export interface MeiliDocument extends Omit<Article, 'publishedAt'> {
  readonly publishedAt?: number;
  readonly about?: readonly string[];
  readonly contentHash: string;
  /** First day (`YYYY-MM-DD`, UTC) of the day, ISO week and month of `publishedAt`: facets for histograms. */
  readonly publishedDay?: string;
  readonly publishedWeek?: string;
  readonly publishedMonth?: string;
  /** Set by the outbox's deliverer as it sends the document (mirror-fields.ts), for replicas that follow the index. */
  readonly indexedAt?: number;
}

/** The document field faceted for a histogram of each interval. */
export const HISTOGRAM_FIELDS: Record<HistogramInterval, 'publishedDay' | 'publishedWeek' | 'publishedMonth'> = {
  day: 'publishedDay',
  week: 'publishedWeek',
  month: 'publishedMonth',
};

/** The stored document's shape: documents written in an earlier shape differ in hash, so the next write redoes them. */
const DOCUMENT_VERSION = 3;

/** Fields the adapter stores but an article does not have. */
const INTERNAL_FIELDS = new Set(['about', 'contentHash', 'indexedAt', ...Object.values(HISTOGRAM_FIELDS), '_formatted', '_rankingScore', '_matchesPosition']);

/**
 * The hash a document of this article carries: its content (core contentHash) in this document shape, with this
 * `about` threshold (a change of either rewrites every document once).
 */
export const documentHash = (article: Article): string => `${DOCUMENT_VERSION}:${ABOUT_SALIENCE}:${contentHash(article)}`;

/** The document for an article. */
export function toDocument(article: Article): MeiliDocument {
  const { publishedAt, ...rest } = article;
  const about = aboutKeys(article.salience);
  const ms = publishedAt === undefined ? undefined : Date.parse(publishedAt);
  return {
    ...rest,
    ...(ms === undefined ? {} : {
      publishedAt: ms,
      publishedDay: bucketLabel(bucketStart(ms, 'day')),
      publishedWeek: bucketLabel(bucketStart(ms, 'week')),
      publishedMonth: bucketLabel(bucketStart(ms, 'month')),
    }),
    ...(about.length === 0 ? {} : { about }),
    contentHash: documentHash(article),
  };
}

/**
 * The article a stored document holds (or a search hit, whose `_formatted` and other `_` fields are dropped):
 * `publishedAt` back to ISO 8601 UTC with milliseconds, exactly as the article was validated.
 */
export function fromDocument(doc: Record<string, unknown>): Article {
  const entries = Object.entries(doc).filter(([key, value]) => !INTERNAL_FIELDS.has(key) && value !== null);
  const article = Object.fromEntries(entries) as Record<string, unknown>;
  if (typeof article.publishedAt === 'number') article.publishedAt = new Date(article.publishedAt).toISOString();
  return article as unknown as Article;
}

/**
 * Largest request body the adapter sends, in bytes of JSON. Meilisearch refuses bodies over its
 * `--http-payload-size-limit` (100 MB by default) with 413; bodies are up to 1,000,000 characters each, so a batch
 * of 500 long articles can exceed it.
 */
export const MAX_PAYLOAD_BYTES = 50 * 1024 * 1024;

/**
 * Documents grouped, in order, into bodies of at most `maxBytes` of JSON (a single larger document goes alone).
 * One group — the usual case — is one task, applied atomically; more groups are applied one after the other.
 */
export function payloadBatches(docs: readonly MeiliDocument[], maxBytes = MAX_PAYLOAD_BYTES): MeiliDocument[][] {
  const batches: MeiliDocument[][] = [];
  let current: MeiliDocument[] = [];
  let size = 2; // the brackets
  for (const doc of docs) {
    const bytes = Buffer.byteLength(JSON.stringify(doc)) + 1; // and a comma
    if (current.length > 0 && size + bytes > maxBytes) {
      batches.push(current);
      current = [];
      size = 2;
    }
    current.push(doc);
    size += bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
