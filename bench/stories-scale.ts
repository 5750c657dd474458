import { performance } from 'node:perf_hooks';
import { SimilarityIndex } from '../src/core/similarity/similarity-index.js';
import { storyInput } from '../src/core/stories/story-input.js';
import { DEFAULT_STORY_OPTIONS, STORY_TOP_TERMS } from '../src/core/stories/story-options.js';
import { StoryThreads } from '../src/core/stories/story-threads.js';

const DAY = 86_400_000;

/** A seeded generator (mulberry32): the same corpus on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Story threads over synthetic articles, to see that the work per article does not grow with the corpus: `n`
 * articles of 80 terms drawn from a Zipf-like vocabulary of 50,000, published evenly over 1,000 days (n / 1,000 a
 * day, so the window's density grows with n as a busier site's would), added in time order. Prints µs per article
 * for each block of articles and the term window's entries at the end.
 */
export function measureScale(n: number): string[] {
  const rnd = random(7);
  const vocabulary = 50_000;
  const index = new SimilarityIndex();
  for (let t = 0; t < vocabulary; t++) index.setTerm(t, `t${t}`, `t${t}`);
  const entries = Array.from({ length: n }, (_, key) => {
    const terms = new Set<number>();
    while (terms.size < 80) terms.add(Math.min(vocabulary - 1, Math.floor(vocabulary * rnd() ** 3)));
    const sorted = Int32Array.from([...terms].sort((a, b) => a - b));
    return { meta: { key, id: `s${String(key).padStart(8, '0')}`, publishedAt: Math.floor((key / n) * 1000 * DAY) }, vector: { terms: sorted, counts: sorted.map(() => 1 + Math.floor(rnd() * 3)) as unknown as Float32Array } };
  });
  for (const e of entries) e.vector.counts = Float32Array.from(e.vector.terms, () => 1 + Math.floor(rnd() * 3));
  index.addAll(entries);
  const threads = new StoryThreads(DEFAULT_STORY_OPTIONS);
  const lines: string[] = [];
  const block = Math.max(1, Math.floor(n / 5));
  let started = performance.now();
  for (let i = 0; i < n; i++) {
    const { meta } = entries[i]!;
    const input = storyInput(index, index.docOf(meta.key)!, STORY_TOP_TERMS)!;
    threads.add({ id: meta.id, at: meta.publishedAt, terms: input.terms }, (other) => input.cosineTo(index.docOf(Number(other.slice(1)))));
    if ((i + 1) % block === 0) {
      lines.push(`synthetic ${n}: articles ${i + 1 - block + 1}–${i + 1}: ${(((performance.now() - started) * 1000) / block).toFixed(0)} µs/article`);
      started = performance.now();
    }
  }
  lines.push(`synthetic ${n}: term window entries at the end ${threads.windowSize()} (${n / 1000} articles a day, 30 days kept)`);
  return lines;
}
