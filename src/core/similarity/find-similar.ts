import { freshnessLogDecay } from '../freshness.js';
import type { Freshness } from '../freshness.js';
import { ensureCapacity } from '../keyword/growable.js';
import type { SimilarityIndex, TermVector, WeightedVector } from './similarity-index.js';
import { cosine, tf } from './weighting.js';

/** Cosine at or above which two articles are copies of one story (syndicated or re-sent wire items). */
export const DUPLICATE_COSINE = 0.95;
/** Source terms used to find candidates, the strongest first (Lucene's max_query_terms). */
export const MAX_QUERY_TERMS = 25;
/** Terms in more than this share of the corpus find no candidates (Lucene's max_doc_freq); they still count in cosines.
 * With the damped idf and 200 candidates, recall@10 against an exhaustive exact cosine on the Reuters file stays near 1
 * (test/relevance/similar-exactness.test.ts; figures: docs/BENCHMARKS.md). */
export const MAX_DOC_FREQ = 0.25;
/** A term held by at most this many articles always gathers candidates, however small the corpus. */
export const MIN_DOC_FREQ_CAP = 20;
/**
 * Early termination: once this many postings have been read, longer lists are skipped (shorter, rarer ones are
 * still read). On the Reuters file few queries come near it; at a million articles
 * it bounds a query's work, where the random accesses into per-document arrays cost more than the arithmetic.
 */
export const POSTINGS_BUDGET = 100_000;
/** Candidates re-ranked by exact cosine (at least; 20 × limit when more are asked). */
export const CANDIDATES = 200;
/**
 * Cosine below which a related article is not shown by the HTTP routes unless a request asks otherwise
 * (`minCosine`). Chosen on one half of the shared Reuters and BBC sources (split by a hash of the id) as the cosine
 * below which a neighbour shares its source's topic less often than not; figures on the other half in
 * docs/BENCHMARKS.md ("Related list: floor and diversity"; `npm run bench:similar-floor`).
 */
export const DEFAULT_MIN_COSINE = 0.06;
/** Diversity: at most this many ranked candidates are examined per returned hit (bounds the pairwise cosines). */
export const DIVERSITY_SCAN = 3;

/** Options of a "more like this" query. */
export interface SimilarOptions {
  /** How many results (1–100). */
  readonly limit: number;
  /** Leave this document (the source) out. */
  readonly excludeDoc?: number | undefined;
  readonly filter?: {
    readonly category?: readonly string[];
    readonly source?: readonly string[];
    /** ms since the epoch, inclusive. */
    readonly from?: number;
    readonly to?: number;
  };
  /** Score × 0.5^(age / halfLife): an article `halfLifeDays` old counts half. `now` in ms. Undated: no decay. */
  readonly freshness?: Freshness | undefined;
  /**
   * Also return near-duplicates (cosine ≥ 0.95) of the source, and copies of one story side by side. By default both
   * are left out: a hit within {@link DUPLICATE_COSINE} of a better-ranked hit is skipped (diversity).
   */
  readonly includeDuplicates?: boolean;
  /** Hits whose cosine is below this (0–1) are left out (default 0: none; the HTTP routes default to {@link DEFAULT_MIN_COSINE}). */
  readonly minCosine?: number;
  /** Return the shared terms that contributed most to each cosine. */
  readonly explain?: boolean;
}

/** One similar article. `score` is the cosine, times the freshness decay when asked. */
export interface SimilarHit {
  readonly key: number;
  readonly id: string;
  readonly score: number;
  readonly cosine: number;
  readonly duplicate: boolean;
  /** With `explain`: shared terms (as a word) and their share of the cosine, largest first. */
  readonly terms?: readonly { readonly term: string; readonly weight: number }[];
}

/** The k-th largest value (1-based) of `values`, reordering them in place (Hoare's selection, O(n) on average). */
export function kthLargest(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return values[target]!;
}

/**
 * "More like this" over a {@link SimilarityIndex}: the source's strongest terms gather candidates from their
 * postings (partial dot products), the best few hundred are re-ranked by the exact cosine of the full vectors, then
 * filters, duplicates and freshness apply; ties by id.
 */
export class SimilarFinder {
  private acc = new Float32Array(16);
  /** Query weight × idf by term id, set only while a query runs. */
  private dense = new Float64Array(16);
  private touched = new Int32Array(16);
  private scores = new Float64Array(16);
  private selection = new Float64Array(16);

  constructor(private readonly index: SimilarityIndex) {}

  /** Weights a vector under the current idf; `unknownCounts` are counts of terms the corpus has never seen. */
  weigh(vector: { terms: Int32Array; tfs: Float32Array }, unknownCounts: readonly number[] = []): WeightedVector {
    const weights = new Float64Array(vector.terms.length);
    const idfs = new Float64Array(vector.terms.length);
    let sum = 0;
    for (let i = 0; i < vector.terms.length; i++) {
      idfs[i] = this.index.idfOf(vector.terms[i]!);
      const w = vector.tfs[i]! * idfs[i]!;
      weights[i] = w;
      sum += w * w;
    }
    for (const c of unknownCounts) sum += (tf(c) * this.index.unknownIdf()) ** 2;
    return { terms: vector.terms, idfs, weights, norm: Math.sqrt(sum) };
  }

  /** Weighs a stored-form vector (counts). */
  weighCounts(vector: TermVector, unknownCounts: readonly number[] = []): WeightedVector {
    return this.weigh({ terms: vector.terms, tfs: vector.counts.map(tf) }, unknownCounts);
  }

  find(query: WeightedVector, options: SimilarOptions): SimilarHit[] {
    const ix = this.index;
    ix.refreshNormsIfDrifted();
    const candidates = this.candidates(query, options);
    const passes = this.filterTest(options);
    // `order` is log(score): the score itself underflows to 0 past ~1,074 half-lives, and old articles would tie
    const scored: { d: number; cosine: number; score: number; order: number }[] = [];
    const dense = this.spread(query);
    for (const d of candidates) {
      if (!passes(d)) continue;
      const v = ix.vectorOf(d)!;
      let dot = 0;
      for (let j = 0; j < v.terms.length; j++) dot += dense[v.terms[j]!]! * v.tfs[j]!;
      const c = cosine(dot, query.norm, ix.norms[d]!);
      if (c <= 0 || c < (options.minCosine ?? 0)) continue;
      if (!options.includeDuplicates && c >= DUPLICATE_COSINE) continue;
      const logDecay = options.freshness ? freshnessLogDecay(ix.date[d]!, options.freshness) : 0;
      scored.push({ d, cosine: c, score: c * Math.exp(logDecay), order: Math.log(c) + logDecay });
    }
    for (const t of query.terms) dense[t] = 0;
    scored.sort((a, b) => b.order - a.order || (ix.ids[a.d]! < ix.ids[b.d]! ? -1 : 1));
    const kept = options.includeDuplicates ? scored.slice(0, options.limit) : this.diverse(scored, options.limit);
    return kept.map(({ d, cosine, score }) => ({
      key: ix.keys[d]!,
      id: ix.ids[d]!,
      score,
      cosine,
      duplicate: cosine >= DUPLICATE_COSINE,
      ...(options.explain ? { terms: this.explain(query, d) } : {}),
    }));
  }

  /**
   * The best `limit` of `ranked` such that no two are copies of one story (cosine ≥ {@link DUPLICATE_COSINE} between
   * them): each candidate is kept unless it is a copy of one kept before it (a per-story cap of one, the best-ranked
   * copy standing for its story). Work is bounded: at most {@link DIVERSITY_SCAN} × limit candidates are examined, each
   * against at most `limit` kept hits, and a pair whose cosines to the source differ by more than the angle a copy
   * allows is not computed (the angle between two vectors is at least the difference of their angles to a third).
   */
  private diverse<T extends { d: number; cosine: number }>(ranked: readonly T[], limit: number): T[] {
    const kept: T[] = [];
    const maxGap = Math.acos(DUPLICATE_COSINE) + 1e-9;
    const scan = Math.min(ranked.length, DIVERSITY_SCAN * limit);
    for (let i = 0; i < scan && kept.length < limit; i++) {
      const candidate = ranked[i]!;
      const angle = Math.acos(Math.min(1, candidate.cosine));
      const copy = kept.some(
        (k) => Math.abs(Math.acos(Math.min(1, k.cosine)) - angle) <= maxGap && this.pairCosine(k.d, candidate.d) >= DUPLICATE_COSINE,
      );
      if (!copy) kept.push(candidate);
    }
    return kept;
  }

  /** The exact cosine between two indexed documents under the current idf. */
  private pairCosine(a: number, b: number): number {
    const ix = this.index;
    const va = ix.vectorOf(a)!;
    const vb = ix.vectorOf(b)!;
    let dot = 0;
    let i = 0;
    let j = 0;
    while (i < va.terms.length && j < vb.terms.length) {
      const ta = va.terms[i]!;
      const tb = vb.terms[j]!;
      if (ta === tb) {
        const w = ix.idfOf(ta);
        dot += va.tfs[i]! * vb.tfs[j]! * w * w;
        i++;
        j++;
      } else if (ta < tb) i++;
      else j++;
    }
    return cosine(dot, ix.norms[a]!, ix.norms[b]!);
  }

  /** Spreads the query's weight × idf into a dense array by term id (cleared by the caller). */
  private spread(query: WeightedVector): Float64Array {
    this.dense = ensureCapacity(this.dense, this.index.df.length, Float64Array);
    for (let i = 0; i < query.terms.length; i++) this.dense[query.terms[i]!] = query.weights[i]! * query.idfs[i]!;
    return this.dense;
  }

  /** The documents sharing the strongest query terms, best partial score first (a few hundred at most). */
  private candidates(query: WeightedVector, options: SimilarOptions): number[] {
    const ix = this.index;
    this.acc = ensureCapacity(this.acc, ix.slots, Float32Array);
    const acc = this.acc;
    const order = [...query.terms.keys()]
      .filter((i) => (ix.df[query.terms[i]!] ?? 0) <= Math.max(MIN_DOC_FREQ_CAP, MAX_DOC_FREQ * ix.liveDocs))
      .sort((a, b) => query.weights[b]! - query.weights[a]!)
      .slice(0, MAX_QUERY_TERMS);
    // Scratch buffers live across queries: allocating them per query made the process grow under load.
    const budget = order.reduce((sum, i) => sum + (ix.postingsOf(query.terms[i]!)?.length ?? 0), 0);
    this.touched = ensureCapacity(this.touched, Math.min(budget, ix.slots), Int32Array);
    const touched = this.touched;
    let count = 0;
    let read = 0;
    for (const i of order) {
      const postings = ix.postingsOf(query.terms[i]!);
      if (!postings || (read > 0 && read + postings.length > POSTINGS_BUDGET)) continue;
      read += postings.length;
      const wq = query.weights[i]! * query.idfs[i]!;
      const { docs, tfs } = postings;
      for (let p = 0; p < postings.length; p++) {
        const d = docs[p]!;
        if (acc[d] === 0) touched[count++] = d;
        acc[d] = acc[d]! + wq * tfs[p]!;
      }
    }
    this.scores = ensureCapacity(this.scores, count, Float64Array);
    this.selection = ensureCapacity(this.selection, count, Float64Array);
    const scores = this.scores;
    for (let k = 0; k < count; k++) {
      const d = touched[k]!;
      // dead documents and the source are dropped here, not in the loop above (one random access less per posting)
      scores[k] = ix.alive[d] === 1 && d !== options.excludeDoc ? acc[d]! / (ix.norms[d]! || 1) : -1;
      acc[d] = 0;
    }
    const wanted = Math.max(CANDIDATES, 20 * options.limit);
    let threshold = 0;
    if (count > wanted) {
      this.selection.set(scores.subarray(0, count));
      threshold = Math.max(0, kthLargest(this.selection.subarray(0, count), wanted));
    }
    const out: number[] = [];
    for (let k = 0; k < count; k++) if (scores[k]! >= threshold && scores[k]! >= 0) out.push(touched[k]!);
    return out;
  }

  private filterTest(options: SimilarOptions): (d: number) => boolean {
    const ix = this.index;
    const f = options.filter;
    if (!f) return () => true;
    const ids = (names: readonly string[] | undefined, idOf: (n: string) => number | undefined) =>
      names === undefined ? undefined : new Set(names.map(idOf).filter((v): v is number => v !== undefined));
    const categories = ids(f.category, (n) => ix.categories.idOf(n));
    const sources = ids(f.source, (n) => ix.sources.idOf(n));
    return (d) =>
      (!categories || categories.has(ix.category[d]!)) &&
      (!sources || sources.has(ix.source[d]!)) &&
      (f.from === undefined || ix.date[d]! >= f.from) &&
      (f.to === undefined || ix.date[d]! <= f.to);
  }

  private explain(query: WeightedVector, d: number): { term: string; weight: number }[] {
    const ix = this.index;
    const v = ix.vectorOf(d)!;
    const shared: { term: string; weight: number }[] = [];
    const norm = query.norm * ix.norms[d]!;
    let j = 0;
    for (let i = 0; i < query.terms.length; i++) {
      const t = query.terms[i]!;
      while (j < v.terms.length && v.terms[j]! < t) j++;
      if (j < v.terms.length && v.terms[j] === t && norm > 0) {
        shared.push({ term: ix.words[t] ?? String(t), weight: (query.weights[i]! * v.tfs[j]! * query.idfs[i]!) / norm });
      }
    }
    return shared.sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : 1)).slice(0, 8);
  }
}
