import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openAnalytics } from '../src/analytics/analytics.js';
import { dayOf, openAnalyticsDb, openAnalyticsReader, writeEvents } from '../src/analytics/analytics-db.js';
import type { AnalyticsEvent } from '../src/analytics/events.js';
import { queryReport, relatedReport } from '../src/analytics/reports.js';
import type { ReportRange } from '../src/analytics/reports.js';

/**
 * `npm run bench:analytics-reports`: how long a 366-day analytics report holds the event loop of the worker that
 * answers it, made on the event loop (the synchronous SQL of reports.ts, as before) and on the report thread
 * (report-runner.ts). The analytics file is generated once (ANALYTICS_BENCH_FILE, default in the temporary folder):
 * 366 days of 3,000 first-page searches a day over a Zipf-like set of 100,000 queries (5 % find nothing), 300
 * search clicks and 2,000 widget impressions and 100 widget clicks a day over 5,000 articles. Rounds alternate the
 * two ways (ANALYTICS_BENCH_ROUNDS, default 5); a 1 ms timer measures the longest gap of the event loop meanwhile.
 */
const DAYS = 366;
const SEARCHES_A_DAY = 3_000;
const QUERIES = 100_000;
const ARTICLES = 5_000;
const DAY_MS = 86_400_000;

/** A deterministic generator (mulberry32), so that every run reads the same file. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Rank 0..n-1, Zipf-like (s ≈ 1): rank k about as likely as 1 / (k + 1). */
const zipf = (rand: () => number, n: number): number => Math.min(n - 1, Math.floor(Math.exp(rand() * Math.log(n + 1)) - 1));

function dayEvents(day: number, first: number, rand: () => number): AnalyticsEvent[] {
  const at = () => first + day * DAY_MS + Math.floor(rand() * DAY_MS);
  const events: AnalyticsEvent[] = [];
  for (let k = 0; k < SEARCHES_A_DAY; k++) {
    const q = zipf(rand, QUERIES);
    events.push({ kind: 'search', at: at(), query: `query ${q}`, filters: {}, page: 1, totalHits: q % 20 === 7 ? 0 : 10 + (q % 90), shownIds: [] });
  }
  for (let k = 0; k < 300; k++) {
    events.push({ kind: 'click', at: at(), source: 'search', articleId: `a${zipf(rand, ARTICLES)}`, query: `query ${zipf(rand, QUERIES)}`, position: 1 + zipf(rand, 10) });
  }
  for (let k = 0; k < 2_100; k++) {
    events.push({ kind: k < 2_000 ? 'impression' : 'click', at: at(), source: 'widget', articleId: `a${zipf(rand, ARTICLES)}`, position: 1 + (k % 5), fromArticleId: 'a0' });
  }
  return events;
}

/** The generated file (made once); the range its 366 days cover. */
function analyticsFile(): { file: string; range: ReportRange } {
  const file = process.env.ANALYTICS_BENCH_FILE ?? path.join(os.tmpdir(), 'newsfind-bench-analytics', 'analytics.db');
  const first = Date.parse('2025-12-04T00:00:00Z');
  const range = { from: dayOf(first), to: dayOf(first + (DAYS - 1) * DAY_MS), limit: 20 };
  if (fs.existsSync(file)) return { file, range };
  const started = performance.now();
  const db = openAnalyticsDb(`${file}.part`, { busyTimeoutMs: 5_000, maxBytes: 8 * 2 ** 30 });
  const rand = random(20261205);
  for (let day = 0; day < DAYS; day++) writeEvents(db, dayEvents(day, first, rand));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  fs.renameSync(`${file}.part`, file);
  console.log(`generated ${file} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { file, range };
}

/** Runs `work` while a 1 ms timer measures the event loop's longest gap; the wall time and that gap, ms. */
async function measured(work: () => Promise<unknown>): Promise<{ wallMs: number; blockedMs: number }> {
  let last = performance.now();
  let longest = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 5));
  await work();
  const wallMs = performance.now() - started - 5;
  await new Promise((resolve) => setTimeout(resolve, 5));
  clearInterval(probe);
  return { wallMs, blockedMs: longest };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function main(): Promise<void> {
  const { file, range } = analyticsFile();
  const rounds = Number(process.env.ANALYTICS_BENCH_ROUNDS ?? 5);
  const reader = openAnalyticsReader(file, 1_000);
  const analytics = openAnalytics({ file, enabled: false, retentionDays: 400, maxBytes: 8 * 2 ** 30, clock: () => Date.now() });
  const rows = reader?.prepare('SELECT (SELECT COUNT(*) FROM query_days) AS q, (SELECT COUNT(*) FROM link_days) AS l').get() as { q: number; l: number };
  console.log(`file ${file}: ${rows.q} query_days rows, ${rows.l} link_days rows; range ${range.from}..${range.to}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`);
  const sync = { queries: [] as number[][], related: [] as number[][] };
  const thread = { queries: [] as number[][], related: [] as number[][] };
  for (let round = 0; round <= rounds; round++) {
    for (const kind of ['queries', 'related'] as const) {
      const a = await measured(async () => (kind === 'queries' ? queryReport(reader, range) : relatedReport(reader, range)));
      const b = await measured(() => analytics[kind](range));
      if (round === 0) {
        console.log(`warm-up ${kind}: event loop ${a.wallMs.toFixed(0)} ms; thread (started here) wall ${b.wallMs.toFixed(0)} ms, longest gap ${b.blockedMs.toFixed(1)} ms`);
        continue;
      }
      sync[kind].push([a.wallMs, a.blockedMs]);
      thread[kind].push([b.wallMs, b.blockedMs]);
    }
  }
  console.log(`\nreport    made on      wall p50 ms   longest event-loop gap p50 ms   (${rounds} rounds, alternated)`);
  for (const kind of ['queries', 'related'] as const) {
    for (const [name, runs] of [['event loop', sync[kind]], ['thread', thread[kind]]] as const) {
      console.log(`${kind.padEnd(9)} ${name.padEnd(12)} ${median(runs.map((r) => r[0]!)).toFixed(0).padStart(11)}   ${median(runs.map((r) => r[1]!)).toFixed(1).padStart(29)}`);
    }
  }
  const same = JSON.stringify(queryReport(reader, range)) === JSON.stringify(await analytics.queries(range));
  console.log(`\nsame answers both ways: ${same}; load average after ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`);
  reader?.close();
  await analytics.close();
}

await main();
