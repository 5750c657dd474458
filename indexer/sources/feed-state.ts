import type { SaxesTagPlain } from 'saxes';
import type { FeedValue } from './feed-items.js';

/**
 * The state of one feed file's parse, fed by saxes events (see feed-records.ts): element names resolved through
 * their namespaces, items and their fields gathered, the feed's title. RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 alike.
 */

/** Namespaces → the prefix this reader knows their elements by ('' for the RSS vocabularies themselves). */
const NAMESPACES: Readonly<Record<string, string>> = {
  'http://purl.org/rss/1.0/': '',
  'http://my.netscape.com/rdf/simple/0.9/': '',
  'http://backend.userland.com/rss2': '',
  'http://blogs.law.harvard.edu/tech/rss': '',
  'http://www.w3.org/2005/Atom': 'atom',
  'http://purl.org/atom/ns#': 'atom',
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://purl.org/dc/terms/': 'dcterms',
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#': 'rdf',
  'http://www.w3.org/1999/xhtml': 'xhtml',
  'http://www.itunes.com/dtds/podcast-1.0.dtd': 'itunes',
  'http://search.yahoo.com/mrss/': 'media',
};

/** Item elements by local name, whatever their namespace (an Atom 0.3 feed holding `<item>`s still has items). */
const ITEM = new Set(['item', 'entry']);
const localName = (name: string): string => name.slice(name.indexOf(':') + 1);
/** Elements whose feed-level title is the feed's (and so the articles' source). */
const FEED_PARENTS = new Set(['channel', 'feed', 'atom:feed']);
const FEED_TITLES = new Set(['title', 'atom:title', 'dc:title']);
/** Fields whose child elements are markup (Atom xhtml, Atom 0.3 inline XHTML, naked HTML in RSS), kept as HTML. */
const MARKUP_FIELDS = new Set([
  'title', 'description', 'summary', 'content', 'content:encoded', 'subtitle', 'tagline', 'info', 'body', 'xhtml:body',
  'dc:title', 'dc:description', 'itunes:summary', 'fullitem',
]);
const KEPT_ATTRIBUTES = ['href', 'rel', 'term', 'type', 'isPermaLink', 'mode'];

/**
 * CDF, the Channel Definition Format of Internet Explorer 4's channels (W3C NOTE-CDFsubmit-19970309): a `<CHANNEL>`
 * root holding `<ITEM HREF="…" LASTMOD="…">`s with `<TITLE>` and `<ABSTRACT>`, its BASE attribute the base of its
 * links. Its names, written in capitals, are read in lower case, ABSTRACT as RSS's `description` (a `<channel>` root
 * whose names are not in capitals is read as RSS without its `<rss>`).
 */
const CDF_NAMES: Readonly<Record<string, string>> = { abstract: 'description' };
const cdfName = (raw: string): string => CDF_NAMES[raw.toLowerCase()] ?? raw.toLowerCase();
/** CDF item attributes read as the item's fields: HREF is its link, LASTMOD when it last changed. */
const CDF_ITEM_ATTRIBUTES: Readonly<Record<string, string>> = { href: 'link', lastmod: 'modified' };
/** An attribute by its name in lower case, whatever the case it is written in (CDF). */
const anyCase = (tag: SaxesTagPlain, name: string): string | undefined =>
  Object.entries(tag.attributes).find(([k]) => k.toLowerCase() === name)?.[1];

/** An item being read: where it starts, its fields so far, and the XML errors met inside it. */
export interface OpenItem {
  readonly kind: 'rss' | 'atom';
  readonly index: number;
  readonly line: number;
  readonly fields: Map<string, FeedValue[]>;
  readonly errors: string[];
}

interface OpenField {
  readonly name: string;
  readonly attributes: Record<string, string>;
  text: string;
  markup: boolean;
  /** The element open directly inside a structured field (Atom `<author><name>`: only the name is kept). */
  child: string | undefined;
}

const escapeText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One feed file's parse. Call open/text/close/error for saxes' events; finished items go to `onItem`. */
export class FeedState {
  feedTitle: string | undefined;
  /** The document element's resolved name (`rss`, `feed`, `rdf:RDF`…). */
  root: string | undefined;
  items = 0;
  itemErrors = 0;
  outsideError: string | undefined;
  item: OpenItem | undefined;
  private readonly scopes: Map<string, string>[] = [];
  private readonly names: string[] = [];
  private readonly bases: (string | undefined)[] = [];
  private itemDepth = 0;
  private field: OpenField | undefined;
  private fieldDepth = 0;
  private titleDepth = -1;
  /** Whether the document is CDF (see {@link CDF_NAMES}). */
  private cdf = false;

  /**
   * @param onItem called with each item as it ends
   * @param documentUrl the URL the feed was fetched from, the base of its relative links (RFC 3986 §5.1.3) where no
   *   xml:base says otherwise; none for a file
   */
  constructor(
    private readonly onItem: (item: OpenItem, feedTitle: string | undefined) => void,
    private readonly documentUrl?: string,
  ) {}

  /** A raw element name resolved through the namespaces in scope to the name this reader knows it by. */
  private resolve(raw: string): string {
    const colon = raw.indexOf(':');
    const prefix = colon === -1 ? '' : raw.slice(0, colon);
    const local = raw.slice(colon + 1);
    let uri: string | undefined;
    for (let i = this.scopes.length - 1; i >= 0 && uri === undefined; i--) uri = this.scopes[i]!.get(prefix);
    const known = uri === undefined ? undefined : NAMESPACES[uri.trim()];
    if (known !== undefined) return known === '' ? local : `${known}:${local}`;
    return prefix === '' ? local : raw;
  }

  open(tag: SaxesTagPlain, line: number): void {
    const scope = new Map<string, string>();
    for (const [k, v] of Object.entries(tag.attributes)) {
      if (k === 'xmlns') scope.set('', v);
      else if (k.startsWith('xmlns:')) scope.set(k.slice(6), v);
    }
    this.scopes.push(scope);
    if (this.names.length === 0) this.cdf = tag.name.toLowerCase() === 'channel';
    const parentBase = this.bases.length === 0 ? this.documentUrl : this.bases[this.bases.length - 1];
    const base = tag.attributes['xml:base'] ?? (this.cdf ? anyCase(tag, 'base') : undefined);
    this.bases.push(resolveUrl(base, parentBase) ?? parentBase);
    const name = this.cdf && tag.name === tag.name.toUpperCase() ? cdfName(tag.name) : this.resolve(tag.name);
    const parent = this.names[this.names.length - 1];
    this.names.push(name);
    const depth = this.names.length;
    this.root ??= name;
    if (this.item === undefined && ITEM.has(localName(name)) && depth > 1) {
      this.item = { kind: name === 'item' ? 'rss' : 'atom', index: this.items++, line, fields: new Map(), errors: [] };
      this.itemDepth = depth;
      if (this.cdf) this.cdfItemFields(tag);
    } else if (this.item !== undefined && this.field === undefined && depth === this.itemDepth + 1) {
      this.openField(this.item.kind === 'atom' ? name.replace(/^atom:/, '') : name, tag);
      this.fieldDepth = depth;
    } else if (this.field !== undefined && MARKUP_FIELDS.has(this.field.name)) {
      this.field.markup = true;
      this.field.text += `<${tag.name.slice(tag.name.indexOf(':') + 1)}>`;
    } else if (this.field !== undefined && depth === this.fieldDepth + 1) {
      this.field.child = name.replace(/^atom:/, '');
    } else if (this.item === undefined && this.feedTitle === undefined && FEED_TITLES.has(name) && FEED_PARENTS.has(parent ?? '')) {
      this.titleDepth = depth;
    }
  }

  /** A CDF item's attributes as its fields (see {@link CDF_ITEM_ATTRIBUTES}). */
  private cdfItemFields(tag: SaxesTagPlain): void {
    const base = this.bases[this.bases.length - 1];
    for (const [attribute, field] of Object.entries(CDF_ITEM_ATTRIBUTES)) {
      const value = anyCase(tag, attribute);
      if (value === undefined) continue;
      this.item!.fields.set(field, [{ text: value, attributes: base === undefined ? {} : { base } }]);
    }
  }

  private openField(name: string, tag: SaxesTagPlain): void {
    const attributes = Object.fromEntries(KEPT_ATTRIBUTES.filter((a) => tag.attributes[a] !== undefined).map((a) => [a, tag.attributes[a]!]));
    const base = this.bases[this.bases.length - 1];
    this.field = { name, attributes: base === undefined ? attributes : { ...attributes, base }, text: '', markup: false, child: undefined };
  }

  text(value: string): void {
    const field = this.field;
    if (field?.markup) field.text += escapeText(value);
    else if (field && (field.child === undefined || field.child === 'name')) field.text += value;
    else if (this.titleDepth === this.names.length) this.feedTitle = (this.feedTitle ?? '') + value;
  }

  close(rawName: string): void {
    const depth = this.names.length;
    if (this.field && depth === this.fieldDepth) {
      const values = this.item!.fields.get(this.field.name) ?? [];
      values.push({ text: this.field.text, attributes: this.field.attributes, markup: this.field.markup });
      this.item!.fields.set(this.field.name, values);
      this.field = undefined;
    } else if (this.field?.markup) {
      this.field.text += `</${rawName.slice(rawName.indexOf(':') + 1)}>`;
    } else if (this.field !== undefined && depth === this.fieldDepth + 1) {
      this.field.child = undefined;
    } else if (this.item !== undefined && depth === this.itemDepth) {
      this.finishItem();
    }
    if (this.titleDepth === depth) {
      this.titleDepth = -1;
      this.feedTitle = this.feedTitle?.replace(/\s+/g, ' ').trim();
    }
    this.names.pop();
    this.scopes.pop();
    this.bases.pop();
  }

  error(message: string): void {
    if (this.item) this.item.errors.push(message);
    else this.outsideError ??= message;
  }

  /** Ends the open item (at its closing tag, or where the file stops inside it). */
  finishItem(): void {
    const item = this.item;
    if (item === undefined) return;
    if (this.field !== undefined && this.fieldDepth > this.itemDepth) this.field = undefined;
    if (item.errors.length > 0) this.itemErrors++;
    this.item = undefined;
    this.onItem(item, this.feedTitle);
  }
}

/** `href` resolved against `base` (both may be relative or absent); undefined when it cannot be. */
export function resolveUrl(href: string | undefined, base: string | undefined): string | undefined {
  if (href === undefined) return undefined;
  try {
    return new URL(href.trim(), base).href;
  } catch {
    return base === undefined ? href.trim() : undefined;
  }
}
