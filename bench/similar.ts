import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import autocannon from 'autocannon';
import { SqliteEngine } from '../src/engines/sqlite/sqlite-engine.js';
import { ingestArticles } from '../src/services/ingest-articles.js';
import { Similarity } from '../src/similarity/similarity.js';
import { quantile, readJsonl, sharedCorpus } from './corpus.js';
import { startApi } from './api-process.js';
import { mltQuality, peerSources } from './mlt.js';

const HTTP_SECONDS = Number(process.env.HTTP_SECONDS ?? 20);
const NATURAL_QUERIES = Number(process.env.NATURAL_QUERIES ?? 30);

interface Doc {
  id: string;
  title: string;
  body: string;
}

/** Our index on a fresh store: indexing time (search + similarity) and the Similarity opened as the API would. */
async function buildOurs(docs: readonly Doc[]): Promise<{ dir: string; similarity: Similarity; indexS: number; loadS: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-similar-'));
  const engine = SqliteEngine.open({ file: path.join(dir, 'newsfind.db'), index: 'none' });
  const writer = Similarity.open(path.join(dir, 'similarity.db'), { serve: false });
  let t = performance.now();
  await ingestArticles({ engine, similarity: writer }, docs.map((value, i) => ({ location: `record ${i}`, value })));
  const indexS = (performance.now() - t) / 1000;
  await engine.close();
  writer.close();
  t = performance.now();
  const similarity = Similarity.open(path.join(dir, 'similarity.db'), { serve: true, cacheEntries: 0 });
  await similarity.generation();
  return { dir, similarity, indexS, loadS: (performance.now() - t) / 1000 };
}

/** natural.TfIdf as ../shared/peers/js_peers.mjs runs it: the top 25 terms, tfidfs over every document. */
function naturalPeer(docs: readonly Doc[], sources: readonly number[]): { buildS: number; lat: number[] } {
  const require = createRequire(import.meta.url);
  const TfIdf = require('natural/lib/natural/tfidf/tfidf') as new () => {
    addDocument(text: string): void;
    listTerms(i: number): { term: string }[];
    tfidfs(terms: string[]): number[];
  };
  let t = performance.now();
  const tfidf = new TfIdf();
  for (const d of docs) tfidf.addDocument(`${d.title}\n${d.body}`);
  const buildS = (performance.now() - t) / 1000;
  const lat = sources.map((i) => {
    t = performance.now();
    const scores = tfidf.tfidfs(tfidf.listTerms(i).slice(0, 25).map((x) => x.term));
    scores[i] = -1;
    scores.map((s, j) => [s, j]).sort((a, b) => b[0]! - a[0]!).slice(0, 10);
    return performance.now() - t;
  });
  return { buildS, lat };
}

async function relevance(name: string, corpus: string, docs: readonly Doc[], similarity: Similarity): Promise<void> {
  const sources = peerSources(docs.length, 300).map((i) => docs[i]!.id);
  for (const includeDuplicates of [false, true]) {
    const run: Record<string, [string, number][]> = {};
    for (const id of sources) {
      const found = await similarity.similarTo(id, { limit: 10, includeDuplicates });
      run[id] = (found?.hits ?? []).map((h) => [h.id, h.cosine]);
    }
    const p = mltQuality(corpus, run);
    console.log(`${name.padEnd(8)} precision@10 ${includeDuplicates ? '(near-duplicates kept, as the peers)' : '(near-duplicates left out, our default)'}: ${p.toFixed(3)}`);
  }
}

async function main(): Promise<void> {
  const reutersFile = sharedCorpus('reuters21578.jsonl');
  const bbcFile = sharedCorpus('bbc.jsonl');
  if (!reutersFile || !bbcFile) return;
  const docs = readJsonl<Doc>(reutersFile);
  const ours = await buildOurs(docs);
  const sources = Array.from({ length: 500 }, (_, k) => (k * 7919) % docs.length);
  const ids = sources.map((i) => docs[i]!.id);
  for (const id of ids) await ours.similarity.similarTo(id, { limit: 10 });
  const lat: number[] = [];
  for (const id of ids) {
    const t = performance.now();
    await ours.similarity.similarTo(id, { limit: 10 });
    lat.push(performance.now() - t);
  }
  const nat = naturalPeer(docs, sources.slice(0, NATURAL_QUERIES));
  console.log(`Reuters shared file: ${docs.length} articles; machine ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);
  console.log('\n"more like this", top 10       build s   p50 ms   p99 ms   queries');
  const f = (x: number) => x.toFixed(3).padStart(8);
  console.log(`newsfind (exact cosine re-rank) ${ours.indexS.toFixed(2).padStart(6)} ${f(quantile(lat, 0.5))} ${f(quantile(lat, 0.99))}   ${lat.length}  (answer cache off)`);
  console.log(`natural.TfIdf (tfidfs, top 25)  ${nat.buildS.toFixed(2).padStart(6)} ${f(quantile(nat.lat, 0.5))} ${f(quantile(nat.lat, 0.99))}   ${nat.lat.length}`);
  console.log(`(our build = full indexing: validation, search engine and similarity store; loading the similarity index at API start: ${ours.loadS.toFixed(2)} s)`);

  console.log('');
  await relevance('reuters', reutersFile, docs, ours.similarity);
  ours.similarity.close();
  const bbcDocs = readJsonl<Doc>(bbcFile);
  const bbc = await buildOurs(bbcDocs);
  await relevance('bbc', bbcFile, bbcDocs, bbc.similarity);
  bbc.similarity.close();

  const requests = ids.map((id) => ({ method: 'GET' as const, path: `/api/articles/${id}/similar?limit=10` }));
  console.log(`\nHTTP GET /api/articles/:id/similar over the same 500 articles, API with WORKERS=${process.env.WORKERS ?? 'auto'},`);
  console.log(`autocannon on the same machine, ${HTTP_SECONDS} s each; RSS after the run (largest process / all processes):`);
  console.log('answers cached   load                          requests/s   p50 ms   p99 ms   errors   non-2xx   RSS MB');
  for (const cache of ['20000', '0']) {
    const api = await startApi(ours.dir, { SIMILARITY_CACHE_ENTRIES: cache });
    try {
      await new Promise((r) => setTimeout(r, 3_000)); // every worker has loaded both indexes
      const idle = api.rssMb();
      console.log(`${(cache === '0' ? 'no' : 'yes').padEnd(16)} ${'idle, indexes loaded'.padEnd(29)} ${'–'.padStart(10)} ${'–'.padStart(8)} ${'–'.padStart(8)} ${'–'.padStart(8)} ${'–'.padStart(9)}   ${idle.largest} / ${idle.total}`);
      for (const rate of [undefined, 2000]) {
        const options = { url: api.url, connections: rate ? 16 : 8, duration: HTTP_SECONDS, requests };
        const r = await autocannon(rate ? { ...options, overallRate: rate } : options);
        const label = rate ? `fixed ${rate}/s, 16 connections` : 'as fast as possible, 8 conn.';
        const rss = api.rssMb();
        console.log(`${(cache === '0' ? 'no' : 'yes').padEnd(16)} ${label.padEnd(29)} ${String(Math.round(r.requests.average)).padStart(10)} ${String(r.latency.p50).padStart(8)} ${String(r.latency.p99).padStart(8)} ${String(r.errors).padStart(8)} ${String(r.non2xx).padStart(9)}   ${rss.largest} / ${rss.total}`);
      }
    } finally {
      api.stop();
    }
  }
}

void main();
