import { performance } from 'node:perf_hooks';
import type Database from 'better-sqlite3';
import type { EntityKind } from '../core/entities/gazetteer.js';
import { namedText } from '../core/entities/named-text.js';
import { EngineUnavailableError } from '../core/errors.js';
import type { KeyOrder } from '../core/key-order.js';
import { EntityNamesState } from '../entities/entity-names-state.js';
import type { EntityResolution, EntitySuggestion } from '../entities/entity-port.js';
import type { EntityKey } from '../entities/entity-names-state.js';
import type { EntityRef, SearchRequest, WholeSearch } from '../engines/search-engine.js';
import { KeywordState } from '../engines/sqlite/keyword-state.js';
import { COMPACT_STEP_ENTRIES } from '../core/keyword/stepped-compaction.js';
import type { Synonyms } from '../core/keyword/synonyms.js';
import { SimilarityState } from '../similarity/similarity-state.js';
import type { Suggestion } from '../core/suggest/suggest-index.js';
import { SuggestState } from './suggest-state.js';
import type { StoryOptions } from '../core/stories/story-threads.js';
import type { StoriesQuery, StoryList, StoryThread } from '../stories/story-port.js';
import { StoryState } from '../stories/story-state.js';
import { copyGroupReader } from '../storage/copy-groups.js';
import type { SignificantTerms, SimilarArticle, SimilarQuery } from '../similarity/similarity-port.js';
import type { TermCountList } from '../similarity/text-counts.js';
import type { IndexPort, RankedPage, SimilarAnswer } from './index-port.js';

/** How an index host follows the store. */
export interface IndexHostOptions {
  /** Keep the keyword index of the `articles` table (embedded engine); false in Meilisearch mode. */
  readonly keyword: boolean;
  /** What keyword queries also find (SYNONYMS_FILE); the news aliases when absent. */
  readonly synonyms?: Synonyms;
  /** Keep the similarity index of `sim_docs` (absent: none, e.g. an engine-only store). */
  readonly similarity?: { readonly idfExponent?: number; readonly cacheEntries?: number };
  /** Keep the entity names of `ent_mentions` with their article counts (autocomplete, entity detection). */
  readonly entities?: boolean;
  /**
   * Keep the search box's completions (titles of `sim_docs`, names of `ent_mentions`; suggest-state.ts); needs
   * `similarity` and `entities`. Default: when both are kept.
   */
  readonly suggestions?: boolean;
  /**
   * Keep story threads over the similarity index (stories/story-state.ts; needs `similarity`): true for the
   * defaults (core/stories/story-options.ts), or the options. Default: when the similarity index is kept.
   */
  readonly stories?: boolean | StoryOptions;
  /** Longest run of catch-up work before the event loop is let go (ms; default 5). */
  readonly sliceMs?: number;
  /** How often `PRAGMA data_version` is read to notice other connections' commits (ms; default 5). */
  readonly pollMs?: number;
  /** Follow the store in the background (default true); false: only {@link IndexHost.catchUpSlice} applies changes. */
  readonly background?: boolean;
}

/** Logged changes read at a time from each log (the articles they name are then applied within the time box). */
const STEP_CHANGES = 32;

/**
 * The one copy, per host, of the in-memory indexes: the keyword index (embedded engine) and the similarity
 * index, built from the store at start and kept in step with it in the background, and the story threads over the
 * similarity index (stories/story-state.ts), built in the background after a start (in the slices' time left once
 * the changes are applied) and then kept in step article by article. The cluster primary holds it
 * and answers the workers over IPC (ipc-index.ts); a service of one process holds it itself.
 *
 * Catch-up: every `pollMs` (and at once on {@link notify}) the host reads `PRAGMA data_version`; when another
 * connection committed, or this process wrote, it reads the change logs (`article_changes`, `sim_changes`) after
 * its positions and applies the articles they name, in steps of a read transaction each, until `sliceMs` has
 * passed (checked after each article) before it lets the event loop go (setImmediate) — so queries are answered between steps and the event-loop delay
 * stays around `sliceMs` while a bulk load is absorbed. An article is applied to both indexes in the same step,
 * from one snapshot (its stored row, or its absence), so it is never in one index and not the other; its entity
 * names go with them. The completions and story threads trail: an applied article is added to them once every
 * logged change is applied to the indexes (story answers say `complete: false` meanwhile), so that a large
 * transaction is searchable and similar-able sooner (they are ~15% of an article's apply). Queries never
 * apply changes; an article committed but not applied yet is answered by similarTo from its stored vector.
 * When a log was pruned past the host's position (more than 100,000 changes behind), the host rebuilds (one pause).
 */
export class IndexHost implements IndexPort {
  private readonly keyword: KeywordState | undefined;
  private readonly similarity: SimilarityState | undefined;
  private readonly entities: EntityNamesState | undefined;
  private readonly suggestions: SuggestState | undefined;
  private readonly storyState: StoryState | undefined;
  private readonly dataVersion: Database.Statement;
  private readonly logs: Log[] = [];
  private seenVersion = -1;
  private behind = true;
  private scheduled = false;
  private closed = false;
  private steps = 0;
  /** Articles named by the logs read so far and not applied yet (applied in order, a slice at a time). */
  private readonly queue = new Set<string>();
  /**
   * Articles applied to search, similarity and entity names whose completions and story threads follow: those two
   * trail, applied once the queue is empty, so that a large transaction is answered by search and similar sooner.
   */
  private readonly trailing = new Set<string>();
  /** Whether the last read of the logs filled its limit (more changes may follow). */
  private more = false;
  /** Set by sync(): the logs must be read again before the waiters can be released. */
  private rescan = false;
  private waiters: { after: number; resolve: () => void }[] = [];
  private readonly poller: NodeJS.Timeout | undefined;
  private readonly sliceMs: number;

  constructor(
    private readonly db: Database.Database,
    options: IndexHostOptions,
  ) {
    this.sliceMs = options.sliceMs ?? 5;
    this.keyword = options.keyword ? new KeywordState(db, options.synonyms) : undefined;
    this.similarity = options.similarity
      ? new SimilarityState(db, options.similarity.idfExponent, options.similarity.cacheEntries)
      : undefined;
    this.entities = options.entities ? new EntityNamesState(db) : undefined;
    this.suggestions = (options.suggestions ?? true) && this.similarity && this.entities ? new SuggestState(db) : undefined;
    const stories = options.stories ?? true;
    this.storyState =
      stories && this.similarity ? new StoryState(this.similarity, stories === true ? undefined : stories, copyGroupReader(db)) : undefined;
    if (this.keyword) this.logs.push(log(db, 'article_changes', this.keyword));
    if (this.similarity) this.logs.push(log(db, 'sim_changes', this.similarity));
    if (this.entities) this.logs.push(log(db, 'ent_changes', this.entities));
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
    this.rebuild();
    if (options.background ?? true) {
      this.poller = setInterval(() => this.poll(), options.pollMs ?? 5);
      this.poller.unref();
    }
  }

  async rank(request: SearchRequest): Promise<RankedPage> {
    return this.rankNow(request);
  }

  /**
   * {@link rank}, synchronously (this process's own host: benchmarks). With `aboutNamed`, the entities the query
   * names are found in this host's entity names, as the service would (services/search-articles.ts).
   */
  rankNow(request: SearchRequest): RankedPage {
    return this.keywordState().rank(this.withNamed(request));
  }

  /**
   * Every match in result order as store keys: one ranking, done in slices of at most `sliceMs` with the event loop
   * let go in between (as the catch-up is), so the searches that arrive meanwhile are answered between slices. The
   * first slice places the candidates in their buckets in one piece (what a search of the same words does); the
   * scoring and the sort of each bucket follow in slices (core/keyword/rank.ts, `orderInSteps`). The walk stops
   * (EngineUnavailableError) at the first slice where `abandoned` is true.
   */
  rankOrder(request: WholeSearch, abandoned?: () => boolean): Promise<KeyOrder> {
    try {
      return this.inSlices(this.keywordState().orderInSteps(this.withNamed({ ...request, page: 1, perPage: 1, facets: [] })), abandoned);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  get namesEntities(): boolean {
    return this.entities !== undefined;
  }

  async similarTo(id: string, query: SimilarQuery): Promise<SimilarAnswer | undefined> {
    return this.similarityState().similarTo(id, query);
  }

  async similarToCounts(counts: TermCountList, query: SimilarQuery): Promise<SimilarArticle[]> {
    return this.similarityState().similarToCounts(counts, query);
  }

  async suggestEntities(q: string, kind: EntityKind | undefined, limit: number): Promise<EntitySuggestion[]> {
    return this.entityNames().suggestNow(q, kind, limit);
  }

  async namedEntities(text: string): Promise<EntitySuggestion[]> {
    return this.entityNames().namedNow(text);
  }

  async suggestQueries(q: string, limit: number): Promise<Suggestion[]> {
    if (!this.suggestions) throw new EngineUnavailableError('this index host keeps no query suggestions');
    return this.suggestions.suggest(q, limit);
  }

  async resolveEntity(kind: EntityKind, text: string): Promise<EntityResolution> {
    return this.entityNames().resolveNow(kind, text);
  }

  async entityCounts(): Promise<Record<EntityKind, number>> {
    return this.entityNames().counts();
  }

  async entityArticles(refs: readonly EntityKey[]): Promise<number[]> {
    return this.entityNames().articlesOfNow(refs);
  }

  async significantTerms(ids: readonly string[], limit: number): Promise<SignificantTerms> {
    return this.similarityState().significantTerms(ids, limit);
  }

  async storyOf(id: string, limit: number): Promise<StoryThread | undefined> {
    return this.storyThreads().thread(id, limit);
  }

  async stories(query: StoriesQuery): Promise<StoryList> {
    return this.storyThreads().stories(query);
  }

  async generation(): Promise<number> {
    return this.similarityState().generation();
  }

  sync(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push({ after: this.steps, resolve });
      this.behind = true;
      this.rescan = true; // read the logs again even when a slice is mid-queue: the caller's commit is not in it
      this.schedule();
    });
  }

  notify(): void {
    this.behind = true;
    this.schedule();
  }

  /**
   * Applies at most one slice (`sliceMs`) of pending changes now; true when every change committed before the
   * call is applied. The background loop runs it; a host made with `background: false` is stepped by its owner.
   */
  catchUpSlice(): boolean {
    const version = this.dataVersion.get() as number;
    if (version !== this.seenVersion) {
      this.seenVersion = version;
      this.behind = true;
    }
    const deadline = performance.now() + this.sliceMs;
    // a slice that applies changes, or ends read-your-writes waits, leaves compaction to the next one: the waits'
    // answers go out before it (their callbacks run once this slice's task ends)
    const idle = !this.behind;
    while (this.behind) {
      this.behind = this.step(deadline);
      this.steps++;
      if (performance.now() >= deadline) break;
    }
    if (!this.behind) this.release();
    if (idle) this.compactUntil(deadline);
    return !this.behind;
  }

  close(): void {
    this.closed = true;
    if (this.poller) clearInterval(this.poller);
    this.release(true);
  }

  private poll(): void {
    if (this.closed || this.scheduled) return;
    const version = this.dataVersion.get() as number;
    if (version !== this.seenVersion || this.behind || this.compacting) this.schedule();
  }

  /** Whether an index's compaction is under way (begun by removals: KeywordIndex and SimilarityIndex.compactSome). */
  private get compacting(): boolean {
    return (this.keyword?.compacting ?? false) || (this.similarity?.compacting ?? false);
  }

  /**
   * A compaction under way goes on in slices that have no change to apply (catchUpSlice): housekeeping never delays
   * a change, nor a read-your-writes wait.
   */
  private compactUntil(deadline: number): void {
    while (this.compacting && performance.now() < deadline) {
      this.keyword?.compactSome(COMPACT_STEP_ENTRIES);
      this.similarity?.compactSome(COMPACT_STEP_ENTRIES);
    }
  }

  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.closed) return;
      if (!this.catchUpSlice() || this.compacting) this.schedule();
    });
  }

  /**
   * One read transaction: when no article is queued, the next changes of each log are read and the articles they
   * name queued; then queued articles are applied to every index, each from this snapshot, until `deadline`.
   * True when more work may follow.
   */
  private step(deadline: number): boolean {
    return this.db.transaction(() => {
      if (this.queue.size === 0 || this.rescan) {
        this.rescan = false;
        if (this.logs.some((l) => l.pruned())) {
          this.rebuildNow();
          return this.storyState?.building ?? false; // the story threads are built again in the next steps
        }
        this.more = false;
        for (const l of this.logs) this.more = l.next(STEP_CHANGES, this.queue) || this.more;
        this.similarity?.loadTerms();
      }
      const trails = this.suggestions !== undefined || this.storyState !== undefined;
      for (const id of this.queue) {
        this.queue.delete(id);
        this.keyword?.apply(id);
        this.similarity?.apply(id);
        this.entities?.apply(id);
        if (trails) {
          this.trailing.add(id);
          this.storyState?.defer(id);
        }
        if (performance.now() >= deadline) break;
      }
      this.entities?.settle(!this.more && this.queue.size === 0);
      if (this.queue.size > 0) return true;
      this.similarity?.settle();
      if (this.more) return true; // the logs first: every change committed is searchable before the trailing parts
      for (const id of this.trailing) {
        this.trailing.delete(id);
        this.suggestions?.apply(id);
        this.storyState?.apply(id);
        if (performance.now() >= deadline) return this.trailing.size > 0 || (this.storyState?.building ?? false);
      }
      // the story build after a (re)build goes on in the time left; it never delays a change being applied
      if (this.storyState?.building && !this.storyState.advance(deadline)) return true;
      return this.more;
    })();
  }

  private rebuild(): void {
    this.db.transaction(() => this.rebuildNow())();
    this.seenVersion = this.dataVersion.get() as number;
    this.behind = this.storyState?.building ?? false; // the story threads are built in the background
  }

  private rebuildNow(): void {
    this.queue.clear();
    this.trailing.clear();
    for (const l of this.logs) l.skipToEnd();
    this.keyword?.rebuild();
    this.similarity?.rebuild();
    this.entities?.rebuild();
    this.suggestions?.rebuild();
    this.storyState?.rebuild();
  }

  /** Resolves the sync() calls made before the last step began (all of them when closing). */
  private release(all = false): void {
    const done = this.steps;
    const still: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (all || w.after < done) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
    if (still.length > 0) {
      this.behind = true;
      this.schedule();
    }
  }

  /**
   * Runs `steps` to its end, at most `sliceMs` at a time, with the event loop let go in between (setImmediate, as
   * the catch-up slices are). Rejects with EngineUnavailableError when the host closes before the end, or when
   * `abandoned` is true before a slice (the generator is returned: its scratch is released).
   */
  private inSlices<T>(steps: Generator<void, T>, abandoned?: () => boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const slice = (): void => {
        if (this.closed || abandoned?.()) {
          steps.return(undefined as T);
          reject(new EngineUnavailableError(this.closed ? 'the index host closed' : 'the caller stopped waiting for this order', { retryAfterSeconds: 1 }));
          return;
        }
        try {
          const deadline = performance.now() + this.sliceMs;
          for (let step = steps.next(); ; step = steps.next()) {
            if (step.done) return resolve(step.value);
            if (performance.now() >= deadline) break;
          }
          setImmediate(slice);
        } catch (error) {
          reject(error as Error);
        }
      };
      slice();
    });
  }

  /** With `aboutNamed`, the request with the entities the query names (this host's entity names) as `about`. */
  private withNamed(request: SearchRequest): SearchRequest {
    if (!request.aboutNamed) return request;
    const text = namedText(request.q);
    const named = text === undefined || !this.entities ? [] : this.entities.namedNow(text);
    return { ...request, about: named.map((e): EntityRef => ({ kind: e.kind, name: e.name })) };
  }

  private keywordState(): KeywordState {
    if (!this.keyword) throw new EngineUnavailableError('this index host keeps no keyword index');
    return this.keyword;
  }

  private entityNames(): EntityNamesState {
    if (!this.entities) throw new EngineUnavailableError('this index host keeps no entity names');
    return this.entities;
  }

  private storyThreads(): StoryState {
    if (!this.storyState) throw new EngineUnavailableError('this index host keeps no story threads');
    return this.storyState;
  }

  private similarityState(): SimilarityState {
    if (!this.similarity) throw new EngineUnavailableError('this index host keeps no similarity index');
    return this.similarity;
  }
}

/** A change log the host follows: `seq INTEGER PRIMARY KEY AUTOINCREMENT, pk` (a row key or an article id), filled by triggers. */
interface Log {
  /** True when entries after the host's position were pruned (it must rebuild). */
  pruned(): boolean;
  /** Reads up to `limit` entries after the position into `ids`; true when more may follow. */
  next(limit: number, ids: Set<string>): boolean;
  skipToEnd(): void;
}

function log<K>(db: Database.Database, table: string, state: { idOfKey(pk: K): string | undefined }): Log {
  // two sub-queries: SQLite reads min() or max() of the key from the b-tree's edge only when it is the query's one aggregate
  const bounds = db.prepare(`SELECT (SELECT min(seq) FROM ${table}) AS lo, (SELECT max(seq) FROM ${table}) AS hi`);
  const changes = db.prepare(`SELECT seq, pk FROM ${table} WHERE seq > ? ORDER BY seq LIMIT ?`).raw();
  let last = 0;
  return {
    pruned: () => {
      const { lo } = bounds.get() as { lo: number | null };
      return lo !== null && lo > last + 1;
    },
    next: (limit, ids) => {
      const rows = changes.all(last, limit) as [number, K][];
      for (const [seq, pk] of rows) {
        last = seq;
        const id = state.idOfKey(pk);
        if (id !== undefined) ids.add(id);
      }
      return rows.length === limit;
    },
    skipToEnd: () => {
      last = (bounds.get() as { hi: number | null }).hi ?? 0;
    },
  };
}
