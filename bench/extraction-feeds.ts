import fs from 'node:fs';
import path from 'node:path';
import type { SourceRecord } from '../src/services/ingest-articles.js';
import { validateArticle } from '../src/core/validate-article.js';
import { htmlParagraphs } from '../indexer/clean/html-text.js';
import { canonicalUrl } from '../indexer/sources/http-canonical.js';
import { decodeXml } from '../indexer/sources/xml-encoding.js';
import { readFile } from '../indexer/sources/read-source.js';
import { halfOf, normaliseField, sameInstant } from './extraction-score.js';

/**
 * One feed file of a feed parser's test suite, read by the indexer's feed reader. Two layouts are read:
 * rbren/rss-parser's (`input/<name>.rss|.atom` and the parser's expected output `output/<name>.json`,
 * `{ feed: { items: [{ title, link, isoDate, … }] } }`), scored item by item on title, link and date; and a flat
 * folder of feeds with no expected output (danmactough/node-feedparser's `test/feeds`), scored only on whether
 * every item came out as a record, kept or rejected at its location.
 */
export interface FeedScore {
  readonly name: string;
  readonly half: 'dev' | 'held-out';
  /** Items the file holds (opening `item` / `entry` tags, any prefix, not self-closed). */
  readonly items: number;
  /** Items the suite's own parser gives (undefined when the suite has no expected output for the file). */
  readonly expectedItems: number | undefined;
  /** Records the reader gave for items (kept or rejected at an item's location). */
  readonly itemRecords: number;
  /** Item records that would be indexed: read, and valid articles. */
  readonly kept: number;
  /** Whether the whole file was rejected (one record for the file: not a feed, undecodable…). */
  readonly fileRejected: string | undefined;
  /** Items neither read nor reported: items − item records when the file was not rejected whole. */
  readonly silentlyLost: number;
  /** Checked expectations, by field, and whether each was met. */
  readonly checks: readonly { readonly field: string; readonly met: boolean }[];
}

interface ExpectedItem {
  readonly title?: string;
  readonly link?: string;
  readonly isoDate?: string;
}

const FEED_FILE = /\.(?:xml|rss|atom)$/i;

/** Where a suite's feeds are: `input/` when it has one (rss-parser's layout), else the folder itself. */
const inputDir = (root: string): string => (fs.existsSync(path.join(root, 'input')) ? path.join(root, 'input') : root);

/** The feed files of a suite (`*.xml`, `*.rss`, `*.atom`, recursively), sorted, relative to its input folder. */
export function feedCases(root: string): string[] {
  const dir = inputDir(root);
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile() && FEED_FILE.test(e.name))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** Text read as UTF-8, or as Latin-1 when it is not valid UTF-8 (one of rss-parser's outputs is). */
function lenientText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}

/** The expected items of a case, from `output/<name>.json`; undefined when the suite has none for it. */
function expectedItems(root: string, name: string): ExpectedItem[] | undefined {
  const file = path.join(root, 'output', `${name.replace(FEED_FILE, '')}.json`);
  if (!fs.existsSync(file)) return undefined;
  const parsed = JSON.parse(lenientText(fs.readFileSync(file))) as { feed?: { items?: ExpectedItem[] } };
  return parsed.feed?.items ?? [];
}

const asText = (html: string): string => normaliseField(htmlParagraphs(html).join(' '));

/** A URL as the indexer would store it (tracking parameters dropped), or itself when it is not a URL. */
function canonical(url: string): string {
  try {
    return canonicalUrl(url);
  } catch {
    return url;
  }
}

/** The title, link and date checks of one expected item against the record read for it (undefined: none). */
function itemChecks(want: ExpectedItem, got: Record<string, unknown> | undefined): { field: string; met: boolean }[] {
  const text = (k: string) => (typeof got?.[k] === 'string' ? (got[k] as string) : undefined);
  const checks: { field: string; met: boolean }[] = [];
  if (typeof want.title === 'string' && want.title.trim() !== '') {
    const title = text('title');
    checks.push({ field: 'title', met: title !== undefined && [normaliseField(want.title), asText(want.title)].includes(normaliseField(title)) });
  }
  if (typeof want.link === 'string' && want.link !== '') {
    const url = text('url');
    checks.push({ field: 'link', met: url !== undefined && (url === want.link || url === canonical(want.link)) });
  }
  if (typeof want.isoDate === 'string') {
    checks.push({ field: 'date', met: [text('publishedAt'), text('updatedAt')].some((d) => sameInstant(d, want.isoDate!)) });
  }
  return checks;
}

/** An item's opening tag (any prefix); an empty `<item/>` holds nothing to read and is not counted. */
const ITEM_TAG = /<(?:[\w.-]+:)?(?:item|entry)(?:\s[^>]*)?(?<!\/)>/gi;

/** Reads one feed file as the indexer would and scores it against the suite's expected output, if any. */
export async function scoreFeed(root: string, name: string): Promise<FeedScore> {
  const file = path.join(inputDir(root), name);
  const bytes = fs.readFileSync(file);
  let text: string;
  try {
    text = decodeXml(bytes).text;
  } catch {
    text = new TextDecoder('latin1').decode(bytes); // only to count the items
  }
  const items = text.replace(/<!--[\s\S]*?-->/g, '').match(ITEM_TAG)?.length ?? 0;
  const records: SourceRecord[] = [];
  for await (const r of readFile(file, 'feed', { source: root, label: name, map: new Map() })) records.push(r);
  const itemRecords = records.filter((r) => r.location.includes('(item '));
  const fileRejected = records.find((r) => !r.location.includes('(item ') && r.parseError !== undefined)?.parseError;
  const keptRecords = itemRecords.filter((r) => r.parseError === undefined && validateArticle(r.value).ok);
  const expected = expectedItems(root, name);
  // the n-th expected item against the n-th item record (a rejected item has no value: its checks fail)
  const checks = (expected ?? []).flatMap((want, i) => itemChecks(want, itemRecords[i]?.value as Record<string, unknown> | undefined));
  return {
    name,
    half: halfOf(name),
    items,
    expectedItems: expected?.length,
    itemRecords: itemRecords.length,
    kept: keptRecords.length,
    fileRejected,
    silentlyLost: fileRejected === undefined ? Math.max(0, items - itemRecords.length) : 0,
    checks,
  };
}
