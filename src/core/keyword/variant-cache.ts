import { isVariantTerm, lookupDistance, termKeys, wordKeys } from '../typo-index.js';
import { inflectionsOf } from './inflections.js';
import type { KeywordIndex } from './keyword-index.js';

/**
 * A query word's typo variants and inflections, as keyword search resolves them (keyword-search.ts); `form` marks an
 * inflection (ordered after the typo variants of its cost).
 */
export type Variants = readonly { readonly term: string; readonly typos: number; readonly form?: boolean }[];

/** Share of the live documents that may be added or removed before a cached entry is computed again (see below). */
export const VARIANT_DRIFT_SHARE = 0.05;
/** Changes always allowed before an entry is computed again, however small the index. */
const MIN_DRIFT = 64;
/**
 * Presence changes a lookup follows one by one (each a term's deletion keys, ~2 µs): past it, the cache is emptied
 * instead, so that a search after a bulk ingest does not pay for every term it added (~2 ms at most).
 */
const MAX_FOLLOWED = 1_024;
/**
 * Deletion keys registered at most (a long word registers up to 29): past it the cache is emptied. 20,000 cached
 * words of 9–12 letters registered 540,000 keys, 63 MiB of the index host's heap; this bounds it to ~25 MiB.
 */
const MAX_KEYS = 200_000;

interface Entry {
  readonly variants: Variants;
  /** The index's `changes` when the entry was computed. */
  readonly changes: number;
}

/**
 * The variants of query words, kept while the index changes. An entry depends on which terms are present (typo
 * candidates and inflections with no live document are left out) and, for the choice among many variants, on their
 * document counts. So: a term whose presence changes (KeywordIndex.presenceLog: new, revived or gone) drops exactly the
 * entries it can be part of — the words whose typo lookup reads one of its deletion keys (typo-index.ts), and the
 * words it is an inflection of — and every other entry stays; an entry is also computed again once
 * {@link VARIANT_DRIFT_SHARE} of the live documents (at least 64) were added or removed since, so that the counts it
 * chose by stay close (which of more than MAX_VARIANTS variants; the caller orders them by the counts of the moment). Before, any new vocabulary term emptied the whole cache: during an ingest, which adds new words
 * with nearly every article, a search computed its variants every time (Reuters, 900 known-item queries with one BBC
 * article applied every 5: rank 0.256–0.268 ms of CPU a call, 0.230–0.245 with this, 0.16–0.20 on an index that does
 * not change; docs/BENCHMARKS.md). At most `limit` entries (and twice as many words registered); when full,
 * when the index's presence log started over, or when more than MAX_FOLLOWED changes wait to be followed, it is emptied.
 */
export class VariantCache {
  private readonly entries = new Map<string, Entry>();
  /** Deletion key → words whose lookup reads it; inflection → words it is a form of (words of {@link known}). */
  private readonly byKey = new Map<number, string[]>();
  private readonly byForm = new Map<string, string[]>();
  /** Words registered in byKey and byForm (cached now, or dropped since). */
  private readonly known = new Set<string>();
  private keys = 0;
  private epoch = -1;
  private read = 0;

  constructor(
    private readonly index: KeywordIndex,
    private readonly limit: number,
  ) {}

  /** The variants of `word`: the cached entry while it holds, else `compute(word)` (then cached). */
  get(word: string, compute: (word: string) => Variants): Variants {
    this.follow();
    const held = this.entries.get(word);
    if (held && this.index.changes - held.changes <= Math.max(MIN_DRIFT, VARIANT_DRIFT_SHARE * this.index.liveDocs)) return held.variants;
    const variants = compute(word);
    if (this.entries.size >= this.limit || this.known.size >= 2 * this.limit || this.keys >= MAX_KEYS) this.clear();
    if (!this.known.has(word)) this.register(word);
    this.entries.set(word, { variants, changes: this.index.changes });
    return variants;
  }

  /** Drops the entries the presence changes since the last call can be part of. */
  private follow(): void {
    const { presenceLog, presenceEpoch, terms } = this.index;
    // a backlog larger than a query may pay for (a bulk ingest between two searches): the whole cache goes instead
    if (presenceEpoch !== this.epoch || presenceLog.length - this.read > MAX_FOLLOWED) {
      this.clear();
      this.epoch = presenceEpoch;
      this.read = presenceLog.length;
      return;
    }
    for (; this.read < presenceLog.length; this.read++) this.drop(terms[presenceLog[this.read]!]!);
  }

  private drop(term: string): void {
    if (this.entries.size === 0) return;
    if (isVariantTerm(term)) for (const key of termKeys(term)) for (const w of this.byKey.get(key) ?? []) this.entries.delete(w);
    for (const w of this.byForm.get(term) ?? []) this.entries.delete(w);
  }

  private register(word: string): void {
    this.known.add(word);
    const distance = lookupDistance(word);
    if (distance > 0) {
      const keys = wordKeys(word, distance);
      for (const key of keys) push(this.byKey, key, word);
      this.keys += keys.size;
    }
    for (const form of inflectionsOf(word)) push(this.byForm, form, word);
  }

  private clear(): void {
    this.entries.clear();
    this.byKey.clear();
    this.byForm.clear();
    this.known.clear();
    this.keys = 0;
  }
}

function push<K>(map: Map<K, string[]>, key: K, word: string): void {
  const list = map.get(key);
  if (list) list.push(word);
  else map.set(key, [word]);
}
