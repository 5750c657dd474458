import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { authorizeKey, coversIndex, validateNewKey } from './meili-auth.js';
import type { StubKey } from './meili-auth.js';
import { ApiError, filtered, fits, runSearch, snake, typeError, validateSearchBody } from './meili-search.js';
import type { Expected } from './meili-search.js';

/**
 * A local stand-in for Meilisearch's HTTP API, answering as the v1.50 server does — held to the server's own
 * recorded tests (test/engines/meilisearch-recorded.test.ts) and to its OpenAPI document
 * (test/engines/meilisearch-spec.test.ts). Writes are 202 with an enqueued task summary; `GET /tasks/{uid}` walks
 * each task through `enqueued` → `processing` → `succeeded` or `failed` (one step per poll, so tests are
 * deterministic) with the server's `details`; errors are `{ message, code, type, link }`, unknown routes an empty
 * 404; with a master key, keys are checked as meili-auth.ts says. Searches run on the stored documents
 * (meili-search.ts: filters, typos, matching strategies, facets, `_formatted`), unless a test sets
 * {@link MeiliStub.onSearch}. Every request is recorded.
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
  /** What the task did, as the server reports it (`receivedDocuments`, `deletedDocuments`, the settings…). */
  details: Json;
  readonly enqueuedAt: string;
  /** Applies the task's effect (and completes its details); returns an error body when it cannot (the task fails). */
  readonly apply: (task: StubTask) => Json | void;
  readonly failWith: Json | null;
}

interface StubIndex {
  readonly primaryKey: string | null;
  readonly createdAt: string;
  settings: Json;
  readonly docs: Map<string, Json>;
}

/** Settings of a new index, as Meilisearch v1.50 reports them (`GET /indexes/{uid}/settings`, 20 keys: test get_settings). */
export const DEFAULT_SETTINGS: Json = {
  displayedAttributes: ['*'],
  searchableAttributes: ['*'],
  filterableAttributes: [],
  sortableAttributes: [],
  rankingRules: ['words', 'typo', 'proximity', 'attributeRank', 'sort', 'wordPosition', 'exactness'],
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
  embedders: {},
  searchCutoffMs: null,
  localizedAttributes: null,
  facetSearch: true,
  prefixSearch: 'indexingTime',
};

/** Built-in ranking rules; any other rule must be `field:asc` or `field:desc`. */
const RANKING_RULES = new Set(['words', 'typo', 'sort', 'proximity', 'attribute', 'exactness', 'attributeRank', 'wordPosition']);

/** The shape of each setting (nested objects field by field), as deserr checks it. */
type Shape = Expected | { readonly [field: string]: Shape };
const SETTINGS_SHAPE: Record<string, Shape> = {
  displayedAttributes: 'array', searchableAttributes: 'array', filterableAttributes: 'array', sortableAttributes: 'array',
  rankingRules: 'array', stopWords: 'array', nonSeparatorTokens: 'array', separatorTokens: 'array', dictionary: 'array',
  synonyms: 'object', distinctAttribute: 'string', proximityPrecision: 'string',
  typoTolerance: { enabled: 'boolean', minWordSizeForTypos: { oneTypo: 'unsigned', twoTypos: 'unsigned' }, disableOnWords: 'array', disableOnAttributes: 'array', disableOnNumbers: 'boolean' },
  faceting: { maxValuesPerFacet: 'unsigned', sortFacetValuesBy: 'object' },
  pagination: { maxTotalHits: 'unsigned' },
  embedders: 'object', searchCutoffMs: 'unsigned', localizedAttributes: 'array', facetSearch: 'boolean', prefixSearch: 'string',
  foreignKeys: 'array', chat: 'object',
};

function checkShape(code: string, path: string, shape: Shape, value: unknown): void {
  if (typeof shape === 'string') {
    if (value !== null && !fits(value, shape)) throw typeError(code, path, shape, value);
    return;
  }
  if (value === null) return;
  if (!fits(value, 'object')) throw typeError(code, path, 'object', value);
  for (const [field, inner] of Object.entries(value as Json)) {
    const nested = shape[field];
    if (nested === undefined) throw new ApiError(400, code, `Unknown field \`${field}\` inside \`${path}\`: expected one of ${Object.keys(shape).map((k) => `\`${k}\``).join(', ')}`);
    checkShape(code, `${path}.${field}`, nested, inner);
  }
}

/** Checks a settings update as the server does before enqueuing it (400 at once, no task). */
function validateSettings(body: Json): void {
  for (const [key, value] of Object.entries(body)) {
    const shape = SETTINGS_SHAPE[key];
    if (shape === undefined) {
      throw new ApiError(400, 'bad_request', `Unknown field \`${key}\`: expected one of ${Object.keys(SETTINGS_SHAPE).map((k) => `\`${k}\``).join(', ')}`);
    }
    checkShape(`invalid_settings_${snake(key)}`, `.${key}`, shape, value);
  }
  const rules = body.rankingRules;
  if (!Array.isArray(rules)) return;
  for (const [i, rule] of (rules as unknown[]).entries()) {
    if (typeof rule !== 'string' || (!RANKING_RULES.has(rule) && !/^.+:(asc|desc)$/.test(rule))) {
      throw new ApiError(400, 'invalid_settings_ranking_rules', `Invalid value at \`.rankingRules[${i}]\`: \`${String(rule)}\` ranking rule is invalid. Valid ranking rules are words, typo, sort, proximity, attribute, exactness and custom ranking rules.`);
    }
  }
  if (rules.includes('attribute') && (rules.includes('attributeRank') || rules.includes('wordPosition'))) {
    throw new ApiError(400, 'invalid_settings_ranking_rules', 'Mixed usage of the attribute, attributeRank, and wordPosition ranking rules. You must either use the attribute ranking rule alone or the attributeRank and wordPosition ranking rules.');
  }
}

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

export class MeiliStub {
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  /** Every answer sent, with its request, in order (the spec tests validate both). */
  readonly exchanges: { readonly request: RecordedRequest; readonly status: number; readonly body: unknown }[] = [];
  /**
   * While set, Meilisearch is saturated or behind a proxy without a healthy node: searches answer as the server's
   * search queue does (503 `too_many_search_requests`, with this Retry-After in seconds); every other route, also
   * /health, answers 503 with the Retry-After and an empty body, as a load balancer does.
   */
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
  /** Answers searches instead of the stub's own search (meili-search.ts); gets the validated request body. */
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
  addKey(key: Pick<StubKey, 'name' | 'description' | 'actions' | 'indexes' | 'expiresAt'>): string {
    const uid = `00000000-0000-4000-8000-${String(this.keys.length + 1).padStart(12, '0')}`;
    const value = `stub-key-${this.keys.length + 1}-${uid}`;
    const now = new Date().toISOString();
    this.keys.push({ ...key, uid, key: value, createdAt: now, updatedAt: now });
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
    let body: unknown;
    let malformed = false;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      malformed = true;
    }
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
      this.exchanges.push({ request: recorded, status, body: payload === undefined ? undefined : clone(payload) });
      res.writeHead(status, payload === undefined ? headers : { 'content-type': 'application/json', ...headers });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    };
    if (this.unavailable) {
      const retry = { 'retry-after': String(this.unavailable.retryAfter) };
      if (/^\/indexes\/[^/]+\/search$/.test(recorded.path)) {
        const message = `Too many search requests running at the same time: 1. Retry after ${this.unavailable.retryAfter}s.`;
        send(503, this.errorBody('too_many_search_requests', message, 'system'), retry);
      } else send(503, undefined, retry);
      return;
    }
    try {
      if (malformed) throw new ApiError(400, 'malformed_payload', `The json payload provided is malformed. \`${raw.slice(0, 40)}\`.`);
      const [status, payload] = this.route(recorded);
      send(status, payload);
    } catch (error) {
      if (error instanceof NotFound) send(404, undefined);
      else if (error instanceof ApiError) send(error.status, this.errorBody(error.code, error.message, error.type));
      else send(500, this.errorBody('internal', error instanceof Error ? error.message : String(error), 'internal'));
    }
  }

  /**
   * Checks the key against the route's action. `index`: the route's index; null: a global route no scoped key may
   * call; undefined: a route scoped keys may call (what it shows is filtered). Returns the key (undefined: master or
   * an instance without keys).
   */
  private authorize(request: RecordedRequest, action: string, index: string | null | undefined): StubKey | undefined {
    if (this.masterKey === undefined) return undefined;
    return authorizeKey({ header: request.authorization, masterKey: this.masterKey, keys: this.keys, action, index, now: Date.now() });
  }

  private enqueue(indexUid: string | null, type: string, details: Json, apply: (task: StubTask) => Json | void): [number, Json] {
    const failure = this.failures.findIndex((f) => f.type === type);
    const failWith = failure === -1 ? null : this.failures.splice(failure, 1)[0]!.error;
    const task: StubTask = {
      uid: this.tasks.length,
      indexUid,
      type,
      status: 'enqueued',
      error: null,
      details,
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
      return task.apply(task);
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
      details: task.details,
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
    if (!this.indexes.has(uid)) this.indexes.set(uid, { primaryKey, createdAt: new Date().toISOString(), settings: clone(DEFAULT_SETTINGS), docs: new Map() });
  }

  private route(r: RecordedRequest): [number, unknown] {
    const body = (r.body ?? {}) as Json;
    if (r.method === 'GET' && r.path === '/health') return [200, { status: 'available' }];
    if (r.path === '/keys') return this.keysRoute(r, body);
    const task = /^\/tasks\/([^/]+)$/.exec(r.path);
    if (task && r.method === 'GET') return this.taskRoute(r, task[1]!);
    if (r.method === 'POST' && r.path === '/indexes') {
      const uid = String(body.uid);
      this.authorize(r, 'indexes.create', uid);
      const primaryKey = (body.primaryKey as string | undefined) ?? null;
      return this.enqueue(uid, 'indexCreation', { primaryKey }, () => {
        if (this.indexes.has(uid)) return this.errorBody('index_already_exists', `Index \`${uid}\` already exists.`);
        this.createIndex(uid, primaryKey);
      });
    }
    const match = /^\/indexes\/([^/]+)(\/.*)?$/.exec(r.path);
    if (!match) throw new NotFound();
    return this.indexRoute(r, decodeURIComponent(match[1]!), match[2] ?? '', body);
  }

  /** A task, or 404 `task_not_found` when it does not exist or belongs to an index the key cannot see. */
  private taskRoute(r: RecordedRequest, id: string): [number, unknown] {
    if (!/^\d+$/.test(id)) {
      throw new ApiError(400, 'invalid_task_uids', `Invalid value in parameter \`taskUid\`: could not parse \`${id}\` as a positive integer`);
    }
    const key = this.authorize(r, 'tasks.get', undefined); // scoped keys may ask; they see their indexes' tasks only
    const found = this.tasks[Number(id)];
    const visible = found !== undefined && (key === undefined || coversIndex(key.indexes, found.indexUid ?? '*'));
    if (!found || !visible) throw new ApiError(404, 'task_not_found', `Task \`${id}\` not found.`);
    const view = this.taskView(found);
    this.advance(found);
    return [200, view];
  }

  private keysRoute(r: RecordedRequest, body: Json): [number, unknown] {
    if (r.method === 'GET') {
      this.authorize(r, 'keys.get', null);
      const offset = Number(r.query.offset ?? 0);
      const limit = Number(r.query.limit ?? 20);
      return [200, { results: this.keys.slice(offset, offset + limit), offset, limit, total: this.keys.length }];
    }
    if (r.method !== 'POST') throw new NotFound();
    this.authorize(r, 'keys.create', null);
    const value = this.addKey(validateNewKey(body));
    return [201, this.keys.find((k) => k.key === value)];
  }

  private indexRoute(r: RecordedRequest, uid: string, rest: string, body: Json): [number, unknown] {
    const route = `${r.method} ${rest}`;
    if (route === 'GET ') {
      this.authorize(r, 'indexes.get', uid);
      const index = this.index(uid);
      return [200, { uid, createdAt: index.createdAt, updatedAt: index.createdAt, primaryKey: index.primaryKey }];
    }
    if (route === 'DELETE ') {
      this.authorize(r, 'indexes.delete', uid);
      return this.enqueue(uid, 'indexDeletion', { deletedDocuments: 0 }, (task) => {
        const index = this.index(uid);
        task.details = { deletedDocuments: index.docs.size };
        this.indexes.delete(uid);
      });
    }
    if (route === 'GET /settings') {
      this.authorize(r, 'settings.get', uid);
      return [200, clone(this.index(uid).settings)];
    }
    if (route === 'PATCH /settings') {
      this.authorize(r, 'settings.update', uid);
      validateSettings(body);
      return this.enqueue(uid, 'settingsUpdate', clone(body), () => {
        this.createIndex(uid, null);
        const index = this.index(uid);
        const reset = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, v === null ? DEFAULT_SETTINGS[k] : v]));
        index.settings = merge(index.settings, reset);
      });
    }
    if (route === 'POST /documents') return this.addDocuments(r, uid);
    if (route === 'POST /documents/delete-batch') {
      this.authorize(r, 'documents.delete', uid);
      const ids = (r.body as unknown[]).map(String);
      return this.enqueue(uid, 'documentDeletion', { providedIds: ids.length, deletedDocuments: 0, originalFilter: null }, (task) => {
        const docs = this.index(uid).docs;
        const deleted = ids.filter((id) => docs.delete(id)).length;
        task.details = { ...task.details, deletedDocuments: deleted };
      });
    }
    if (route === 'POST /documents/delete') {
      // delete by filter: the body's shape is checked at once, the filter against the index when the task runs
      this.authorize(r, 'documents.delete', uid);
      if (typeof r.body !== 'object' || r.body === null || Array.isArray(r.body)) {
        throw new ApiError(400, 'bad_request', `Invalid value type: expected an object, but found ${Array.isArray(r.body) ? 'an array' : typeof r.body}`);
      }
      const filter = (r.body as Record<string, unknown>).filter;
      if (filter === undefined) throw new ApiError(400, 'missing_document_filter', 'Missing field `filter`');
      if (filter === '' || (Array.isArray(filter) && filter.length === 0)) throw new ApiError(400, 'invalid_document_filter', 'Sending an empty filter is forbidden.');
      return this.enqueue(uid, 'documentDeletion', { providedIds: 0, deletedDocuments: 0, originalFilter: JSON.stringify(filter) }, (task) => {
        const index = this.index(uid);
        const doomed = filtered({ uid, settings: index.settings, docs: [...index.docs.values()] }, filter, 'invalid_document_filter');
        for (const doc of doomed) index.docs.delete(String(doc[index.primaryKey ?? 'id']));
        task.details = { ...task.details, deletedDocuments: doomed.length };
      });
    }
    if (route === 'DELETE /documents') {
      this.authorize(r, 'documents.delete', uid);
      return this.enqueue(uid, 'documentDeletion', { deletedDocuments: 0 }, (task) => {
        const docs = this.index(uid).docs;
        task.details = { deletedDocuments: docs.size };
        docs.clear();
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
      const index = this.index(uid);
      const selected = filtered({ uid, settings: index.settings, docs: [...index.docs.values()].map(clone) }, body.filter, 'invalid_document_filter');
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
      const query = validateSearchBody(r.body ?? {}); // the body is read before the index is looked up
      const index = this.index(uid);
      const docs = [...index.docs.values()].map(clone);
      if (this.onSearch) return [200, this.onSearch(query, docs)];
      return [200, runSearch({ uid, settings: index.settings, docs }, query)];
    }
    throw new NotFound();
  }

  private addDocuments(r: RecordedRequest, uid: string): [number, unknown] {
    this.authorize(r, 'documents.add', uid);
    const docs = (Array.isArray(r.body) ? r.body : [r.body]) as Json[];
    const invalid = this.invalidDocument;
    return this.enqueue(uid, 'documentAdditionOrUpdate', { receivedDocuments: docs.length, indexedDocuments: null }, (task) => {
      this.createIndex(uid, r.query.primaryKey ?? 'id');
      const bad = invalid && docs.find(invalid);
      task.details = { receivedDocuments: docs.length, indexedDocuments: bad ? 0 : docs.length };
      if (bad) return this.errorBody('invalid_document_fields', `document ${String(bad.id)} is invalid`);
      const index = this.index(uid);
      const key = index.primaryKey ?? 'id';
      for (const doc of docs) index.docs.set(String(doc[key]), clone(doc));
    });
  }
}

/** Thrown for a route the server does not have: an empty 404, as actix answers. */
class NotFound extends Error {}
