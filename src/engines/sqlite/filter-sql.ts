import { inclusiveRange } from '../../core/iso-date.js';
import type { SearchFilters } from '../search-engine.js';

/** A SQL condition over the `articles` table aliased `a`, with its positional parameters. */
export interface SqlCondition {
  readonly sql: string;
  readonly params: readonly (string | number)[];
}

/** A filter's inclusive date range in ms since the epoch (see inclusiveRange). */
export const dateBounds = (filters: SearchFilters): { from?: number; to?: number } => inclusiveRange(filters.from, filters.to);

/**
 * Filters as SQL: values OR-ed within a field, fields AND-ed. Dates are inclusive; a date without a time covers
 * its whole UTC day (`to=2026-03-14` includes 23:59:59.999). Articles without a date never pass a date filter.
 */
export function filterSql(filters: SearchFilters): SqlCondition {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  const anyOfColumn = (column: string, values: readonly string[] | undefined) => {
    if (!values || values.length === 0) return;
    parts.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  anyOfColumn('a.category', filters.category);
  anyOfColumn('a.source', filters.source);
  if (filters.tags && filters.tags.length > 0) {
    parts.push(
      `EXISTS (SELECT 1 FROM article_tags t WHERE t.article_pk = a.pk AND t.tag IN (${filters.tags.map(() => '?').join(', ')}))`,
    );
    params.push(...filters.tags);
  }
  for (const kind of ['people', 'orgs', 'places'] as const) {
    const names = filters[kind];
    if (!names || names.length === 0) continue;
    parts.push(
      `EXISTS (SELECT 1 FROM article_entities e WHERE e.kind = ? AND e.name IN (${names.map(() => '?').join(', ')}) AND e.article_pk = a.pk)`,
    );
    params.push(kind, ...names);
  }
  const { from, to } = dateBounds(filters);
  if (from !== undefined) {
    parts.push('a.published_at >= ?');
    params.push(from);
  }
  if (to !== undefined) {
    parts.push('a.published_at <= ?');
    params.push(to);
  }
  return { sql: parts.length === 0 ? '1' : parts.join(' AND '), params };
}
