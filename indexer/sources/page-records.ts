import fs from 'node:fs/promises';
import type { SourceRecord } from '../../src/services/ingest-articles.js';
import { extractHtmlPage } from '../clean/html-page.js';
import { cleanScrapedText } from '../clean/scraped-text.js';
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

/** One saved HTML page: metadata from meta tags and JSON-LD, main text by Readability (see clean/html-page.ts). */
export async function* readHtmlPage(file: string, ctx: ReadContext): AsyncGenerator<SourceRecord> {
  const page = await pageText(file, ctx);
  const base = { source: ctx.source, location: ctx.label };
  yield 'error' in page ? { ...base, value: undefined, parseError: page.error } : { ...base, value: extractHtmlPage(page.text) };
}

/** One page scraped as plain text, cleaned of its chrome (see clean/scraped-text.ts). */
export async function* readTextPage(file: string, ctx: ReadContext): AsyncGenerator<SourceRecord> {
  const page = await pageText(file, ctx);
  const base = { source: ctx.source, location: ctx.label };
  yield 'error' in page ? { ...base, value: undefined, parseError: page.error } : { ...base, value: cleanScrapedText(page.text) };
}
