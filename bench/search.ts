import os from 'node:os';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { startApi } from './api-process.js';
import { knownItemQueries, quantile, readJsonl, sharedCorpus } from './corpus.js';
import { loadOurEngine, ourSearcher } from './our-engine.js';
import type { Searcher } from './peers.js';
import { miniSearchPeer, rawFts5Peer } from './peers.js';

const QUERY_COUNT = 300;
const SEED = 42;
const HTTP_SECONDS = Number(process.env.HTTP_SECONDS ?? 20);
const HTTP_CONNECTIONS = Number(process.env.HTTP_CONNECTIONS ?? 8);
const HTTP_RATE = Number(process.env.HTTP_RATE ?? 2_000);

/** Latency of each query, in milliseconds, after one warm-up pass. */
function latencies(search: Searcher, queries: readonly string[]): number[] {
  queries.forEach((q) => search(q));
  return queries.map((q) => {
    const started = performance.now();
    search(q);
    return performance.now() - started;
  });
}

/** A load run cycling through the queries; `rate` fixes the requests per second (else as fast as answers come). */
async function httpLoad(url: string, queries: readonly string[], rate?: number): Promise<autocannon.Result> {
  const requests = queries.map((q) => ({ method: 'GET' as const, path: `/api/search?perPage=10&q=${encodeURIComponent(q)}` }));
  const options = { url, connections: rate ? 2 * HTTP_CONNECTIONS : HTTP_CONNECTIONS, duration: HTTP_SECONDS, requests };
  return autocannon(rate ? { ...options, overallRate: rate } : options);
}

async function main(): Promise<void> {
  const file = sharedCorpus('reuters21578.jsonl');
  if (!file) return;
  const docs = readJsonl<{ id: string; title: string; body: string }>(file);
  const queries = knownItemQueries(file, QUERY_COUNT, SEED);
  const all = queries.map((q) => q.q);
  const typos = queries.filter((q) => q.typo).map((q) => q.q);

  let started = performance.now();
  const { engine, dir, summary } = await loadOurEngine(docs);
  const ourBuild = (performance.now() - started) / 1000;
  started = performance.now();
  const fts = rawFts5Peer(docs);
  const ftsBuild = (performance.now() - started) / 1000;
  started = performance.now();
  const mini = miniSearchPeer(docs);
  const miniBuild = (performance.now() - started) / 1000;

  const rows: [string, Searcher, number][] = [
    ['newsfind (typo tolerance on)', ourSearcher(engine), ourBuild],
    ['raw FTS5 (no typos)', fts, ftsBuild],
    ['MiniSearch (fuzzy 0.2)', mini, miniBuild],
  ];
  console.log(`Reuters shared file: ${docs.length} articles (${summary.indexed} indexed by us); ${all.length} known-item queries (${typos.length} with typos), seed ${SEED}`);
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  console.log('\nin-process, top 10          build s   p50 ms   p99 ms   typo p50   typo p99');
  for (const [name, search, build] of rows) {
    const a = latencies(search, all);
    const t = latencies(search, typos);
    const f = (x: number) => x.toFixed(3).padStart(8);
    console.log(`${name.padEnd(28)} ${build.toFixed(2).padStart(6)} ${f(quantile(a, 0.5))} ${f(quantile(a, 0.99))}   ${f(quantile(t, 0.5))}   ${f(quantile(t, 0.99))}`);
  }
  await engine.close();

  const api = await startApi(dir);
  try {
    console.log(`\nHTTP GET /api/search (API with WORKERS=${process.env.WORKERS ?? 'auto'}; autocannon on the same machine, ${HTTP_SECONDS} s each):`);
    console.log('load                          requests/s   p50 ms   p99 ms   errors   non-2xx');
    for (const rate of [undefined, HTTP_RATE]) {
      const r = await httpLoad(api.url, all, rate);
      const label = rate ? `fixed ${rate}/s, ${2 * HTTP_CONNECTIONS} connections` : `as fast as possible, ${HTTP_CONNECTIONS} conn.`;
      console.log(`${label.padEnd(29)} ${String(Math.round(r.requests.average)).padStart(10)} ${String(r.latency.p50).padStart(8)} ${String(r.latency.p99).padStart(8)} ${String(r.errors).padStart(8)} ${String(r.non2xx).padStart(9)}`);
    }
  } finally {
    api.stop();
  }
}

void main();
