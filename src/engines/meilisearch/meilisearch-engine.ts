import type { Index, SearchParams } from 'meilisearch';
import type { Article } from '../../core/article.js';
import { EngineUnavailableError } from '../../core/errors.js';
import type { SynonymMap } from '../../core/keyword/synonyms.js';
import { parseQuery } from '../../core/query-parser.js';
import type { DeliveryOutcome, EngineOperation, OperationSink } from '../../services/engine-outbox.js';
import type { EngineStats, HitArticle, SearchEngine, SearchRequest, SearchResult, WholeSearch, WriteSummary } from '../search-engine.js';
import type { MeiliDocument } from './document.js';
import { fromDocument, payloadBatches, toDocument } from './document.js';
import { meiliErrorCode, toAppError } from './errors.js';
import { deliverOperation } from './outbox-delivery.js';
import { IndexedAtClock, tombstoneIndex } from './mirror-fields.js';
import { DEFAULT_TOMBSTONE_RETENTION_DAYS, TombstoneRetention } from './tombstone-retention.js';
import { prepareTombstoneIndex } from './tombstone-index.js';
import { MeiliMirrorSource } from './mirror-source.js';
import type { MirrorSource } from '../../services/mirror.js';
import { idFilter, quoteValue } from './filter-expression.js';
import { KeySource } from './key-source.js';
import type { MeiliKeys } from './key-source.js';
import type { KeyRole } from './keys.js';
import { aboutFirstKeys, searchAboutFirst } from './about-first.js';
import { freshFirst } from './fresh-first.js';
import { toSearchParams, toSearchResult } from './search-translation.js';
import { DESIRED_SETTINGS, desiredSettings, settingsToUpdate } from './settings.js';
import { succeeded } from './tasks.js';
import type { TaskWait } from './tasks.js';

/** How the Meilisearch adapter connects and behaves. */
export interface MeilisearchEngineOptions {
  readonly url: string;
  /** The index uid (default in config: `articles`). */
  readonly index: string;
  readonly keys: MeiliKeys;
  /**
   * `api`: reads with the search key (given, or bootstrapped from the master key), writes (POST /api/articles)
   * with the admin key, no retries (a client gets 503 at once); `indexer`: everything with the admin key, and
   * writes retried on EngineUnavailableError with exponential backoff.
   */
  readonly role: 'api' | 'indexer';
  /** Milliseconds to wait for one task (default 60,000). */
  readonly taskTimeoutMs?: number;
  /** Milliseconds between task polls (default 50). */
  readonly taskIntervalMs?: number;
  /** Milliseconds before one HTTP request counts as failed (default 5,000). */
  readonly requestTimeoutMs?: number;
  /** Retries of a write after EngineUnavailableError (default: 5 for the indexer, 0 for the API). */
  readonly writeRetries?: number;
  /** First backoff delay in ms, doubled on each retry (default 500). */
  readonly retryBaseMs?: number;
  /** Largest JSON body of one document addition (default MAX_PAYLOAD_BYTES in document.ts). */
  readonly maxPayloadBytes?: number;
  /** Waits between retries (tests pass a fake). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Synonyms written to the index's settings (SYNONYMS_FILE; default: the built-in news aliases). */
  readonly synonyms?: SynonymMap;
  /** Days a tombstone is kept for replicas (MEILI_TOMBSTONE_RETENTION_DAYS; see tombstone-retention.ts). */
  readonly tombstoneRetentionDays?: number;
  /** The wall clock of the stamps and of tombstone retention, in ms (default Date.now; tests pass a moved one). */
  readonly now?: () => number;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The Meilisearch adapter. Connection, keys and index settings are prepared lazily and again after a failure, so
 * the process starts while Meilisearch is down and recovers by itself when it comes back. Every write waits for
 * its task (see tasks.ts) before it returns.
 */
export class MeilisearchEngine implements SearchEngine, OperationSink {
  private readonly task: TaskWait;
  private readonly keys: KeySource;
  private prepared: Promise<void> | undefined;
  private tombstonesPrepared: Promise<Index<Record<string, unknown>>> | undefined;
  private readonly clock: IndexedAtClock;
  private readonly retention: TombstoneRetention;
  private closed = false;

  constructor(private readonly options: MeilisearchEngineOptions) {
    this.task = { timeoutMs: options.taskTimeoutMs ?? 60_000, intervalMs: options.taskIntervalMs ?? 50 };
    this.clock = new IndexedAtClock(options.now);
    this.retention = new TombstoneRetention(options.tombstoneRetentionDays ?? DEFAULT_TOMBSTONE_RETENTION_DAYS, options.now);
    const timeoutMs = options.requestTimeoutMs ?? 5_000;
    this.keys = new KeySource(options.keys, { url: options.url, index: options.index, timeoutMs });
  }

  /**
   * Sends only the articles whose stored `contentHash` differs (one documents fetch by id first). One task per call,
   * so atomic, unless the changed documents exceed `maxPayloadBytes` of JSON: then one task per body, in order.
   */
  async upsert(articles: readonly Article[]): Promise<WriteSummary> {
    const docs = new Map(articles.map((a) => [a.id, toDocument(a)]));
    if (docs.size === 0) return { indexed: 0, unchanged: 0, deleted: 0 };
    return this.writing(async (index) => {
      const stored = await this.storedHashes(index, [...docs.keys()]);
      const changed = [...docs.values()].filter((d) => stored.get(d.id) !== d.contentHash);
      for (const batch of payloadBatches(changed, this.options.maxPayloadBytes)) {
        const added = index.addDocuments(batch as unknown as Record<string, unknown>[], { primaryKey: 'id' });
        await succeeded(added, this.task, `adding ${batch.length} documents`);
      }
      return { indexed: changed.length, unchanged: docs.size - changed.length, deleted: 0 };
    });
  }

  async delete(ids: readonly string[]): Promise<WriteSummary> {
    if (ids.length === 0) return { indexed: 0, unchanged: 0, deleted: 0 };
    return this.writing(async (index) => {
      const present = [...(await this.storedHashes(index, [...new Set(ids)])).keys()];
      if (present.length > 0) {
        await succeeded(index.deleteDocuments(present), this.task, `deleting ${present.length} documents`);
      }
      return { indexed: 0, unchanged: 0, deleted: present.length };
    });
  }

  async clear(): Promise<WriteSummary> {
    return this.writing(async (index) => {
      const { articles } = await this.stats();
      await succeeded(index.deleteAllDocuments(), this.task, 'deleting every document');
      return { indexed: 0, unchanged: 0, deleted: articles };
    });
  }

  /**
   * Sends one outbox operation (services/engine-outbox.ts) as one task with the admin key and waits for it, with no
   * retry of its own (the deliverer retries): a failed task or a refused payload is an outcome, never thrown.
   */
  async deliver(operation: EngineOperation): Promise<DeliveryOutcome> {
    this.open();
    const index = await this.index('admin');
    try {
      await this.prepare(index);
    } catch (error) {
      throw toAppError(error, 'preparing the index');
    }
    return deliverOperation(index, operation, this.task, { clock: this.clock, tombstones: () => this.tombstones(), retention: this.retention });
  }

  /** What a replica's mirror reads of the index and its tombstones (services/mirror-follower.ts), with the read key. */
  mirrorSource(): MirrorSource {
    return new MeiliMirrorSource((which, what, work) => this.reading(what, work, which));
  }

  /** A page of the stored articles in Meilisearch's document order (`offset` from 0), for reconcile; [] past the end. */
  async documents(offset: number, limit: number): Promise<Article[]> {
    const page = await this.reading('documents', (index) => index.getDocuments<Record<string, unknown>>({ offset, limit }));
    return (page?.results ?? []).map(fromDocument);
  }

  async get(id: string): Promise<Article | undefined> {
    const response = await this.reading('get', (index) => index.search('', { filter: `id = ${quoteValue(id)}`, limit: 1 }));
    const hit = response?.hits[0];
    return hit === undefined ? undefined : fromDocument(hit);
  }

  /** One search, or two parts when entities' articles come first (see about-first.ts); empty before any write. */
  async search(request: SearchRequest): Promise<SearchResult> {
    const keys = aboutFirstKeys(request);
    const result = await this.reading('search', async (index) => {
      const plain = (q: string, params: SearchParams) => index.search<Record<string, unknown>>(q, params);
      const search = request.freshness && request.sort === 'relevance' && parseQuery(request.q).terms.length > 0
        ? freshFirst(plain, request.freshness)
        : plain;
      if (keys !== undefined) {
        try {
          return await searchAboutFirst(request, keys, search);
        } catch (error) {
          // an index whose settings predate `about` (the indexer's next write adds it) answers in the plain order
          if (meiliErrorCode(error) !== 'invalid_search_filter') throw error;
        }
      }
      const { q, ...params } = toSearchParams(request);
      return toSearchResult(request, await search(q, params));
    });
    if (result !== undefined) return result;
    const facets = Object.fromEntries(request.facets.map((f) => [f, {}]));
    return { hits: [], totalHits: 0, page: request.page, perPage: request.perPage, totalPages: 0, facets };
  }

  /**
   * Every result, read page by page (`batch` per page) with {@link search}: Meilisearch ranks by itself and keeps no
   * order between calls, so a write between two pages may shift later results. Ends at the first short page or
   * once `totalHits` are read (Meilisearch's maxTotalHits caps both); the event loop is let go between pages.
   */
  async *allResults(request: WholeSearch, batch: number, abandoned: () => boolean = () => false): AsyncGenerator<readonly HitArticle[]> {
    let read = 0;
    for (let page = 1; ; page++) {
      if (page > 1) await new Promise((resolve) => setImmediate(resolve));
      if (abandoned()) return;
      const result = await this.search({ ...request, page, perPage: batch, facets: [] });
      yield result.hits.map(({ article: { body: _body, salience: _salience, ...article } }) => article);
      read += result.hits.length;
      if (result.hits.length < batch || read >= result.totalHits) return;
    }
  }

  /** Counts with a search (the search key has no `stats.get`): exact up to the index's maxTotalHits. */
  async stats(): Promise<EngineStats> {
    const response = await this.reading('stats', (index) => index.search('', { page: 1, hitsPerPage: 0 }));
    return { engine: 'meilisearch', articles: response?.totalHits ?? 0 };
  }

  /** Nothing to wait for here: a write is searchable once Meilisearch has processed its task (see the outbox). */
  async sync(): Promise<void> {}

  /** The service finds the entities a query names (in the index host) and passes them as `about`. */
  findsNamedEntities(): boolean {
    return false;
  }

  async health(): Promise<void> {
    this.open();
    try {
      await this.keys.client(undefined).health(); // /health needs no key
    } catch (error) {
      throw toAppError(error, 'health');
    }
    await this.stats(); // the key and the index answer too
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private open(): void {
    if (this.closed) throw new EngineUnavailableError('the Meilisearch engine is closed');
  }

  private async index(role: KeyRole, which: 'articles' | 'tombstones' = 'articles'): Promise<Index<Record<string, unknown>>> {
    const uid = which === 'articles' ? this.options.index : tombstoneIndex(this.options.index);
    return this.keys.client(await this.keys.key(role)).index(uid);
  }

  /** The tombstone index with the admin key, created with its settings once per engine (again after a failure). */
  private tombstones(): Promise<Index<Record<string, unknown>>> {
    if (this.tombstonesPrepared === undefined) {
      this.tombstonesPrepared = this.prepareTombstones();
      this.tombstonesPrepared.catch(() => (this.tombstonesPrepared = undefined));
    }
    return this.tombstonesPrepared;
  }

  private async prepareTombstones(): Promise<Index<Record<string, unknown>>> {
    const client = this.keys.client(await this.keys.key('admin'));
    return prepareTombstoneIndex(client, tombstoneIndex(this.options.index), this.task);
  }

  /** Reads use the search key in the API; elsewhere the admin key when there is one (else the search key). */
  private readRole(): KeyRole {
    return this.options.role === 'api' || !this.keys.canWrite() ? 'search' : 'admin';
  }

  /** Runs a read with the role's read key; a missing index reads as empty (undefined). */
  private async reading<T>(
    what: string,
    work: (index: Index<Record<string, unknown>>) => Promise<T>,
    which: 'articles' | 'tombstones' = 'articles',
  ): Promise<T | undefined> {
    this.open();
    const index = await this.index(this.readRole(), which);
    try {
      return await work(index);
    } catch (error) {
      if (meiliErrorCode(error) === 'index_not_found') return undefined;
      throw toAppError(error, what);
    }
  }

  /** Runs a write with the admin key once the index and its settings are in place, retrying while unavailable. */
  private async writing(work: (index: Index<Record<string, unknown>>) => Promise<WriteSummary>): Promise<WriteSummary> {
    const retries = this.options.writeRetries ?? (this.options.role === 'indexer' ? 5 : 0);
    for (let attempt = 0; ; attempt++) {
      this.open();
      try {
        const index = await this.index('admin');
        await this.prepare(index);
        return await work(index);
      } catch (raw) {
        const error = toAppError(raw, 'write');
        if (!(error instanceof EngineUnavailableError) || attempt >= retries) throw error;
        await (this.options.sleep ?? wait)(Math.min((this.options.retryBaseMs ?? 500) * 2 ** attempt, 30_000));
      }
    }
  }

  /** Creates the index when missing and applies the settings that differ, once per engine (again after a failure). */
  private prepare(index: Index<Record<string, unknown>>): Promise<void> {
    if (this.prepared === undefined) {
      this.prepared = this.applySettings(index);
      this.prepared.catch(() => (this.prepared = undefined));
    }
    return this.prepared;
  }

  private async applySettings(index: Index<Record<string, unknown>>): Promise<void> {
    let current = await this.settingsOf(index);
    if (current === undefined) {
      const creating = this.keys.client(await this.keys.key('admin')).createIndex(this.options.index, { primaryKey: 'id' });
      await succeeded(creating, this.task, `creating index ${this.options.index}`, ['index_already_exists']);
      current = (await this.settingsOf(index)) ?? {};
    }
    const update = settingsToUpdate(current, this.options.synonyms ? desiredSettings(this.options.synonyms) : DESIRED_SETTINGS);
    if (Object.keys(update).length > 0) {
      await succeeded(index.updateSettings(update as never), this.task, `updating settings (${Object.keys(update).join(', ')})`);
    }
  }

  /** The index's settings, or undefined when the index does not exist. */
  private async settingsOf(index: Index<Record<string, unknown>>): Promise<Record<string, unknown> | undefined> {
    try {
      return (await index.getSettings()) as Record<string, unknown>;
    } catch (error) {
      if (meiliErrorCode(error) === 'index_not_found') return undefined;
      throw toAppError(error, 'reading the index settings');
    }
  }

  /** The content hash stored for each of `ids` that the index holds. */
  private async storedHashes(index: Index<Record<string, unknown>>, ids: readonly string[]): Promise<Map<string, string>> {
    const stored = new Map<string, string>();
    try {
      const found = await index.getDocuments<Pick<MeiliDocument, 'id' | 'contentHash'>>({
        filter: idFilter(ids),
        fields: ['id', 'contentHash'],
        limit: ids.length,
      });
      for (const doc of found.results) stored.set(doc.id, doc.contentHash);
    } catch (error) {
      throw toAppError(error, 'reading content hashes');
    }
    return stored;
  }
}
