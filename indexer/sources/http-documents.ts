import type { SourceRecord } from '../../src/services/ingest-articles.js';
import { cleanScrapedText } from '../clean/scraped-text.js';
import { readCsvChunks } from './csv-records.js';
import { readFeedChunks } from './feed-records.js';
import type { FieldMap } from './field-map.js';
import type { HttpFormat } from './http-format.js';
import { mediaType } from './http-format.js';
import { isJsonFeed, jsonFeedItemToRecord } from './json-feed.js';
import { readJsonBytes, readJsonLineChunks } from './json-records.js';
import { keepValidOptionals } from './optional-fields.js';
import { htmlBytesRecord, pageRecord } from './page-records.js';
import { readSitemap, sitemapEntryToRecord } from './sitemap-records.js';

/**
 * An HTTP answer's records, read by what it holds (http-format.ts) through the same readers as files, plus JSON
 * Feed and sitemaps. The answer is in memory already (its size is capped), so each reader gets it as one chunk.
 */

/** A record read from a document, and whether it carries only a summary or a link (its page completes it). */
export interface Candidate {
  readonly record: SourceRecord;
  readonly partial: boolean;
}

/** What reading a document needs: the source it belongs to, the CSV map, a byte counter. */
export interface DocumentContext {
  readonly url: string;
  readonly map: FieldMap;
  readonly onBytes?: ((bytes: number) => void) | undefined;
}

/** The candidates of a document, or the sitemaps an index lists. */
export async function documentCandidates(
  ctx: DocumentContext,
  doc: { url: string; body: Buffer; contentType: string; format: HttpFormat },
): Promise<{ records: Candidate[]; sitemaps?: string[] }> {
  const rctx = { source: ctx.url, label: doc.url, ...(ctx.onBytes === undefined ? {} : { onBytes: ctx.onBytes }) };
  const plain = (records: readonly SourceRecord[]) => records.map((record) => ({ record, partial: false }));
  switch (doc.format) {
    case 'feed': {
      const summaryOnly = new WeakSet<SourceRecord>();
      const records = await collect(readFeedChunks(once(doc.body), { ...rctx, summaryOnly, base: doc.url }));
      return { records: records.map((record) => ({ record, partial: summaryOnly.has(record) })) };
    }
    case 'sitemap':
      return sitemapCandidates(ctx, doc);
    case 'json':
      return { records: jsonCandidates(rctx, doc.body) };
    case 'jsonl':
      return { records: plain(await collect(readJsonLineChunks(once(doc.body), rctx))) };
    case 'csv':
      return { records: plain(await collect(readCsvChunks(once(doc.body), { ...rctx, map: ctx.map }))) };
    case 'html': {
      const { charset } = mediaType(doc.contentType);
      return { records: plain([htmlBytesRecord(doc.body, { ...rctx, base: doc.url, ...(charset === undefined ? {} : { charset }) })]) };
    }
    case 'text':
      return { records: plain([pageRecord({ source: ctx.url, location: doc.url }, { ...cleanScrapedText(doc.body.toString('utf8')) })]) };
  }
}

function sitemapCandidates(ctx: DocumentContext, doc: { url: string; body: Buffer }): { sitemaps: string[]; records: Candidate[] } {
  const sitemap = readSitemap(doc.body);
  const records: Candidate[] = sitemap.entries.map((e) => {
    const { value, warnings } = keepValidOptionals(sitemapEntryToRecord(e));
    const record = { source: ctx.url, location: `${doc.url}:${e.line}`, value, ...(warnings.length > 0 ? { warnings } : {}) };
    return { record, partial: true };
  });
  if (sitemap.error !== undefined) records.push({ record: { source: ctx.url, location: doc.url, value: undefined, parseError: sitemap.error }, partial: false });
  return { sitemaps: sitemap.sitemaps.map((s) => new URL(s, doc.url).href), records };
}

function jsonCandidates(rctx: { source: string; label: string }, body: Buffer): Candidate[] {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return [...readJsonBytes(body, rctx)].map((record) => ({ record, partial: false })); // it reports the error
  }
  if (!isJsonFeed(doc)) return [...readJsonBytes(body, rctx)].map((record) => ({ record, partial: false }));
  const items = Array.isArray(doc.items) ? doc.items : [];
  return items.map((item, i) => {
    const { value: raw, fullText } = jsonFeedItemToRecord(item, doc);
    const { value, warnings } = keepValidOptionals(raw);
    return { record: { source: rctx.source, location: `${rctx.label} (item ${i + 1})`, value, ...(warnings.length > 0 ? { warnings } : {}) }, partial: !fullText };
  });
}

async function* once(body: Buffer): AsyncGenerator<Buffer> {
  yield body;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
