import type { SourceRecord } from '../../src/services/ingest-articles.js';
import { HttpFetchError } from './http-client.js';
import { canonicalUrl } from './http-canonical.js';
import { mediaType } from './http-format.js';
import type { HttpSourceContext } from './http-source.js';
import { htmlBytesRecord } from './page-records.js';

/** Longest summary an article keeps (the article schema's limit). */
const MAX_SUMMARY = 5_000;

/**
 * An item that carries only a summary or a link, completed from its page (--fetch-pages): the page is fetched if
 * its host's robots.txt allows it, and read by the saved-page pipeline (metadata, Readability, chrome removed).
 * The item's own fields win (a feed's title and dates are the publisher's own), the page gives the text, its
 * canonical URL (`<link rel="canonical">`, og:url) and what the item lacks; the item's text becomes the summary.
 * When the page cannot be had, an item with a summary is kept with it as its text (and a warning); one without any
 * text is rejected, naming the page and why.
 */
export async function completeFromPage(ctx: HttpSourceContext, record: SourceRecord, url: string): Promise<SourceRecord> {
  const item = record.value as Record<string, unknown>;
  const itemText = typeof item['body'] === 'string' && item['body'].trim() !== '' ? item['body'] : undefined;
  let page: SourceRecord;
  try {
    await ctx.web.robots.check(url, ctx.signal);
    const fetched = await ctx.web.client.get(url, { accept: 'text/html, application/xhtml+xml;q=0.9', ...(ctx.signal === undefined ? {} : { signal: ctx.signal }) });
    const { charset } = mediaType(fetched.contentType);
    page = htmlBytesRecord(fetched.body ?? Buffer.alloc(0), { source: ctx.url, label: fetched.url, base: fetched.url, ...(charset === undefined ? {} : { charset }) });
  } catch (error) {
    const why = error instanceof HttpFetchError ? error.message : `${url}: ${(error as Error).message}`;
    return unfetched(record, itemText, `its page was not fetched (${why})`);
  }
  if (page.parseError !== undefined) return unfetched(record, itemText, `its page could not be read (${url}: ${page.parseError})`);
  const fromPage = page.value as Record<string, unknown>;
  const own = Object.fromEntries(Object.entries(item).filter(([k, v]) => k !== 'body' && v !== undefined));
  const pageUrl = typeof fromPage['url'] === 'string' ? canonicalUrl(fromPage['url']) : url;
  const summary = own['summary'] ?? fromPage['summary'] ?? itemText?.slice(0, MAX_SUMMARY);
  const value = { ...fromPage, ...own, url: pageUrl, ...(summary === undefined ? {} : { summary }) };
  const warnings = [...(record.warnings ?? []), ...(page.warnings ?? [])];
  return { ...record, value, ...(warnings.length > 0 ? { warnings } : {}) };
}

function unfetched(record: SourceRecord, itemText: string | undefined, why: string): SourceRecord {
  if (itemText === undefined) return { ...record, value: undefined, parseError: `the entry carries no text and ${why}` };
  return { ...record, warnings: [...(record.warnings ?? []), { path: 'body', message: `${why}; the item's summary stands for its text` }] };
}
