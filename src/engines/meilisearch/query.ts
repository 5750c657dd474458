import type { QueryTerm } from '../../core/query-parser.js';
import { parseQuery } from '../../core/query-parser.js';

/** A term as Meilisearch syntax: a word as is, a phrase in double quotes (its words never hold a quote). */
const written = (term: QueryTerm): string => (term.kind === 'word' ? term.text : `"${term.words.join(' ')}"`);

/**
 * What a reader typed, as a Meilisearch `q`: parsed like the embedded engine does (core parseQuery: words folded,
 * at most {@link MAX_QUERY_WORDS} positive words, stray quotes and operators reduced to words), then written back in
 * the syntax Meilisearch reads. Phrases pass through as `"a phrase"` and exclusions as `-word` / `-"a phrase"`
 * (Meilisearch's negative operator, v1.8+); exclusions go first, so that the last positive word stays last and
 * keeps Meilisearch's prefix matching while it is being typed. A finished last word (the query ended with a space)
 * is followed by a space, which tells Meilisearch not to read it as a prefix.
 *
 * @see MAX_QUERY_WORDS in core/query-parser.ts — Meilisearch also reads only the first 10 words of a query.
 */
export function toMeiliQuery(raw: string): string {
  const { terms, exclusions } = parseQuery(raw);
  const parts = [...exclusions.map((t) => `-${written(t)}`), ...terms.map(written)];
  const last = terms.at(-1);
  const finished = last !== undefined && !(last.kind === 'word' && last.prefix);
  return parts.join(' ') + (finished && last.kind === 'word' ? ' ' : '');
}
