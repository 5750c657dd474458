import { createHash } from 'node:crypto';
import type { SourceRecord } from '../../src/services/ingest-articles.js';
import type { IndexerState, SourceSuccess } from '../state.js';
import type { FieldMap } from './field-map.js';
import type { Candidate } from './http-documents.js';
import { documentCandidates } from './http-documents.js';
import type { HttpClient } from './http-client.js';
import { backoffMs, HttpFetchError } from './http-client.js';
import { canonicalUrl } from './http-canonical.js';
import { httpFormat } from './http-format.js';
import { completeFromPage } from './http-pages.js';
import type { RobotsRules } from './http-robots.js';
import type { SourceFormat } from './read-source.js';

/** The network side of a run: the polite client and the robots.txt rules (kept across the polls of a follow run). */
export interface Web {
  readonly client: HttpClient;
  readonly robots: RobotsRules;
}

/** What a run keeps to write in the indexer state once its articles are written (see IndexerState.sourcesSucceeded). */
export interface HttpLedger {
  readonly successes: SourceSuccess[];
  readonly pages: { url: string; hash: string; at: number }[];
  /** Canonical URLs delivered so far this run: the same article from a second feed is left out (it is one article). */
  readonly seenUrls: Set<string>;
}

/** How to read one HTTP source. */
export interface HttpSourceContext {
  readonly url: string;
  readonly web: Web;
  readonly state: IndexerState;
  readonly ledger: HttpLedger;
  readonly map: FieldMap;
  readonly format?: SourceFormat | undefined;
  /** Fetch the page of an item that carries only a summary or a link (--fetch-pages). */
  readonly fetchPages: boolean;
  /** Follow mode: a source that failed n times in a row is asked again after about base·2^(n−1) ms, not before. */
  readonly backoffBaseMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onBytes?: ((bytes: number) => void) | undefined;
  /** Pages fetched for one document in one run at most (default {@link MAX_PAGES_PER_READ}). */
  readonly maxPages?: number | undefined;
  /** A dry run: failures are reported, not recorded in the state. */
  readonly dryRun?: boolean | undefined;
}


/** Longest backoff of a failing source, in ms. */
const MAX_BACKOFF_MS = 60 * 60 * 1000;
/** Sitemaps a sitemap index may list that are read (the protocol allows 50,000; a news site has a few). */
const MAX_CHILD_SITEMAPS = 1_000;
/**
 * Pages fetched for one document in one run at most (a first read of a large sitemap would otherwise hold the
 * other sources up for hours): the rest are fetched by the next runs, the document's validators not being kept
 * until then. Entries are read in document order (a news sitemap lists the newest first).
 */
export const MAX_PAGES_PER_READ = 200;
/** Pages fetched at once for one source (each host's gate bounds them further). */
const PAGE_CONCURRENCY = 4;
const ACCEPT = 'application/feed+json, application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, text/html;q=0.7, */*;q=0.5';

const failureRecord = (ctx: HttpSourceContext, location: string, message: string): SourceRecord => ({
  source: ctx.url, location, value: undefined, parseError: message,
});

/**
 * The records of an HTTP(S) source: its answer is fetched with the validators of the last one (a 304 yields
 * nothing and costs no parse), read by what it holds (http-format.ts) through the same readers as files, plus JSON
 * Feed and sitemaps (an index's sitemaps are read in turn); item URLs are made canonical, an article already
 * delivered this run is left out, and with `fetchPages` an item carrying only a summary or a link is completed from
 * its page (http-pages.ts). A source that cannot be fetched is one rejected record located by its URL, and its
 * failure is recorded in the state (the run goes on with the others); a success is only noted in `ctx.ledger`,
 * written once the run's articles are.
 */
export async function* readHttpSource(ctx: HttpSourceContext): AsyncGenerator<SourceRecord> {
  yield* readDocument(ctx, ctx.url, 0);
}

async function* readDocument(ctx: HttpSourceContext, url: string, depth: number): AsyncGenerator<SourceRecord> {
  const known = ctx.state.source(url);
  const started = Date.now();
  let fetched;
  try {
    const validators = { etag: known?.etag, lastModified: known?.lastModified };
    fetched = await ctx.web.client.get(url, { accept: ACCEPT, validators, ...(ctx.signal === undefined ? {} : { signal: ctx.signal }) });
  } catch (error) {
    if (ctx.signal?.aborted) return; // stopped (SIGTERM): not the source's failure
    const message = error instanceof HttpFetchError ? error.message : `${url}: ${(error as Error).message}`;
    recordFailure(ctx, url, message, error instanceof HttpFetchError ? error.details.retryAfterMs : undefined);
    yield failureRecord(ctx, url, `cannot fetch: ${message}`);
    return;
  }
  if (fetched.body === undefined) {
    ctx.ledger.successes.push({ url, at: started });
    return;
  }
  const body = fetched.body;
  const format = httpFormat({ url: fetched.url, contentType: fetched.contentType, body }, ctx.format);
  let candidates: Awaited<ReturnType<typeof documentCandidates>>;
  try {
    candidates = await documentCandidates(ctx, { url: fetched.url, body, contentType: fetched.contentType, format });
  } catch (error) {
    const message = `${fetched.url}: cannot read it as ${format}: ${(error as Error).message}`;
    recordFailure(ctx, url, message, undefined);
    yield failureRecord(ctx, fetched.url, message);
    return;
  }
  if (candidates.sitemaps !== undefined) {
    for (const child of candidates.sitemaps.slice(0, MAX_CHILD_SITEMAPS)) {
      if (ctx.signal?.aborted) return;
      if (depth > 0) yield failureRecord(ctx, child, 'a sitemap index listed by a sitemap index is not read');
      else yield* readDocument(ctx, child, depth + 1);
    }
  }
  if (format === 'sitemap' && !ctx.fetchPages && candidates.records.some((c) => c.partial)) {
    const entries = candidates.records.filter((c) => c.partial).length;
    yield failureRecord(ctx, fetched.url, `a sitemap lists links only (${entries} entries, no text): give --fetch-pages to read their pages`);
    yield* candidates.records.filter((c) => !c.partial).map((c) => c.record);
    ctx.ledger.successes.push({ url, at: started }); // validators not kept: with --fetch-pages, the next read gets it all
    return;
  }
  let items = 0;
  let newest: number | undefined;
  const budget = { left: ctx.maxPages ?? MAX_PAGES_PER_READ, cut: false };
  for await (const record of completeAll(ctx, candidates.records, budget)) {
    if (ctx.signal?.aborted) return; // the source was not read in full: its validators are not kept
    if (record.parseError === undefined) {
      items++;
      const published = Date.parse(String((record.value as { publishedAt?: unknown }).publishedAt ?? ''));
      if (!Number.isNaN(published)) newest = Math.max(newest ?? published, published);
    }
    yield record;
  }
  // cut short by the page budget: the validators are not kept, so that the next read gets the rest
  const validators = budget.cut ? {} : { etag: fetched.etag, lastModified: fetched.lastModified };
  ctx.ledger.successes.push({ url, at: started, fresh: { ...validators, items, newestItemAt: newest } });
}

/** Records a failure with when to ask again: a Retry-After, or in follow mode the backoff after n failures in a row. */
function recordFailure(ctx: HttpSourceContext, url: string, message: string, retryAfter: number | undefined): void {
  if (ctx.dryRun) return;
  const at = Date.now();
  const failures = (ctx.state.source(url)?.consecutiveFailures ?? 0) + 1;
  const backoff = ctx.backoffBaseMs === undefined ? undefined : Math.min(MAX_BACKOFF_MS, backoffMs(ctx.backoffBaseMs, failures, Math.random));
  const wait = Math.max(retryAfter ?? 0, backoff ?? 0);
  ctx.state.sourceFailed({ url, at, error: message, notBefore: wait > 0 ? at + wait : undefined });
}

/**
 * The records completed in order, up to {@link PAGE_CONCURRENCY} at once: URLs made canonical, an article already
 * delivered this run left out, partial items completed from their pages (or left out when their page was fetched
 * for this very version of the item before).
 */
async function* completeAll(ctx: HttpSourceContext, candidates: readonly Candidate[], budget: PageBudget): AsyncGenerator<SourceRecord> {
  const running: Promise<SourceRecord | undefined>[] = [];
  let next = 0;
  while (next < candidates.length || running.length > 0) {
    while (running.length < PAGE_CONCURRENCY && next < candidates.length && !ctx.signal?.aborted) running.push(complete(ctx, candidates[next++]!, budget));
    if (running.length === 0) return;
    const record = await running.shift()!;
    if (record !== undefined) yield record;
  }
}

/** Pages a document may still have fetched this run, and whether some were left for the next. */
interface PageBudget {
  left: number;
  cut: boolean;
}

async function complete(ctx: HttpSourceContext, candidate: Candidate, budget: PageBudget): Promise<SourceRecord | undefined> {
  const { record } = candidate;
  if (record.parseError !== undefined || typeof record.value !== 'object' || record.value === null) return record;
  const value = record.value as Record<string, unknown>;
  if (typeof value['url'] !== 'string') return record;
  const url = canonicalUrl(value['url']);
  if (ctx.ledger.seenUrls.has(url)) return undefined;
  ctx.ledger.seenUrls.add(url);
  const canonical = { ...record, value: { ...value, url } };
  if (!candidate.partial) return canonical;
  if (!ctx.fetchPages) {
    if (typeof value['body'] === 'string' && value['body'].trim() !== '') return canonical;
    return failureRecord(ctx, record.location, `${url}: the entry carries a link only, no text: give --fetch-pages to read its page`);
  }
  const hash = createHash('sha256').update(JSON.stringify(canonical.value)).digest('hex').slice(0, 16);
  if (ctx.state.pageFetched(url, hash)) return undefined;
  if (budget.left <= 0) {
    budget.cut = true;
    return undefined;
  }
  budget.left--;
  const completed = await completeFromPage(ctx, canonical, url);
  if (completed.parseError === undefined) ctx.ledger.pages.push({ url, hash, at: Date.now() });
  const pageUrl = (completed.value as { url?: unknown } | undefined)?.url;
  if (typeof pageUrl === 'string' && pageUrl !== url) {
    if (ctx.ledger.seenUrls.has(pageUrl)) return undefined; // its page names an article already delivered
    ctx.ledger.seenUrls.add(pageUrl);
  }
  return completed;
}
