import { ensureCapacity } from '../keyword/growable.js';
import { Interner } from '../keyword/keyword-index.js';
import { COMPACT_STEP_ENTRIES, SteppedCompaction } from '../keyword/stepped-compaction.js';
import { cosine, DEFAULT_IDF_EXPONENT, idf, tf } from './weighting.js';

/** An article's term vector as stored: term ids in increasing order and their counts. */
export interface TermVector {
  readonly terms: Int32Array;
  readonly counts: Float32Array;
}

/** A vector as held in memory: term ids and their tf (1 + ln count), which never drifts. */
interface TfVector {
  readonly terms: Int32Array;
  readonly tfs: Float32Array;
}

/** What the similarity index keeps of an article besides its vector: identity and what results filter on. */
export interface SimilarityMeta {
  readonly key: number;
  readonly id: string;
  readonly category?: string | undefined;
  readonly source?: string | undefined;
  /** Milliseconds since the epoch. */
  readonly publishedAt?: number | undefined;
}

/** Growable postings of one term: documents and the term's tf in each. */
class Postings {
  docs = new Int32Array(0);
  tfs = new Float32Array(0);
  length = 0;

  add(doc: number, termTf: number): void {
    if (this.length >= this.docs.length) {
      this.docs = ensureCapacity(this.docs, this.length + 1, Int32Array);
      this.tfs = ensureCapacity(this.tfs, this.length + 1, Float32Array);
    }
    this.docs[this.length] = doc;
    this.tfs[this.length] = termTf;
    this.length++;
  }
}

/**
 * TF-IDF vectors of every article with an inverted index over them (term → documents, typed arrays), so that a
 * query touches only the postings of its strongest terms instead of the whole corpus. Documents are numbered in
 * order of addition; a replaced or removed document's number is dead (skipped) until the postings are compacted.
 *
 * Norm policy (idf drift): a document's norm is computed with the idf of the moment it is added. Once at least
 * {@link NORM_REFRESH_SHARE} of N documents have been added or removed since the last full computation, every norm
 * is recomputed before the next query, so norms are never more than ~1% of the corpus out of date (below 100
 * articles, every change triggers it: norms are then always exact).
 */
export class SimilarityIndex {
  private readonly termIds = new Map<string, number>();
  private readonly postings: (Postings | undefined)[] = [];
  readonly words: string[] = [];
  df = new Int32Array(16);
  private vectors: (TfVector | undefined)[] = [];
  norms = new Float64Array(16);
  alive = new Uint8Array(16);
  date = new Float64Array(16);
  category = new Int32Array(16);
  source = new Int32Array(16);
  readonly keys: number[] = [];
  readonly ids: string[] = [];
  readonly categories = new Interner();
  readonly sources = new Interner();
  private readonly byKey = new Map<number, number>();
  slots = 0;
  liveDocs = 0;
  private changesSinceNorms = 0;
  private deadPostings = 0;
  private readonly compaction = new SteppedCompaction();
  private livePostings = 0;

  /** `idfExponent`: see weighting.ts (default 0.5; 1 is scikit-learn's idf). */
  constructor(readonly idfExponent = DEFAULT_IDF_EXPONENT) {}

  /** Registers a term under a given id (the store's), with a readable word for explanations. */
  setTerm(id: number, term: string, word: string): void {
    this.termIds.set(term, id);
    this.words[id] = word;
    this.df = ensureCapacity(this.df, id + 1, Int32Array);
  }

  /** The id of a term, or undefined when no article was ever indexed with it. */
  termId(term: string): number | undefined {
    return this.termIds.get(term);
  }

  /** Adds (or replaces, by key) an article's vector. Its term ids must have been registered with setTerm. */
  add(meta: SimilarityMeta, vector: TermVector): void {
    this.remove(meta.key);
    const n = this.slots++;
    this.grow(n + 1);
    const tfs = vector.counts.map(tf);
    for (let i = 0; i < vector.terms.length; i++) {
      const t = vector.terms[i]!;
      (this.postings[t] ??= new Postings()).add(n, tfs[i]!);
      this.df[t] = this.df[t]! + 1;
    }
    const held = { terms: vector.terms, tfs };
    this.vectors[n] = held;
    this.setMeta(n, meta);
    this.livePostings += vector.terms.length;
    this.changesSinceNorms++;
    this.norms[n] = this.norm(held);
  }

  /**
   * Builds a fresh index from many vectors at once: vectors and postings are laid out in a few shared buffers
   * (each vector and posting list a view), and every norm is computed once with the final idf.
   */
  addAll(entries: Iterable<{ meta: SimilarityMeta; vector: TermVector }>): void {
    if (this.slots > 0) throw new Error('addAll builds a fresh index');
    let terms = new Int32Array(1 << 16);
    let tfs = new Float32Array(1 << 16);
    const starts: number[] = [0];
    let total = 0;
    for (const { meta, vector } of entries) {
      const n = this.slots++;
      this.grow(n + 1);
      const len = vector.terms.length;
      terms = ensureCapacity(terms, total + len, Int32Array);
      tfs = ensureCapacity(tfs, total + len, Float32Array);
      terms.set(vector.terms, total);
      for (let i = 0; i < len; i++) {
        tfs[total + i] = tf(vector.counts[i]!);
        this.df[vector.terms[i]!] = this.df[vector.terms[i]!]! + 1;
      }
      total += len;
      starts.push(total);
      this.setMeta(n, meta);
    }
    terms = terms.slice(0, total);
    tfs = tfs.slice(0, total);
    for (let d = 0; d < this.slots; d++) {
      this.vectors[d] = { terms: terms.subarray(starts[d]!, starts[d + 1]!), tfs: tfs.subarray(starts[d]!, starts[d + 1]!) };
    }
    this.layOutPostings(terms, tfs, starts);
    this.livePostings = total;
    for (let d = 0; d < this.slots; d++) this.norms[d] = this.norm(this.vectors[d]!);
    this.changesSinceNorms = 0;
  }

  /** Postings of every term as views into two shared buffers (counting sort by term; documents stay in order). */
  private layOutPostings(terms: Int32Array, tfs: Float32Array, starts: readonly number[]): void {
    const termCount = this.df.length;
    const offsets = new Int32Array(termCount + 1);
    for (const t of terms) offsets[t + 1]!++;
    for (let t = 0; t < termCount; t++) offsets[t + 1]! += offsets[t]!;
    const fill = offsets.slice(0, termCount);
    const docs = new Int32Array(terms.length);
    const postingTfs = new Float32Array(terms.length);
    for (let d = 0; d < this.slots; d++) {
      for (let i = starts[d]!; i < starts[d + 1]!; i++) {
        const at = fill[terms[i]!]!++;
        docs[at] = d;
        postingTfs[at] = tfs[i]!;
      }
    }
    for (let t = 0; t < termCount; t++) {
      if (offsets[t] === offsets[t + 1]) continue;
      const p = new Postings();
      p.docs = docs.subarray(offsets[t]!, offsets[t + 1]!);
      p.tfs = postingTfs.subarray(offsets[t]!, offsets[t + 1]!);
      p.length = offsets[t + 1]! - offsets[t]!;
      this.postings[t] = p;
    }
  }

  private setMeta(n: number, meta: SimilarityMeta): void {
    this.alive[n] = 1;
    this.keys[n] = meta.key;
    this.ids[n] = meta.id;
    this.date[n] = meta.publishedAt ?? Number.NaN;
    this.category[n] = meta.category === undefined ? -1 : this.categories.intern(meta.category);
    this.source[n] = meta.source === undefined ? -1 : this.sources.intern(meta.source);
    this.byKey.set(meta.key, n);
    this.liveDocs++;
  }

  /** Removes the article with this key, if any. */
  remove(key: number): void {
    const n = this.byKey.get(key);
    if (n === undefined) return;
    this.byKey.delete(key);
    const vector = this.vectors[n]!;
    for (const t of vector.terms) this.df[t] = this.df[t]! - 1;
    this.alive[n] = 0;
    this.vectors[n] = undefined;
    this.liveDocs--;
    this.changesSinceNorms++;
    this.deadPostings += vector.terms.length;
    this.livePostings -= vector.terms.length;
    if (this.deadPostings > 10_000 && this.deadPostings > this.livePostings / 3) this.compaction.begin();
    this.compactSome(COMPACT_STEP_ENTRIES);
  }

  /** Whether a compaction is under way ({@link compactSome} has postings left to compact). */
  get compacting(): boolean {
    return this.compaction.underWay;
  }

  /**
   * Carries a compaction on (begun once more than a quarter of the postings are dead), as the keyword index's: see
   * SteppedCompaction. True when none is under way any more.
   */
  compactSome(budget: number): boolean {
    if (!this.compaction.underWay) return true;
    if (!this.compaction.step(this.postings, (p) => compacted(p, this.alive), budget)) return false;
    this.deadPostings = 0; // what died during the pass behind it counts as gone
    return true;
  }

  /** The document number of a key, or undefined. */
  docOf(key: number): number | undefined {
    return this.byKey.get(key);
  }

  /** Document d's vector as term ids and tf values. */
  vectorOf(doc: number): TfVector | undefined {
    return this.vectors[doc];
  }

  postingsOf(term: number): { docs: Int32Array; tfs: Float32Array; length: number } | undefined {
    return this.postings[term];
  }

  /** idf of a term id under the current corpus. */
  idfOf(term: number): number {
    return idf(this.liveDocs, this.df[term] ?? 0, this.idfExponent);
  }

  /** idf of a term the corpus has never seen (df 0). */
  unknownIdf(): number {
    return idf(this.liveDocs, 0, this.idfExponent);
  }

  /** The L2 norm of a vector under the current idf. */
  private norm(vector: TfVector): number {
    let sum = 0;
    for (let i = 0; i < vector.terms.length; i++) {
      const w = vector.tfs[i]! * this.idfOf(vector.terms[i]!);
      sum += w * w;
    }
    return Math.sqrt(sum);
  }

  /** Recomputes every norm when the corpus has moved enough since the last time (see the class comment). */
  refreshNormsIfDrifted(): void {
    if (this.changesSinceNorms <= Math.max(1, NORM_REFRESH_SHARE * this.liveDocs) - 1) return;
    // idf once per term, not once per term of every article (a refresh runs every 1% of changes during a catch-up)
    const idfs = new Float64Array(this.df.length);
    for (let t = 0; t < idfs.length; t++) idfs[t] = this.idfOf(t);
    for (let d = 0; d < this.slots; d++) {
      const v = this.vectors[d];
      if (!v) continue;
      let sum = 0;
      for (let i = 0; i < v.terms.length; i++) {
        const w = v.tfs[i]! * idfs[v.terms[i]!]!;
        sum += w * w;
      }
      this.norms[d] = Math.sqrt(sum);
    }
    this.changesSinceNorms = 0;
  }

  /** Exact cosine between a weighted query vector (sorted term ids) and document d. */
  exactCosine(query: WeightedVector, d: number): number {
    const v = this.vectors[d];
    if (!v) return 0;
    let dot = 0;
    let i = 0;
    let j = 0;
    while (i < query.terms.length && j < v.terms.length) {
      const a = query.terms[i]!;
      const b = v.terms[j]!;
      if (a === b) {
        dot += query.weights[i]! * v.tfs[j]! * query.idfs[i]!;
        i++;
        j++;
      } else if (a < b) i++;
      else j++;
    }
    return cosine(dot, query.norm, this.norms[d]!);
  }

  private grow(slots: number): void {
    this.norms = ensureCapacity(this.norms, slots, Float64Array);
    this.alive = ensureCapacity(this.alive, slots, Uint8Array);
    this.date = ensureCapacity(this.date, slots, Float64Array);
    this.category = ensureCapacity(this.category, slots, Int32Array);
    this.source = ensureCapacity(this.source, slots, Int32Array);
  }

}

/** The postings of documents still alive (`alive[doc] === 1`), in arrays of exactly their size; none left: undefined. */
function compacted(p: Postings, alive: Uint8Array): Postings | undefined {
  let kept = 0;
  for (let i = 0; i < p.length; i++) if (alive[p.docs[i]!] === 1) kept++;
  if (kept === 0) return undefined;
  const out = new Postings();
  out.docs = new Int32Array(kept);
  out.tfs = new Float32Array(kept);
  let k = 0;
  for (let i = 0; i < p.length; i++) {
    if (alive[p.docs[i]!] !== 1) continue;
    out.docs[k] = p.docs[i]!;
    out.tfs[k++] = p.tfs[i]!;
  }
  out.length = kept;
  return out;
}

/** A query vector weighted under the current idf: sorted term ids, their idf and tf·idf weights, the L2 norm. */
export interface WeightedVector {
  readonly terms: Int32Array;
  readonly idfs: Float64Array;
  readonly weights: Float64Array;
  readonly norm: number;
}

/** Share of the corpus that may change before every norm is recomputed. */
export const NORM_REFRESH_SHARE = 0.01;
