import { isWidgetLine } from '../clean/chrome.js';
import { htmlParagraphs } from '../clean/html-text.js';
import { toIsoDate } from '../clean/dates.js';
import { fromC1Controls } from './xml-encoding.js';

/** What one RSS `<item>` or Atom `<entry>` held, element by element (text of repeated elements kept in order). */
export interface FeedItem {
  readonly kind: 'rss' | 'atom';
  readonly fields: ReadonlyMap<string, readonly FeedValue[]>;
}

/**
 * The text of one element of an item and the attributes that matter (href, rel, term, type, mode, isPermaLink,
 * and `base`, the xml:base in force); `markup` when the text is HTML serialised from child elements.
 */
export interface FeedValue {
  readonly text: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly markup?: boolean;
}

const first = (item: FeedItem, ...names: string[]): FeedValue | undefined => {
  for (const name of names) {
    const value = item.fields.get(name)?.find((v) => v.text.trim() !== '' || v.attributes['href'] !== undefined);
    if (value) return value;
  }
  return undefined;
};
const text = (v: FeedValue | undefined): string | undefined => (v === undefined || v.text.trim() === '' ? undefined : fromC1Controls(v.text.trim()));

/** Atom (0.3 and 1.0) content types that are plain text: `text`, `text/plain`, and no type at all. */
const ATOM_TEXT = new Set(['', 'text', 'text/plain']);
/** RSS elements that hold plain text; the others (description, content:encoded…) hold HTML. */
const RSS_TEXT = new Set(['title', 'dc:title', 'author', 'dc:creator']);
/** Media RSS elements whose `type` says `plain` (the default) or `html`. */
const MEDIA_TEXT = new Set(['media:title', 'media:description']);

const typeOf = (v: FeedValue): string => (v.attributes['type'] ?? '').trim().toLowerCase();

/**
 * Whether an Atom 1.0 value is base64 (RFC 4287 §4.1.3.3): its type is a media type that is neither text (`text/…`)
 * nor XML (`…/xml`, `…+xml`), and no Atom 0.3 `mode` says otherwise.
 */
function isAtomBase64(v: FeedValue, kind: 'rss' | 'atom'): boolean {
  const type = typeOf(v);
  if (kind !== 'atom' || v.markup || v.attributes['mode'] !== undefined || !type.includes('/')) return false;
  return !type.startsWith('text/') && !/[/+]xml$/.test(type);
}

/** Text made only of base64's alphabet (line breaks allowed). */
const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

/** Base64 that decodes to UTF-8 text (no control characters but tab and line breaks); undefined when it does not. */
function base64Text(b64: string): string | undefined {
  if (!BASE64.test(b64)) return undefined;
  try {
    const decoded = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(b64, 'base64'));
    return /(?![\t\n\r])\p{Cc}/u.test(decoded) || decoded.trim() === '' ? undefined : decoded.trim();
  } catch {
    return undefined;
  }
}

/**
 * Whether a value is HTML to be read as text: markup kept from child elements always is; in Atom, by its `type`
 * (`html`, `xhtml`, `text/html`…; `text`, `text/plain` or none are plain text) or Atom 0.3's `mode="escaped"`; in
 * Media RSS, `type="html"`; in RSS, every element but titles and names.
 */
function isHtml(v: FeedValue, kind: 'rss' | 'atom', name: string): boolean {
  if (v.markup) return true;
  const type = typeOf(v);
  if (MEDIA_TEXT.has(name)) return type === 'html';
  if (kind === 'atom' && !name.includes(':')) return !ATOM_TEXT.has(type) || v.attributes['mode'] === 'escaped';
  return !RSS_TEXT.has(name);
}

/**
 * A value's text, read as HTML when it is some (share widgets left out). Base64 is decoded first: Atom 0.3's
 * `mode="base64"` (then read by its type), and Atom 1.0 content of a non-text media type (then plain text; such
 * content that is not base64 at all is read as it comes); base64 that is not text (an image, say) is no text.
 */
function plain(item: FeedItem, name: string, v: FeedValue | undefined): string | undefined {
  let t = text(v);
  if (t === undefined) return undefined;
  if (isAtomBase64(v!, item.kind) && BASE64.test(t)) return base64Text(t);
  if (v!.attributes['mode'] === 'base64') t = base64Text(t);
  if (t === undefined || !isHtml(v!, item.kind, name)) return t;
  const paragraphs = htmlParagraphs(t).filter((p) => !isWidgetLine(p));
  return paragraphs.length === 0 ? undefined : paragraphs.join('\n\n');
}

/** The first of some fields that has text, read as {@link plain}. */
function firstPlain(item: FeedItem, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = plain(item, name, first(item, name));
    if (value !== undefined) return value;
  }
  return undefined;
}

/** A link resolved against the xml:base in force; the raw text when it cannot be (reported by the reader then). */
function link(raw: string | undefined, v: FeedValue | undefined): string | undefined {
  if (raw === undefined || /^https?:\/\//i.test(raw)) return raw;
  try {
    return new URL(raw, v?.attributes['base']).href;
  } catch {
    return raw;
  }
}
const httpUrl = (s: string | undefined): string | undefined => (s !== undefined && /^https?:\/\//i.test(s) ? s : undefined);

/** The article link of an Atom entry: `rel="alternate"` (or no rel) first. */
function atomLink(item: FeedItem): string | undefined {
  const links = item.fields.get('link') ?? [];
  const alternate = links.find((l) => (l.attributes['rel'] ?? 'alternate') === 'alternate') ?? links[0];
  return link(alternate?.attributes['href']?.trim() ?? text(alternate), alternate);
}

/** The link of an RSS item: `<link>`, else a permalink `<guid>`. */
function rssLink(item: FeedItem): string | undefined {
  const value = first(item, 'link');
  if (value !== undefined) return link(text(value), value);
  const guid = first(item, 'guid');
  return guid?.attributes['isPermaLink'] === 'false' ? undefined : httpUrl(link(text(guid), guid));
}

/** Elements that hold an item's full text (the others, description and summary, hold a summary at most). */
const FULL_TEXT = ['content:encoded', 'content', 'xhtml:body', 'body', 'fullitem'];
/** Elements that hold a summary, by preference: an RSS item's own, then Atom's (some RSS items carry both). */
const RSS_SUMMARY = ['description', 'summary'];
const ATOM_SUMMARY = ['summary'];
/** Summaries of other vocabularies, the last resort for a body. */
const OTHER_SUMMARY = ['dc:description', 'itunes:summary', 'media:description'];

/** Whether an item carries its full text, not only a summary or a link (see --fetch-pages). */
export const hasFullText = (item: FeedItem): boolean => FULL_TEXT.some((name) => text(first(item, name)) !== undefined);

/** An author as a name: RSS `<author>` is `email (Name)`. */
function authorName(raw: string | undefined): string | undefined {
  const m = raw === undefined ? null : /^\S+@\S+\s*\((.+)\)$/.exec(raw);
  return m ? m[1]!.trim() : raw;
}

/**
 * An RSS 0.9x/1.0/2.0 item or Atom 0.3/1.0 entry as a raw article: content:encoded / content / fullitem (else
 * description / summary / media:description) → body as text, and summary (else description) → summary when it is
 * not the body; title (dc:title, media:title) → title; link → url (a permalink guid / Atom id as fallback);
 * pubDate, dc:date, published, issued, created (dcterms too) → publishedAt; updated, modified → updatedAt;
 * category (Atom `term`), dc:subject → category (the first) and tags; dc:creator, author (Atom author name) →
 * author; the feed's own title → source.
 */
export function feedItemToRecord(item: FeedItem, feedTitle: string | undefined): Record<string, unknown> {
  const rss = item.kind === 'rss';
  const body = firstPlain(item, ...FULL_TEXT, ...(rss ? RSS_SUMMARY : ATOM_SUMMARY), ...OTHER_SUMMARY);
  // an RSS item holding both: the description is its text, the summary its summary
  const summary = firstPlain(item, ...(rss ? [...RSS_SUMMARY].reverse() : ATOM_SUMMARY));
  const categories = [...(item.fields.get('category') ?? []), ...(item.fields.get('dc:subject') ?? [])]
    .map((c) => (c.attributes['term'] ?? c.text).trim())
    .filter((c) => c !== '');
  const updated = text(first(item, 'updated', 'modified', 'atom:updated', 'atom:modified', 'dcterms:modified'));
  const published = text(first(item, 'pubDate', 'dc:date', 'published', 'issued', 'created', 'atom:published', 'dcterms:issued', 'dcterms:created'));
  const record = {
    title: firstPlain(item, 'title', 'dc:title', 'media:title')?.replace(/\s+/g, ' '),
    body: body ?? '',
    summary: summary === body ? undefined : summary,
    url: rss ? rssLink(item) : (atomLink(item) ?? httpUrl(text(first(item, 'id')))),
    publishedAt: toIsoDate(published ?? (rss ? undefined : updated)),
    updatedAt: toIsoDate(updated),
    author: authorName(text(first(item, 'dc:creator', 'author', 'dc:author', 'itunes:author'))),
    category: categories[0],
    tags: categories.length > 0 ? [...new Set(categories)] : undefined,
    source: feedTitle,
  };
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}
