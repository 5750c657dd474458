import { EngineError, EngineUnavailableError } from '../../src/core/errors.js';
import { MeilisearchEngine } from '../../src/engines/meilisearch/meilisearch-engine.js';
import type { MeilisearchEngineOptions } from '../../src/engines/meilisearch/meilisearch-engine.js';
import { KEY_ACTIONS } from '../../src/engines/meilisearch/keys.js';
import { toDocument } from '../../src/engines/meilisearch/document.js';
import { haveMeiliArtifacts, readArtifact } from '../helpers/meili-artifacts.js';
import { SpecValidator } from '../helpers/meili-openapi.js';
import { makeArticle, searchRequest } from '../helpers/make-article.js';
import { MeiliStub } from '../helpers/meili-stub.js';

/**
 * The adapter against the stub answering as Meilisearch v1.50 does (no hand-written search answers here): keys with
 * the least actions, clear(), facets and highlights from real searches, the server's refusals and its 503. Every
 * request the adapter sends and every answer the stub gives is validated against Meilisearch's OpenAPI document
 * (../shared/meilisearch/openapi-v1.49.0.json; that part skips with a message when it is absent).
 */

const MASTER = 'master-key-for-tests-0123456789';
const INDEX = 'articles';
const spec = haveMeiliArtifacts('the OpenAPI validation of the adapter') ? new SpecValidator() : undefined;

const harbour = makeArticle({ id: 'harbour', title: 'Harbour reopens', body: 'The harbour reopened after the storm, said the mayor.', category: 'local', tags: ['harbour', 'storm'], publishedAt: '2026-03-14T09:30:00Z' });
const ferry = makeArticle({ id: 'ferry', title: 'Ferry timetable', body: 'Boats leave the harbour every hour.', category: 'transport', publishedAt: '2026-03-10T08:00:00Z' });
const match = makeArticle({ id: 'match', title: 'Cup final', body: 'The final was played in the rain.', category: 'sport', publishedAt: '2026-03-12T20:00:00Z' });

let stub: MeiliStub;
const engines: MeilisearchEngine[] = [];

function engine(overrides: Partial<MeilisearchEngineOptions> = {}): MeilisearchEngine {
  const opened = new MeilisearchEngine({
    url: stub.url, index: INDEX, keys: { masterKey: MASTER }, role: 'indexer',
    taskTimeoutMs: 2_000, taskIntervalMs: 1, requestTimeoutMs: 1_000, writeRetries: 0, ...overrides,
  });
  engines.push(opened);
  return opened;
}

/** Every problem the OpenAPI document finds in the exchanges so far. */
function specProblems(): string[] {
  if (!spec) return [];
  // an empty 503 is a proxy's answer (MeiliStub.unavailable), not the server's
  const served = stub.exchanges.filter((e) => !(e.status === 503 && e.body === undefined));
  return served.flatMap(({ request, status, body }) => [
    ...spec.request(request.method, request.path, request.body),
    ...spec.response(request.method, request.path, status, body),
  ]);
}

beforeEach(async () => {
  stub = new MeiliStub(MASTER);
  await stub.start();
});

afterEach(async () => {
  // whatever a test did, the adapter's requests and the stub's answers stay within Meilisearch's spec
  expect(specProblems()).toEqual([]);
  await Promise.all(engines.splice(0).map((e) => e.close()));
  await stub.stop();
});

describe('meilisearch adapter and server: keys with the least actions', () => {
  it('when the admin key is bootstrapped, then it holds the listed actions on the index and its tombstones, never a wildcard', async () => {
    await engine().upsert([harbour]);
    const admin = stub.listKeys().find((k) => k.name === `newsfind-admin (${INDEX})`)!;
    expect(admin.actions).toEqual([...KEY_ACTIONS.admin]);
    expect(admin.actions.some((a) => a.includes('*'))).toBe(false);
    expect(admin.indexes).toEqual([INDEX, `${INDEX}-tombstones`]);
    expect(admin).toMatchObject({ createdAt: expect.any(String), updatedAt: expect.any(String) });
  });

  it('when the indexer writes, deletes, clears and searches with only that key, then every call is allowed', async () => {
    const indexer = engine();
    await indexer.upsert([harbour, ferry, match]);
    expect(await indexer.delete(['ferry', 'nope'])).toEqual({ indexed: 0, unchanged: 0, deleted: 1 });
    expect((await indexer.search(searchRequest({ q: 'harbour' }))).totalHits).toBe(1);
    expect(await indexer.clear()).toEqual({ indexed: 0, unchanged: 0, deleted: 2 });
    expect(stub.documents(INDEX)).toEqual([]);
    const admin = stub.listKeys().find((k) => k.name === `newsfind-admin (${INDEX})`)!;
    const refused = stub.exchanges.filter((e) => e.request.authorization === `Bearer ${admin.key}` && e.status >= 400);
    // the one expected refusal: the first settings read, before the index exists
    expect(refused.shift()).toMatchObject({ status: 404, request: { path: `/indexes/${INDEX}/settings` } });
    expect(refused).toEqual([]);
  });

  it('when the outbox delivers upserts, a delete and a clear with only that key, then documents are stamped and tombstones kept, every call allowed', async () => {
    const indexer = engine();
    const docs = [harbour, ferry, match].map((a) => toDocument(a));
    expect(await indexer.deliver({ kind: 'upsert', documents: docs })).toEqual({ ok: true });
    const stamps = stub.documents(INDEX).map((d) => d.indexedAt as number);
    expect(stamps[1]! - stamps[0]!).toBe(1); // one batch: consecutive stamps
    expect(stamps[0]! / 1000).toBeGreaterThan(Date.now() - 60_000); // µs since the epoch
    expect(await indexer.deliver({ kind: 'delete', ids: ['ferry'] })).toEqual({ ok: true });
    expect(await indexer.deliver({ kind: 'clear' })).toEqual({ ok: true });
    const tombstones = stub.documents(`${INDEX}-tombstones`);
    expect(tombstones).toEqual([
      { key: expect.stringMatching(/^\d+-[0-9a-f]{12}$/), kind: 'delete', ids: ['ferry'], deletedAt: expect.any(Number) },
      { key: expect.stringMatching(/^\d+-[0-9a-f]{12}$/), kind: 'clear', deletedAt: expect.any(Number) },
    ]);
    expect(tombstones[0]!.deletedAt).toBeGreaterThan(stamps[2]!);
    expect(stub.settings(`${INDEX}-tombstones`)).toMatchObject({ filterableAttributes: ['deletedAt'], sortableAttributes: ['deletedAt'] });
    const admin = stub.listKeys().find((k) => k.name === `newsfind-admin (${INDEX})`)!;
    const refused = stub.exchanges.filter((e) => e.request.authorization === `Bearer ${admin.key}` && e.status >= 400);
    // the expected refusals: the first settings read of each index, before it exists
    expect(refused.map((e) => [e.status, e.request.path])).toEqual([[404, `/indexes/${INDEX}/settings`], [404, `/indexes/${INDEX}-tombstones/settings`]]);
  });

  it('when the admin key calls /keys, another index or a deletion of the index, then Meilisearch refuses it', async () => {
    await engine().upsert([harbour]);
    const admin = stub.listKeys().find((k) => k.name === `newsfind-admin (${INDEX})`)!;
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${stub.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${admin.key}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }).then(async (r) => ({ status: r.status, code: ((await r.json()) as { code: string }).code }));
    expect(await call('GET', '/keys')).toEqual({ status: 403, code: 'invalid_api_key' });
    expect(await call('POST', '/keys', { actions: ['*'], indexes: ['*'], expiresAt: null })).toEqual({ status: 403, code: 'invalid_api_key' });
    expect(await call('DELETE', `/indexes/${INDEX}`)).toEqual({ status: 403, code: 'invalid_api_key' });
    expect(await call('POST', '/indexes/other/search', { q: '' })).toEqual({ status: 403, code: 'invalid_api_key' });
  });

  it('when a request carries a key without the Bearer scheme, then Meilisearch answers 401 missing_authorization_header', async () => {
    const res = await fetch(`${stub.url}/indexes/${INDEX}/search`, { method: 'POST', headers: { authorization: MASTER } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('missing_authorization_header');
  });
});

describe('meilisearch adapter and server: searches answered by the server', () => {
  it('when facets are asked, then the counts of every match come back, and a facet no match has is empty', async () => {
    const indexer = engine();
    await indexer.upsert([harbour, ferry, match]);
    const result = await engine({ role: 'api' }).search(searchRequest({ q: 'harbour', facets: ['category', 'people'] }));
    expect(result.hits.map((h) => h.article.id).sort()).toEqual(['ferry', 'harbour']);
    expect(result.facets).toEqual({ category: { local: 1, transport: 1 }, people: {} });
    const answer = stub.exchanges.filter((e) => e.request.path.endsWith('/search')).at(-1)!.body as Record<string, unknown>;
    expect(answer.facetDistribution).toEqual({ category: { local: 1, transport: 1 } }); // the server leaves `people` out
    expect(answer.facetStats).toEqual({});
  });

  it('when a word matches, then the highlight wraps it, escaped, and the snippet is cropped with the marker', async () => {
    await engine().upsert([harbour]);
    const [hit] = (await engine({ role: 'api' }).search(searchRequest({ q: 'mayor' }))).hits;
    expect(hit!.highlight.snippet).toContain('<mark>mayor</mark>');
    expect(hit!.highlight.title).toBe('Harbour reopens');
  });

  it('when the filters and the date sort are applied by the server, then only the matching articles come, newest first', async () => {
    await engine().upsert([harbour, ferry, match]);
    const api = engine({ role: 'api' });
    const all = await api.search(searchRequest({ q: '', sort: 'newest' }));
    expect(all.hits.map((h) => h.article.id)).toEqual(['harbour', 'match', 'ferry']);
    const some = await api.search(searchRequest({ q: '', filters: { category: ['sport', 'transport'], from: '2026-03-11' } }));
    expect(some.hits.map((h) => h.article.id)).toEqual(['match']);
    expect(await api.get('ferry')).toEqual(ferry);
  });
});

describe('meilisearch adapter and server: refusals and saturation', () => {
  it('when the server rejects a settings update at once (400), then the write fails with its code and no document is sent', async () => {
    await engine().upsert([harbour]);
    // an index someone configured with a custom rule the adapter will replace; the server checks rules on PATCH
    const res = await fetch(`${stub.url}/indexes/${INDEX}/settings`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' },
      body: JSON.stringify({ rankingRules: ['manyTheFish'] }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('invalid_settings_ranking_rules');
  });

  it('when the search queue is full (503 too_many_search_requests), then the search fails as unavailable with its Retry-After', async () => {
    await engine().upsert([harbour]);
    const api = engine({ role: 'api' });
    await api.search(searchRequest({ q: 'harbour' })); // its search key is bootstrapped
    stub.unavailable = { retryAfter: 9 };
    const error = await api.search(searchRequest({ q: 'harbour' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineUnavailableError);
    expect((error as EngineUnavailableError).message).toMatch(/503 too_many_search_requests/);
    expect((error as EngineUnavailableError).retryAfterSeconds).toBe(9);
  });

  it('when a proxy answers 503 with an empty body on a write, then the write fails as unavailable with its Retry-After', async () => {
    const indexer = engine();
    await indexer.upsert([harbour]);
    stub.unavailable = { retryAfter: 4 };
    const error = await indexer.upsert([ferry]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineUnavailableError);
    expect((error as EngineUnavailableError).retryAfterSeconds).toBe(4);
  });

  it('when a task of another index is asked with a scoped key, then the server answers 404 task_not_found', async () => {
    await engine().upsert([harbour]);
    const own = stub.listKeys().find((k) => k.name === `newsfind-admin (${INDEX})`)!;
    await fetch(`${stub.url}/indexes`, { method: 'POST', headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' }, body: JSON.stringify({ uid: 'other' }) });
    const last = stub.exchanges.at(-1)!.body as { taskUid: number };
    const res = await fetch(`${stub.url}/tasks/${last.taskUid}`, { headers: { authorization: `Bearer ${own.key}` } });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: string }).code).toBe('task_not_found');
  });

  it('when a route does not exist, then the answer is an empty 404', async () => {
    const res = await fetch(`${stub.url}/nothing-here`, { headers: { authorization: `Bearer ${MASTER}` } });
    expect(res.status).toBe(404);
    expect(await res.text()).toBe('');
    stub.exchanges.pop(); // not a route of the document
  });
});

(spec ? describe : describe.skip)('the OpenAPI validation itself', () => {
  it('when an answer has the shape of the old stub (no createdAt, a code Meilisearch does not have), then it fails', () => {
    const oldKey = { uid: 'u', key: 'k', name: null, description: null, actions: ['*'], indexes: ['articles'], expiresAt: null };
    expect(spec!.response('POST', '/keys', 201, oldKey).join('\n')).toMatch(/createdAt/);
    const oldUnavailable = { message: 'Meilisearch is starting', code: 'service_unavailable', type: 'system', link: 'https://docs.meilisearch.com/errors#service_unavailable' };
    expect(spec!.response('POST', '/indexes/articles/search', 503, oldUnavailable).join('\n')).toMatch(/code .*allowed values/);
    expect(spec!.request('POST', '/indexes', { uid: 'a', primaryKey: 'id', extra: 1 })).not.toEqual([]);
    expect(spec!.response('POST', '/indexes/articles/search', 200, { hits: 'none', query: '', processingTimeMs: 0 })).not.toEqual([]);
  });

  it('when the error table of the server is read, then the stub answers with codes it lists, at its statuses', () => {
    const table = new Map<string, string>();
    for (const m of readArtifact('meilisearch-v1.50.0-crates', 'meilisearch-types', 'src', 'error.rs').matchAll(/^(\w+)\s*,\s*(\w+)\s*,\s*(\w+)\s*;/gm)) {
      table.set(m[1]!.replace(/(?<!^)([A-Z])/g, '_$1').toLowerCase(), m[3]!);
    }
    const statuses: Record<string, number> = { BAD_REQUEST: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, SERVICE_UNAVAILABLE: 503 };
    for (const [code, status] of [['missing_authorization_header', 401], ['invalid_api_key', 403], ['task_not_found', 404], ['too_many_search_requests', 503], ['invalid_settings_ranking_rules', 400], ['invalid_search_sort', 400], ['invalid_search_facets', 400], ['invalid_document_filter', 400], ['invalid_search_matching_strategy', 400]] as const) {
      expect([code, statuses[table.get(code)!]]).toEqual([code, status]);
    }
    expect(table.has('service_unavailable')).toBe(false);
  });
});

it('when the errors are EngineErrors, then they never carry a key (sanity of this file)', () => {
  expect(new EngineError('x')).toBeInstanceOf(Error);
});
