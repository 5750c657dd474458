import { formatOf } from './read-source.js';
import type { SourceFormat } from './read-source.js';
import { isSitemap } from './sitemap-records.js';

/** What an HTTP answer holds: a source format, or a sitemap (a urlset or an index). */
export type HttpFormat = SourceFormat | 'sitemap';

/** A Content-Type's media type and charset (lower case). */
export function mediaType(contentType: string): { type: string; charset?: string } {
  const [type = '', ...params] = contentType.toLowerCase().split(';').map((p) => p.trim());
  const charset = params.find((p) => p.startsWith('charset='))?.slice(8).replace(/^"|"$/g, '');
  return charset === undefined ? { type } : { type, charset };
}

/**
 * What an answer holds, from its Content-Type, else its first bytes, else its URL's extension: JSON (JSON Feed is
 * told apart once parsed), JSON Lines, CSV, HTML, plain text, or XML — a sitemap when its root element is `urlset`
 * or `sitemapindex`, else a feed. A forced format (--format) wins, except that XML is still told apart.
 */
export function httpFormat(answer: { url: string; contentType: string; body: Buffer }, forced?: SourceFormat): HttpFormat {
  const head = answer.body.subarray(0, 2048).toString('latin1').replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, '').trimStart();
  const xml = (): HttpFormat => (isSitemap(head) ? 'sitemap' : 'feed');
  if (forced !== undefined) return forced === 'feed' ? xml() : forced;
  const { type } = mediaType(answer.contentType);
  if (/ndjson|jsonl|json-seq/.test(type)) return 'jsonl';
  if (type.includes('json')) return 'json';
  if (type === 'text/csv') return 'csv';
  if (type === 'text/html' || type === 'application/xhtml+xml') return 'html';
  if (type.includes('xml')) return xml();
  if (/^<!doctype html|^<html/i.test(head)) return 'html';
  if (head.startsWith('<')) return xml();
  const byExtension = formatOf(new URL(answer.url).pathname);
  if (byExtension !== undefined) return byExtension === 'feed' ? xml() : byExtension;
  if (head.startsWith('{') || head.startsWith('[')) return 'json';
  return 'text';
}
