import { isWidgetLine } from '../clean/chrome.js';
import { htmlParagraphs } from '../clean/html-text.js';
import { toIsoDate } from '../clean/dates.js';

/** What one RSS `<item>` or Atom `<entry>` held, element by element (text of repeated elements kept in order). */
export interface FeedItem {
  readonly kind: 'rss' | 'atom';
  readonly fields: ReadonlyMap<string, readonly FeedValue[]>;
}

/** The text of one element of an item and the attributes that matter (href, rel, term, type). */
export interface FeedValue {
  readonly text: string;
  readonly attributes: Readonly<Record<string, string>>;
}

const first = (item: FeedItem, ...names: string[]): FeedValue | undefined => {
  for (const name of names) {
    const value = item.fields.get(name)?.find((v) => v.text.trim() !== '' || Object.keys(v.attributes).length > 0);
    if (value) return value;
  }
  return undefined;
};
const text = (v: FeedValue | undefined): string | undefined => (v === undefined || v.text.trim() === '' ? undefined : v.text.trim());
/** Markup-bearing text (RSS description, Atom html/xhtml) as plain paragraphs, share widgets left out. */
const plain = (v: FeedValue | undefined): string | undefined => {
  const t = text(v);
  if (t === undefined) return undefined;
  return v!.attributes['type'] === 'text' ? t : htmlParagraphs(t).filter((p) => !isWidgetLine(p)).join('\n\n');
};
const httpUrl = (s: string | undefined): string | undefined => (s !== undefined && /^https?:\/\//i.test(s) ? s : undefined);

/** The article link of an Atom entry: `rel="alternate"` (or no rel) first. */
function atomLink(item: FeedItem): string | undefined {
  const links = item.fields.get('link') ?? [];
  const alternate = links.find((l) => (l.attributes['rel'] ?? 'alternate') === 'alternate') ?? links[0];
  return httpUrl(alternate?.attributes['href']?.trim() ?? text(alternate));
}

/**
 * An RSS 2.0 item or Atom entry as a raw article: content:encoded / content (else description / summary) → body
 * with markup removed by an HTML parser; link → url (a permalink guid / Atom id as fallback); pubDate, dc:date,
 * published → publishedAt; updated → updatedAt; category (Atom `term`) → category (the first) and tags;
 * author, dc:creator (Atom author name) → author; the feed's own title → source.
 */
export function feedItemToRecord(item: FeedItem, feedTitle: string | undefined): Record<string, unknown> {
  const rss = item.kind === 'rss';
  const content = first(item, 'content:encoded', 'content');
  const description = first(item, rss ? 'description' : 'summary');
  const categories = (item.fields.get('category') ?? [])
    .map((c) => (c.attributes['term'] ?? c.text).trim())
    .filter((c) => c !== '');
  const guid = first(item, rss ? 'guid' : 'id');
  const titleValue = first(item, 'title');
  const record = {
    title: titleValue === undefined ? undefined : rss ? text(titleValue) : plain(titleValue)?.replace(/\s+/g, ' '),
    body: plain(content ?? description) ?? '',
    summary: content === undefined ? undefined : plain(description),
    url: rss ? (httpUrl(text(first(item, 'link'))) ?? (guid?.attributes['isPermaLink'] === 'false' ? undefined : httpUrl(text(guid)))) : (atomLink(item) ?? httpUrl(text(guid))),
    publishedAt: toIsoDate(text(first(item, 'pubDate', 'dc:date', 'published', 'issued')) ?? (rss ? undefined : text(first(item, 'updated')))),
    updatedAt: toIsoDate(text(first(item, rss ? 'atom:updated' : 'updated'))),
    author: text(first(item, 'dc:creator', 'author')),
    category: categories[0],
    tags: categories.length > 0 ? categories : undefined,
    source: feedTitle,
  };
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}
