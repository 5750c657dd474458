import { inclusiveRange } from '../../core/iso-date.js';
import type { SearchFilters } from '../search-engine.js';

/** The list filters, in the order their clauses are written; each is a filterable attribute of the index. */
const LIST_FIELDS = ['category', 'source', 'tags', 'people', 'orgs', 'places'] as const;

/** A valid clause no document passes: an unparseable date bound (which no date passes) becomes this. */
const MATCHES_NOTHING = 'publishedAt < 0 AND publishedAt > 0';

/**
 * A value as a Meilisearch filter string literal: wrapped in double quotes, with backslashes and double quotes
 * escaped. Inside quotes every other character (`OR`, `=`, `[`, `TO`, `NOT`, parentheses…) is plain text, so a
 * value can never change the expression around it.
 */
export function quoteValue(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** `field IN ["a", "b"]`: any of the values (Meilisearch matches a value or any element of an array field). */
export function anyOf(field: string, values: readonly string[]): string {
  return `${field} IN [${values.map(quoteValue).join(', ')}]`;
}

/** `field NOT IN ["a", "b"]`: none of the values (documents without the field pass too). */
export function noneOf(field: string, values: readonly string[]): string {
  return `${field} NOT IN [${values.map(quoteValue).join(', ')}]`;
}

/**
 * Our structured filters as one Meilisearch filter expression, or undefined when nothing is filtered: values
 * OR-ed within a field (`IN [...]`), fields AND-ed, dates as an inclusive range on the numeric `publishedAt`
 * (milliseconds since the epoch; a date-only `to` covers its whole UTC day, as {@link inclusiveRange} says).
 * An empty value list filters nothing, like the embedded engine.
 */
export function filterExpression(filters: SearchFilters): string | undefined {
  const clauses: string[] = [];
  for (const field of LIST_FIELDS) {
    const values = filters[field];
    if (values !== undefined && values.length > 0) clauses.push(anyOf(field, values));
  }
  const range = inclusiveRange(filters.from, filters.to);
  if (Number.isNaN(range.from) || Number.isNaN(range.to)) clauses.push(MATCHES_NOTHING);
  else {
    if (range.from !== undefined) clauses.push(`publishedAt >= ${range.from}`);
    if (range.to !== undefined) clauses.push(`publishedAt <= ${range.to}`);
  }
  return clauses.length === 0 ? undefined : clauses.join(' AND ');
}

/** The filter that selects documents by id (`id IN [...]`), quoted like every other value. */
export function idFilter(ids: readonly string[]): string {
  return anyOf('id', ids);
}
