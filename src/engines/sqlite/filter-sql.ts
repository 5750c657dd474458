import { inclusiveRange } from '../../core/iso-date.js';
import type { SearchFilters } from '../search-engine.js';

/** A SQL condition over the `articles` table aliased `a`, with its positional parameters. */
export interface SqlCondition {
  readonly sql: string;
  readonly params: readonly (string | number | null)[];
}

/** A filter's inclusive date range in ms since the epoch (see inclusiveRange). */
export const dateBounds = (filters: SearchFilters): { from?: number; to?: number } => inclusiveRange(filters.from, filters.to);

/**
 * `column IN (?, …)` with the number of placeholders rounded up to a power of two and the rest bound to NULL (which
 * `IN` never matches): the SQL text, and so the prepared statements cached for it, takes one of a few shapes
 * whatever the number of values (8 up to 100 values), while SQLite can still use the column's index (a
 * `json_each` list made it scan: an entity facet under a category filter on Reuters became many times slower).
 */
export function inList(column: string, values: readonly string[]): SqlCondition {
  let slots = 1;
  while (slots < values.length) slots *= 2;
  const params: (string | null)[] = [...values];
  while (params.length < slots) params.push(null);
  return { sql: `${column} IN (${params.map(() => '?').join(', ')})`, params };
}

/**
 * Filters as SQL: values OR-ed within a field, fields AND-ed. Dates are inclusive; a date without a time covers
 * its whole UTC day (`to=2026-03-14` includes 23:59:59.999). Articles without a date never pass a date filter.
 * `alias`: the name of the `articles` table in the query (`a` by default).
 */
export function filterSql(filters: SearchFilters, alias = 'a'): SqlCondition {
  const a = alias;
  const parts: string[] = [];
  const params: (string | number | null)[] = [];
  const add = (condition: SqlCondition) => {
    parts.push(condition.sql);
    params.push(...condition.params);
  };
  const has = (values: readonly string[] | undefined): values is readonly string[] => values !== undefined && values.length > 0;
  if (has(filters.category)) add(inList(`${a}.category`, filters.category));
  if (has(filters.source)) add(inList(`${a}.source`, filters.source));
  if (has(filters.tags)) {
    const tags = inList(`${a}_t.tag`, filters.tags);
    add({ sql: `EXISTS (SELECT 1 FROM article_tags ${a}_t WHERE ${a}_t.article_pk = ${a}.pk AND ${tags.sql})`, params: tags.params });
  }
  for (const kind of ['people', 'orgs', 'places'] as const) {
    const names = filters[kind];
    if (!has(names)) continue;
    const named = inList(`${a}_e.name`, names);
    add({
      sql: `EXISTS (SELECT 1 FROM article_entities ${a}_e WHERE ${a}_e.kind = ? AND ${named.sql} AND ${a}_e.article_pk = ${a}.pk)`,
      params: [kind, ...named.params],
    });
  }
  const { from, to } = dateBounds(filters);
  if (from !== undefined) add({ sql: `${a}.published_at >= ?`, params: [from] });
  if (to !== undefined) add({ sql: `${a}.published_at <= ?`, params: [to] });
  return { sql: parts.length === 0 ? '1' : parts.join(' AND '), params };
}

/**
 * With a collapsed listing (SearchRequest.collapse), the condition that keeps, of each copy group, the first stored
 * article (lowest pk) that passes the filters: an article alone or first in its group (its group is its id) passes
 * at once; another member passes when no member stored before it passes the filters. Work: one look-up in
 * `articles_copy_group` per copy that passes the filters.
 */
export function firstOfGroupSql(filters: SearchFilters): SqlCondition {
  const earlier = filterSql(filters, 'b');
  return {
    sql: `(a.copy_group IS NULL OR a.copy_group = a.id OR NOT EXISTS (SELECT 1 FROM articles b
      WHERE b.copy_group = a.copy_group AND b.pk < a.pk AND ${earlier.sql}))`,
    params: earlier.params,
  };
}
