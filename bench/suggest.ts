import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { extractEntities } from '../src/core/entities/extract-entities.js';
import { NO_NAMES } from '../src/core/entities/names.js';
import { SuggestIndex } from '../src/core/suggest/suggest-index.js';
import type { SuggestSource } from '../src/core/suggest/suggest-index.js';
import { defaultGazetteer } from '../src/entities/default-gazetteer.js';
import { knownItemQueries, quantile, readJsonl, SHARED } from './corpus.js';

/**
 * `npm run bench:suggest`: the search box's completions (core/suggest/suggest-index.ts) in process, on the shared
 * corpora: build time, memory held, the cost of keeping it current (one article replaced), and the latency of
 * lookups as a reader types — every prefix (2 characters on) of the peers' known-item queries (../shared/peers), 
 * each asked once, no answer cache. Entities come from the extractor (no corpus evidence). Needs --expose-gc.
 */
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const heap = (): number => {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
};

interface Row {
  corpus: string;
  articles: number;
  entries: number;
  buildS: number;
  heapMiB: number;
  applyP50Us: number;
  lookups: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
}

function run(name: string, file: string): Row | undefined {
  if (!fs.existsSync(file)) {
    console.warn(`${file} is absent: ${name} skipped`);
    return undefined;
  }
  const records = readJsonl<{ id: string; title: string; body: string }>(file);
  const gazetteer = defaultGazetteer();
  const sources: [string, SuggestSource][] = records.map((r) => {
    const found = extractEntities({ title: r.title, body: r.body }, gazetteer, NO_NAMES);
    const entities = (['people', 'orgs', 'places'] as const).flatMap((kind) => found[kind].map((name) => ({ kind, name })));
    return [r.id, { title: r.title, entities }];
  });
  const before = heap();
  const t0 = performance.now();
  const index = new SuggestIndex();
  for (const [id, s] of sources) index.set(id, s);
  const buildS = (performance.now() - t0) / 1000;
  const heapMiB = (heap() - before) / 2 ** 20;
  // keeping it current: each of 2,000 articles set again (replaced by itself), as the index host applies a change
  const applies: number[] = [];
  for (const [id, s] of sources.slice(0, 2_000)) {
    const a = performance.now();
    index.set(id, s);
    applies.push((performance.now() - a) * 1000);
  }
  const typed = new Set<string>();
  for (const { q } of knownItemQueries(file, 200, 17)) for (let n = 2; n <= q.length; n++) typed.add(q.slice(0, n));
  const times: number[] = [];
  for (const q of typed) {
    const a = performance.now();
    index.suggest(q, 8);
    times.push((performance.now() - a) * 1000);
  }
  return {
    corpus: name, articles: records.length, entries: index.entryCount, buildS, heapMiB, applyP50Us: quantile(applies, 0.5),
    lookups: times.length, p50Us: quantile(times, 0.5), p90Us: quantile(times, 0.9), p99Us: quantile(times, 0.99), maxUs: Math.max(...times),
  };
}

const rows = [run('Reuters', `${SHARED}/corpus/reuters21578.jsonl`), run('BBC', `${SHARED}/corpus/bbc.jsonl`)].filter((r): r is Row => r !== undefined);
console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
console.log('| corpus | articles | entries | build | heap held | apply one article p50 | lookups | p50 | p90 | p99 | max |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(`| ${r.corpus} | ${r.articles} | ${r.entries} | ${r.buildS.toFixed(2)} s | ${r.heapMiB.toFixed(1)} MiB | ${r.applyP50Us.toFixed(0)} µs | ${r.lookups} | ` +
    `${(r.p50Us / 1000).toFixed(3)} ms | ${(r.p90Us / 1000).toFixed(3)} ms | ${(r.p99Us / 1000).toFixed(3)} ms | ${(r.maxUs / 1000).toFixed(2)} ms |`);
}
