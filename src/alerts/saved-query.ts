import { inclusiveRange } from '../core/iso-date.js';
import { parseQuery } from '../core/query-parser.js';
import type { SearchFilters } from '../engines/search-engine.js';

/** A saved search's query: the words as typed (`q`) and the filters, as `/api/search` takes them. */
export interface SavedQuery {
  readonly q: string;
  readonly filters: SearchFilters;
}

/** Filter fields whose values an alert can be indexed by (one value of the field must be the article's). */
export const VALUE_FIELDS = ['people', 'orgs', 'places', 'tags', 'source', 'category'] as const;
export type ValueField = (typeof VALUE_FIELDS)[number];

/**
 * A saved query compiled for matching single articles (see query-index.ts for what a match is):
 * - `words`: typo-tolerant words, each required;
 * - `exact`: words required exactly (a one-word phrase);
 * - `phrases`: runs of 2+ words required together and in order, in the title or in the body;
 * - `without`: exclusions, exact words or phrases (an article holding one never matches);
 * - `values`: per filter field, the values of which the article must hold one; `from`/`to`: inclusive dates (ms).
 */
export interface CompiledQuery {
  readonly id: string;
  readonly words: readonly string[];
  readonly exact: readonly string[];
  readonly phrases: readonly (readonly string[])[];
  readonly without: readonly (readonly string[])[];
  readonly values: Partial<Record<ValueField, ReadonlySet<string>>>;
  readonly from?: number;
  readonly to?: number;
  /** What the query is indexed by: a word (typo-tolerant or exact) or a filter value of one field. */
  readonly anchor: Anchor;
}

/** The key of the inverted index a compiled query is filed under. */
export type Anchor =
  | { readonly kind: 'word'; readonly words: readonly string[] }
  | { readonly kind: 'exact'; readonly words: readonly string[] }
  | { readonly kind: 'value'; readonly field: ValueField; readonly values: readonly string[] };

/**
 * Compiles a saved query. The query is read as complete (a space is added at its end): its last word is a whole
 * word, not a prefix being typed. Returns undefined when the query has nothing to be indexed by (no word, no phrase
 * and no value filter): it would match nearly every article, and is refused when saved.
 */
export function compileQuery(id: string, query: SavedQuery): CompiledQuery | undefined {
  const parsed = parseQuery(`${query.q} `);
  const words: string[] = [];
  const exact: string[] = [];
  const phrases: string[][] = [];
  for (const term of parsed.terms) {
    if (term.kind === 'word') words.push(term.text);
    else if (term.words.length === 1) exact.push(term.words[0]!);
    else phrases.push([...term.words]);
  }
  const without = parsed.exclusions.map((t) => (t.kind === 'word' ? [t.text] : [...t.words]));
  const values: Partial<Record<ValueField, ReadonlySet<string>>> = {};
  for (const field of VALUE_FIELDS) {
    const given = query.filters[field];
    if (given && given.length > 0) values[field] = new Set(given);
  }
  const anchor = chooseAnchor({ words, exact, phrases, values });
  if (!anchor) return undefined;
  const { from, to } = inclusiveRange(query.filters.from, query.filters.to);
  return { id, words, exact, phrases, without, values, ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }), anchor };
}

/**
 * The anchor: the longest required word (long words are the rarer ones, so fewer articles make the query a
 * candidate), exact words and phrase words preferred at equal length (no typo lookup); else the values of the
 * most selective value filter (people, then orgs, places, tags, source, category).
 */
function chooseAnchor(q: { words: string[]; exact: string[]; phrases: string[][]; values: CompiledQuery['values'] }): Anchor | undefined {
  const exactWords = [...q.exact, ...q.phrases.flat()];
  const longest = (list: readonly string[]) => list.reduce<string | undefined>((best, w) => (best === undefined || w.length > best.length ? w : best), undefined);
  const bestExact = longest(exactWords);
  const bestWord = longest(q.words);
  if (bestExact !== undefined && (bestWord === undefined || bestExact.length >= bestWord.length)) return { kind: 'exact', words: [bestExact] };
  if (bestWord !== undefined) return { kind: 'word', words: [bestWord] };
  for (const field of VALUE_FIELDS) {
    const values = q.values[field];
    if (values) return { kind: 'value', field, values: [...values] };
  }
  return undefined;
}
