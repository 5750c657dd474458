import type { Article } from '../../src/core/article.js';
import { contentHash } from '../../src/core/article.js';
import { EngineError, EngineUnavailableError } from '../../src/core/errors.js';
import { ABOUT_SALIENCE } from '../../src/core/entities/about.js';
import { documentHash } from '../../src/engines/meilisearch/document.js';
import { MeilisearchEngine } from '../../src/engines/meilisearch/meilisearch-engine.js';
import type { MeilisearchEngineOptions } from '../../src/engines/meilisearch/meilisearch-engine.js';
import { KEY_ACTIONS } from '../../src/engines/meilisearch/keys.js';
import { DESIRED_SETTINGS, MAX_TOTAL_HITS } from '../../src/engines/meilisearch/settings.js';
import { FRESHNESS_WINDOW } from '../../src/engines/search-engine.js';
import { exportSearch } from '../../src/services/export-search.js';
import { makeArticle, searchRequest } from '../helpers/make-article.js';
import { haveMeiliArtifacts } from '../helpers/meili-artifacts.js';
import { SpecValidator } from '../helpers/meili-openapi.js';
import { DEFAULT_SETTINGS, MeiliStub } from '../helpers/meili-stub.js';
import type { RecordedRequest } from '../helpers/meili-stub.js';

/**
 * The Meilisearch adapter against a local stub of Meilisearch's HTTP API (test/helpers/meili-stub.ts): the exact
 * requests it sends (settings, documents, filters, pagination, keys, task polls) and what it makes of the answers.
 */

const MASTER = 'master-key-for-tests-0123456789';
const spec = haveMeiliArtifacts('the OpenAPI validation of the adapter tests') ? new SpecValidator() : undefined;
const INDEX = 'articles';

const harbour = makeArticle({
  id: 'harbour',
  title: 'Harbour reopens',
  body: 'The harbour reopened after the storm.',
  publishedAt: '2026-03-14T09:30:00Z',
  category: 'local',
  tags: ['harbour'],
});
const ferry = makeArticle({ id: 'ferry', title: 'Ferry timetable', body: 'Boats leave every hour.' });

let stub: MeiliStub;
const engines: MeilisearchEngine[] = [];

/** An engine on the stub; closed after the test. */
function engine(overrides: Partial<MeilisearchEngineOptions> = {}): MeilisearchEngine {
  const opened = new MeilisearchEngine({
    url: stub.url,
    index: INDEX,
    keys: { masterKey: MASTER },
    role: 'indexer',
    taskTimeoutMs: 2_000,
    taskIntervalMs: 1,
    requestTimeoutMs: 1_000,
    writeRetries: 0,
    ...overrides,
  });
  engines.push(opened);
  return opened;
}

/** The requests after the key bootstrap, without task polls: what the adapter did with the index. */
const indexRequests = (from = 0): string[] =>
  stub.requests
    .slice(from)
    .filter((r) => !r.path.startsWith('/tasks/') && r.path !== '/keys')
    .map((r) => `${r.method} ${r.path}`);

const searchBodies = (): Record<string, unknown>[] =>
  stub.requestsTo('POST', `/indexes/${INDEX}/search`).map((r) => r.body as Record<string, unknown>);

beforeEach(async () => {
  stub = new MeiliStub(MASTER);
  await stub.start();
});

afterEach(async () => {
  // every request the adapter sent, and every answer (also the hand-written search answers), within Meilisearch's spec
  if (spec) {
    const served = stub.exchanges.filter((e) => !(e.status === 503 && e.body === undefined)); // a proxy's empty 503
    expect(served.flatMap((e) => [...spec.request(e.request.method, e.request.path, e.request.body), ...spec.response(e.request.method, e.request.path, e.status, e.body)])).toEqual([]);
  }
  await Promise.all(engines.splice(0).map((e) => e.close()));
  await stub.stop();
});

describe('meilisearch adapter: settings before documents', () => {
  it('when the first articles are written, then the index is created and every setting applied before the documents', async () => {
    expect(await engine().upsert([harbour, ferry])).toEqual({ indexed: 2, unchanged: 0, deleted: 0 });
    expect(indexRequests()).toEqual([
      `GET /indexes/${INDEX}/settings`, // 404 index_not_found
      'POST /indexes',
      `GET /indexes/${INDEX}/settings`,
      `PATCH /indexes/${INDEX}/settings`,
      `POST /indexes/${INDEX}/documents/fetch`,
      `POST /indexes/${INDEX}/documents`,
    ]);
    expect(stub.requestsTo('POST', '/indexes')[0]!.body).toEqual({ uid: INDEX, primaryKey: 'id' });
    const patch = stub.requestsTo('PATCH', `/indexes/${INDEX}/settings`)[0]!.body as Record<string, unknown>;
    expect(patch).toEqual(DESIRED_SETTINGS);
    expect(patch.rankingRules).toEqual(['words', 'typo', 'proximity', 'sort', 'attribute', 'exactness', 'publishedAt:desc']);
    expect(patch.searchableAttributes).toEqual(['title', 'body']);
    expect(patch.filterableAttributes).toEqual(expect.arrayContaining(['category', 'source', 'tags', 'people', 'orgs', 'places', 'publishedAt']));
    expect(patch.pagination).toEqual({ maxTotalHits: MAX_TOTAL_HITS });
    expect(stub.settings(INDEX)).toMatchObject(DESIRED_SETTINGS);
  });

  it('when the documents are stored, then publishedAt is numeric (ms) and each carries its content hash', async () => {
    await engine().upsert([harbour]);
    const [doc] = stub.documents(INDEX);
    expect(doc).toEqual({
      ...harbour,
      publishedAt: Date.parse('2026-03-14T09:30:00Z'),
      publishedDay: '2026-03-14',
      publishedWeek: '2026-03-09',
      publishedMonth: '2026-03-01',
      contentHash: documentHash(harbour),
    });
    expect(await engine({ role: 'api' }).get('harbour')).toEqual(harbour); // the histogram fields stay inside the adapter
    expect(stub.requestsTo('POST', `/indexes/${INDEX}/documents`)[0]!.query).toEqual({ primaryKey: 'id' });
  });

  it('when an article has entities, then its document lists those it is about (salience ≥ ABOUT_SALIENCE) and get leaves the list out', async () => {
    const lavrov: Article = {
      ...makeArticle({ id: 'lavrov', title: 'Lavrov in Beijing', body: 'Foreign Minister Sergei Lavrov met Qin Gang in Russia.' }),
      people: ['Sergei Lavrov', 'Qin Gang'],
      places: ['Russia'],
      salience: { 'people:Sergei Lavrov': ABOUT_SALIENCE + 1, 'people:Qin Gang': ABOUT_SALIENCE, 'places:Russia': ABOUT_SALIENCE - 0.01 },
    };
    await engine().upsert([lavrov]);
    expect(stub.documents(INDEX)[0]!.about).toEqual(['people:Qin Gang', 'people:Sergei Lavrov']);
    expect(await engine({ role: 'api' }).get('lavrov')).toEqual(lavrov);
  });

  it('when stored documents were written in an earlier shape, then the next write replaces them', async () => {
    await engine().upsert([harbour]);
    stub.rewriteDocument(INDEX, 'harbour', (doc) => ({ ...(doc as object), contentHash: contentHash(harbour) })); // the first shape's hash
    expect(await engine().upsert([harbour])).toEqual({ indexed: 1, unchanged: 0, deleted: 0 });
    expect(stub.documents(INDEX)[0]!.contentHash).toBe(documentHash(harbour));
  });

  it('when a second run finds the settings in place, then it sends no settings update and re-sends no unchanged article', async () => {
    await engine().upsert([harbour, ferry]);
    const before = stub.requests.length;
    const again = engine();
    expect(await again.upsert([harbour, { ...ferry, title: 'Ferry timetable changes' }])).toEqual({ indexed: 1, unchanged: 1, deleted: 0 });
    expect(indexRequests(before)).toEqual([
      `GET /indexes/${INDEX}/settings`,
      `POST /indexes/${INDEX}/documents/fetch`,
      `POST /indexes/${INDEX}/documents`,
    ]);
    expect((stub.requestsTo('POST', `/indexes/${INDEX}/documents`).at(-1)!.body as Article[]).map((d) => d.id)).toEqual(['ferry']);
    const third = stub.requests.length;
    expect(await again.upsert([harbour])).toEqual({ indexed: 0, unchanged: 1, deleted: 0 });
    expect(indexRequests(third)).toEqual([`POST /indexes/${INDEX}/documents/fetch`]); // settings checked once per engine
  });

  it('when SYNONYMS_FILE gives other synonyms, then they replace the built-in ones in the settings, once', async () => {
    const synonyms = { quake: ['earthquake'], earthquake: ['quake'] };
    await engine({ synonyms }).upsert([harbour]);
    expect(stub.settings(INDEX)!.synonyms).toEqual(synonyms);
    const patches = stub.requestsTo('PATCH', `/indexes/${INDEX}/settings`).length;
    await engine({ synonyms: { earthquake: ['quake'], quake: ['earthquake'] } }).upsert([ferry]); // same, keys in another order
    expect(stub.requestsTo('PATCH', `/indexes/${INDEX}/settings`)).toHaveLength(patches);
    await engine({ synonyms: { quake: ['earthquake'] } }).upsert([ferry]); // a key removed: the whole setting is sent
    expect(stub.requestsTo('PATCH', `/indexes/${INDEX}/settings`).at(-1)!.body).toEqual({ synonyms: { quake: ['earthquake'] } });
  });

  it('when only some settings differ, then only those are sent', async () => {
    await engine().upsert([harbour]);
    // Someone reset the ranking rules and the pagination limit by hand.
    const reset = new MeilisearchEngine({ url: stub.url, index: INDEX, keys: { masterKey: MASTER }, role: 'indexer', taskIntervalMs: 1 });
    engines.push(reset);
    const before = stub.requests.length;
    await fetch(`${stub.url}/indexes/${INDEX}/settings`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' },
      body: JSON.stringify({ rankingRules: DEFAULT_SETTINGS.rankingRules, pagination: { maxTotalHits: 1000 } }),
    }).then((r) => r.json() as Promise<{ taskUid: number }>).then(async ({ taskUid }) => {
      for (let i = 0; i < 3; i++) await fetch(`${stub.url}/tasks/${taskUid}`, { headers: { authorization: `Bearer ${MASTER}` } });
    });
    await reset.upsert([ferry]);
    const patches = stub.requestsTo('PATCH', `/indexes/${INDEX}/settings`).filter((r) => stub.requests.indexOf(r) > before); // after the hand-made one
    expect(patches.map((p) => p.body)).toEqual([
      { rankingRules: DESIRED_SETTINGS.rankingRules, pagination: DESIRED_SETTINGS.pagination },
    ]);
  });

  it('when the changed documents exceed the payload limit, then they are sent in several bodies, in order, each waited for', async () => {
    const many = ['a', 'b', 'c', 'd'].map((id) => makeArticle({ id, title: `Story ${id}`, body: 'x'.repeat(400) }));
    expect(await engine({ maxPayloadBytes: 1_000 }).upsert(many)).toEqual({ indexed: 4, unchanged: 0, deleted: 0 });
    const bodies = stub.requestsTo('POST', `/indexes/${INDEX}/documents`).map((r) => (r.body as Article[]).map((d) => d.id));
    expect(bodies).toEqual([['a', 'b'], ['c', 'd']]);
    for (const r of stub.requestsTo('POST', `/indexes/${INDEX}/documents`)) expect(JSON.stringify(r.body).length).toBeLessThanOrEqual(1_000);
    expect(stub.documents(INDEX)).toHaveLength(4);
  });

  it('when articles are deleted, then only the ids the index holds are sent and counted', async () => {
    const writer = engine();
    await writer.upsert([harbour, ferry]);
    expect(await writer.delete(['ghost', 'harbour', 'harbour'])).toEqual({ indexed: 0, unchanged: 0, deleted: 1 });
    expect(stub.requestsTo('POST', `/indexes/${INDEX}/documents/delete-batch`).map((r) => r.body)).toEqual([['harbour']]);
    expect(await writer.delete(['ghost'])).toEqual({ indexed: 0, unchanged: 0, deleted: 0 });
    expect(stub.requestsTo('POST', `/indexes/${INDEX}/documents/delete-batch`)).toHaveLength(1);
    expect(stub.documents(INDEX).map((d) => d.id)).toEqual(['ferry']);
  });
});

describe('meilisearch adapter: tasks', () => {
  it('when a write is enqueued, then its task is polled until it succeeded (enqueued → processing → succeeded)', async () => {
    await engine().upsert([harbour]);
    const add = stub.requestsTo('POST', `/indexes/${INDEX}/documents`)[0]!;
    const after = stub.requests.slice(stub.requests.indexOf(add) + 1).map((r) => `${r.method} ${r.path}`);
    const uid = stub.requests.filter((r) => r.path.startsWith('/tasks/')).at(-1)!.path;
    expect(after).toEqual([`GET ${uid}`, `GET ${uid}`, `GET ${uid}`]);
  });

  it('when a task fails, then the write rejects with an EngineError naming Meilisearch\'s code, never a success', async () => {
    const writer = engine();
    await writer.upsert([ferry]);
    stub.failNextTask('documentAdditionOrUpdate', 'invalid_document_id', 'Document identifier `a b` is invalid.');
    const failed = writer.upsert([harbour]);
    await expect(failed).rejects.toBeInstanceOf(EngineError);
    await expect(failed).rejects.toThrow(/failed: invalid_document_id: Document identifier/);
    expect(stub.documents(INDEX).map((d) => d.id)).toEqual(['ferry']);
  });

  it('when a settings task fails, then no document is sent', async () => {
    stub.failNextTask('settingsUpdate', 'invalid_settings_ranking_rules', 'bad rule');
    await expect(engine().upsert([harbour])).rejects.toThrow(/invalid_settings_ranking_rules/);
    expect(stub.requestsTo('POST', `/indexes/${INDEX}/documents`)).toEqual([]);
  });

  it('when a task stays processing past the timeout, then the write rejects as unavailable after that time', async () => {
    const writer = engine({ taskTimeoutMs: 300, taskIntervalMs: 20 });
    await writer.upsert([ferry]);
    stub.stallTasks = true;
    const started = Date.now();
    const stalled = writer.upsert([harbour]);
    await expect(stalled).rejects.toBeInstanceOf(EngineUnavailableError);
    await expect(stalled).rejects.toThrow(/did not finish task \d+ in 300 ms/);
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(2_000);
    const polls = stub.requests.filter((r) => r.path.startsWith('/tasks/')).length;
    expect(polls).toBeGreaterThan(3);
  });

  it('when the indexer meets an unavailable Meilisearch, then it retries with a doubling backoff and succeeds once it is back', async () => {
    const sleeps: number[] = [];
    const writer = engine({
      writeRetries: 3,
      retryBaseMs: 100,
      sleep: async (ms) => {
        sleeps.push(ms);
        if (sleeps.length === 2) stub.unavailable = undefined;
      },
    });
    stub.unavailable = { retryAfter: 3 };
    expect(await writer.upsert([harbour])).toEqual({ indexed: 1, unchanged: 0, deleted: 0 });
    expect(sleeps).toEqual([100, 200]);
  });

  it('when the indexer runs out of retries, then the write rejects as unavailable', async () => {
    const sleeps: number[] = [];
    stub.unavailable = { retryAfter: 3 };
    const writer = engine({ writeRetries: 2, retryBaseMs: 10, sleep: async (ms) => void sleeps.push(ms) });
    await expect(writer.upsert([harbour])).rejects.toBeInstanceOf(EngineUnavailableError);
    expect(sleeps).toEqual([10, 20]);
  });
});

describe('meilisearch adapter: keys', () => {
  const authOf = (r: RecordedRequest | undefined) => r?.authorization;

  it('when only the master key is given, then the API bootstraps a search key and an admin key through /keys, once', async () => {
    const api = engine({ role: 'api' });
    await api.upsert([harbour]);
    await api.search(searchRequest({ q: 'harbour' }));
    await api.search(searchRequest({ q: 'ferry' }));
    const keys = stub.listKeys();
    expect(keys.map((k) => ({ name: k.name, actions: k.actions, indexes: k.indexes, expiresAt: k.expiresAt }))).toEqual([
      { name: `newsfind-admin (${INDEX})`, actions: [...KEY_ACTIONS.admin], indexes: [INDEX, `${INDEX}-tombstones`], expiresAt: null },
      { name: `newsfind-search (${INDEX})`, actions: ['search'], indexes: [INDEX, `${INDEX}-tombstones`], expiresAt: null },
    ]);
    const [admin, search] = keys;
    for (const r of stub.requests.filter((r) => r.path === '/keys')) expect(r.authorization).toBe(`Bearer ${MASTER}`);
    expect(stub.requestsTo('POST', '/keys')).toHaveLength(2);
    const searches = stub.requestsTo('POST', `/indexes/${INDEX}/search`);
    expect(searches).toHaveLength(2);
    for (const r of searches) expect(authOf(r)).toBe(`Bearer ${search!.key}`);
    for (const r of stub.requests.filter((r) => /settings|documents|^\/indexes$|^\/tasks/.test(r.path))) {
      expect(authOf(r)).toBe(`Bearer ${admin!.key}`);
    }
  });

  it('when the keys already exist, then the next process finds them by name instead of creating more', async () => {
    await engine({ role: 'api' }).search(searchRequest({ q: 'x' }));
    await engine({ role: 'api' }).search(searchRequest({ q: 'x' }));
    await engine({ role: 'indexer' }).upsert([harbour]);
    await engine({ role: 'indexer' }).upsert([harbour]);
    expect(stub.listKeys().map((k) => k.name)).toEqual([`newsfind-search (${INDEX})`, `newsfind-admin (${INDEX})`]);
  });

  it('when a key has the right name but other actions or indexes, then it is not used', async () => {
    stub.addKey({ name: `newsfind-search (${INDEX})`, description: null, actions: ['*'], indexes: ['*'], expiresAt: null });
    await engine({ role: 'api' }).search(searchRequest({ q: 'x' }));
    const created = stub.listKeys()[1]!;
    expect(created.actions).toEqual(['search']);
    expect(stub.requestsTo('POST', `/indexes/${INDEX}/search`)[0]!.authorization).toBe(`Bearer ${created.key}`);
  });

  it('when the search and admin keys are given, then /keys is never called and each role uses its key', async () => {
    const admin = stub.addKey({ name: 'ops admin', description: null, actions: ['*'], indexes: [INDEX], expiresAt: null });
    const search = stub.addKey({ name: 'ops search', description: null, actions: ['search'], indexes: [INDEX], expiresAt: null });
    await engine({ role: 'indexer', keys: { adminKey: admin } }).upsert([harbour]);
    const api = engine({ role: 'api', keys: { searchKey: search, adminKey: admin } });
    await api.get('harbour');
    await api.stats();
    expect(stub.requests.filter((r) => r.path === '/keys')).toEqual([]);
    for (const r of stub.requestsTo('POST', `/indexes/${INDEX}/search`)) expect(r.authorization).toBe(`Bearer ${search}`);
    for (const r of stub.requests.filter((r) => /settings|documents|^\/tasks/.test(r.path))) expect(r.authorization).toBe(`Bearer ${admin}`);
  });

  it('when the API has only a search key, then a write is refused without calling Meilisearch', async () => {
    const search = stub.addKey({ name: 's', description: null, actions: ['search'], indexes: [INDEX], expiresAt: null });
    await expect(engine({ role: 'api', keys: { searchKey: search } }).upsert([harbour])).rejects.toThrow(/MEILI_ADMIN_KEY or MEILI_MASTER_KEY/);
    expect(stub.requests).toEqual([]);
  });

  it('when Meilisearch refuses a key (401/403), then the error is an EngineError that does not contain the key', async () => {
    const wrong = 'wrong-key-that-must-never-show-up';
    const refused = engine({ role: 'api', keys: { searchKey: wrong } }).search(searchRequest({ q: 'x' }));
    await expect(refused).rejects.toBeInstanceOf(EngineError);
    await expect(refused).rejects.toThrow(/refused the API key \(search: invalid_api_key\)/);
    const error = (await refused.catch((e: unknown) => e)) as Error;
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(wrong);
    const missing = engine({ role: 'api', keys: {} }).search(searchRequest({ q: 'x' }));
    await expect(missing).rejects.toThrow(/missing_authorization_header/);
  });
});

describe('meilisearch adapter: searches', () => {
  const FOUND = { ...harbour, publishedAt: Date.parse(harbour.publishedAt!), contentHash: 'x' };

  it('when a search is made, then page, hitsPerPage, sort, matching strategy, facets, filter and highlighting are sent', async () => {
    await engine({ role: 'api' }).search(
      searchRequest({
        q: 'Harbour "foreign minister" -storm elect',
        page: 3,
        perPage: 7,
        sort: 'newest',
        match: 'all',
        facets: ['category', 'people'],
        filters: { category: ['local', 'sport'], people: ['Ines Varga'], from: '2026-03-01', to: '2026-03-14' },
      }),
    ).catch(() => undefined); // the index does not exist yet: the request is what matters here
    expect(searchBodies()[0]).toEqual({
      q: '-storm harbour "foreign minister" elect',
      page: 3,
      hitsPerPage: 7,
      matchingStrategy: 'all',
      sort: ['publishedAt:desc'],
      facets: ['category', 'people'],
      filter: `category IN ["local", "sport"] AND people IN ["Ines Varga"] AND publishedAt >= ${Date.parse('2026-03-01')} AND publishedAt <= ${Date.parse('2026-03-15') - 1}`,
      attributesToHighlight: ['title', 'body'],
      attributesToCrop: ['body'],
      cropLength: 30,
      cropMarker: '…',
      highlightPreTag: '\u0002',
      highlightPostTag: '\u0003',
    });
  });

  it('when a search collapses, then copyGroup is sent as distinct and the stub keeps one hit per group, counted once', async () => {
    const writer = engine();
    const copy = (id: string, group: string, title: string) => ({ ...makeArticle({ id, title, body: 'The ferry strike ended.', category: 'transport' }), copyGroup: group });
    await writer.upsert([copy('wire-1', 'wire-1', 'Ferry strike ends'), copy('wire-2', 'wire-1', 'Ferry strike ends today'), copy('other', 'other', 'Ferry news')]);
    const api = engine({ role: 'api' });
    const collapsed = await api.search(searchRequest({ q: 'ferry', collapse: true, facets: ['category'] }));
    expect(searchBodies().at(-1)).toMatchObject({ distinct: 'copyGroup' });
    expect([collapsed.hits.length, collapsed.totalHits, collapsed.facets]).toEqual([2, 2, { category: { transport: 2 } }]);
    expect(collapsed.hits.map((h) => h.article.copyGroup).sort()).toEqual(['other', 'wire-1']);
    const all = await api.search(searchRequest({ q: 'ferry', facets: ['category'] }));
    expect(searchBodies().at(-1)).not.toHaveProperty('distinct');
    expect([all.hits.length, all.totalHits]).toEqual([3, 3]);
  });

  it('when every result is read (an export), then it pages with search, no facets, until a short page, bodies left out', async () => {
    const writer = engine();
    const boats = Array.from({ length: 5 }, (_, i) => makeArticle({ id: `boat-${i}`, title: `Boat ${i}`, body: 'The boat sailed.', publishedAt: `2026-03-0${i + 1}T00:00:00Z` }));
    await writer.upsert(boats);
    const api = engine({ role: 'api' });
    const before = searchBodies().length;
    const batches: string[][] = [];
    for await (const batch of api.allResults({ q: 'boat', sort: 'oldest', match: 'last', filters: {} }, 2)) {
      batches.push(batch.map((a) => a.id));
      for (const a of batch) expect(a).not.toHaveProperty('body');
    }
    expect(batches).toEqual([['boat-0', 'boat-1'], ['boat-2', 'boat-3'], ['boat-4']]);
    expect(searchBodies().slice(before).map((b) => [b.page, b.hitsPerPage, b.facets])).toEqual([[1, 2, undefined], [2, 2, undefined], [3, 2, undefined]]);
  });

  it('when sorting by relevance or oldest, then no sort or an ascending date sort is sent', async () => {
    const api = engine({ role: 'api' });
    await api.search(searchRequest({ q: 'a' }));
    await api.search(searchRequest({ q: 'a', sort: 'oldest' }));
    expect(searchBodies().map((b) => b.sort)).toEqual([undefined, ['publishedAt:asc']]);
    expect(searchBodies().map((b) => b.matchingStrategy)).toEqual(['last', 'last']);
    expect(searchBodies()[0]).not.toHaveProperty('filter');
    expect(searchBodies()[0]).not.toHaveProperty('facets');
  });

  it('when filter values hold quotes, backslashes, OR, =, brackets, TO or NOT, then each stays one quoted value', async () => {
    const hostile = ['a" OR category = "b', 'x\\" OR tags EXISTS OR "', '] OR [', 'NOT politics', '1 TO 9', 'back\\slash\\', '"', ''];
    await engine({ role: 'api' }).search(searchRequest({ filters: { category: hostile, tags: ['ok'] } }));
    expect(searchBodies()[0]!.filter).toBe(
      'category IN ["a\\" OR category = \\"b", "x\\\\\\" OR tags EXISTS OR \\"", "] OR [", "NOT politics", "1 TO 9", ' +
        '"back\\\\slash\\\\", "\\"", ""] AND tags IN ["ok"]',
    );
  });

  it('when an article is fetched by id, then a hostile id is quoted and the stored hash never reaches the article', async () => {
    const api = engine({ role: 'indexer' });
    await api.upsert([harbour]);
    expect(await api.get('harbour')).toEqual(harbour);
    expect(await api.get('x" OR id != "y')).toBeUndefined();
    expect(searchBodies().map((b) => b.filter)).toEqual(['id = "harbour"', 'id = "x\\" OR id != \\"y"']);
    expect(searchBodies()[0]).toMatchObject({ q: '', limit: 1 });
  });

  it('when stats are asked, then one search counts every article without fetching any', async () => {
    const writer = engine();
    await writer.upsert([harbour, ferry]);
    expect(await writer.stats()).toEqual({ engine: 'meilisearch', articles: 2 });
    expect(searchBodies().at(-1)).toEqual({ q: '', page: 1, hitsPerPage: 0 });
  });

  it('when the index does not exist yet, then searches are empty, get finds nothing and stats count zero', async () => {
    const api = engine({ role: 'api' });
    expect(await api.search(searchRequest({ q: 'x', facets: ['tags'] }))).toEqual({
      hits: [], totalHits: 0, page: 1, perPage: 20, totalPages: 0, facets: { tags: {} },
    });
    expect(await api.get('harbour')).toBeUndefined();
    expect(await api.stats()).toEqual({ engine: 'meilisearch', articles: 0 });
  });

  it('when Meilisearch answers, then hits, exact totals, facets and escaped highlights come back in our shape', async () => {
    await engine().upsert([harbour]);
    stub.onSearch = () => ({
      hits: [{
        ...FOUND,
        _formatted: {
          title: '\u0002Harbour\u0003 <b>reopens</b> & "more"',
          body: '…the \u0002harbour\u0003 reopened <script>x</script>…',
          tags: ['harbour'],
        },
      }],
      query: 'harbour',
      processingTimeMs: 1,
      hitsPerPage: 1,
      page: 2,
      totalPages: 12,
      totalHits: 12,
      facetDistribution: { category: { local: 7, sport: 5 } },
    });
    const result = await engine({ role: 'api' }).search(searchRequest({ q: 'harbour', page: 2, perPage: 1, facets: ['category', 'orgs'] }));
    expect(result).toEqual({
      hits: [{
        article: harbour,
        highlight: {
          title: '<mark>Harbour</mark> &lt;b&gt;reopens&lt;/b&gt; &amp; &quot;more&quot;',
          snippet: '…the <mark>harbour</mark> reopened &lt;script&gt;x&lt;/script&gt;…',
        },
      }],
      totalHits: 12,
      page: 2,
      perPage: 1,
      totalPages: 12,
      facets: { category: { local: 7, sport: 5 }, orgs: {} },
    });
  });
});

describe('meilisearch adapter: histograms', () => {
  const dated = (id: string, publishedAt?: string) =>
    makeArticle({ id, title: `Council news ${id}`, body: 'The council met.', ...(publishedAt ? { publishedAt } : {}) });
  const corpus = [
    dated('a', '2026-03-10T08:00:00Z'),
    dated('b', '2026-03-14T00:00:00Z'),
    dated('c', '2026-03-14T23:59:59.999Z'),
    dated('d', '2026-03-16T00:00:00Z'),
    dated('e', '2026-04-01T00:00:00Z'),
    dated('undated'),
  ];
  const sum = (h: { buckets: readonly { count: number }[]; undated: number } | undefined) =>
    (h?.buckets ?? []).reduce((n, b) => n + b.count, 0) + (h?.undated ?? 0);

  it('when a histogram is asked, then the interval\'s field is faceted and the counts, undated ones included, add up to totalHits', async () => {
    await engine().upsert(corpus);
    const api = engine({ role: 'api' });
    const days = await api.search(searchRequest({ q: 'council', perPage: 1, histogram: 'day' }));
    expect(searchBodies().at(-1)!.facets).toEqual(['publishedDay']);
    expect(days.histogram).toEqual({
      interval: 'day',
      buckets: [
        { start: '2026-03-10', count: 1 },
        { start: '2026-03-14', count: 2 },
        { start: '2026-03-16', count: 1 },
        { start: '2026-04-01', count: 1 },
      ],
      undated: 1,
    });
    expect(sum(days.histogram)).toBe(days.totalHits);
    const weeks = await api.search(searchRequest({ q: '', histogram: 'week', facets: ['category'] }));
    expect(searchBodies().at(-1)!.facets).toEqual(['category', 'publishedWeek']);
    expect(weeks.histogram!.buckets).toEqual([
      { start: '2026-03-09', count: 3 },
      { start: '2026-03-16', count: 1 },
      { start: '2026-03-30', count: 1 },
    ]);
    expect(weeks.facets).toEqual({ category: {} });
    const months = await api.search(searchRequest({ q: 'council', histogram: 'month', filters: { from: '2026-03-12' } }));
    expect(months.histogram).toEqual({ interval: 'month', buckets: [{ start: '2026-03-01', count: 3 }, { start: '2026-04-01', count: 1 }], undated: 0 });
  });

  it('when a facet has more values than the facet limit, then the most frequent 100 are kept, as on the embedded engine', async () => {
    await engine().upsert([harbour]);
    const many = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`tag${String(i).padStart(3, '0')}`, i < 120 ? 1 : 2]));
    stub.onSearch = () => ({ hits: [], query: 'x', processingTimeMs: 1, hitsPerPage: 1, page: 1, totalPages: 0, totalHits: 0, facetDistribution: { tags: many } });
    const result = await engine({ role: 'api' }).search(searchRequest({ q: 'x', facets: ['tags'] }));
    const kept = Object.keys(result.facets.tags!);
    expect(kept).toHaveLength(100);
    expect(kept.slice(0, 30)).toEqual(Array.from({ length: 30 }, (_, i) => `tag${120 + i}`));
    expect(kept[30]).toBe('tag000');
  });
});

describe('meilisearch adapter: articles about an entity first', () => {
  /**
   * Five articles that mention Sergei Lavrov, searched by the stub itself (no hand-written answers): a1 and a2 are
   * about him (salience at least ABOUT_SALIENCE), o1–o3 only mention him and are newer, so that the plain order
   * (newest first) and the about-first order differ.
   */
  const mention = (id: string, day: number, salience: number) => ({
    ...makeArticle({ id, title: `Title ${id}`, body: 'Sergei Lavrov spoke.', source: 'Wire', publishedAt: `2026-03-0${day}T12:00:00Z` }),
    people: ['Sergei Lavrov'],
    salience: { 'people:Sergei Lavrov': salience },
  });
  beforeEach(async () => {
    await engine().upsert([
      mention('a1', 5, ABOUT_SALIENCE + 0.1),
      mention('a2', 4, ABOUT_SALIENCE),
      mention('o1', 9, ABOUT_SALIENCE / 2),
      mention('o2', 8, ABOUT_SALIENCE / 2),
      mention('o3', 7, ABOUT_SALIENCE / 2),
    ]);
  });

  const aboutLavrov = [{ kind: 'people', name: 'Sergei Lavrov' }] as const;

  it('when the query names an entity, then the page starts with the articles about it and goes on with the others', async () => {
    const api = engine({ role: 'api' });
    const result = await api.search(
      searchRequest({ q: 'Sergei Lavrov', perPage: 3, match: 'all', about: aboutLavrov, facets: ['people'], filters: { source: ['Wire'] } }),
    );
    expect(result.hits.map((h) => h.article.id)).toEqual(['a1', 'a2', 'o1']);
    expect(result).toMatchObject({ totalHits: 5, totalPages: 2, facets: { people: { 'Sergei Lavrov': 5 } } });
    const [first, all, rest] = searchBodies();
    expect(first).toMatchObject({ filter: 'source IN ["Wire"] AND about IN ["people:Sergei Lavrov"]', page: 1, hitsPerPage: 3 });
    expect(first).not.toHaveProperty('facets');
    expect(all).toMatchObject({ filter: 'source IN ["Wire"]', facets: ['people'], page: 1, hitsPerPage: 0 });
    expect(rest).toMatchObject({ filter: 'source IN ["Wire"] AND about NOT IN ["people:Sergei Lavrov"]', offset: 0, limit: 1 });
    for (const body of [first, all, rest]) expect(body).toMatchObject({ q: 'sergei lavrov', matchingStrategy: 'all' }); // one set of matches
  });

  it('when a later page lies past the articles about it, then the others continue where the first page left them', async () => {
    const result = await engine({ role: 'api' }).search(searchRequest({ q: 'Sergei Lavrov', page: 2, perPage: 3, about: aboutLavrov }));
    expect(result.hits.map((h) => h.article.id)).toEqual(['o2', 'o3']);
    expect(searchBodies()[2]).toMatchObject({ offset: 1, limit: 3 });
  });

  it('when a query naming him is exported (services/export-search.ts), then it is prepared as a page is: the pages\' order, about him first', async () => {
    const api = engine({ role: 'api' });
    // the entity statistics' part that preparing a search reads (in Meilisearch mode they are SQLite's, not the engine's)
    const entities = {
      named: async (text: string) => (text.toLowerCase() === 'sergei lavrov' ? [{ kind: 'people', name: 'Sergei Lavrov', articles: 5 } as const] : []),
      resolve: async () => ({ match: 'unknown' }) as const,
    };
    const asked = { q: 'Sergei Lavrov', sort: 'relevance', match: 'last', filters: {} } as const;
    const exported = async (deps: Parameters<typeof exportSearch>[0]): Promise<string[]> => {
      const ids: string[] = [];
      for await (const row of exportSearch(deps, asked)) ids.push(row.article.id);
      return ids;
    };
    expect(api.findsNamedEntities()).toBe(false); // so `about` is looked up by the service, not left to the engine
    const paged: string[] = [];
    for (const page of [1, 2]) paged.push(...(await api.search(searchRequest({ ...asked, page, perPage: 3, about: aboutLavrov }))).hits.map((h) => h.article.id));
    expect(paged).toEqual(['a1', 'a2', 'o1', 'o2', 'o3']);
    const from = stub.requestsTo('POST', `/indexes/${INDEX}/search`).length;
    expect(await exported({ engine: api, entities })).toEqual(paged);
    expect(searchBodies().slice(from)[0]).toMatchObject({ filter: 'about IN ["people:Sergei Lavrov"]' });
    expect(await exported({ engine: api })).toEqual(['o1', 'o2', 'o3', 'a1', 'a2']); // no entity statistics: the plain order
  });

  it('when a query with no words filters on an entity, then the articles about it come first', async () => {
    const result = await engine({ role: 'api' }).search(searchRequest({ q: '', perPage: 4, filters: { people: ['Sergei Lavrov'] } }));
    expect(result.hits.map((h) => h.article.id)).toEqual(['a1', 'a2', 'o1', 'o2']);
    expect(searchBodies()[0]!.filter).toBe('people IN ["Sergei Lavrov"] AND about IN ["people:Sergei Lavrov"]');
  });

  it('when the index predates the about field (settings not yet updated by the indexer), then the plain order answers', async () => {
    stub.changeSettings(INDEX, (s) => ({ ...s, filterableAttributes: (s.filterableAttributes as string[]).filter((a) => a !== 'about') }));
    const result = await engine({ role: 'api' }).search(searchRequest({ q: 'Sergei Lavrov', about: aboutLavrov }));
    expect(result.hits.map((h) => h.article.id)).toEqual(['o1', 'o2', 'o3', 'a1', 'a2']); // newest first
    expect(searchBodies().at(-1)).not.toHaveProperty('filter');
  });

  it('when results are sorted by date, or no entity is named or filtered, then one plain search answers', async () => {
    const api = engine({ role: 'api' });
    await api.search(searchRequest({ q: 'Sergei Lavrov', sort: 'newest', about: aboutLavrov }));
    await api.search(searchRequest({ q: 'lavrov', filters: { people: ['Sergei Lavrov'] } }));
    expect(searchBodies().map((b) => String(b.filter))).toEqual(['undefined', 'people IN ["Sergei Lavrov"]']);
  });
});

describe('meilisearch adapter: freshness', () => {
  /**
   * Searched by the stub itself, which scores words and typos as the server does (`_rankingScore`): the old article
   * matches exactly (score 1), the new one with a typo (score 2/3), so the plain order puts the old one first and a
   * short half-life turns it over.
   */
  const now = Date.parse('2026-04-01T00:00:00Z');
  const fresh = { halfLifeDays: 7, now };
  beforeEach(async () => {
    await engine().upsert([
      makeArticle({ id: 'old', title: 'Lighthouse keeper', body: 'Retired.', publishedAt: '2025-01-01T00:00:00Z' }),
      makeArticle({ id: 'new', title: 'Lighthuose keeper', body: 'Hired.', publishedAt: '2026-03-31T00:00:00Z' }),
      makeArticle({ id: 'other', title: 'Harbour', body: 'Boats.', publishedAt: '2026-03-31T00:00:00Z' }),
    ]);
  });

  it('when freshness is asked, then the first matches are fetched with their ranking score and re-ordered by score × decay', async () => {
    const api = engine({ role: 'api' });
    expect((await api.search(searchRequest({ q: 'lighthouse ' }))).hits.map((h) => h.article.id)).toEqual(['old', 'new']);
    const result = await api.search(searchRequest({ q: 'lighthouse ', perPage: 1, freshness: fresh }));
    expect(result.hits.map((h) => h.article.id)).toEqual(['new']);
    expect(result).toMatchObject({ totalHits: 2, page: 1, perPage: 1, totalPages: 2 });
    expect(result.hits[0]!.article).not.toHaveProperty('_rankingScore');
    // the window light (ids, dates, scores; no text), then the page's documents by id, highlighted
    const [window, page] = searchBodies().slice(-2);
    expect(window).toMatchObject({ page: 1, hitsPerPage: FRESHNESS_WINDOW, showRankingScore: true, attributesToRetrieve: ['id', 'publishedAt'] });
    expect(window).not.toHaveProperty('attributesToHighlight');
    expect(page).toMatchObject({ filter: ['id IN ["new"]'], offset: 0, limit: 1, attributesToHighlight: ['title', 'body'] });
    const second = await api.search(searchRequest({ q: 'lighthouse ', page: 2, perPage: 1, freshness: fresh }));
    expect(second.hits.map((h) => h.article.id)).toEqual(['old']);
  });

  it('when a filter is given with freshness, then the page\'s documents are fetched under the same filter and their ids', async () => {
    const api = engine({ role: 'api' });
    const result = await api.search(searchRequest({ q: 'lighthouse ', freshness: fresh, filters: { from: '2026-01-01' } }));
    expect(result.hits.map((h) => h.article.id)).toEqual(['new']);
    const page = searchBodies().at(-1)!;
    expect(page.filter).toEqual([`publishedAt >= ${Date.parse('2026-01-01')}`, 'id IN ["new"]']);
  });

  it('when the page lies past the window, or the sort is by date, then Meilisearch\'s own order answers in one plain search', async () => {
    const api = engine({ role: 'api' });
    await api.search(searchRequest({ q: 'lighthouse ', page: FRESHNESS_WINDOW + 1, perPage: 1, freshness: fresh }));
    await api.search(searchRequest({ q: 'lighthouse ', sort: 'newest', freshness: fresh }));
    for (const body of searchBodies()) expect(body).not.toHaveProperty('showRankingScore');
  });

  it('when the query names an entity too, then each part of the about-first order is re-ordered on its own', async () => {
    const result = await engine({ role: 'api' }).search(
      searchRequest({ q: 'lighthouse ', freshness: fresh, about: [{ kind: 'people', name: 'Nobody Here' }] }),
    );
    expect(result.hits.map((h) => h.article.id)).toEqual(['new', 'old']);
  });
});

describe('meilisearch adapter: errors never carry a key', () => {
  const KEY = 'search-key-that-must-not-leak-0123456789';

  /** The error as the service logs it (pino's serializer, cause chain included) and as Node prints it. */
  const renderings = async (failing: Promise<unknown>): Promise<string> => {
    const error = (await failing.catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    const { stdSerializers } = await import('pino');
    const { inspect } = await import('node:util');
    return `${JSON.stringify(stdSerializers.err(error))}\n${inspect(error, { depth: 20 })}`;
  };

  it('when a key is refused, Meilisearch is unreachable or too slow, then neither the log form nor the printed form holds the key', async () => {
    stub.addKey({ name: 'other', description: null, actions: ['search'], indexes: ['elsewhere'], expiresAt: null });
    const api = engine({ role: 'api', keys: { searchKey: KEY }, requestTimeoutMs: 200 });
    const refused = await renderings(api.search(searchRequest({ q: 'x' })));
    expect(refused).toContain('invalid_api_key');
    stub.delayMs = 1_000;
    const slow = await renderings(api.search(searchRequest({ q: 'x' })));
    expect(slow).toMatch(/did not answer/);
    expect(slow).toContain('<redacted>'); // the client redacts the header it keeps in the timeout error
    stub.delayMs = 0;
    await stub.stop();
    const down = await renderings(api.search(searchRequest({ q: 'x' })));
    expect(down).toMatch(/did not answer/);
    for (const text of [refused, slow, down]) expect(text).not.toContain(KEY);
  });
});

describe('meilisearch adapter: showing results for (suggestion)', () => {
  const blunkett = makeArticle({ id: 'blunkett', title: 'Blunkett wins the election', body: 'David Blunkett won the election in Sheffield.' });

  it('when the stub matched words through typos, then the answer spells the query as the words it marked', async () => {
    await engine().upsert([blunkett, harbour]);
    const api = engine({ role: 'api' });
    // the stub reads a typo in the word being typed against the word's first letters only: a trailing space here
    expect((await api.search(searchRequest({ q: 'blunket electon ' }))).suggestion).toBe('blunkett election');
    expect((await api.search(searchRequest({ q: 'Blunket -harbour elect' }))).suggestion).toBe('blunkett elect -harbour');
    expect((await api.search(searchRequest({ q: 'blunkett election' }))).suggestion).toBeUndefined();
    expect((await api.search(searchRequest({ q: 'qwertyzz' }))).suggestion).toBeUndefined();
  });

  it('when Meilisearch marks only the matched part of a word, then the whole word is read', async () => {
    await engine().upsert([blunkett]);
    stub.onSearch = () => ({
      hits: [{
        ...blunkett,
        _formatted: { title: '\u0002Blunket\u0003t wins the \u0002elect\u0003ion', body: 'David \u0002Blunket\u0003t won the \u0002elect\u0003ion…' },
      }],
      query: 'blunket electon', processingTimeMs: 1, hitsPerPage: 20, page: 1, totalPages: 1, totalHits: 1,
    });
    expect((await engine({ role: 'api' }).search(searchRequest({ q: 'blunket electon' }))).suggestion).toBe('blunkett election');
  });
});
