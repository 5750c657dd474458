import type { ParsedQuery, QueryTerm } from '../query-parser.js';
import type { KeywordIndex } from './keyword-index.js';
import { BODY_OFFSET, PostingList } from './posting-list.js';
import type { Synonyms } from './synonyms.js';

/** At most this many typo variants per query word, the most frequent of the fewest typos. */
export const MAX_VARIANTS = 8;

/** A posting list that counts as a match for a query term, at a typo cost. */
export interface TermSource {
  readonly list: PostingList;
  readonly typos: number;
  /** The term as indexed (for highlighting); a phrase gives its words joined by spaces. */
  readonly term: string;
}

/** One query term resolved against the index: its sources, fewest typos first. */
export interface ResolvedTerm {
  readonly query: QueryTerm;
  readonly sources: readonly TermSource[];
}

/** The query resolved: positive terms in query order, and the lists of documents to exclude. */
export interface ResolvedQuery {
  readonly terms: readonly ResolvedTerm[];
  readonly exclusions: readonly PostingList[];
}

/**
 * Documents holding the words one after another in the same field, as a posting list (positions of the first). The
 * walk goes over the list of the phrase's rarest word (fewest documents) and looks the others up: a phrase of a
 * common word and a rare one costs the rare one's documents, not the common one's.
 */
function phraseList(index: KeywordIndex, words: readonly string[]): PostingList {
  const lists = words.map((w) => {
    const id = index.termIds.get(w);
    return id === undefined ? undefined : index.lists[id];
  });
  const out = new PostingList();
  if (lists.some((l) => l === undefined) || lists.length === 0) return out;
  const held = lists as PostingList[];
  let k = 0;
  for (let w = 1; w < held.length; w++) if (held[w]!.length < held[k]!.length) k = w;
  const walked = held[k]!;
  const found = new Array<number>(held.length);
  for (let i = 0; i < walked.length; i++) {
    const doc = walked.docs[i]!;
    if (index.alive[doc] !== 1) continue;
    let all = true;
    for (let w = 0; w < held.length && all; w++) {
      found[w] = w === k ? i : held[w]!.find(doc);
      all = found[w]! >= 0;
    }
    if (!all) continue;
    // a phrase starting at p has its word w at p + w: the walked word's positions, moved back by k, are the candidates
    const starts = Array.from(walked.positionsOf(i), (p) => p - k).filter((p) =>
      p >= 0 && held.every((l, w) => w === k || l.positionsOf(found[w]!).includes(p + w)),
    );
    if (starts.length === 0) continue;
    const inTitle = starts.filter((p) => p < BODY_OFFSET).length;
    out.add(doc, inTitle, starts.length - inTitle, starts);
  }
  return out;
}

/** The documents holding a synonym's words (one word, or side by side), positions moved on by `shift`. */
export type SynonymList = (words: readonly string[], shift: number) => PostingList;

/** {@link SynonymList} computed from the index (KeywordSearch caches it while the index is unchanged). */
export function synonymPostings(index: KeywordIndex, words: readonly string[], shift: number): PostingList {
  let list: PostingList | undefined;
  if (words.length > 1) list = phraseList(index, words);
  else {
    const id = index.termIds.get(words[0]!);
    list = id === undefined || index.df[id] === 0 ? undefined : index.lists[id];
  }
  if (!list) return new PostingList();
  if (shift === 0) return list;
  const out = new PostingList();
  for (let i = 0; i < list.length; i++) {
    const doc = list.docs[i]!;
    if (index.alive[doc] === 1) out.add(doc, list.titleTf(i), list.bodyTf(i), Array.from(list.positionsOf(i), (p) => p + shift));
  }
  return out;
}

function exactSources(index: KeywordIndex, term: QueryTerm): TermSource[] {
  if (term.kind === 'phrase') {
    if (term.words.length === 1) return exactSources(index, { kind: 'word', text: term.words[0]!, prefix: false });
    return [{ list: phraseList(index, term.words), typos: 0, term: term.words.join(' ') }];
  }
  const words = term.prefix ? index.termsWithPrefix(term.text) : [term.text];
  return words.flatMap((w) => {
    const id = index.termIds.get(w);
    return id === undefined || index.df[id] === 0 ? [] : [{ list: index.lists[id]!, typos: 0, term: w }];
  });
}

/**
 * Adds to `sources` (one list per query term) what synonyms make each span of whole query words also find: every
 * run of consecutive words (not the word being typed) that is a synonym key, and every phrase that is one, gets each alternative —
 * a word's list, or a phrase's — on each of its words, at no typo cost (Meilisearch counts a synonym as exact).
 * The work is bounded by the query (10 words) times the longest key.
 */
function addSynonyms(terms: readonly QueryTerm[], sources: TermSource[][], synonyms: Synonyms, listOf: SynonymList): void {
  const add = (words: readonly string[], from: number, to: number) => {
    for (const alternative of synonyms.alternativesOf(words)) {
      const name = alternative.join(' ');
      for (let t = from; t <= to; t++) {
        if (sources[t]!.some((s) => s.term === name)) continue;
        // the k-th word of a span holds the alternative one position on, so that it reads as the words side by side
        const list = listOf(alternative, t - from);
        if (list.length > 0) sources[t]!.push({ list, typos: 0, term: name });
      }
    }
  };
  for (let start = 0; start < terms.length; start++) {
    const first = terms[start]!;
    // a phrase ("u.s." is read as the phrase "u s") is a key on its own
    if (first.kind === 'phrase') add(first.words, start, start);
    const words: string[] = [];
    for (let end = start; end < terms.length && end - start < synonyms.longestKey; end++) {
      const term = terms[end]!;
      if (term.kind !== 'word' || term.prefix) break;
      words.push(term.text);
      add(words, start, end);
    }
  }
}

/**
 * Resolves a parsed query: each word to its exact term (or, for the word being typed, every term it prefixes) and
 * its typo variants (see typo-index.ts), each phrase to the documents holding it, and synonyms (see addSynonyms).
 */
export function resolveQuery(
  index: KeywordIndex,
  query: ParsedQuery,
  variantsOf: (word: string) => readonly { term: string; typos: number }[],
  synonyms?: Synonyms,
  synonymList?: SynonymList,
): ResolvedQuery {
  const all = query.terms.map((term) => {
    // a phrase's documents through the cache when there is one (they are found by walking a whole posting list)
    const sources = term.kind === 'phrase' && term.words.length > 1 && synonymList
      ? [{ list: synonymList(term.words, 0), typos: 0, term: term.words.join(' ') }]
      : exactSources(index, term);
    if (term.kind === 'word') {
      const exact = new Set(sources.map((s) => s.term));
      for (const v of variantsOf(term.text)) {
        const id = index.termIds.get(v.term);
        if (id !== undefined && !exact.has(v.term)) sources.push({ list: index.lists[id]!, typos: v.typos, term: v.term });
      }
    }
    return sources;
  });
  if (synonyms && synonyms.size > 0) {
    addSynonyms(query.terms, all, synonyms, synonymList ?? ((words, shift) => synonymPostings(index, words, shift)));
    for (const sources of all) sources.sort((a, b) => a.typos - b.typos); // stable: exact, synonyms, then typos
  }
  const terms = query.terms.map((term, t) => ({ query: term, sources: all[t]! }));
  // an excluded phrase's documents through the same cache (without it, up to 10 excluded phrases walked a whole
  // posting list each per request: 41–46 ms of the index host's thread on Reuters)
  const exclusions = query.exclusions.flatMap((term) =>
    term.kind === 'phrase' && term.words.length > 1 && synonymList ? [synonymList(term.words, 0)] : exactSources(index, term).map((s) => s.list),
  );
  return { terms, exclusions };
}
