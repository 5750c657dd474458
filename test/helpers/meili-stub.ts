import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Meilisearch's HTTP API (https://www.meilisearch.com/docs/reference/api), for adapter tests on
 * machines without Meilisearch. It answers as the reference says — writes are 202 with an enqueued task summary;
 * `GET /tasks/{uid}` walks each task through `enqueued` → `processing` → `succeeded` or `failed` (one step per
 * poll, so tests are deterministic); errors are `{ message, code, type, link }`; with a master key, a missing
 * `Authorization` header is 401 `missing_authorization_header` and an unknown key 403 `invalid_api_key` — and records
 * every request. It stores documents and settings, but does not search: a search answers the documents its `id`
 * filter selects (or every document), paginated, unless a test sets {@link MeiliStub.onSearch}.
 */

/** One request as the stub received it. */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly authorization: string | undefined;
  readonly body: unknown;
}

type Json = Record<string, unknown>;
type TaskStatus = 'enqueued' | 'processing' | 'succeeded' | 'failed';

interface StubTask {
  readonly uid: number;
  readonly indexUid: string | null;
  readonly type: string;
  status: TaskStatus;
  error: Json | null;
  readonly enqueuedAt: string;
  /** Applies the task's effect; returns an error body when it cannot (the task then fails). */
  readonly apply: () => Json | void;
  readonly failWith: Json | null;
}

interface StubKey {
  readonly uid: string;
  readonly key: string;
  readonly name: string | null;
  readonly description: string | null;
  readonly actions: string[];
  readonly indexes: string[];
  readonly expiresAt: string | null;
}

interface StubIndex {
  readonly primaryKey: string | null;
  settings: Json;
  readonly docs: Map<string, Json>;
}

/** Settings of a new index, as Meilisearch v1.16 reports them (`GET /indexes/{uid}/settings`). */
export const DEFAULT_SETTINGS: Json = {
  displayedAttributes: ['*'],
  searchableAttributes: ['*'],
  filterableAttributes: [],
  sortableAttributes: [],
  rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness'],
  stopWords: [],
  nonSeparatorTokens: [],
  separatorTokens: [],
  dictionary: [],
  synonyms: {},
  distinctAttribute: null,
  proximityPrecision: 'byWord',
  typoTolerance: {
    enabled: true,
    minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 },
    disableOnWords: [],
    disableOnAttributes: [],
    disableOnNumbers: false,
  },
  faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { '*': 'alpha' } },
  pagination: { maxTotalHits: 1000 },
  searchCutoffMs: null,
  facetSearch: true,
  prefixSearch: 'indexingTime',
};

const clone = <T>(value: T): T => structuredClone(value);

/** Meilisearch merges a settings update into the current settings: objects field by field, lists replaced. */
function merge(current: Json, update: Json): Json {
  const out: Json = { ...current };
  for (const [key, value] of Object.entries(update)) {
    const have = out[key];
    const nested = value !== null && typeof value === 'object' && !Array.isArray(value);
    const into = have !== null && typeof have === 'object' && !Array.isArray(have);
    out[key] = nested && into ? merge(have as Json, value as Json) : clone(value);
  }
  return out;
}

/** The string literals of a filter such as `id IN ["a", "b\"c"]` or `id = "x"`, unescaped. */
export function quotedValues(filter: string): string[] {
  const values: string[] = [];
  for (const m of filter.matchAll(/"((?:[^"\\]|\\.)*)"/g)) values.push(m[1]!.replace(/\\(.)/g, '$1'));
  return values;
}

/**
 * As Meilisearch answers a filter on an attribute that is not filterable: 400 `invalid_search_filter`. The attributes
 * are the words before a comparison operator once the quoted values are taken out.
 */
function checkFilterable(settings: Json, filter: unknown): void {
  if (typeof filter !== 'string') return;
  const filterable = new Set(settings.filterableAttributes as string[]);
  const bare = filter.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const m of bare.matchAll(/([A-Za-z_][\w.]*)\s+(?:NOT IN|IN|=|!=|>=|<=|<|>)\s/g)) {
    if (!filterable.has(m[1]!)) {
      throw new ApiError(400, 'invalid_search_filter', `Attribute \`${m[1]}\` is not filterable. Available filterable attributes are: \`${[...filterable].join(', ')}\`.`);
    }
  }
}

/** Thrown inside a handler to answer with a Meilisearch error body. */
class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly type = 'invalid_request') {
    super(message);
  }
}

export class MeiliStub {
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  /** While set, every route (also /health) answers 503 with this Retry-After (seconds), as a proxy or a starting node. */
  unavailable: { retryAfter: number } | undefined;
  /** Milliseconds every answer is held back (a slow Meilisearch). */
  delayMs = 0;
  /** While true, tasks stay `processing` forever (to test the task timeout). */
  stallTasks = false;
  /**
   * While set, a document addition holding a document it matches fails whole (`invalid_document_fields`), as
   * Meilisearch fails a batch with one invalid document; nothing of it is applied.
   */
  invalidDocument: ((doc: Json) => boolean) | undefined;
  /** Answers searches instead of the default (documents selected by an `id` filter); gets the request body. */
  onSearch: ((body: Json, docs: Json[]) => Json) | undefined;

  private server: http.Server | undefined;
  private port = 0;
  private readonly indexes = new Map<string, StubIndex>();
  private readonly tasks: StubTask[] = [];
  private readonly keys: StubKey[] = [];
  private readonly failures: { type: string; error: Json }[] = [];

  /** `masterKey`: require keys as a Meilisearch started with one does; undefined: every request is allowed. */
  constructor(private readonly masterKey?: string) {}

  /** Starts listening on 127.0.0.1 (on the previous port after {@link stop}, so that a client can reconnect). */
  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this.url;
  }

  /** Stops listening and drops open connections; the stored state is kept for a later {@link start}. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The next task of `type` (e.g. `documentAdditionOrUpdate`) fails with this error object. */
  failNextTask(type: string, code: string, message: string): void {
    this.failures.push({ type, error: this.errorBody(code, message) });
  }

  /** Adds a key as if created earlier; returns its value. */
  addKey(key: Omit<StubKey, 'uid' | 'key'>): string {
    const uid = `00000000-0000-4000-8000-${String(this.keys.length + 1).padStart(12, '0')}`;
    const value = `stub-key-${this.keys.length + 1}-${uid}`;
    this.keys.push({ ...key, uid, key: value });
    return value;
  }

  /** The keys created or added so far (values included: tests compare them with Authorization headers). */
  listKeys(): readonly StubKey[] {
    return this.keys;
  }

  /** The stored documents of an index. */
  documents(index: string): Json[] {
    return [...(this.indexes.get(index)?.docs.values() ?? [])].map(clone);
  }

  /** Changes an index's settings in place, as an earlier version of the adapter may have left them. */
  changeSettings(index: string, change: (settings: Json) => Json): void {
    const found = this.indexes.get(index);
    if (!found) throw new Error(`no index ${index}`);
    found.settings = change(clone(found.settings));
  }

  /** Rewrites one stored document in place, as an earlier version of the adapter may have written it. */
  rewriteDocument(index: string, id: string, change: (doc: Json) => Json): void {
    const docs = this.indexes.get(index)?.docs;
    const doc = docs?.get(id);
    if (!docs || !doc) throw new Error(`no document ${id} in ${index}`);
    docs.set(id, change(clone(doc)));
  }

  /** The current settings of an index, or undefined when it does not exist. */
  settings(index: string): Json | undefined {
    const found = this.indexes.get(index);
    return found ? clone(found.settings) : undefined;
  }

  /** Requests whose path matches, without the task polls unless asked. */
  requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
  }

  private errorBody(code: string, message: string, type = 'invalid_request'): Json {
    return { message, code, type, link: `https://docs.meilisearch.com/errors#${code}` };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const body: unknown = raw === '' ? undefined : JSON.parse(raw);
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      body,
    };
    this.requests.push(recorded);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    };
    if (this.unavailable) {
      send(503, this.errorBody('service_unavailable', 'Meilisearch is starting', 'system'), {
        'retry-after': String(this.unavailable.retryAfter),
      });
      return;
    }
    try {
      const [status, payload] = this.route(recorded);
      send(status, payload);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      send(error.status, this.errorBody(error.code, error.message, error.type));
    }
  }

  /** Checks the key against the route's action, as Meilisearch does once a master key is set. */
  private authorize(request: RecordedRequest, action: string, index: string | null): void {
    if (this.masterKey === undefined || request.path === '/health') return;
    const header = request.authorization;
    if (header === undefined) {
      throw new ApiError(401, 'missing_authorization_header', 'The Authorization header is missing.', 'auth');
    }
    const value = header.replace(/^Bearer /, '');
    if (value === this.masterKey) return;
    const key = this.keys.find((k) => k.key === value);
    const actionOk = key?.actions.includes('*') || key?.actions.includes(action);
    const indexOk = index === null || key?.indexes.includes('*') || key?.indexes.includes(index);
    if (!key || action === 'keys' || !actionOk || !indexOk) {
      throw new ApiError(403, 'invalid_api_key', 'The provided API key is invalid.', 'auth');
    }
  }

  private enqueue(indexUid: string | null, type: string, apply: () => Json | void): [number, Json] {
    const failure = this.failures.findIndex((f) => f.type === type);
    const failWith = failure === -1 ? null : this.failures.splice(failure, 1)[0]!.error;
    const task: StubTask = {
      uid: this.tasks.length,
      indexUid,
      type,
      status: 'enqueued',
      error: null,
      enqueuedAt: new Date().toISOString(),
      apply,
      failWith,
    };
    this.tasks.push(task);
    return [202, { taskUid: task.uid, indexUid, status: 'enqueued', type, enqueuedAt: task.enqueuedAt }];
  }

  /** One poll moves a task one step: enqueued → processing → succeeded (its effect applied) or failed. */
  private advance(task: StubTask): void {
    if (this.stallTasks) {
      task.status = 'processing';
      return;
    }
    if (task.status === 'enqueued') task.status = 'processing';
    else if (task.status === 'processing') {
      const error = task.failWith ?? this.applied(task);
      task.status = error ? 'failed' : 'succeeded';
      task.error = error ?? null;
    }
  }

  /** Runs a task's effect; an index that vanished fails the task, as in Meilisearch. */
  private applied(task: StubTask): Json | void {
    try {
      return task.apply();
    } catch (error) {
      if (error instanceof ApiError) return this.errorBody(error.code, error.message, error.type);
      throw error;
    }
  }

  private taskView(task: StubTask): Json {
    const done = task.status === 'succeeded' || task.status === 'failed';
    return {
      uid: task.uid,
      batchUid: task.status === 'enqueued' ? null : task.uid,
      indexUid: task.indexUid,
      status: task.status,
      type: task.type,
      canceledBy: null,
      details: {},
      error: task.error,
      duration: done ? 'PT0.001S' : null,
      enqueuedAt: task.enqueuedAt,
      startedAt: task.status === 'enqueued' ? null : task.enqueuedAt,
      finishedAt: done ? task.enqueuedAt : null,
    };
  }

  private index(uid: string): StubIndex {
    const found = this.indexes.get(uid);
    if (!found) throw new ApiError(404, 'index_not_found', `Index \`${uid}\` not found.`);
    return found;
  }

  private createIndex(uid: string, primaryKey: string | null): void {
    if (!this.indexes.has(uid)) this.indexes.set(uid, { primaryKey, settings: clone(DEFAULT_SETTINGS), docs: new Map() });
  }

  private route(r: RecordedRequest): [number, unknown] {
    const body = (r.body ?? {}) as Json;
    if (r.method === 'GET' && r.path === '/health') return [200, { status: 'available' }];
    if (r.path === '/keys') return this.keysRoute(r, body);
    const task = /^\/tasks\/(\d+)$/.exec(r.path);
    if (task && r.method === 'GET') {
      const found = this.tasks[Number(task[1])];
      this.authorize(r, 'tasks.get', found?.indexUid ?? null);
      if (!found) throw new ApiError(404, 'task_not_found', `Task \`${task[1]}\` not found.`);
      const view = this.taskView(found);
      this.advance(found);
      return [200, view];
    }
    if (r.method === 'POST' && r.path === '/indexes') {
      const uid = String(body.uid);
      this.authorize(r, 'indexes.create', uid);
      return this.enqueue(uid, 'indexCreation', () => {
        if (this.indexes.has(uid)) return this.errorBody('index_already_exists', `Index \`${uid}\` already exists.`);
        this.createIndex(uid, (body.primaryKey as string | undefined) ?? null);
      });
    }
    const match = /^\/indexes\/([^/]+)(\/.*)?$/.exec(r.path);
    if (!match) throw new ApiError(404, 'not_found', `No route ${r.method} ${r.path}.`);
    return this.indexRoute(r, decodeURIComponent(match[1]!), match[2] ?? '', body);
  }

  private keysRoute(r: RecordedRequest, body: Json): [number, unknown] {
    this.authorize(r, 'keys', null);
    if (r.method === 'GET') {
      const offset = Number(r.query.offset ?? 0);
      const limit = Number(r.query.limit ?? 20);
      return [200, { results: this.keys.slice(offset, offset + limit), offset, limit, total: this.keys.length }];
    }
    const value = this.addKey({
      name: (body.name as string | undefined) ?? null,
      description: (body.description as string | undefined) ?? null,
      actions: body.actions as string[],
      indexes: body.indexes as string[],
      expiresAt: (body.expiresAt as string | null | undefined) ?? null,
    });
    return [201, this.keys.find((k) => k.key === value)];
  }

  private indexRoute(r: RecordedRequest, uid: string, rest: string, body: Json): [number, unknown] {
    const route = `${r.method} ${rest}`;
    if (route === 'GET ') {
      this.authorize(r, 'indexes.get', uid);
      const index = this.index(uid);
      return [200, { uid, primaryKey: index.primaryKey }];
    }
    if (route === 'GET /settings') {
      this.authorize(r, 'settings.get', uid);
      return [200, clone(this.index(uid).settings)];
    }
    if (route === 'PATCH /settings') {
      this.authorize(r, 'settings.update', uid);
      return this.enqueue(uid, 'settingsUpdate', () => {
        this.createIndex(uid, null);
        const index = this.index(uid);
        index.settings = merge(index.settings, body);
      });
    }
    if (route === 'POST /documents') {
      this.authorize(r, 'documents.add', uid);
      const docs = r.body as Json[];
      const invalid = this.invalidDocument;
      return this.enqueue(uid, 'documentAdditionOrUpdate', () => {
        this.createIndex(uid, r.query.primaryKey ?? 'id');
        const bad = invalid && docs.find(invalid);
        if (bad) return this.errorBody('invalid_document_fields', `document ${String(bad.id)} is invalid`);
        for (const doc of docs) this.index(uid).docs.set(String(doc.id), clone(doc));
      });
    }
    if (route === 'POST /documents/delete-batch') {
      this.authorize(r, 'documents.delete', uid);
      const ids = (r.body as unknown[]).map(String);
      return this.enqueue(uid, 'documentDeletion', () => {
        for (const id of ids) this.index(uid).docs.delete(id);
      });
    }
    if (route === 'GET /documents') {
      this.authorize(r, 'documents.get', uid);
      const offset = Number(r.query.offset ?? 0);
      const limit = Number(r.query.limit ?? 20);
      const all = [...this.index(uid).docs.values()];
      return [200, { results: all.slice(offset, offset + limit).map(clone), offset, limit, total: all.length }];
    }
    if (route === 'POST /documents/fetch') {
      this.authorize(r, 'documents.get', uid);
      const selected = this.selected(this.index(uid), body.filter);
      const fields = body.fields as string[] | undefined;
      const offset = Number(body.offset ?? 0);
      const limit = Number(body.limit ?? 20);
      const results = selected
        .slice(offset, offset + limit)
        .map((d) => (fields ? Object.fromEntries(fields.filter((f) => f in d).map((f) => [f, d[f]])) : d));
      return [200, { results, offset, limit, total: selected.length }];
    }
    if (route === 'POST /search') {
      this.authorize(r, 'search', uid);
      const index = this.index(uid);
      checkFilterable(index.settings, body.filter);
      if (this.onSearch) return [200, this.onSearch(body, [...index.docs.values()].map(clone))];
      return [200, this.defaultSearch(body, this.selected(index, body.filter))];
    }
    throw new ApiError(404, 'not_found', `No route ${r.method} ${r.path}.`);
  }

  /** Documents an `id = "…"` or `id IN […]` filter selects; every document without a filter. */
  private selected(index: StubIndex, filter: unknown): Json[] {
    const all = [...index.docs.values()].map(clone);
    if (filter === undefined) return all;
    if (typeof filter !== 'string' || !/^id (=|IN) /.test(filter)) {
      throw new Error(`the stub evaluates only id filters, not ${JSON.stringify(filter)}`);
    }
    const ids = new Set(quotedValues(filter));
    return all.filter((d) => ids.has(String(d.id)));
  }

  private defaultSearch(body: Json, docs: Json[]): Json {
    const q = String(body.q ?? '');
    if (body.page !== undefined || body.hitsPerPage !== undefined) {
      const page = Number(body.page ?? 1);
      const hitsPerPage = Number(body.hitsPerPage ?? 20);
      const start = (page - 1) * hitsPerPage;
      return {
        hits: docs.slice(start, start + hitsPerPage),
        query: q,
        processingTimeMs: 0,
        hitsPerPage,
        page,
        totalPages: hitsPerPage === 0 ? 0 : Math.ceil(docs.length / hitsPerPage),
        totalHits: docs.length,
      };
    }
    const offset = Number(body.offset ?? 0);
    const limit = Number(body.limit ?? 20);
    return { hits: docs.slice(offset, offset + limit), query: q, processingTimeMs: 0, limit, offset, estimatedTotalHits: docs.length };
  }
}
