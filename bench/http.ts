import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type autocannon from 'autocannon';
import { SqliteEngine } from '../src/engines/sqlite/sqlite-engine.js';
import { startApi } from './api-process.js';
import { seededRandom } from './attack-kit.js';
import { runAutocannon } from './autocannon-run.js';
import { quantile, readJsonl, sharedCorpus, shortTitleQueries } from './corpus.js';
import { prepareStore } from './prepare-store.js';
import { runWrk, wrkPresent } from './wrk-run.js';

/**
 * Search-box speed (issue 20): what a news site's search box sends — 3,000 distinct queries of one to three words
 * drawn from Reuters titles, so that no cache can help — measured in process (the engine: rank, read and highlight
 * a page of 20) and over HTTP against the built API (HTTP_WORKERS, default 2; rate limit off: one client), each route closed loop
 * (HTTP_CONNECTIONS connections sending as soon as answered; Debian's wrk when present, autocannon otherwise, or as
 * HTTP_CLIENT says) for HTTP_SECONDS after a warm-up, beside `/health` of
 * the same service as the ceiling. Then a 60/40 mix of those queries and `/similar` over every article id.
 */
const SECONDS = Number(process.env.HTTP_SECONDS ?? 15);
const WARMUP = Number(process.env.HTTP_WARMUP_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.HTTP_CONNECTIONS ?? 8);
const QUERIES = 3_000;
/** Workers of the API (the issue's figures are for 2). */
const WORKERS = process.env.HTTP_WORKERS ?? '2';
/** The load generator: Debian's wrk when present (as in the issue), autocannon otherwise; HTTP_CLIENT picks one. */
const CLIENT = process.env.HTTP_CLIENT ?? (wrkPresent() ? 'wrk' : 'autocannon');

const searchPath = (q: string) => `/api/search?q=${encodeURIComponent(q)}`;

function inProcess(dir: string, queries: readonly string[]): { p50: number; p99: number } {
  const engine = SqliteEngine.open({ file: path.join(dir, 'newsfind.db') });
  try {
    const request = (q: string) => ({ q, page: 1, perPage: 20, sort: 'relevance' as const, match: 'last' as const, filters: {}, facets: [] });
    for (const q of queries.slice(0, 500)) engine.searchSync(request(q)); // warm-up
    const times = queries.map((q) => {
      const t = performance.now();
      engine.searchSync(request(q));
      return performance.now() - t;
    });
    return { p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
  } finally {
    void engine.close();
  }
}

interface Row {
  readonly route: string;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly failed: number;
}

async function closedLoop(url: string, route: string, paths: readonly string[]): Promise<Row> {
  if (CLIENT === 'wrk') {
    await runWrk(url, paths, CONNECTIONS, WARMUP);
    return { route, ...(await runWrk(url, paths, CONNECTIONS, SECONDS)) };
  }
  const options = (duration: number): autocannon.Options => ({
    url,
    connections: CONNECTIONS,
    duration,
    requests: paths.map((p) => ({ method: 'GET', path: p })),
  });
  await runAutocannon(options(WARMUP));
  const r = await runAutocannon(options(SECONDS));
  return { route, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, failed: r.non2xx + r.errors + r.timeouts };
}

async function main(): Promise<void> {
  const file = sharedCorpus('reuters21578.jsonl');
  if (!file) return;
  const docs = readJsonl<{ id: string; title: string }>(file);
  const queries = shortTitleQueries(docs.map((d) => d.title), QUERIES, 20);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-http-'));
  try {
    await prepareStore(dir, docs);
    const engine = inProcess(dir, queries);
    const api = await startApi(dir, { WORKERS });
    try {
      const rand = seededRandom(21);
      const ids = docs.map((d) => d.id);
      const mix = queries.map((q, i) => (i % 5 < 3 ? searchPath(q) : `/api/articles/${encodeURIComponent(ids[Math.floor(rand() * ids.length)]!)}/similar`));
      const rows = [
        await closedLoop(api.url, '/health', ['/health']),
        await closedLoop(api.url, `/api/search, ${QUERIES.toLocaleString('en')} short queries`, queries.map(searchPath)),
        await closedLoop(api.url, '60/40 search + /similar (every id)', mix),
      ];
      const ceiling = rows[0]!.rps;
      console.log(`\nbench:http — Reuters (${docs.length.toLocaleString('en')} articles), API WORKERS=${WORKERS}, ${CONNECTIONS} connections closed loop, ` +
        `${SECONDS} s per route after ${WARMUP} s warm-up, ${CLIENT === 'wrk' ? 'wrk (1 thread)' : 'autocannon in its own process'}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`);
      console.log(`${'route'.padEnd(42)} ${'req/s'.padStart(8)} ${'of /health'.padStart(11)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'failed'.padStart(7)}`);
      for (const r of rows) {
        console.log(`${r.route.padEnd(42)} ${r.rps.toFixed(0).padStart(8)} ${`${((100 * r.rps) / ceiling).toFixed(0)}%`.padStart(11)} ${r.p50.toFixed(2).padStart(7)} ${r.p99.toFixed(2).padStart(7)} ${String(r.failed).padStart(7)}`);
      }
      console.log(`${'engine in process, the same queries'.padEnd(42)} ${''.padStart(8)} ${''.padStart(11)} ${engine.p50.toFixed(2).padStart(7)} ${engine.p99.toFixed(2).padStart(7)}`);
      const verdict = (ok: boolean, text: string) => console.log(`${ok ? 'PASS' : 'FAIL'}  ${text}`);
      console.log('');
      verdict(engine.p50 <= 0.5 && engine.p99 <= 5, `in process p50 ≤ 0.5 ms and p99 ≤ 5 ms: ${engine.p50.toFixed(2)} / ${engine.p99.toFixed(2)} ms`);
      verdict(rows[1]!.rps >= 0.4 * ceiling && rows[1]!.p99 <= 20, `search over HTTP ≥ 40% of /health with p99 ≤ 20 ms: ${((100 * rows[1]!.rps) / ceiling).toFixed(0)}%, p99 ${rows[1]!.p99.toFixed(2)} ms`);
      verdict(rows[2]!.rps >= 0.35 * ceiling, `60/40 mix ≥ 35% of /health: ${((100 * rows[2]!.rps) / ceiling).toFixed(0)}%`);
      verdict(rows.every((r) => r.failed === 0), `no failed request: ${rows.map((r) => r.failed).join(' / ')}`);
    } finally {
      api.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
