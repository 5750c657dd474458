import fs from 'node:fs/promises';
import type { SourceRecord } from '../../src/services/ingest-articles.js';
import { extractHtmlPage } from '../clean/html-page.js';
import { cleanScrapedText } from '../clean/scraped-text.js';
import { keepValidOptionals } from './optional-fields.js';
import type { ReadContext } from './read-context.js';

/** Largest page file read, in bytes: pages are small, and a bigger file is no page. */
export const MAX_PAGE_BYTES = 20 * 1024 * 1024;

const decoder = new TextDecoder('utf-8', { fatal: true });

/** A page file as strict UTF-8, or the reason it is not one. */
async function pageText(file: string, ctx: ReadContext): Promise<{ text: string } | { error: string }> {
  const stat = await fs.stat(file);
  if (stat.size > MAX_PAGE_BYTES) return { error: `the page is ${stat.size} bytes, more than ${MAX_PAGE_BYTES}` };
  const bytes = await fs.readFile(file);
  ctx.onBytes?.(bytes.length);
  try {
    return { text: decoder.decode(bytes) };
  } catch {
    return { error: 'the page is not valid UTF-8' };
  }
}

/** Longest title made from a page's first line when the page states none. */
const MAX_FALLBACK_TITLE = 100;

/** The first line of a body cut to a title's length at a word boundary (with "…" when cut). */
function firstLineTitle(body: string): string {
  const line = body.split('\n')[0]!.trim();
  if (line.length <= MAX_FALLBACK_TITLE) return line;
  const cut = line.slice(0, MAX_FALLBACK_TITLE);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 40 ? cut.lastIndexOf(' ') : MAX_FALLBACK_TITLE).trimEnd()}…`;
}

/**
 * A page's record: what was extracted, with bad optional fields left out and reported (see optional-fields.ts);
 * a page with text but no title of any kind (no `<title>`, heading or metadata) is titled by its first line, with
 * a warning, rather than lost.
 */
export function pageRecord(base: { source: string; location: string }, extracted: Readonly<Record<string, unknown>>): SourceRecord {
  const { value, warnings } = keepValidOptionals(extracted);
  const body = typeof value['body'] === 'string' ? value['body'].trim() : '';
  if ((typeof value['title'] !== 'string' || value['title'].trim() === '') && body !== '') {
    value['title'] = firstLineTitle(body);
    warnings.push({ path: 'title', message: 'the page states no title (no <title>, heading or metadata); its first line stands for it' });
  }
  return warnings.length === 0 ? { ...base, value } : { ...base, value, warnings };
}

/**
 * A page's record from its bytes (an HTTP response's body): strict UTF-8, or the charset given, then the same
 * pipeline as a saved page's. `base` is the page's own URL, which it is known by when it states none.
 */
export function htmlBytesRecord(bytes: Uint8Array, ctx: ReadContext & { charset?: string; base?: string }): SourceRecord {
  const base = { source: ctx.source, location: ctx.label };
  ctx.onBytes?.(bytes.length);
  let text: string;
  try {
    text = new TextDecoder(ctx.charset ?? 'utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ...base, value: undefined, parseError: `the page is not valid ${ctx.charset?.toUpperCase() ?? 'UTF-8'}` };
  }
  const extracted = extractHtmlPage(text);
  return pageRecord(base, extracted['url'] === undefined && ctx.base !== undefined ? { ...extracted, url: ctx.base } : extracted);
}

/** One saved HTML page: metadata from meta tags and JSON-LD, main text by Readability (see clean/html-page.ts). */
export async function* readHtmlPage(file: string, ctx: ReadContext): AsyncGenerator<SourceRecord> {
  const page = await pageText(file, ctx);
  const base = { source: ctx.source, location: ctx.label };
  yield 'error' in page ? { ...base, value: undefined, parseError: page.error } : pageRecord(base, extractHtmlPage(page.text));
}

/** One page scraped as plain text, cleaned of its chrome (see clean/scraped-text.ts). */
export async function* readTextPage(file: string, ctx: ReadContext): AsyncGenerator<SourceRecord> {
  const page = await pageText(file, ctx);
  const base = { source: ctx.source, location: ctx.label };
  yield 'error' in page ? { ...base, value: undefined, parseError: page.error } : pageRecord(base, { ...cleanScrapedText(page.text) });
}
