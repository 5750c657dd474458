import type { MatchStrategy } from '../search-engine.js';
import type { ExpandedTerm } from './match-expression.js';
import { allOf, exactExpression, nearExpression, typoExpression, without } from './match-expression.js';

/**
 * A search as a ladder of FTS5 queries, strictest first, whose result sets do not overlap. Read in order, they
 * give Meilisearch's bucket order: more query words matched → fewer typos → words close together; inside one rung,
 * BM25 with the title weighted above the body (the attribute rule) or the requested date order.
 */
export interface RungPlan {
  /** Disjoint rungs, best first. */
  readonly rungs: readonly Rung[];
  /** Every document any rung can return: the set `totalHits` and facets count. */
  readonly total: string;
  /** All query words and typo variants, OR-ed: what highlighting marks. */
  readonly highlight: string;
}

/**
 * One rung: the documents it holds (`match`), and what a document must match to rank first inside it (`title`:
 * every matched word in the title, Meilisearch's attribute rule).
 */
export interface Rung {
  readonly match: string;
  readonly title: string;
}

/**
 * Plans the ladder. With `last`, for k = n … 1 words (dropping from the end): the first k terms near each other,
 * then anywhere, then with typo variants, each minus every earlier rung. With `all`, only k = n.
 * `exclusions` are MATCH expressions no result may match.
 */
export function planRungs(terms: readonly ExpandedTerm[], match: MatchStrategy, exclusions: readonly string[]): RungPlan {
  const n = terms.length;
  const lowest = match === 'all' ? n : 1;
  const rungs: Rung[] = [];
  let above: string | undefined; // every document of the rungs with more words: typo_{k+1}
  for (let k = n; k >= lowest; k--) {
    const first = terms.slice(0, k);
    const exact = allOf(first.map((t) => exactExpression(t.term)));
    const typo = allOf(first.map(typoExpression));
    const hasVariants = first.some((t) => t.variants.length > 0);
    const levels: string[] = [];
    const near = k >= 2 ? nearExpression(first.map((t) => t.term)) : undefined;
    if (near !== undefined) levels.push(near);
    levels.push(near === undefined ? exact : without(exact, [near]));
    if (hasVariants) levels.push(without(typo, [exact]));
    const title = `{title} : (${typo})`;
    for (const level of levels) rungs.push({ match: without(level, [...(above ? [above] : []), ...exclusions]), title });
    above = typo;
  }
  const lowestTerms = terms.slice(0, lowest);
  return {
    rungs,
    total: without(allOf(lowestTerms.map(typoExpression)), exclusions),
    highlight: terms.map(typoExpression).join(' OR '),
  };
}
