import type Database from 'better-sqlite3';
import type { Article } from '../../core/article.js';
import type { KeyOrder } from '../../core/key-order.js';
import type { IndexedDoc } from '../../core/keyword/keyword-index.js';
import { KeywordIndex } from '../../core/keyword/keyword-index.js';
import { KeywordSearch } from '../../core/keyword/keyword-search.js';
import type { KeywordSearchRequest } from '../../core/keyword/keyword-search.js';
import { NEWS_SYNONYMS, Synonyms } from '../../core/keyword/synonyms.js';
import { parseQuery } from '../../core/query-parser.js';
import type { RankedPage } from '../../index-host/index-port.js';
import type { FacetField, SearchRequest } from '../search-engine.js';
import { dateBounds } from './filter-sql.js';

interface Row {
  pk: number;
  doc: string;
  published_at: number | null;
}

function toIndexed(row: Row): IndexedDoc {
  const a = JSON.parse(row.doc) as Article;
  return {
    key: row.pk,
    id: a.id,
    title: a.title,
    body: a.body,
    publishedAt: row.published_at ?? undefined,
    category: a.category,
    source: a.source,
    tags: a.tags,
    people: a.people,
    orgs: a.orgs,
    places: a.places,
    salience: a.salience,
    copyGroup: a.copyGroup,
  };
}

/** The synonyms of a keyword index when none are configured: the news aliases. */
export const DEFAULT_SYNONYMS = new Synonyms(NEWS_SYNONYMS);

/**
 * The in-memory {@link KeywordIndex} over the `articles` table, as the index host keeps it (index-host.ts): built
 * from every row, then brought up to date article by article (`apply`, by id) as the host follows the change log.
 * It never reads the log itself, and a search never changes it.
 */
export class KeywordState {
  private index = new KeywordIndex();
  private search: KeywordSearch;
  private readonly keyOf = new Map<string, number>();
  private readonly idOf = new Map<number, string>();
  private readonly byId: Database.Statement;
  private readonly all: Database.Statement;
  private readonly idByKey: Database.Statement;

  /** `synonyms`: what queries also find (core/keyword/synonyms.ts); the news aliases by default. */
  constructor(
    db: Database.Database,
    private readonly synonyms: Synonyms = DEFAULT_SYNONYMS,
  ) {
    this.search = new KeywordSearch(this.index, synonyms);
    this.byId = db.prepare('SELECT pk, doc, published_at FROM articles WHERE id = ?');
    this.all = db.prepare('SELECT pk, doc, published_at FROM articles ORDER BY pk');
    this.idByKey = db.prepare('SELECT id FROM articles WHERE pk = ?').pluck();
  }

  /** Replaces the index with every stored article (call inside a read transaction). */
  rebuild(): void {
    const index = new KeywordIndex();
    this.keyOf.clear();
    this.idOf.clear();
    const remember = (doc: IndexedDoc) => {
      this.keyOf.set(doc.id, doc.key);
      this.idOf.set(doc.key, doc.id);
      return doc;
    };
    const all = this.all;
    index.addAll((function* () {
      for (const r of all.iterate() as Iterable<Row>) yield remember(toIndexed(r));
    })());
    index.prepareQueries();
    this.index = index;
    this.search = new KeywordSearch(index, this.synonyms);
  }

  /** The article id a logged key stands for: the stored row's, else (deleted) the one the index holds. */
  idOfKey(pk: number): string | undefined {
    return (this.idByKey.get(pk) as string | undefined) ?? this.idOf.get(pk);
  }

  /** Makes the index hold article `id` as stored now (added, replaced, or removed when it is gone). */
  apply(id: string): void {
    const row = this.byId.get(id) as Row | undefined;
    const held = this.keyOf.get(id);
    if (held !== undefined && held !== row?.pk) {
      this.index.remove(held);
      this.keyOf.delete(id);
      this.idOf.delete(held);
    }
    if (!row) return;
    this.index.add(toIndexed(row));
    this.keyOf.set(id, row.pk);
    this.idOf.set(row.pk, id);
  }

  /** Whether a compaction of the keyword index is under way (KeywordIndex.compactSome). */
  get compacting(): boolean {
    return this.index.compacting;
  }

  /** Carries a compaction of the keyword index on by about `budget` entries; true when none is under way any more. */
  compactSome(budget: number): boolean {
    return this.index.compactSome(budget);
  }

  /** Every article id the index holds. */
  ids(): IterableIterator<string> {
    return this.keyOf.keys();
  }

  /**
   * Ranks a search with words, or with exclusions only (see core/keyword/rank.ts): the page's keys, total, facets
   * and highlight terms.
   */
  rank(request: SearchRequest): RankedPage {
    const found = this.search.search(keywordRequest(request));
    return {
      keys: found.keys,
      checks: found.checks,
      total: found.total,
      facets: found.facets as Partial<Record<FacetField, [string, number][]>>,
      highlight: { words: [...found.highlight.words], prefixes: found.highlight.prefixes },
      ...(found.histogram ? { histogram: found.histogram } : {}),
      ...(found.suggestion === undefined ? {} : { suggestion: found.suggestion }),
      ...(found.groupSizes ? { groupSizes: found.groupSizes } : {}),
    };
  }

  /**
   * Every match of a search in result order, as store keys (`articles.pk`) with their id checks, a part at a time: one ranking for a
   * whole export (core/keyword/keyword-search.ts, `orderInSteps`). The request's page, facets and histogram are
   * ignored.
   */
  orderInSteps(request: SearchRequest): Generator<void, KeyOrder> {
    return this.search.orderInSteps(keywordRequest(request));
  }
}

/** A search as the in-memory index takes it: the query parsed, filters by name, dates in ms. */
function keywordRequest(request: SearchRequest): KeywordSearchRequest {
  const { from, to } = dateBounds(request.filters);
  const f = request.filters;
  return {
    query: parseQuery(request.q),
    match: request.match,
    sort: request.sort,
    filter: {
      ...(f.category ? { category: f.category } : {}),
      ...(f.source ? { source: f.source } : {}),
      ...(f.tags ? { tags: f.tags } : {}),
      ...(f.people ? { people: f.people } : {}),
      ...(f.orgs ? { orgs: f.orgs } : {}),
      ...(f.places ? { places: f.places } : {}),
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
    },
    offset: (request.page - 1) * request.perPage,
    limit: request.perPage,
    facets: request.facets,
    about: (request.about ?? []).map((e) => ({ field: e.kind, name: e.name })),
    ...(request.freshness ? { freshness: request.freshness } : {}),
    ...(request.histogram ? { histogram: request.histogram } : {}),
    ...(request.collapse ? { collapse: true } : {}),
  };
}
