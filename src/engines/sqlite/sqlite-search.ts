import type Database from 'better-sqlite3';
import { renderMarked } from '../../core/highlight.js';
import { idCheck } from '../../core/key-order.js';
import type { KeyOrder } from '../../core/key-order.js';
import { cropSnippet, highlightText } from '../../core/highlighter.js';
import type { MatchTerms } from '../../core/highlighter.js';
import { MAX_FACET_VALUES } from '../../core/keyword/keyword-search.js';
import { parseQuery } from '../../core/query-parser.js';
import { histogramOf } from '../../core/trends/date-histogram.js';
import type { DateHistogram, HistogramInterval } from '../../core/trends/date-histogram.js';
import type { Article } from '../../core/article.js';
import type { EntityRef, FacetCounts, FacetField, HitArticle, SearchHit, SearchRequest, SearchResult, WholeSearch } from '../search-engine.js';
import { filterSql, firstOfGroupSql, inList } from './filter-sql.js';
import type { RankedPage } from '../../index-host/index-port.js';
import type { SqlCondition } from './filter-sql.js';
import { PlaceholderAnswers } from './placeholder-answers.js';

/** SQLite date modifiers from a day to its bucket's first day: the Monday on or before it; the month's first day. */
const BUCKET_MODIFIERS: Record<HistogramInterval, string> = { day: '', week: ", '-6 days', 'weekday 1'", month: ", 'start of month'" };

const ORDER = {
  newest: 'a.published_at DESC NULLS LAST, a.id',
  oldest: 'a.published_at ASC NULLS LAST, a.id',
} as const;

/** Most prepared statements one search object keeps (a statement costs tens of KB; shapes in use are far fewer). */
export const STATEMENT_CACHE_SIZE = 256;

/**
 * The SQLite side of a search: reads and highlights the pages the index host ranks (a query with words), and
 * answers a query without words, filters only, from the store.
 */
export class SqliteSearch {
  private readonly cache = new Map<string, Database.Statement>();
  private readonly placeholders: PlaceholderAnswers;

  constructor(private readonly db: Database.Database) {
    // data_version changes with another connection's commit, total_changes with this connection's own
    const version = db.prepare('SELECT (SELECT data_version FROM pragma_data_version) * 1000003 + total_changes()').pluck();
    this.placeholders = new PlaceholderAnswers(() => version.get() as number);
  }

  /**
   * The answer to a query without words (filters only), read from the store (or kept from the same question while
   * the store is unchanged: placeholder-answers.ts); undefined when the query has words or exclusions, which the
   * index host ranks (it alone knows which articles hold a word).
   */
  placeholderOrUndefined(request: SearchRequest): SearchResult | undefined {
    const parsed = parseQuery(request.q);
    if (parsed.terms.length > 0 || parsed.exclusions.length > 0) return undefined;
    return this.placeholders.answer(request, () => this.placeholder(request, this.placeholderWhere(request)));
  }

  /** The condition of a query without words: its filters, and with collapse the first stored article of each group. */
  private placeholderWhere(request: WholeSearch): SqlCondition {
    const where = filterSql(request.filters);
    if (!request.collapse) return where;
    const first = firstOfGroupSql(request.filters);
    return { sql: `${where.sql} AND ${first.sql}`, params: [...where.params, ...first.params] };
  }

  /**
   * The store keys of every answer to a query without words (filters only), in the order of its pages
   * ({@link placeholderOrUndefined}), with their articles' id checks: one ordered read for a whole export.
   * Undefined when the query has words or exclusions (the index host ranks it).
   */
  placeholderOrder(request: WholeSearch): KeyOrder | undefined {
    const parsed = parseQuery(request.q);
    if (parsed.terms.length > 0 || parsed.exclusions.length > 0) return undefined;
    const where = this.placeholderWhere(request);
    const order = request.sort === 'oldest' ? { sql: ORDER.oldest, params: [] } : salienceOrder(request);
    const rows = this.statement(`SELECT a.pk, a.id FROM articles a WHERE ${where.sql} ORDER BY ${order.sql}`)
      .raw()
      .iterate(...where.params, ...order.params) as IterableIterator<[number, string]>;
    const keys: number[] = [];
    const checks: number[] = [];
    for (const [pk, id] of rows) {
      keys.push(pk);
      checks.push(idCheck(id));
    }
    return { keys: Int32Array.from(keys), checks: Int32Array.from(checks) };
  }

  /**
   * The stored articles of an order's keys, in that order, each without its body and salience (an export's rows).
   * A key whose article is gone (deleted since the order was taken) is skipped, and so is one whose row's id does
   * not match the key's check (`checks`, parallel to `keys`): the key was reused by an article added since, which
   * the order does not hold (core/key-order.ts).
   */
  articles(order: KeyOrder): HitArticle[] {
    const { keys, checks } = order;
    const byKey = this.rowsByKey(Array.from(keys));
    const out: HitArticle[] = [];
    for (let i = 0; i < keys.length; i++) {
      const row = byKey.get(keys[i]!);
      if (row === undefined || idCheck(row.id) !== checks[i]) continue;
      const { body: _body, salience: _salience, ...article } = JSON.parse(row.doc) as Article;
      out.push(article);
    }
    return out;
  }

  /**
   * A page the index host ranked (core/keyword/rank.ts): its articles read by key and highlighted here. An article
   * deleted since the host's last step is left out of the page, and so is an article added since under a deleted
   * one's key (its id does not match the key's check).
   */
  fromRanked(request: SearchRequest, ranked: RankedPage): SearchResult {
    const facets: SearchResult['facets'] = {};
    for (const [field, counts] of Object.entries(ranked.facets)) facets[field as FacetField] = Object.fromEntries(counts);
    const terms: MatchTerms = { words: new Set(ranked.highlight.words), prefixes: ranked.highlight.prefixes };
    const result = this.result(request, this.hits(ranked, terms), ranked.total, facets, ranked.histogram);
    return ranked.suggestion === undefined ? result : { ...result, suggestion: ranked.suggestion };
  }

  /** The page's articles in page order, highlighted in JavaScript, with their copy groups' sizes when known. */
  private hits(page: RankedPage, terms: MatchTerms): SearchHit[] {
    const { keys, checks, groupSizes } = page;
    if (keys.length === 0) return [];
    const byPk = this.rowsByKey(keys);
    const hits: SearchHit[] = [];
    for (let i = 0; i < keys.length; i++) {
      const row = byPk.get(keys[i]!);
      if (row === undefined || idCheck(row.id) !== checks[i]) continue;
      const hit = toHit(row.doc, terms);
      hits.push(groupSizes === undefined ? hit : { ...hit, groupSize: groupSizes[i]! });
    }
    return hits;
  }

  /** The stored articles' ids and documents (JSON) of the keys that still have an article, by key. */
  private rowsByKey(pks: readonly number[]): Map<number, { readonly id: string; readonly doc: string }> {
    const byPk = new Map<number, { readonly id: string; readonly doc: string }>();
    if (pks.length === 0) return byPk;
    const rows = this.statement('SELECT pk, id, doc FROM articles WHERE pk IN (SELECT value FROM json_each(?))')
      .raw()
      .all(JSON.stringify(pks)) as [number, string, string][];
    for (const [pk, id, doc] of rows) byPk.set(pk, { id, doc });
    return byPk;
  }

  /**
   * An empty query: every article passing the filters, newest first unless `oldest` is asked; with entity filters
   * and the relevance sort, the articles most about those entities first (summed salience). The index host orders
   * a query of exclusions only the same way (core/keyword/keyword-search.ts).
   */
  private placeholder(request: SearchRequest, where: SqlCondition): SearchResult {
    const order = request.sort === 'oldest' ? { sql: ORDER.oldest, params: [] } : salienceOrder(request);
    const docs = this.statement(`SELECT a.doc FROM articles a WHERE ${where.sql} ORDER BY ${order.sql} LIMIT ? OFFSET ?`)
      .pluck()
      .all(...where.params, ...order.params, request.perPage, (request.page - 1) * request.perPage) as string[];
    const total = this.statement(`SELECT count(*) FROM articles a WHERE ${where.sql}`).pluck().get(...where.params) as number;
    const hits = docs.map((doc) => toHit(doc, NO_TERMS));
    const facets = this.facetCounts(request.facets, `FROM articles a WHERE ${where.sql}`, where.params);
    const histogram = request.histogram ? this.histogram(request.histogram, where) : undefined;
    return this.result(request, hits, total, facets, histogram);
  }

  private facetCounts(fields: readonly FacetField[], from: string, params: readonly unknown[]): SearchResult['facets'] {
    const out: Partial<Record<FacetField, FacetCounts>> = {};
    for (const field of fields) {
      const entity = field === 'people' || field === 'orgs' || field === 'places';
      const sql = field === 'tags'
        ? `SELECT t.tag AS value, count(*) AS n ${from.replace(' WHERE ', ' JOIN article_tags t ON t.article_pk = a.pk WHERE ')}
           GROUP BY t.tag ORDER BY n DESC, value LIMIT ${MAX_FACET_VALUES}`
        : entity
          ? `SELECT e.name AS value, count(*) AS n ${from.replace(' WHERE ', ' JOIN article_entities e ON e.article_pk = a.pk WHERE e.kind = ? AND ')}
           GROUP BY e.name ORDER BY n DESC, value LIMIT ${MAX_FACET_VALUES}`
          : `SELECT a.${field} AS value, count(*) AS n ${from} AND a.${field} IS NOT NULL
           GROUP BY a.${field} ORDER BY n DESC, value LIMIT ${MAX_FACET_VALUES}`;
      const rows = this.statement(sql).raw().all(...(entity ? [field, ...params] : params)) as [string, number][];
      out[field] = Object.fromEntries(rows);
    }
    return out;
  }

  /**
   * Articles passing the filters per period (UTC): the day, the Monday on or before it (ISO week), or the month's
   * first day, grouped in SQL; articles without a date counted apart.
   */
  private histogram(interval: HistogramInterval, where: SqlCondition): DateHistogram {
    const day = `date(a.published_at / 1000.0, 'unixepoch'${BUCKET_MODIFIERS[interval]})`;
    const rows = this.statement(`SELECT ${day} AS start, count(*) AS n FROM articles a WHERE ${where.sql} AND a.published_at IS NOT NULL GROUP BY start`)
      .raw()
      .all(...where.params) as [string, number][];
    const undated = this.statement(`SELECT count(*) FROM articles a WHERE ${where.sql} AND a.published_at IS NULL`).pluck().get(...where.params) as number;
    return histogramOf(interval, rows.map(([start, count]) => ({ start, count })), undated);
  }

  private result(
    request: SearchRequest,
    hits: SearchHit[],
    totalHits: number,
    facets: SearchResult['facets'],
    histogram?: DateHistogram,
  ): SearchResult {
    return {
      hits,
      totalHits,
      page: request.page,
      perPage: request.perPage,
      totalPages: Math.ceil(totalHits / request.perPage),
      facets,
      ...(histogram ? { histogram } : {}),
    };
  }

  /**
   * A prepared statement for `sql`, from a cache of at most {@link STATEMENT_CACHE_SIZE} (least recently used out):
   * the SQL varies with the query's shape (filters present, their number of values), and each statement holds memory.
   */
  private statement(sql: string): Database.Statement {
    let st = this.cache.get(sql);
    if (st) {
      this.cache.delete(sql); // re-inserted below: Map order is recency
    } else {
      st = this.db.prepare(sql);
      if (this.cache.size >= STATEMENT_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    }
    this.cache.set(sql, st);
    return st;
  }
}

/** Entities to rank by, each kind with its canonical names. */
type EntityNames = readonly { readonly kind: EntityRef['kind']; readonly names: readonly string[] }[];

/** An ORDER BY key: the summed salience, in each article, of the given entities, most first; undefined for none. */
function salienceKey(entities: EntityNames): SqlCondition | undefined {
  const wanted = entities.filter((e) => e.names.length > 0);
  if (wanted.length === 0) return undefined;
  const match = wanted.map((e) => ({ kind: e.kind, names: inList('e.name', e.names) }));
  return {
    sql: `(SELECT coalesce(sum(e.salience), 0) FROM article_entities e WHERE e.article_pk = a.pk AND (${
      match.map((m) => `(e.kind = ? AND ${m.names.sql})`).join(' OR ')})) DESC`,
    params: match.flatMap((m) => [m.kind, ...m.names.params]),
  };
}

/** ORDER BY for an empty query sorted by relevance: summed salience of the filtered entities, then newest. */
function salienceOrder(request: Pick<SearchRequest, 'sort' | 'filters'>): SqlCondition {
  const filtered = (['people', 'orgs', 'places'] as const).map((kind) => ({ kind, names: request.filters[kind] ?? [] }));
  const key = request.sort === 'relevance' ? salienceKey(filtered) : undefined;
  return key ? { sql: `${key.sql}, ${ORDER.newest}`, params: key.params } : { sql: ORDER.newest, params: [] };
}

const NO_TERMS: MatchTerms = { words: new Set(), prefixes: [] };

/**
 * A hit of a stored article (`doc`, the article as JSON): the article without its body and salience, which no answer
 * shows (the other fields in their stored order), its title highlighted and its body's snippet. The document is
 * parsed once, here: SQLite's json_remove and json_extract, which read these parts before, parsed each document
 * twice and cost more than the one JSON.parse (about 60 against 50 µs a page of 20, Reuters). (The `body` column is
 * NFKC-normalized: not the text to show.)
 */
function toHit(doc: string, terms: MatchTerms): SearchHit {
  const { body, salience: _salience, ...article } = JSON.parse(doc) as Article;
  const title = highlightText(article.title, terms);
  const snippet = cropSnippet(body, terms);
  return { article, highlight: { title: renderMarked(title), snippet: renderMarked(snippet) } };
}
