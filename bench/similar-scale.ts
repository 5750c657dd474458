import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { termCounts } from '../src/core/similarity/analyzer.js';
import { SimilarFinder } from '../src/core/similarity/find-similar.js';
import { SimilarityIndex } from '../src/core/similarity/similarity-index.js';
import { quantile, readJsonl, sharedCorpus } from './corpus.js';
import { seededRandom } from './attack-kit.js';

/**
 * "More like this" at scale: a synthetic corpus of ARTICLES (default 1,000,000) made from the shared corpora's
 * vocabulary, added one article at a time (the incremental path), then queried.
 *
 * Each synthetic article takes a real article of Reuters or BBC as its seed: it keeps each of the seed's terms
 * with probability 0.6 (with its count) and adds as many terms drawn from the corpus-wide term distribution, so
 * that articles cluster by story like real news instead of being uniform noise.
 */
const ARTICLES = Number(process.env.ARTICLES ?? 1_000_000);
const QUERIES = Number(process.env.SCALE_QUERIES ?? 300);


/** Recall@10 of the finder against an exhaustive exact cosine over every article, for 20 random sources. */
function exhaustiveRecall(index: SimilarityIndex, finder: SimilarFinder, rand: () => number): number {
  let sum = 0;
  for (let q = 0; q < 20; q++) {
    const d = Math.floor(rand() * index.slots);
    const query = finder.weigh(index.vectorOf(d)!);
    const found = new Set(finder.find(query, { limit: 10, excludeDoc: d, includeDuplicates: true }).map((h) => h.id));
    const best: [number, number][] = [];
    for (let o = 0; o < index.slots; o++) {
      if (o === d) continue;
      const c = index.exactCosine(query, o);
      if (best.length < 10 || c > best[best.length - 1]![1]) {
        best.push([o, c]);
        best.sort((a, b) => b[1] - a[1]);
        if (best.length > 10) best.pop();
      }
    }
    sum += best.filter(([o]) => found.has(index.ids[o]!)).length / best.length;
  }
  return sum / 20;
}

function main(): void {
  const files = [sharedCorpus('reuters21578.jsonl'), sharedCorpus('bbc.jsonl')];
  if (files.some((f) => f === undefined)) return;
  const ids = new Map<string, number>();
  const index = new SimilarityIndex();
  const seeds: [number, number][][] = [];
  const pool: number[] = []; // every term occurrence: drawing from it follows the corpus distribution
  for (const file of files as string[]) {
    for (const d of readJsonl<{ title: string; body: string }>(file)) {
      const vector: [number, number][] = [];
      for (const [term, { count, word }] of termCounts(d.title, d.body)) {
        let id = ids.get(term);
        if (id === undefined) {
          id = ids.size;
          ids.set(term, id);
          index.setTerm(id, term, word);
        }
        vector.push([id, count]);
        for (let k = 0; k < count; k++) pool.push(id);
      }
      seeds.push(vector);
    }
  }
  const rand = seededRandom(42);
  const started = performance.now();
  for (let n = 0; n < ARTICLES; n++) {
    const seed = seeds[Math.floor(rand() * seeds.length)]!;
    const terms = new Map<number, number>();
    for (const [t, c] of seed) if (rand() < 0.6) terms.set(t, c);
    const extra = Math.max(1, Math.round(seed.length * 0.4));
    for (let k = 0; k < extra; k++) {
      const t = pool[Math.floor(rand() * pool.length)]!;
      terms.set(t, (terms.get(t) ?? 0) + 1);
    }
    const sorted = [...terms].sort((a, b) => a[0] - b[0]);
    index.add(
      { key: n, id: `synthetic-${n}`, publishedAt: Date.UTC(2020, 0, 1) + n * 60_000 },
      { terms: Int32Array.from(sorted, (x) => x[0]), counts: Float32Array.from(sorted, (x) => x[1]) },
    );
    if ((n + 1) % 250_000 === 0) {
      const m = process.memoryUsage();
      console.log(`added ${n + 1} articles in ${((performance.now() - started) / 1000).toFixed(1)} s, RSS ${Math.round(m.rss / 2 ** 20)} MiB`);
    }
  }
  const buildS = (performance.now() - started) / 1000;
  const finder = new SimilarFinder(index);
  const query = (d: number) => finder.find(finder.weigh(index.vectorOf(d)!), { limit: 10, excludeDoc: d });
  query(0); // the first query after the build recomputes every norm (see the norm policy)
  const lat: number[] = [];
  for (let q = 0; q < QUERIES; q++) {
    const d = Math.floor(rand() * ARTICLES);
    const t = performance.now();
    query(d);
    lat.push(performance.now() - t);
  }
  const recall = exhaustiveRecall(index, finder, rand);
  const m = process.memoryUsage();
  console.log(`\nsynthetic corpus: ${ARTICLES} articles, vocabulary ${ids.size} terms; machine ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`);
  console.log('build (incremental adds) s   query p50 ms   query p99 ms   queries   RSS MiB   heap MiB   recall@10 (20 sources)');
  console.log(`${buildS.toFixed(1).padStart(26)} ${quantile(lat, 0.5).toFixed(2).padStart(14)} ${quantile(lat, 0.99).toFixed(2).padStart(14)} ${String(QUERIES).padStart(9)} ${String(Math.round(m.rss / 2 ** 20)).padStart(9)} ${String(Math.round(m.heapUsed / 2 ** 20)).padStart(10)}   ${recall.toFixed(3)}`);
}

main();
