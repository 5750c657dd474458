import { SaxesParser } from 'saxes';
import { decodeXml } from './xml-encoding.js';

/**
 * Sitemaps (sitemaps.org 0.9) and Google News sitemaps: a `<urlset>` lists pages, each `<url>` with its `<loc>`,
 * `<lastmod>` and, in a news sitemap, a `<news:news>` with the article's `<news:title>`,
 * `<news:publication_date>`, `<news:keywords>` (comma-separated) and its `<news:publication>` (`<news:name>`,
 * `<news:language>`); a `<sitemapindex>` lists other sitemaps. Elements are matched by local name, so that a
 * sitemap spelling its namespaces differently still reads.
 */

/** One `<url>` of a urlset, with what a news sitemap says of its article. */
export interface SitemapEntry {
  readonly loc: string;
  /** The line of its `<url>` in the document. */
  readonly line: number;
  readonly lastmod?: string;
  readonly title?: string;
  readonly publishedAt?: string;
  readonly keywords?: readonly string[];
  readonly publication?: string;
  readonly language?: string;
}

/** A sitemap read: its entries (a urlset) or the sitemaps it lists (an index), and the XML error that stopped it. */
export interface Sitemap {
  readonly kind: 'urlset' | 'index';
  readonly entries: readonly SitemapEntry[];
  readonly sitemaps: readonly string[];
  readonly error?: string;
}

const local = (name: string): string => name.slice(name.indexOf(':') + 1);

/** Whether an XML document's root element is a sitemap's (`urlset` or `sitemapindex`), from its first bytes. */
export function isSitemap(head: string): boolean {
  const root = /<(?![?!])(?:[\w.-]+:)?([\w.-]+)/.exec(head.replace(/<!--[\s\S]*?-->/g, ''))?.[1];
  return root === 'urlset' || root === 'sitemapindex';
}

/**
 * Reads a whole sitemap document (bytes, encoding found as for feeds). Entries without a `<loc>` are skipped, and so
 * are entries holding malformed XML (the first XML error is returned; the entries around it stand).
 */
export function readSitemap(bytes: Uint8Array): Sitemap {
  const { text } = decodeXml(bytes);
  const parser = new SaxesParser({ position: true });
  const entries: SitemapEntry[] = [];
  const sitemaps: string[] = [];
  const path: string[] = [];
  let root: string | undefined;
  let error: string | undefined;
  let fields: Record<string, string> | undefined;
  let damaged = false; // an XML error inside the open entry: it is left out (its neighbours stand)
  let line = 0;
  let textBuffer = '';
  parser.on('opentag', (tag) => {
    const name = local(tag.name);
    root ??= name;
    path.push(name);
    textBuffer = '';
    if ((name === 'url' || name === 'sitemap') && path.length === 2) {
      fields = {};
      damaged = false;
      line = parser.line;
    }
  });
  parser.on('text', (t) => (textBuffer += t));
  parser.on('cdata', (t) => (textBuffer += t));
  parser.on('closetag', (tag) => {
    const name = local(tag.name);
    path.pop();
    if (fields !== undefined && path.length >= 2) fields[name] ??= textBuffer.trim();
    textBuffer = '';
    if (path.length !== 1 || fields === undefined) return;
    if (name === 'sitemap' && fields['loc'] && !damaged) sitemaps.push(fields['loc']);
    if (name === 'url' && fields['loc'] && !damaged) entries.push(toEntry(fields, line));
    fields = undefined;
  });
  parser.on('error', (e) => {
    error ??= e.message;
    if (fields !== undefined) damaged = true;
  });
  try {
    parser.write(text).close();
  } catch (e) {
    error ??= (e as Error).message;
  }
  if (root !== 'urlset' && root !== 'sitemapindex') return { kind: 'urlset', entries: [], sitemaps: [], error: `not a sitemap (root element: ${root ?? 'none'})` };
  return { kind: root === 'urlset' ? 'urlset' : 'index', entries, sitemaps, ...(error === undefined ? {} : { error: `malformed XML: ${error}` }) };
}

function toEntry(f: Record<string, string>, line: number): SitemapEntry {
  const keywords = (f['keywords'] ?? '').split(',').map((k) => k.trim()).filter((k) => k !== '');
  const entry: Record<string, unknown> = {
    loc: f['loc'],
    line,
    lastmod: f['lastmod'] || undefined,
    title: f['title'] || undefined,
    publishedAt: f['publication_date'] || undefined,
    keywords: keywords.length > 0 ? keywords : undefined,
    publication: f['name'] || undefined,
    language: f['language'] || undefined,
  };
  return Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined)) as unknown as SitemapEntry;
}

/** A sitemap entry as a raw article without its text (its page gives that, see --fetch-pages). */
export function sitemapEntryToRecord(e: SitemapEntry): Record<string, unknown> {
  const record: Record<string, unknown> = {
    url: e.loc,
    title: e.title,
    publishedAt: e.publishedAt,
    updatedAt: e.lastmod,
    tags: e.keywords,
    source: e.publication,
    language: e.language,
  };
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}
