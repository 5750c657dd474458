/** Article fields a column can be mapped to. */
export const ARTICLE_FIELDS = [
  'id', 'title', 'body', 'url', 'summary', 'publishedAt', 'updatedAt', 'source', 'category', 'tags', 'author', 'language',
] as const;
export type ArticleField = (typeof ARTICLE_FIELDS)[number];

/** Article field → column name, for sources with named columns (CSV). */
export type FieldMap = ReadonlyMap<ArticleField, string>;

/** Why a `--map` value cannot be used. */
export class FieldMapError extends Error {
  override readonly name = 'FieldMapError';
}

/**
 * Parses `title=headline,body=text,publishedAt=date` (article field = column name). Throws a FieldMapError naming
 * the bad pair: an unknown field, an empty column name, or a field mapped twice.
 */
export function parseFieldMap(text: string): FieldMap {
  const map = new Map<ArticleField, string>();
  for (const pair of text.split(',').filter((p) => p.trim() !== '')) {
    const [field, column, extra] = pair.split('=').map((s) => s.trim());
    if (!ARTICLE_FIELDS.includes(field as ArticleField)) {
      throw new FieldMapError(`"${pair}": "${field}" is not an article field (${ARTICLE_FIELDS.join(', ')})`);
    }
    if (column === undefined || column === '' || extra !== undefined) throw new FieldMapError(`"${pair}": expected field=column`);
    if (map.has(field as ArticleField)) throw new FieldMapError(`"${pair}": ${field} is mapped twice`);
    map.set(field as ArticleField, column);
  }
  return map;
}

/**
 * Which column index feeds each article field: the mapped column when `map` names one, else a column named like
 * the field (case-insensitive). Returns the fields whose mapped column is missing from the header as well.
 */
export function resolveColumns(header: readonly string[], map: FieldMap): { columns: Map<ArticleField, number>; missing: string[] } {
  const index = new Map(header.map((name, i) => [name.trim().toLowerCase(), i] as const));
  const columns = new Map<ArticleField, number>();
  const missing: string[] = [];
  for (const field of ARTICLE_FIELDS) {
    const wanted = map.get(field);
    const at = index.get((wanted ?? field).toLowerCase());
    if (at !== undefined) columns.set(field, at);
    else if (wanted !== undefined) missing.push(`${field}: column "${wanted}" is not in the header`);
  }
  return { columns, missing };
}
