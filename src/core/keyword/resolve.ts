import type { ParsedQuery, QueryTerm } from '../query-parser.js';
import type { KeywordIndex } from './keyword-index.js';
import { BODY_OFFSET, PostingList } from './posting-list.js';

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

/** Documents holding the words one after another in the same field, as a posting list (positions of the first). */
function phraseList(index: KeywordIndex, words: readonly string[]): PostingList {
  const lists = words.map((w) => {
    const id = index.termIds.get(w);
    return id === undefined ? undefined : index.lists[id];
  });
  const out = new PostingList();
  if (lists.some((l) => l === undefined) || lists.length === 0) return out;
  const [first, ...rest] = lists as PostingList[];
  for (let i = 0; i < first!.length; i++) {
    const doc = first!.docs[i]!;
    if (index.alive[doc] !== 1) continue;
    const others = rest.map((l) => l.find(doc));
    if (others.some((j) => j < 0)) continue;
    const starts = Array.from(first!.positionsOf(i)).filter((p) =>
      rest.every((l, w) => l.positionsOf(others[w]!).includes(p + w + 1)),
    );
    if (starts.length === 0) continue;
    const inTitle = starts.filter((p) => p < BODY_OFFSET).length;
    out.add(doc, inTitle, starts.length - inTitle, starts);
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
 * Resolves a parsed query: each word to its exact term (or, for the word being typed, every term it prefixes) and
 * its typo variants (see typo-index.ts), each phrase to the documents holding it.
 */
export function resolveQuery(index: KeywordIndex, query: ParsedQuery, variantsOf: (word: string) => readonly { term: string; typos: number }[]): ResolvedQuery {
  const terms = query.terms.map((term) => {
    const sources = exactSources(index, term);
    if (term.kind === 'word') {
      const exact = new Set(sources.map((s) => s.term));
      for (const v of variantsOf(term.text)) {
        const id = index.termIds.get(v.term);
        if (id !== undefined && !exact.has(v.term)) sources.push({ list: index.lists[id]!, typos: v.typos, term: v.term });
      }
    }
    return { query: term, sources };
  });
  const exclusions = query.exclusions.flatMap((term) => exactSources(index, term).map((s) => s.list));
  return { terms, exclusions };
}
