import { htmlParagraphs } from '../clean/html-text.js';

/**
 * JSON Feed 1.0 and 1.1 (jsonfeed.org): a JSON object whose `version` is `https://jsonfeed.org/version/1` or
 * `…/1.1`, with `items`. Each item becomes a raw article: content_text (else content_html read as text, else
 * summary) → body; url (else external_url) → url; date_published / date_modified → publishedAt / updatedAt;
 * authors[].name (1.1) or author.name (1.0) → author; tags → tags; language (the item's, else the feed's) →
 * language; the feed's title → source.
 */

/** Whether a parsed JSON document is a JSON Feed. */
export const isJsonFeed = (doc: unknown): doc is { items?: unknown; title?: unknown; language?: unknown } =>
  typeof doc === 'object' && doc !== null && typeof (doc as { version?: unknown }).version === 'string' &&
  (doc as { version: string }).version.startsWith('https://jsonfeed.org/version/');

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** One JSON Feed item as a raw article, and whether it carries its full text (content_text or content_html). */
export function jsonFeedItemToRecord(item: unknown, feed: { title?: unknown; language?: unknown }): { value: Record<string, unknown>; fullText: boolean } {
  const i = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
  const html = str(i['content_html']);
  const content = str(i['content_text']) ?? (html === undefined ? undefined : htmlParagraphs(html).join('\n\n'));
  const summary = str(i['summary']);
  const authors = Array.isArray(i['authors']) ? i['authors'] : i['author'] === undefined ? [] : [i['author']];
  const author = authors.map((a) => str((a as { name?: unknown } | null)?.name)).find((n) => n !== undefined);
  const tags = Array.isArray(i['tags']) ? i['tags'] : undefined;
  const record: Record<string, unknown> = {
    title: str(i['title'])?.replace(/\s+/g, ' '),
    body: content ?? summary ?? '',
    summary: content === undefined ? undefined : summary,
    url: str(i['url']) ?? str(i['external_url']),
    publishedAt: str(i['date_published']),
    updatedAt: str(i['date_modified']),
    author,
    tags,
    language: str(i['language']) ?? str(feed.language),
    source: str(feed.title),
  };
  return { value: Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)), fullText: content !== undefined };
}
