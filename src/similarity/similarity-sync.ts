import type Database from 'better-sqlite3';
import { termCounts } from '../core/similarity/analyzer.js';
import { SimilarFinder } from '../core/similarity/find-similar.js';
import type { SimilarHit, SimilarOptions } from '../core/similarity/find-similar.js';
import { SimilarityIndex } from '../core/similarity/similarity-index.js';
import { DEFAULT_IDF_EXPONENT } from '../core/similarity/weighting.js';
import type { SimilarityMeta } from '../core/similarity/similarity-index.js';
import { ChangeFollower } from '../storage/change-follower.js';
import type { SimilarArticle, SimilarQuery, SimilarSource, SimilarityReader } from './similarity-port.js';
import type { SimilarityRow } from './similarity-store.js';
import { decodeVector } from './similarity-store.js';

type Display = Omit<SimilarArticle, 'score' | 'cosine' | 'duplicate' | 'terms'>;

const metaOf = (r: SimilarityRow): SimilarityMeta => ({
  key: r.pk,
  id: r.id,
  category: r.category ?? undefined,
  source: r.source ?? undefined,
  publishedAt: r.published_at ?? undefined,
});

/** Cached answers per process (default); the cache empties when full, and answers are only used for one state. */
export const CACHE_ENTRIES = 20_000;

/**
 * The in-memory similarity index of one API process, loaded from the similarity store (vectors, no text
 * analysis) and kept in step with it through its change log; answers "more like this" queries. Each query first
 * applies up to one slice of pending changes, so a bulk load by the indexer shows up within a few queries
 * without ever pausing one for long.
 */
export class SimilaritySync implements SimilarityReader {
  private index: SimilarityIndex;
  private finder: SimilarFinder;
  private display = new Map<number, Display>();
  private byId = new Map<string, number>();
  private maxTermId = 0;
  private changes = 0;
  /** Answers by (article id, query), valid for one state of the index: a widget asks the same on every page view. */
  private readonly cache = new Map<string, { generation: number; answer: { source: SimilarSource; hits: SimilarArticle[] } }>();
  private readonly follower: ChangeFollower;
  private readonly newTerms: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly idfExponent = DEFAULT_IDF_EXPONENT,
    private readonly cacheEntries = CACHE_ENTRIES,
  ) {
    this.index = new SimilarityIndex(idfExponent);
    this.finder = new SimilarFinder(this.index);
    this.newTerms = db.prepare('SELECT id, term, word FROM sim_terms WHERE id > ? ORDER BY id').raw();
    const row = db.prepare('SELECT * FROM sim_docs WHERE pk = ?');
    const all = db.prepare('SELECT * FROM sim_docs ORDER BY pk');
    this.follower = new ChangeFollower(db, 'sim_changes', {
      rebuild: () => {
        this.index = new SimilarityIndex(this.idfExponent);
        this.finder = new SimilarFinder(this.index);
        this.display = new Map();
        this.byId = new Map();
        this.maxTermId = 0;
        this.loadTerms();
        const index = this.index;
        const rows = function* (sync: SimilaritySync) {
          for (const r of all.iterate() as Iterable<SimilarityRow>) {
            sync.remember(r);
            yield { meta: metaOf(r), vector: decodeVector(r.vector) };
          }
        };
        index.addAll(rows(this));
        this.changes++;
      },
      apply: (pk) => {
        const r = row.get(pk) as SimilarityRow | undefined;
        if (r) {
          this.loadTerms();
          this.add(r);
        } else {
          const gone = this.display.get(pk);
          if (gone) this.byId.delete(gone.id);
          this.display.delete(pk);
          this.index.remove(pk);
        }
        this.changes++;
      },
    });
  }

  /** Notes a write through this connection and applies it at once (there is no other index to answer meanwhile). */
  markChanged(): void {
    this.follower.markChanged();
    this.follower.catchUpAll();
  }

  generation(): number {
    this.follower.catchUp();
    return this.changes;
  }

  similarTo(id: string, query: SimilarQuery): { source: SimilarSource; hits: SimilarArticle[] } | undefined {
    this.follower.catchUp();
    const cacheKey = `${id}\u0000${JSON.stringify(query)}`;
    const cached = this.cache.get(cacheKey);
    if (cached?.generation === this.changes) return cached.answer;
    const answer = this.compute(id, query);
    if (answer && this.cacheEntries > 0) {
      if (this.cache.size >= this.cacheEntries) this.cache.clear();
      this.cache.set(cacheKey, { generation: this.changes, answer });
    }
    return answer;
  }

  private compute(id: string, query: SimilarQuery): { source: SimilarSource; hits: SimilarArticle[] } | undefined {
    const key = this.byId.get(id);
    const doc = key === undefined ? undefined : this.index.docOf(key);
    if (key === undefined || doc === undefined) return undefined;
    const source = this.display.get(key)!;
    const weighted = this.finder.weigh(this.index.vectorOf(doc)!);
    const hits = this.finder.find(weighted, { ...this.options(query, source.category), excludeDoc: doc });
    return { source: { id, title: source.title, category: source.category }, hits: hits.map((h) => this.present(h)) };
  }

  similarToText(title: string, body: string, query: SimilarQuery): SimilarArticle[] {
    this.follower.catchUp();
    const pairs: [number, number][] = [];
    const unknown: number[] = [];
    for (const [term, { count }] of termCounts(title, body)) {
      const id = this.index.termId(term);
      if (id === undefined) unknown.push(count);
      else pairs.push([id, count]);
    }
    pairs.sort((a, b) => a[0] - b[0]);
    const weighted = this.finder.weighCounts(
      { terms: Int32Array.from(pairs, (p) => p[0]), counts: Float32Array.from(pairs, (p) => p[1]) },
      unknown,
    );
    return this.finder.find(weighted, this.options(query, undefined)).map((h) => this.present(h));
  }

  private options(query: SimilarQuery, category: string | undefined): SimilarOptions {
    const { sameCategory, ...rest } = query;
    if (!sameCategory) return rest;
    return { ...rest, filter: { ...rest.filter, category: category === undefined ? [] : [category] } };
  }

  private present(hit: SimilarHit): SimilarArticle {
    const { key, ...rest } = hit;
    return { ...this.display.get(key)!, ...rest };
  }

  private add(r: SimilarityRow): void {
    this.index.add(metaOf(r), decodeVector(r.vector));
    this.remember(r);
  }

  /** Keeps what results show of a row, and its id. */
  private remember(r: SimilarityRow): void {
    const previous = this.display.get(r.pk);
    if (previous) this.byId.delete(previous.id);
    this.display.set(r.pk, {
      id: r.id,
      title: r.title,
      ...(r.url ? { url: r.url } : {}),
      ...(r.published_at === null ? {} : { publishedAt: new Date(r.published_at).toISOString() }),
      ...(r.category ? { category: r.category } : {}),
      ...(r.source ? { source: r.source } : {}),
    });
    this.byId.set(r.id, r.pk);
  }

  private loadTerms(): void {
    for (const [id, term, word] of this.newTerms.iterate(this.maxTermId) as Iterable<[number, string, string]>) {
      this.index.setTerm(id, term, word);
      this.maxTermId = id;
    }
  }
}
