import { xmlText } from '../core/xml-text.js';
import type { FeedEntry, SavedSearch } from './saved-searches.js';

/** Where the feed and its entries link: the service's own address (`https://news.example`), no trailing slash. */
export interface FeedLinks {
  readonly origin: string;
}

/** Every text and attribute value the feed writes: escaped, and without the characters XML cannot carry (core/xml-text.ts). */
const text = xmlText;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A saved search's matches as an Atom 1.0 feed (RFC 4287), newest first: one entry per matched article, `updated`
 * when it was matched, `published` when the article says it was, its link the article's URL (else its page on this
 * service). The feed's `updated` is the newest match, or the search's creation when it has none. Characters XML 1.0
 * cannot carry (control characters but tab and line breaks, lone surrogates, U+FFFE, U+FFFF) are left out of every
 * text and attribute, so that one in a search's name or an article's title never makes the whole feed unreadable.
 */
export function atomFeed(search: SavedSearch, entries: readonly FeedEntry[], links: FeedLinks): string {
  const self = `${links.origin}/api/saved-searches/${encodeURIComponent(search.id)}/feed`;
  const updated = entries[0] ? iso(entries[0].matchedAt) : search.createdAt;
  const items = entries.map((e) => {
    const href = e.url ?? `${links.origin}/article/${encodeURIComponent(e.id)}`;
    return [
      '  <entry>',
      `    <id>urn:newsfind:article:${text(e.id)}</id>`,
      `    <title>${text(e.title)}</title>`,
      `    <link rel="alternate" href="${text(href)}"/>`,
      `    <updated>${iso(e.matchedAt)}</updated>`,
      ...(e.publishedAt ? [`    <published>${text(e.publishedAt)}</published>`] : []),
      '  </entry>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>urn:newsfind:saved-search:${text(search.id)}</id>`,
    `  <title>${text(search.name)}</title>`,
    `  <updated>${text(updated)}</updated>`,
    '  <author><name>newsfind</name></author>',
    `  <link rel="self" type="application/atom+xml" href="${text(self)}"/>`,
    ...items,
    '</feed>',
    '',
  ].join('\n');
}
