import fs from 'node:fs';
import path from 'node:path';
import type { SourceRecord } from '../src/services/ingest-articles.js';
import { htmlParagraphs } from '../indexer/clean/html-text.js';
import { decodeXml } from '../indexer/sources/xml-encoding.js';
import { readFile } from '../indexer/sources/read-source.js';
import { halfOf, normaliseField } from './extraction-score.js';

/**
 * One feed file of a feedparser-style test suite (a feed whose leading comment holds `Expect: <Python expression>`),
 * read by the indexer's feed reader: the `entries[n]['field'] == '…'` and `feed['title'] == '…'` expectations it
 * can check, and whether every item of the file came out as a record (kept or rejected) or some went missing.
 */
export interface FeedScore {
  readonly name: string;
  readonly half: 'dev' | 'held-out';
  /** Items the file holds (opening `item` / `entry` tags, any prefix). */
  readonly items: number;
  /** Records the reader gave for items (kept or rejected at an item's location). */
  readonly itemRecords: number;
  /** Whether the whole file was rejected (one record for the file: not a feed, undecodable…). */
  readonly fileRejected: string | undefined;
  /** Items neither read nor reported: items − item records when the file was not rejected whole. */
  readonly silentlyLost: number;
  /** Checked expectations, by field group, and whether each was met. */
  readonly checks: readonly { readonly field: string; readonly met: boolean }[];
}

type PyValue = string | number[];

/** A Python string or tuple literal at the start of `s` (u'', '', "" with \\ escapes; tuples of ints), and its length. */
function pyLiteral(s: string): { value: PyValue; length: number } | undefined {
  const str = /^u?(['"])((?:\\.|(?!\1).)*)\1/s.exec(s);
  if (str) {
    const value = str[2]!.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|.)/gs, (_m, e: string) => {
      if (/^[uUx]/.test(e) && e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
      return ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[e] ?? e;
    });
    return { value, length: str[0].length };
  }
  const tuple = /^\(([\d,\s-]+)\)/.exec(s);
  if (tuple) return { value: tuple[1]!.split(',').filter((x) => x.trim() !== '').map(Number), length: tuple[0].length };
  return undefined;
}

const LHS = /^(?:entries\[(\d+)\](?:\[['"](\w+)['"]\]|\.(\w+))(\[0\]\[['"]value['"]\])?|feed\[['"](title)['"]\])\s*==\s*/;

/** The checkable `lhs == literal` clauses of an Expect expression. */
export function expectations(expect: string): { entry: number | undefined; key: string; value: PyValue }[] {
  const out: { entry: number | undefined; key: string; value: PyValue }[] = [];
  for (let i = 0; i < expect.length; i++) {
    const m = LHS.exec(expect.slice(i));
    if (!m || (i > 0 && /[\w.\]'"]/.test(expect[i - 1]!))) continue;
    const lit = pyLiteral(expect.slice(i + m[0].length));
    const rest = lit === undefined ? '' : expect.slice(i + m[0].length + lit.length).trimStart();
    if (lit === undefined || rest.startsWith('==') || rest.startsWith('[')) continue;
    out.push({ entry: m[1] === undefined ? undefined : Number(m[1]), key: m[5] ?? m[2] ?? m[3]!, value: lit.value });
    i += m[0].length + lit.length - 1;
  }
  return out;
}

/** Which record field an expected feedparser key is checked against, by group; undefined for keys not mapped. */
function fieldGroup(key: string): string | undefined {
  if (key === 'title' || key === 'link' || key === 'author') return key;
  if (key === 'description' || key === 'summary' || key === 'content') return 'body';
  if (/^(published|updated|created|modified|issued|date)_parsed$/.test(key)) return 'date';
  return undefined;
}

const asText = (html: string): string => normaliseField(htmlParagraphs(html).join(' '));

/** Whether a record's value meets one expectation (text compared as is or with its markup removed). */
function meets(record: Record<string, unknown>, group: string, want: PyValue, feedTitle: boolean): boolean {
  const got = (k: string) => (typeof record[k] === 'string' ? normaliseField(record[k] as string) : undefined);
  if (group === 'date') {
    if (typeof want === 'string' || want.length < 6) return false;
    const iso = new Date(Date.UTC(want[0]!, want[1]! - 1, want[2]!, want[3]!, want[4]!, want[5]!)).toISOString();
    return [got('publishedAt'), got('updatedAt')].some((d) => d !== undefined && Date.parse(d) === Date.parse(iso));
  }
  if (typeof want !== 'string') return false;
  const field = feedTitle ? 'source' : group === 'link' ? 'url' : group;
  const candidates = group === 'body' ? [got('summary'), got('body')] : [got(field)];
  const wanted = [normaliseField(want), asText(want)];
  // markup with no text in it (an image alone) is met by no text at all
  return candidates.some((c) => wanted.some((w) => (c === undefined ? w === '' : normaliseField(c) === w)));
}

/** The feed files of a suite folder (`*.xml`, recursively), sorted, relative to it. */
export function feedCases(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile() && e.name.endsWith('.xml'))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

const ITEM_TAG = /<(?:[\w.-]+:)?(?:item|entry)[\s>/]/g;

/** Reads one feed file as the indexer would and scores it against its Expect line. */
export async function scoreFeed(root: string, name: string): Promise<FeedScore> {
  const file = path.join(root, name);
  const bytes = fs.readFileSync(file);
  let text: string;
  try {
    text = decodeXml(bytes).text;
  } catch {
    text = new TextDecoder('latin1').decode(bytes); // only to find the Expect line and count the items
  }
  const expect = /Expect:\s*([^\n]*)/.exec(text)?.[1] ?? '';
  const items = text.replace(/<!--[\s\S]*?-->/g, '').match(ITEM_TAG)?.length ?? 0;
  const records: SourceRecord[] = [];
  for await (const r of readFile(file, 'feed', { source: root, label: name, map: new Map() })) records.push(r);
  const itemRecords = records.filter((r) => r.location.includes('(item '));
  const fileRejected = records.find((r) => !r.location.includes('(item ') && r.parseError !== undefined)?.parseError;
  const checks = expectations(expect).flatMap(({ entry, key, value }) => {
    const group = entry === undefined ? 'feed title' : fieldGroup(key);
    if (group === undefined) return [];
    const record = (entry === undefined ? itemRecords[0] : itemRecords[entry])?.value as Record<string, unknown> | undefined;
    if (entry === undefined && record === undefined) return []; // a feed title with no item to carry it
    return [{ field: group, met: record !== undefined && meets(record, group, value, entry === undefined) }];
  });
  return {
    name,
    half: halfOf(name),
    items,
    itemRecords: itemRecords.length,
    fileRejected,
    silentlyLost: fileRejected === undefined ? Math.max(0, items - itemRecords.length) : 0,
    checks,
  };
}
