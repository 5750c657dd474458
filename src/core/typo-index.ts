import { boundedDamerau } from './edit-distance.js';

/** A vocabulary term and the number of documents holding it. */
export interface VocabularyTerm {
  readonly term: string;
  readonly docs: number;
}

/** A vocabulary term close to a query word, with its edit cost (see {@link typoCost}). */
export interface TypoMatch extends VocabularyTerm {
  readonly typos: number;
}

/**
 * How many typos a query word may contain, as Meilisearch's defaults: none below 5 characters, 1 from 5 to 8,
 * 2 from 9; none for words holding a digit (years, figures and tickers must match exactly).
 */
export function typoBudget(word: string): number {
  if (/\d/.test(word)) return 0;
  const length = [...word].length;
  if (length >= 9) return 2;
  return length >= 5 ? 1 : 0;
}

/**
 * The typos allowed between a query word and one vocabulary term: the word's {@link typoBudget}, except that a
 * 4-letter word may be a 5-letter term that lost a letter (`brwn` → brown, `gams` → games). Meilisearch would find
 * nothing there; dropped letters are among the commonest typos, and only an insertion can reach such a term.
 */
export function pairBudget(word: string, term: string): number {
  const budget = typoBudget(word);
  if (budget > 0 || !mayHaveLostALetter(word)) return budget;
  return [...term].length === 5 ? 1 : 0;
}

const mayHaveLostALetter = (word: string): boolean => [...word].length === 4 && !/\d/.test(word);

/**
 * The typo cost of reading `word` as `term`: the Damerau (optimal string alignment) distance, plus one when the
 * first letters differ (a reader rarely mistypes the first letter, and Meilisearch counts it twice).
 * Returns `max + 1` for anything beyond `max`.
 */
export function typoCost(word: string, term: string, max: number): number {
  const firstDiffers = word.charCodeAt(0) !== term.charCodeAt(0) ? 1 : 0;
  if (firstDiffers > max) return max + 1;
  return Math.min(boundedDamerau(word, term, max - firstDiffers) + firstDiffers, max + 1);
}

/** Only the first PREFIX characters of a term are indexed by deletion (SymSpell's prefix trick). */
const PREFIX = 7;
const MAX_DISTANCE = 2;

/**
 * 32-bit FNV-1a of `word`'s UTF-16 code units without those at `skip` and `skipToo` (-1: none): the hash of a
 * deletion, with no string made.
 */
function hashSkipping(word: string, skip: number, skipToo: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) if (i !== skip && i !== skipToo) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
  return h | 0;
}

/**
 * The hashes of `word` and of every string made by deleting up to `depth` (at most 2) of its chars, computed in
 * place: no deletion string is made (a catch-up adding thousands of new terms made ~30 strings and a Set of them
 * per term).
 */
function deletionHashes(word: string, depth: number, into: Set<number>): void {
  const n = word.length;
  into.add(hashSkipping(word, -1, -1));
  if (depth === 0 || n <= 1) return;
  for (let i = 0; i < n; i++) into.add(hashSkipping(word, i, -1));
  if (depth === 1 || n <= 2) return;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) into.add(hashSkipping(word, i, j));
}

/** Whether a vocabulary term can be a typo variant at all (indexed by deletion): 4 characters or more, no digit. */
export function isVariantTerm(term: string): boolean {
  return term.length >= 4 && !/\d/.test(term);
}

/** The typos {@link TypoIndex.lookup} looks `word` up with (`maxTypos` as its option): 0 means it finds nothing. */
export function lookupDistance(word: string, maxTypos?: number): number {
  return Math.min(maxTypos ?? (mayHaveLostALetter(word) ? 1 : typoBudget(word)), MAX_DISTANCE);
}

/** The deletion keys a term is indexed under (see {@link TypoIndex}). */
export function termKeys(term: string): Set<number> {
  const keys = new Set<number>();
  deletionHashes(term.slice(0, PREFIX), MAX_DISTANCE, keys);
  return keys;
}

/**
 * The deletion keys {@link TypoIndex.lookup} reads for `word` at `distance` typos: a term is a candidate for the word
 * only when one of its {@link termKeys} is among them.
 */
export function wordKeys(word: string, distance: number): Set<number> {
  const keys = new Set<number>();
  deletionHashes(word.slice(0, PREFIX), distance, keys);
  return keys;
}

/**
 * Deletion key hash → term ids, as chained hashing in typed arrays (about 12 bytes an entry, where a Map of
 * strings took ~100): a Reuters-sized vocabulary has a million entries. Two keys with one hash share their terms;
 * that only adds candidates, which typoCost then rejects.
 */
class DeletionTable {
  private heads = new Int32Array(1 << 16).fill(-1);
  private hashes = new Int32Array(1 << 16);
  private values = new Int32Array(1 << 16);
  private next = new Int32Array(1 << 16);
  private count = 0;

  add(h: number, value: number): void {
    if (this.count >= this.hashes.length) this.growEntries();
    if (this.count >= 2 * this.heads.length) this.rehash(this.heads.length * 2);
    const bucket = h & (this.heads.length - 1);
    this.hashes[this.count] = h;
    this.values[this.count] = value;
    this.next[this.count] = this.heads[bucket]!;
    this.heads[bucket] = this.count++;
  }

  /** Adds the values stored under hash `h` to `into` (a plain loop: a generator cost more than the walk itself). */
  collect(h: number, into: Set<number>): void {
    for (let e = this.heads[h & (this.heads.length - 1)]!; e !== -1; e = this.next[e]!) {
      if (this.hashes[e] === h) into.add(this.values[e]!);
    }
  }

  private growEntries(): void {
    const grow = (a: Int32Array) => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.hashes = grow(this.hashes);
    this.values = grow(this.values);
    this.next = grow(this.next);
  }

  private rehash(buckets: number): void {
    this.heads = new Int32Array(buckets).fill(-1);
    for (let e = 0; e < this.count; e++) {
      const bucket = this.hashes[e]! & (buckets - 1);
      this.next[e] = this.heads[bucket]!;
      this.heads[bucket] = e;
    }
  }
}

/**
 * Finds the vocabulary terms within a word's typo budget in microseconds, with a symmetric deletion index
 * (SymSpell): every term is indexed under each string made by deleting up to two characters from its first 7
 * characters; a query word looks up its own deletions, and candidates are confirmed with {@link typoCost}.
 * Terms shorter than 4 characters or holding a digit are not indexed (no query word reaches them with a typo).
 */
export class TypoIndex {
  private readonly terms: VocabularyTerm[] = [];
  private readonly ids = new Map<string, number>();
  private readonly byDeletion = new DeletionTable();

  /** Adds a term, or updates its document count when it is already known. */
  add(term: string, docs: number): void {
    const known = this.ids.get(term);
    if (known !== undefined) {
      this.terms[known] = { term, docs };
      return;
    }
    const id = this.terms.length;
    this.terms.push({ term, docs });
    this.ids.set(term, id);
    if (!isVariantTerm(term)) return;
    for (const key of termKeys(term)) this.byDeletion.add(key, id);
  }

  /** Number of terms known. */
  get size(): number {
    return this.terms.length;
  }

  /** Whether the exact term is in the vocabulary. */
  has(term: string): boolean {
    return this.ids.has(term);
  }

  /**
   * Terms other than `word` itself within `maxTypos` (default: the word's {@link typoBudget}), fewest typos first,
   * then most documents, then alphabetical; at most `limit`. `docs` overrides the stored document counts (a term
   * counted 0 is skipped).
   */
  lookup(word: string, options: { maxTypos?: number; limit?: number; docs?: (term: string) => number } = {}): TypoMatch[] {
    const max = lookupDistance(word, options.maxTypos);
    if (max === 0) return [];
    const keys = wordKeys(word, max);
    const candidates = new Set<number>();
    for (const key of keys) this.byDeletion.collect(key, candidates);
    const found: TypoMatch[] = [];
    for (const id of candidates) {
      const stored = this.terms[id]!;
      // a length apart by more than `max` costs more than `max` (typoCost): turned away before anything else; the
      // document count (a lookup in the caller's vocabulary) only for the few candidates close enough
      if (Math.abs(stored.term.length - word.length) > max || stored.term === word) continue;
      const allowed = Math.min(max, options.maxTypos ?? pairBudget(word, stored.term));
      const typos = typoCost(word, stored.term, allowed);
      if (typos > allowed) continue;
      const docs = options.docs ? options.docs(stored.term) : stored.docs;
      if (docs > 0) found.push({ term: stored.term, docs, typos });
    }
    found.sort((a, b) => a.typos - b.typos || b.docs - a.docs || (a.term < b.term ? -1 : 1));
    return found.slice(0, options.limit ?? found.length);
  }
}
