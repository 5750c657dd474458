import fc from 'fast-check';
import { MAX_DOC_FREQ, SimilarFinder } from '../../src/core/similarity/find-similar.js';
import type { SimilarHit, SimilarOptions } from '../../src/core/similarity/find-similar.js';
import { SimilarityIndex } from '../../src/core/similarity/similarity-index.js';
import type { SimilarityMeta, TermVector } from '../../src/core/similarity/similarity-index.js';

/**
 * Tiny corpora for similarity tests, written as bags of words over a fixed vocabulary whose term ids are the
 * word's position (so no analyzer is involved), and an exhaustive reference that computes TF-IDF cosines from the
 * written-out formulas over every live document.
 */
export const VOCABULARY: readonly string[] = Array.from({ length: 80 }, (_, i) => `w${String(i).padStart(2, '0')}`);

/** One test document: its id, its words (repeats count), and what filters see. */
export interface TestDoc {
  readonly id: string;
  readonly words: readonly string[];
  readonly category?: string;
  readonly source?: string;
  readonly publishedAt?: number;
}

const termOf = (word: string): number => {
  const t = VOCABULARY.indexOf(word);
  if (t < 0) throw new Error(`"${word}" is not in the test vocabulary`);
  return t;
};

/** Counts by term id. */
export function countsOf(words: readonly string[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const w of words) counts.set(termOf(w), (counts.get(termOf(w)) ?? 0) + 1);
  return counts;
}

/** A stored-form vector: sorted term ids and counts. */
export function vectorOf(words: readonly string[]): TermVector {
  const pairs = [...countsOf(words)].sort((a, b) => a[0] - b[0]);
  return { terms: Int32Array.from(pairs, (p) => p[0]), counts: Float32Array.from(pairs, (p) => p[1]) };
}

/** An empty index with every vocabulary word registered as a term (its own word for display). */
export function emptyIndex(): SimilarityIndex {
  const index = new SimilarityIndex();
  VOCABULARY.forEach((w, t) => index.setTerm(t, w, w));
  return index;
}

/** The metadata of a document under a key. */
export function metaOf(doc: TestDoc, key: number): SimilarityMeta {
  return { key, id: doc.id, category: doc.category, source: doc.source, publishedAt: doc.publishedAt };
}

/** An index holding `docs`, added in order, each under the key `keyOf(doc)` (its position by default). */
export function indexOf(docs: readonly TestDoc[], keyOf: (doc: TestDoc, i: number) => number = (_d, i) => i): SimilarityIndex {
  const index = emptyIndex();
  docs.forEach((d, i) => index.add(metaOf(d, keyOf(d, i)), vectorOf(d.words)));
  return index;
}

/** An index built at once from `docs` with addAll (the bulk path a serving process starts with). */
export function bulkIndexOf(docs: readonly TestDoc[], keyOf: (doc: TestDoc, i: number) => number = (_d, i) => i): SimilarityIndex {
  const index = emptyIndex();
  index.addAll(docs.map((d, i) => ({ meta: metaOf(d, keyOf(d, i)), vector: vectorOf(d.words) })));
  return index;
}

/** "More like this" for the indexed document under `key` (left out of its own results). */
export function similarToKey(index: SimilarityIndex, key: number, options: Omit<SimilarOptions, 'excludeDoc'>): SimilarHit[] {
  const finder = new SimilarFinder(index);
  const doc = index.docOf(key);
  if (doc === undefined) throw new Error(`no document under key ${key}`);
  return finder.find(finder.weigh(index.vectorOf(doc)!), { ...options, excludeDoc: doc });
}

/** "More like this" for words that are not indexed; `unknownCounts` are counts of words the corpus never saw. */
export function similarToWords(
  index: SimilarityIndex,
  words: readonly string[],
  options: SimilarOptions,
  unknownCounts: readonly number[] = [],
): SimilarHit[] {
  const finder = new SimilarFinder(index);
  return finder.find(finder.weighCounts(vectorOf(words), unknownCounts), options);
}

// The formulas as documented in weighting.ts. tf is held at Float32 precision, as the index stores it (the design
// keeps postings in Float32Arrays); unknown query words are weighed in full precision, as SimilarFinder.weigh does.
const tf32 = (count: number): number => Math.fround(1 + Math.log(count));
const idfOf = (n: number, df: number): number => Math.sqrt(Math.log((1 + n) / (1 + df)) + 1); // default exponent 0.5

/** Document frequency of every term over `docs`. */
export function documentFrequencies(docs: readonly TestDoc[]): Map<number, number> {
  const df = new Map<number, number>();
  for (const d of docs) for (const t of countsOf(d.words).keys()) df.set(t, (df.get(t) ?? 0) + 1);
  return df;
}

/** TF-IDF weights of a bag of words under the corpus `docs`. */
function weights(words: readonly string[], docs: readonly TestDoc[]): Map<number, number> {
  const df = documentFrequencies(docs);
  return new Map([...countsOf(words)].map(([t, c]) => [t, tf32(c) * idfOf(docs.length, df.get(t) ?? 0)]));
}

const normOf = (w: Map<number, number>, extra = 0): number => Math.sqrt([...w.values()].reduce((s, x) => s + x * x, 0) + extra);

/** The exact L2 norm of a document's vector under the corpus `docs`. */
export function exactNorm(doc: TestDoc, docs: readonly TestDoc[]): number {
  return normOf(weights(doc.words, docs));
}

/** Exact TF-IDF cosine between a bag of words and a document, both weighed under the corpus `docs`. */
export function exactCosine(query: readonly string[], doc: TestDoc, docs: readonly TestDoc[], unknownCounts: readonly number[] = []): number {
  const q = weights(query, docs);
  const d = weights(doc.words, docs);
  const unknown = unknownCounts.reduce((s, c) => s + ((1 + Math.log(c)) * idfOf(docs.length, 0)) ** 2, 0);
  let dot = 0;
  for (const [t, w] of q) dot += w * (d.get(t) ?? 0);
  const nq = normOf(q, unknown);
  const nd = normOf(d);
  return nq > 0 && nd > 0 ? dot / (nq * nd) : 0;
}

/** Every document but `exclude` with a positive exact cosine, best first, ties by id. */
export function exhaustive(
  query: readonly string[],
  docs: readonly TestDoc[],
  options: { exclude?: string; unknownCounts?: readonly number[]; among?: (doc: TestDoc) => boolean } = {},
): { id: string; cosine: number }[] {
  return docs
    .filter((d) => d.id !== options.exclude && (options.among?.(d) ?? true))
    .map((d) => ({ id: d.id, cosine: exactCosine(query, d, docs, options.unknownCounts) }))
    .filter((h) => h.cosine > 0)
    .sort((a, b) => b.cosine - a.cosine || (a.id < b.id ? -1 : 1));
}

/**
 * Asserts that `hits` are the first `limit` of `expected`: same length, the same cosine at every rank (within
 * `tolerance`), and the same id at every rank unless two cosines tie within `tolerance` (then either order is right).
 */
export function expectSameRanking(
  hits: readonly { id: string; cosine: number }[],
  expected: readonly { id: string; cosine: number }[],
  limit: number,
  tolerance = 1e-9,
): void {
  const top = expected.slice(0, limit);
  expect(hits.map((h) => h.id)).toHaveLength(top.length);
  expect(new Set(hits.map((h) => h.id)).size).toBe(hits.length);
  const cosineOf = new Map(expected.map((e) => [e.id, e.cosine]));
  hits.forEach((hit, i) => {
    expect(Math.abs(hit.cosine - top[i]!.cosine)).toBeLessThanOrEqual(tolerance);
    expect(cosineOf.has(hit.id)).toBe(true);
    if (hit.id !== top[i]!.id) expect(Math.abs(cosineOf.get(hit.id)! - top[i]!.cosine)).toBeLessThanOrEqual(tolerance);
  });
}

/**
 * Words of one document, 0–`maxWords` of them (repeats allowed), drawn from the first `vocabulary` words with
 * a skew: a quarter of the draws come from the `common` words w00, w01, … (which end up in many documents and so
 * gather no candidates, see find-similar.ts), the rest from the others (rare enough to gather candidates).
 */
export const wordsArb = (vocabulary = 60, maxWords = 6, common = 4): fc.Arbitrary<string[]> => {
  const rare = fc.constantFrom(...VOCABULARY.slice(common, Math.max(common + 1, vocabulary)));
  const word = common === 0 ? rare : fc.oneof({ arbitrary: fc.constantFrom(...VOCABULARY.slice(0, common)), weight: 1 }, { arbitrary: rare, weight: 3 });
  return fc.array(word, { maxLength: maxWords });
};

/**
 * The smallest corpus in which a term held by two documents (a source and one other) still gathers candidates:
 * below it "more like this" finds nothing for an indexed document (see the tiny-corpus tests).
 */
export const ENOUGH_DOCS = Math.ceil(2 / MAX_DOC_FREQ);

/** A corpus of `minDocs`–`maxDocs` (default ENOUGH_DOCS to ENOUGH_DOCS + 16) documents with ids d00, d01, … */
export const corpusArb = (
  options: { minDocs?: number; maxDocs?: number; vocabulary?: number; maxWords?: number; common?: number } = {},
) =>
  fc
    .array(wordsArb(options.vocabulary, options.maxWords, options.common), {
      minLength: options.minDocs ?? ENOUGH_DOCS,
      maxLength: options.maxDocs ?? ENOUGH_DOCS + 16,
    })
    .map((all): TestDoc[] => all.map((words, i) => ({ id: `d${String(i).padStart(2, '0')}`, words })));

/** A corpus with up to 3 extra documents c0, c1, … that copy one of its documents, some with one more word. */
export const corpusWithCopiesArb = (): fc.Arbitrary<TestDoc[]> =>
  corpusArb().chain((docs) =>
    fc
      .array(fc.record({ of: fc.nat({ max: docs.length - 1 }), extra: wordsArb(60, 1) }), { maxLength: 3 })
      .map((copies) => [...docs, ...copies.map((c, i) => ({ id: `c${i}`, words: [...docs[c.of]!.words, ...c.extra] }))]),
  );
