import type { QueryTerm } from '../../core/query-parser.js';

/**
 * FTS5 MATCH expressions built from parsed query terms. Every token is double-quoted (inner quotes doubled), so no
 * user text is ever read as FTS5 syntax (`*`, `^`, `:`, NEAR, AND, OR, NOT, parentheses).
 */
export const quote = (token: string): string => `"${token.replaceAll('"', '""')}"`;

/** A query term and the vocabulary terms accepted for it with typos. */
export interface ExpandedTerm {
  readonly term: QueryTerm;
  readonly variants: readonly string[];
}

/** The term exactly as typed: a word (a prefix while it is being typed) or a phrase. */
export function exactExpression(term: QueryTerm): string {
  if (term.kind === 'phrase') return quote(term.words.join(' '));
  return term.prefix ? `${quote(term.text)}*` : quote(term.text);
}

/** The term or any of its typo variants, as one OR group. */
export function typoExpression(expanded: ExpandedTerm): string {
  const exact = exactExpression(expanded.term);
  if (expanded.variants.length === 0) return exact;
  return `(${[exact, ...expanded.variants.map(quote)].join(' OR ')})`;
}

/** All terms (exact), within a window of `2 × terms` tokens: the proximity rung. */
export function nearExpression(terms: readonly QueryTerm[]): string {
  return `NEAR(${terms.map(exactExpression).join(' ')}, ${2 * terms.length})`;
}

export const allOf = (parts: readonly string[]): string => parts.map((p) => `(${p})`).join(' AND ');
export const anyOf = (parts: readonly string[]): string => parts.map((p) => `(${p})`).join(' OR ');

/**
 * `expression` without the documents matching any of `excluded`: one flat `NOT (a OR b …)`, so the expression's
 * depth does not grow with the exclusions (FTS5's parser stack overflowed on nested NOTs).
 */
export function without(expression: string, excluded: readonly string[]): string {
  return excluded.length === 0 ? expression : `(${expression}) NOT (${anyOf(excluded)})`;
}
