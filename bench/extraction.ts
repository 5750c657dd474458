import fs from 'node:fs';
import path from 'node:path';
import type { FeedScore } from './extraction-feeds.js';
import { feedCases, scoreFeed } from './extraction-feeds.js';
import type { PageScore } from './extraction-pages.js';
import { pageCases, scorePage } from './extraction-pages.js';
import { mean } from './extraction-score.js';

/**
 * `npm run bench:extraction`: how the indexer's HTML and feed readers do on pages and feeds other people wrote.
 * Pages: a Readability-style suite (folders with source.html, expected.html, expected-metadata.json) — mean body
 * F1, title, byline and publication time right, pages lost. Feeds: a feedparser-style suite (feeds whose comment
 * says `Expect: …`) — expectations met by field, items silently lost. Each suite is split in two fixed halves
 * (extraction-score.ts `halfOf`): `dev`, tuned on, and `held-out`, never looked at while tuning.
 *
 * Suites: `READABILITY_PAGES` (a folder of page cases, e.g. mozilla/readability's test/test-pages) and
 * `FEEDPARSER_TESTS` (a folder of feeds, e.g. kurtmckee/feedparser's tests); by default the vendored subsets in
 * test/fixtures/real-web. `--misses` lists the cases that miss.
 */
const FIXTURES = path.resolve('test/fixtures/real-web');
const pagesRoot = process.env['READABILITY_PAGES'] ?? path.join(FIXTURES, 'readability');
const feedsRoot = process.env['FEEDPARSER_TESTS'] ?? path.join(FIXTURES, 'feedparser');
const misses = process.argv.includes('--misses');

const pct = (part: number, whole: number): string => (whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)}%`);
const rate = (flags: readonly (boolean | undefined)[]): string => {
  const known = flags.filter((f): f is boolean => f !== undefined);
  return `${pct(known.filter(Boolean).length, known.length)} of ${known.length}`;
};

function pageRow(label: string, scores: readonly PageScore[]): string {
  const lost = scores.filter((s) => s.rejected !== undefined).length;
  const f1 = scores.length === 0 ? '–' : mean(scores.map((s) => s.f1)).toFixed(3);
  return `| ${label} | ${scores.length} | ${f1} | ${rate(scores.map((s) => s.title))} | ${rate(scores.map((s) => s.byline))} | ` +
    `${rate(scores.map((s) => s.date))} | ${lost} | ${scores.reduce((n, s) => n + s.warnings, 0)} |`;
}

async function pages(): Promise<void> {
  const cases = pageCases(pagesRoot);
  const scores: PageScore[] = [];
  for (const name of cases) scores.push(await scorePage(pagesRoot, name));
  console.log(`Pages: ${pagesRoot} (${cases.length} cases)\n`);
  console.log('| half | pages | mean body F1 | title right | byline right | date right | lost | warnings |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const half of ['dev', 'held-out'] as const) console.log(pageRow(half, scores.filter((s) => s.half === half)));
  console.log(pageRow('all', scores));
  if (!misses) return;
  for (const s of scores.filter((x) => x.half === 'dev' && (x.f1 < 0.95 || !x.title || x.byline === false || x.date === false || x.rejected))) {
    console.log(`  ${s.name}: F1 ${s.f1.toFixed(2)} title ${s.title} byline ${s.byline} date ${s.date}${s.rejected ? ` REJECTED ${s.rejected}` : ''}`);
  }
}

function feedRow(label: string, scores: readonly FeedScore[]): string {
  const checks = scores.flatMap((s) => s.checks);
  const by = (field: string) => rate(checks.filter((c) => c.field === field).map((c) => c.met));
  const items = scores.reduce((n, s) => n + s.items, 0);
  return `| ${label} | ${scores.length} | ${rate(checks.map((c) => c.met))} | ${by('title')} | ${by('link')} | ${by('date')} | ${by('body')} | ` +
    `${by('author')} | ${by('feed title')} | ${items} | ${scores.filter((s) => s.fileRejected !== undefined).length} | ${scores.reduce((n, s) => n + s.silentlyLost, 0)} |`;
}

async function feeds(): Promise<void> {
  const cases = feedCases(feedsRoot);
  const scores: FeedScore[] = [];
  for (const name of cases) scores.push(await scoreFeed(feedsRoot, name));
  console.log(`\nFeeds: ${feedsRoot} (${cases.length} files)\n`);
  console.log('| half | files | expectations met | title | link | date | body | author | feed title | items | files rejected whole | items silently lost |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const half of ['dev', 'held-out'] as const) console.log(feedRow(half, scores.filter((s) => s.half === half)));
  console.log(feedRow('all', scores));
  if (!misses) return;
  for (const s of scores.filter((x) => x.half === 'dev' && (x.silentlyLost > 0 || x.fileRejected || x.checks.some((c) => !c.met)))) {
    const missed = s.checks.filter((c) => !c.met).map((c) => c.field);
    console.log(`  ${s.name}: ${s.items} items, ${s.itemRecords} read${s.fileRejected ? `, FILE REJECTED ${s.fileRejected}` : ''}${missed.length ? `, missed ${missed.join(',')}` : ''}${s.silentlyLost ? `, LOST ${s.silentlyLost}` : ''}`);
  }
}

async function main(): Promise<void> {
  if (fs.existsSync(pagesRoot)) await pages();
  else console.log(`Pages: ${pagesRoot} is absent (set READABILITY_PAGES)`);
  if (fs.existsSync(feedsRoot)) await feeds();
  else console.log(`Feeds: ${feedsRoot} is absent (set FEEDPARSER_TESTS)`);
}

await main();
