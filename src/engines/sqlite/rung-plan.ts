import type { MatchTerms } from '../../core/highlighter.js';
import type { MatchStrategy } from '../search-engine.js';
import type { ExpandedTerm } from './match-expression.js';
import { allOf, exactExpression, nearExpression, typoExpression, without } from './match-expression.js';

/**
 * One rung: the documents holding exactly the first k query words (`match`, typos allowed), and the MATCH
 * expressions that order them inside the rung, each putting its matches first: no typos, then the words near each
 * other, then every matched word in the title (Meilisearch's typo, proximity and attribute rules).
 */
export interface Rung {
  readonly match: string;
  readonly order: readonly string[];
  /** How many of `order` still apply when results are sorted by date (typo and proximity come before sort). */
  readonly orderBeforeSort: number;
  /** How many of `order` stand for typos (0 or 1): what ranks before articles about a named entity. */
  readonly typoKeys: number;
}

/**
 * A search as a ladder of FTS5 queries, most words first, whose result sets do not overlap. Read in order, they
 * give Meilisearch's bucket order; after the rung's own `order`, BM25 with the title weighted above the body.
 */
export interface RungPlan {
  /** Disjoint rungs, best first. */
  readonly rungs: readonly Rung[];
  /** Every document any rung can return: the set `totalHits` and facets count. */
  readonly total: string;
  /** All query words, typo variants and prefixes: what highlighting marks. */
  readonly highlight: MatchTerms;
}

/** The words and prefixes a result may have matched, for highlighting. */
export function matchTerms(terms: readonly ExpandedTerm[]): MatchTerms {
  const words = new Set<string>();
  const prefixes: string[] = [];
  for (const { term, variants } of terms) {
    if (term.kind === 'phrase') term.words.forEach((w) => words.add(w));
    else if (term.prefix) prefixes.push(term.text);
    else words.add(term.text);
    variants.forEach((v) => words.add(v));
  }
  return { words, prefixes };
}

/**
 * Plans the ladder. With `last`, one rung for each k = n … 1 words (dropping from the end), each minus every
 * earlier rung; with `all`, only k = n. `exclusions` are MATCH expressions no result may match.
 */
export function planRungs(terms: readonly ExpandedTerm[], match: MatchStrategy, exclusions: readonly string[]): RungPlan {
  const n = terms.length;
  const lowest = match === 'all' ? n : 1;
  const rungs: Rung[] = [];
  let above: string | undefined; // every document of the rungs with more words: typo_{k+1}
  for (let k = n; k >= lowest; k--) {
    const first = terms.slice(0, k);
    const typo = allOf(first.map(typoExpression));
    const order: string[] = [];
    const typoKeys = first.some((t) => t.variants.length > 0) ? 1 : 0;
    if (typoKeys > 0) order.push(allOf(first.map((t) => exactExpression(t.term))));
    if (k >= 2) order.push(nearExpression(first.map((t) => t.term)));
    const orderBeforeSort = order.length;
    order.push(`{title} : (${typo})`);
    rungs.push({ match: without(typo, [...(above ? [above] : []), ...exclusions]), order, orderBeforeSort, typoKeys });
    above = typo;
  }
  return {
    rungs,
    total: without(allOf(terms.slice(0, lowest).map(typoExpression)), exclusions),
    highlight: matchTerms(terms),
  };
}
