import fs from 'node:fs';
import path from 'node:path';
import type { FeedScore } from './extraction-feeds.js';
import { feedCases, scoreFeed } from './extraction-feeds.js';
import type { PageScore } from './extraction-pages.js';
import { pageCases, scorePage } from './extraction-pages.js';
import { mean } from './extraction-score.js';

/**
 * `npm run bench:extraction`: how the indexer's HTML and feed readers do on pages and feeds other people wrote.
 * Pages: an article-extraction suite laid out as scrapinghub/article-extraction-benchmark (ground-truth.json and
 * html/<name>.html.gz) — mean body F1 against the expected article text, pages lost (the suite gives no titles).
 * Feeds: feed parsers' test suites — rbren/rss-parser's (input/ and the expected output/: items kept against
 * expected, titles, links and dates right) and flat folders of feeds such as danmactough/node-feedparser's
 * test/feeds (items kept, items silently lost). Each suite is split in two fixed halves (extraction-score.ts
 * `halfOf`), `dev` and `held-out`, so that later tuning can be checked on the half it did not look at.
 *
 * Suites: `EXTRACTION_PAGES` (a page suite folder, e.g. the root of article-extraction-benchmark) and
 * `EXTRACTION_FEEDS` (feed suite folders separated by `:`, e.g. `<rss-parser>/test:<node-feedparser>/test/feeds`);
 * by default the vendored subsets in test/fixtures/real-web (see their NOTICE.md). `--misses` lists the cases
 * that miss.
 */
const FIXTURES = path.resolve('test/fixtures/real-web');
const pagesRoot = process.env['EXTRACTION_PAGES'] ?? path.join(FIXTURES, 'article-extraction-benchmark');
const feedRoots = (process.env['EXTRACTION_FEEDS'] ?? [path.join(FIXTURES, 'rss-parser'), path.join(FIXTURES, 'node-feedparser')].join(path.delimiter))
  .split(path.delimiter)
  .filter((r) => r !== '');
const misses = process.argv.includes('--misses');

const pct = (part: number, whole: number): string => (whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)}%`);
const rate = (flags: readonly boolean[]): string => `${pct(flags.filter(Boolean).length, flags.length)} of ${flags.length}`;
const sum = <T>(xs: readonly T[], f: (x: T) => number): number => xs.reduce((n, x) => n + f(x), 0);

function pageRow(label: string, scores: readonly PageScore[]): string {
  const f1 = scores.length === 0 ? '–' : mean(scores.map((s) => s.f1)).toFixed(3);
  const below = scores.filter((s) => s.f1 < 0.8).length;
  return `| ${label} | ${scores.length} | ${f1} | ${below} | ${scores.filter((s) => s.rejected !== undefined).length} | ${sum(scores, (s) => s.warnings)} |`;
}

async function pages(): Promise<void> {
  const cases = pageCases(pagesRoot);
  const scores: PageScore[] = [];
  for (const name of cases) scores.push(await scorePage(pagesRoot, name));
  console.log(`Pages: ${pagesRoot} (${cases.length} cases)\n`);
  console.log('| half | pages | mean body F1 | pages under F1 0.8 | lost | warnings |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const half of ['dev', 'held-out'] as const) console.log(pageRow(half, scores.filter((s) => s.half === half)));
  console.log(pageRow('all', scores));
  if (!misses) return;
  for (const s of scores.filter((x) => x.f1 < 0.8 || x.rejected)) {
    console.log(`  ${s.half} ${s.name}: F1 ${s.f1.toFixed(2)}${s.rejected ? ` REJECTED ${s.rejected}` : ''}`);
  }
}

function feedRow(label: string, scores: readonly FeedScore[]): string {
  const checks = scores.flatMap((s) => s.checks);
  const by = (field: string) => rate(checks.filter((c) => c.field === field).map((c) => c.met));
  const withExpected = scores.filter((s) => s.expectedItems !== undefined);
  const expected = withExpected.length === 0 ? '–' : `${sum(withExpected, (s) => s.kept)} of ${sum(withExpected, (s) => s.expectedItems ?? 0)}`;
  return `| ${label} | ${scores.length} | ${sum(scores, (s) => s.items)} | ${sum(scores, (s) => s.kept)} | ${expected} | ` +
    `${checks.length === 0 ? '–' : rate(checks.map((c) => c.met))} | ${by('title')} | ${by('link')} | ${by('date')} | ` +
    `${scores.filter((s) => s.fileRejected !== undefined).length} | ${sum(scores, (s) => s.silentlyLost)} |`;
}

async function feeds(root: string): Promise<void> {
  const cases = feedCases(root);
  const scores: FeedScore[] = [];
  for (const name of cases) scores.push(await scoreFeed(root, name));
  console.log(`\nFeeds: ${root} (${cases.length} files)\n`);
  console.log('| half | files | items in the files | items kept | kept / expected by the suite | expectations met | title | link | date | files rejected whole | items silently lost |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const half of ['dev', 'held-out'] as const) console.log(feedRow(half, scores.filter((s) => s.half === half)));
  console.log(feedRow('all', scores));
  if (!misses) return;
  for (const s of scores.filter((x) => x.silentlyLost > 0 || x.fileRejected || x.checks.some((c) => !c.met) || (x.expectedItems !== undefined && x.kept !== x.expectedItems))) {
    const missed = [...new Set(s.checks.filter((c) => !c.met).map((c) => c.field))];
    console.log(`  ${s.half} ${s.name}: ${s.items} items, ${s.itemRecords} read, ${s.kept} kept${s.expectedItems === undefined ? '' : ` (expected ${s.expectedItems})`}` +
      `${s.fileRejected ? `, FILE REJECTED ${s.fileRejected}` : ''}${missed.length ? `, missed ${missed.join(',')}` : ''}${s.silentlyLost ? `, LOST ${s.silentlyLost}` : ''}`);
  }
}

async function main(): Promise<void> {
  if (fs.existsSync(pagesRoot)) await pages();
  else console.log(`Pages: ${pagesRoot} is absent (set EXTRACTION_PAGES)`);
  for (const root of feedRoots) {
    if (fs.existsSync(root)) await feeds(root);
    else console.log(`\nFeeds: ${root} is absent (set EXTRACTION_FEEDS)`);
  }
}

await main();
