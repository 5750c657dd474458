import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { SqliteEngine } from '../src/engines/sqlite/sqlite-engine.js';
import { ingestArticles } from '../src/services/ingest-articles.js';
import { Similarity } from '../src/similarity/similarity.js';
import { startApi } from './api-process.js';
import { knownItemQueries, readJsonl, sharedCorpus } from './corpus.js';

/**
 * A mixed load on the built API over the Reuters shared file: keyword searches (known-item queries, a third with
 * typos) and "more like this" calls, alternating, at a fixed rate for LOAD_SECONDS, with the API's memory sampled
 * every 5 seconds. (Entity calls join the mix when the entity endpoints exist.)
 */
const RATE = Number(process.env.LOAD_RATE ?? 1_500);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);

async function main(): Promise<void> {
  const file = sharedCorpus('reuters21578.jsonl');
  if (!file) return;
  const docs = readJsonl<{ id: string }>(file);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-load-'));
  const engine = SqliteEngine.open({ file: path.join(dir, 'newsfind.db'), ranker: 'fts5' });
  const similarity = Similarity.open(path.join(dir, 'similarity.db'), { serve: false });
  await ingestArticles({ engine, similarity }, docs.map((value, i) => ({ location: `record ${i}`, value })));
  await engine.close();
  similarity.close();

  const queries = knownItemQueries(file, 300, 42).map((q) => q.q);
  const ids = Array.from({ length: 2_000 }, (_, k) => docs[(k * 7919) % docs.length]!.id);
  const requests = queries.flatMap((q, k) => [
    { method: 'GET' as const, path: `/api/search?perPage=10&facets=source&q=${encodeURIComponent(q)}` },
    { method: 'GET' as const, path: `/api/articles/${ids[k % ids.length]}/similar?limit=10` },
  ]);
  const api = await startApi(dir);
  try {
    await new Promise((r) => setTimeout(r, 3_000));
    const samples: number[] = [api.rssMb().total];
    const sampler = setInterval(() => samples.push(api.rssMb().total), 5_000);
    const r = await autocannon({ url: api.url, connections: 16, overallRate: RATE, duration: SECONDS, requests });
    clearInterval(sampler);
    samples.push(api.rssMb().total);
    console.log(`mixed load (search + similar), fixed ${RATE}/s, ${SECONDS} s, 16 connections; API WORKERS=${process.env.WORKERS ?? 'auto'};`);
    console.log(`machine ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; autocannon on the same machine`);
    console.log('requests/s   total   p50 ms   p99 ms   max ms   errors   timeouts   non-2xx');
    console.log(`${String(Math.round(r.requests.average)).padStart(10)} ${String(r.requests.total).padStart(7)} ${String(r.latency.p50).padStart(8)} ${String(r.latency.p99).padStart(8)} ${String(r.latency.max).padStart(8)} ${String(r.errors).padStart(8)} ${String(r.timeouts).padStart(10)} ${String(r.non2xx).padStart(9)}`);
    console.log(`API RSS, all processes, every 5 s (MB): ${samples.join(' ')}`);
  } finally {
    api.stop();
  }
}

void main();
