import type Database from 'better-sqlite3';
import { SimilarFinder } from '../core/similarity/find-similar.js';
import type { SimilarHit, SimilarOptions } from '../core/similarity/find-similar.js';
import { SimilarityIndex } from '../core/similarity/similarity-index.js';
import { DEFAULT_IDF_EXPONENT } from '../core/similarity/weighting.js';
import type { SimilarityMeta } from '../core/similarity/similarity-index.js';
import type { SimilarAnswer } from '../index-host/index-port.js';
import { significantValues } from '../core/trends/significance.js';
import { storyInput } from '../core/stories/story-input.js';
import type { SignificantTerms, SimilarArticle, SimilarQuery } from './similarity-port.js';
import type { SimilarityRow } from './similarity-store.js';
import { termCountPairs } from './text-counts.js';
import type { TermCountList } from './text-counts.js';
import { decodeVector } from './similarity-store.js';

type Display = Omit<SimilarArticle, 'score' | 'cosine' | 'duplicate' | 'terms'>;

const metaOf = (r: SimilarityRow): SimilarityMeta => ({
  key: r.pk,
  id: r.id,
  category: r.category ?? undefined,
  source: r.source ?? undefined,
  publishedAt: r.published_at ?? undefined,
});

/** What results show of a stored row. */
const displayOfRow = (r: SimilarityRow): Display => ({
  id: r.id,
  title: r.title,
  ...(r.url ? { url: r.url } : {}),
  ...(r.published_at === null ? {} : { publishedAt: new Date(r.published_at).toISOString() }),
  ...(r.category ? { category: r.category } : {}),
  ...(r.source ? { source: r.source } : {}),
});

/** Cached answers per host (default); the cache empties when full, and answers are only used for one state. */
export const CACHE_ENTRIES = 20_000;

/**
 * The in-memory similarity index as the index host keeps it (index-host.ts): loaded from the similarity store
 * (vectors, no text analysis), then brought up to date article by article (`apply`, by id) as the host follows
 * the change log; answers "more like this" queries without ever changing the index. An article committed to the
 * store but not applied yet is answered from its stored vector, so an article the store returns is never unknown.
 */
export class SimilarityState {
  private index: SimilarityIndex;
  private finder: SimilarFinder;
  private readonly display = new Map<number, Display>();
  private readonly byId = new Map<string, number>();
  private maxTermId = 0;
  private changes = 0;
  /** Answers by (article id, query), valid for one state of the index: a widget asks the same on every page view. */
  private readonly cache = new Map<string, { generation: number; answer: SimilarAnswer }>();
  private readonly newTerms: Database.Statement;
  private readonly rowById: Database.Statement;
  private readonly all: Database.Statement;
  private readonly idByKey: Database.Statement;

  constructor(
    db: Database.Database,
    private readonly idfExponent = DEFAULT_IDF_EXPONENT,
    private readonly cacheEntries = CACHE_ENTRIES,
  ) {
    this.index = new SimilarityIndex(idfExponent);
    this.finder = new SimilarFinder(this.index);
    this.newTerms = db.prepare('SELECT id, term, word FROM sim_terms WHERE id > ? ORDER BY id').raw();
    this.rowById = db.prepare('SELECT * FROM sim_docs WHERE id = ?');
    this.all = db.prepare('SELECT * FROM sim_docs ORDER BY pk');
    this.idByKey = db.prepare('SELECT id FROM sim_docs WHERE pk = ?').pluck();
  }

  /** Replaces the index with every stored vector (call inside a read transaction). */
  rebuild(): void {
    this.index = new SimilarityIndex(this.idfExponent);
    this.finder = new SimilarFinder(this.index);
    this.display.clear();
    this.byId.clear();
    this.maxTermId = 0;
    this.loadTerms();
    const rows = function* (state: SimilarityState, all: Database.Statement) {
      for (const r of all.iterate() as Iterable<SimilarityRow>) {
        state.remember(r);
        yield { meta: metaOf(r), vector: decodeVector(r.vector) };
      }
    };
    this.index.addAll(rows(this, this.all));
    this.changes++;
  }

  /** The article id a logged key stands for: the stored row's, else (deleted) the one the index holds. */
  idOfKey(pk: number): string | undefined {
    return (this.idByKey.get(pk) as string | undefined) ?? this.display.get(pk)?.id;
  }

  /** Whether a compaction of the similarity index is under way (SimilarityIndex.compactSome). */
  get compacting(): boolean {
    return this.index.compacting;
  }

  /** Carries a compaction of the similarity index on by about `budget` entries; true when none is under way any more. */
  compactSome(budget: number): boolean {
    return this.index.compactSome(budget);
  }

  /** Reads the vocabulary terms added since the last call (before applying articles that use them). */
  loadTerms(): void {
    for (const [id, term, word] of this.newTerms.iterate(this.maxTermId) as Iterable<[number, string, string]>) {
      this.index.setTerm(id, term, word);
      this.maxTermId = id;
    }
  }

  /** Makes the index hold article `id` as stored now (added, replaced, or removed when it is gone). */
  apply(id: string): void {
    const row = this.rowById.get(id) as SimilarityRow | undefined;
    const held = this.byId.get(id);
    if (held !== undefined && held !== row?.pk) {
      this.index.remove(held);
      this.display.delete(held);
      this.byId.delete(id);
    }
    if (row) {
      this.index.add(metaOf(row), decodeVector(row.vector));
      this.remember(row);
    }
    this.changes++;
  }

  /**
   * The words most unusually frequent in the articles `ids` (those the index holds) against every indexed article:
   * foreground = sampled articles holding the term, background = its document frequency (core/trends/significance.ts,
   * JLH). Work grows with the sample's vectors, never with the corpus.
   */
  significantTerms(ids: readonly string[], limit: number): SignificantTerms {
    const ix = this.index;
    const counts = new Map<number, number>();
    let sampled = 0;
    for (const id of ids) {
      const doc = this.heldDoc(id);
      const vector = doc === undefined ? undefined : ix.vectorOf(doc);
      if (!vector) continue;
      sampled++;
      for (const t of vector.terms) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    const byWord = new Map<string, number>();
    const termOf = new Map<string, number>();
    for (const [t, n] of counts) {
      const word = ix.words[t] ?? String(t);
      if ((byWord.get(word) ?? 0) < n) {
        byWord.set(word, n);
        termOf.set(word, t);
      }
    }
    const terms = limit <= 0 ? [] : significantValues({
      counts: byWord,
      background: (word) => ix.df[termOf.get(word)!] ?? 0,
      sampled,
      corpus: ix.liveDocs,
      limit,
    });
    return { sampled, corpus: ix.liveDocs, terms };
  }

  /**
   * What story threads need of a held article (core/stories/story-input.ts): its publication time (ms; undefined:
   * undated), its `top` strongest terms and its story cosine to another held article (by id; 0 for one not held).
   */
  storyView(id: string, top: number): { at: number | undefined; terms: number[]; cosineTo: (other: string) => number } | undefined {
    const doc = this.heldDoc(id);
    if (doc === undefined) return undefined;
    const input = storyInput(this.index, doc, top);
    if (!input) return undefined;
    const at = this.index.date[doc]!;
    return { at: Number.isNaN(at) ? undefined : at, terms: input.terms, cosineTo: (other) => input.cosineTo(this.heldDoc(other)) };
  }

  /** The index's document number of a held article, or undefined. */
  private heldDoc(id: string): number | undefined {
    const key = this.byId.get(id);
    return key === undefined ? undefined : this.index.docOf(key);
  }

  /** What a list shows of a held article (title, url, date, category, source), or undefined. */
  displayOf(id: string): (Display & { id: string }) | undefined {
    const key = this.byId.get(id);
    return key === undefined ? undefined : this.display.get(key);
  }

  /**
   * The same for an article committed but not applied yet (the host is catching up): read from its stored row, one
   * keyed read, so that an article the store returns is never unknown here either.
   */
  storedDisplayOf(id: string): (Display & { id: string }) | undefined {
    const row = this.rowById.get(id) as SimilarityRow | undefined;
    return row && displayOfRow(row);
  }

  /** The publication time (ms) of every held article (undefined: undated), for a build in time order. */
  *datedIds(): IterableIterator<{ id: string; at: number | undefined }> {
    for (const [id, key] of this.byId) {
      const doc = this.index.docOf(key);
      const at = doc === undefined ? Number.NaN : this.index.date[doc]!;
      yield { id, at: Number.isNaN(at) ? undefined : at };
    }
  }

  /** Every article id the index holds. */
  ids(): IterableIterator<string> {
    return this.byId.keys();
  }

  /** Recomputes the norms when the corpus has drifted enough (as a catch-up step's work, not a query's). */
  settle(): void {
    this.index.refreshNormsIfDrifted();
  }

  generation(): number {
    return this.changes;
  }

  similarTo(id: string, query: SimilarQuery): SimilarAnswer | undefined {
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

  private compute(id: string, query: SimilarQuery): SimilarAnswer | undefined {
    const key = this.byId.get(id);
    const doc = key === undefined ? undefined : this.index.docOf(key);
    if (key === undefined || doc === undefined) return this.computeStored(id, query);
    const source = this.display.get(key)!;
    const weighted = this.finder.weigh(this.index.vectorOf(doc)!);
    const hits = this.finder.find(weighted, { ...this.options(query, source.category), excludeDoc: doc });
    return { source: { id, title: source.title, category: source.category }, hits: hits.map((h) => this.present(h)) };
  }

  /**
   * An article committed but not applied yet (the host is catching up): answered from its stored vector, weighted
   * by the index as it stands. One keyed read; the index itself is left as it is.
   */
  private computeStored(id: string, query: SimilarQuery): SimilarAnswer | undefined {
    const row = this.rowById.get(id) as SimilarityRow | undefined;
    if (!row) return undefined;
    this.loadTerms(); // names only: the vector may use terms added since
    const { terms, counts } = decodeVector(row.vector);
    const weighted = this.finder.weighCounts({ terms, counts });
    const category = row.category ?? undefined;
    const hits = this.finder.find(weighted, this.options(query, category)).filter((h) => h.id !== id);
    return { source: { id, title: row.title, category }, hits: hits.map((h) => this.present(h)) };
  }

  /**
   * Articles like a text that is not indexed, given as its term counts (text-counts.ts: the asking process analyses
   * the text, so that this one's work grows with the text's distinct terms, not its length).
   */
  similarToCounts(counts: TermCountList, query: SimilarQuery): SimilarArticle[] {
    const known = new Map<number, number>();
    const unknown: number[] = [];
    for (const [term, count] of termCountPairs(counts)) {
      const id = this.index.termId(term);
      if (id === undefined) unknown.push(count);
      else known.set(id, (known.get(id) ?? 0) + count);
    }
    const pairs = [...known].sort((a, b) => a[0] - b[0]);
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

  /** Keeps what results show of a row, and its id. */
  private remember(r: SimilarityRow): void {
    const previous = this.display.get(r.pk);
    if (previous) this.byId.delete(previous.id);
    this.display.set(r.pk, displayOfRow(r));
    this.byId.set(r.id, r.pk);
  }
}
