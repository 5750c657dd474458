import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Article } from '../../src/core/article.js';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { haveMeiliArtifacts, MEILI_TESTS, rustTestBody } from '../helpers/meili-artifacts.js';
import { SpecValidator } from '../helpers/meili-openapi.js';
import { makeArticle, searchRequest } from '../helpers/make-article.js';
import { MeiliStub } from '../helpers/meili-stub.js';

/**
 * Meilisearch's own recorded request/answer pairs, replayed. test/fixtures/meilisearch/recorded-cases.json holds
 * cases transcribed from the v1.50.0 server tests (each names `file#test`); this file checks at test time that the
 * named test exists in ../shared/meilisearch and holds the recorded code, then replays each case against the stub —
 * status, error code, type, link and message, the hits or counts recorded — and validates the stub's answer against
 * the OpenAPI document. With MEILI_URL (and MEILI_MASTER_KEY) set, the same cases run against that live server.
 * The engine-level cases (matching strategies, typos, pagination totals) also run against the embedded engine.
 * Skipped with a message when ../shared/meilisearch is absent.
 */

type Json = Record<string, unknown>;
type Auth = 'master' | 'none' | { header: string } | { key: Json };
type Docs = Json[] | { file: string; static?: string; test?: string };
interface Case {
  readonly from: string;
  readonly engine?: boolean;
  readonly setup?: { create?: boolean; settings?: Json; documents?: Docs; saturated?: boolean };
  readonly request: { method: string; path: string; body?: unknown; auth?: Auth };
  readonly status: number;
  readonly body?: Json;
  readonly emptyBody?: boolean;
  readonly hits?: Json[];
  readonly hitCount?: number;
  readonly fields?: Json;
  readonly firstHit?: Json;
}

const FIXTURE = fileURLToPath(new URL('../fixtures/meilisearch/recorded-cases.json', import.meta.url));
const cases = (JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as { cases: Case[] }).cases;
const present = haveMeiliArtifacts("the replay of Meilisearch's recorded cases");
const LIVE = process.env.MEILI_URL;
const MASTER = LIVE ? (process.env.MEILI_MASTER_KEY ?? '') : 'MASTER_KEY';

/** The first `json!(…)` literal after `from` in `text`, as JSON (Rust's trailing commas removed). */
function jsonMacro(text: string, from: number): unknown {
  const start = text.indexOf('json!(', from) + 'json!('.length;
  let depth = 1;
  let inString = false;
  let i = start;
  for (; i < text.length && depth > 0; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
  }
  return JSON.parse(text.slice(start, i - 1).replace(/,(\s*[\]}])/g, '$1')) as unknown;
}

/** A case's documents: inline, a `static NAME` of a test file, or the `json!` documents of a named test. */
function documentsOf(docs: Docs): Json[] {
  if (Array.isArray(docs)) return docs;
  const text = fs.readFileSync(path.join(MEILI_TESTS, docs.file), 'utf8');
  if (docs.static) return jsonMacro(text, text.indexOf(`static ${docs.static}:`)) as Json[];
  const body = rustTestBody(docs.file, docs.test!)!;
  return jsonMacro(body, body.indexOf('let documents')) as Json[];
}

/** HTTP against the stub or the live server, with the master key unless told otherwise. */
class Client {
  constructor(readonly url: string) {}

  /** `header` null: no Authorization header. */
  async call(method: string, route: string, body?: unknown, header: string | null = `Bearer ${MASTER}`): Promise<{ status: number; text: string; json: unknown }> {
    const res = await fetch(`${this.url}${route}`, {
      method,
      headers: { ...(header === null ? {} : { authorization: header }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, text, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
  }

  /** Enqueues a write and polls its task until it finished. */
  async write(method: string, route: string, body: unknown): Promise<void> {
    const { json } = await this.call(method, route, body);
    const uid = (json as { taskUid: number }).taskUid;
    for (let i = 0; i < 1_000; i++) {
      const task = (await this.call('GET', `/tasks/${uid}`)).json as { status: string };
      if (task.status === 'succeeded' || task.status === 'failed') return;
      if (LIVE) await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`task ${uid} did not finish`);
  }
}

async function replay(c: Case, n: number, client: Client, stub: MeiliStub | undefined): Promise<{ status: number; text: string; json: unknown }> {
  const index = `replay-${n}-${Date.now()}`;
  if (c.setup?.create) await client.write('POST', '/indexes', { uid: index });
  if (c.setup?.settings) await client.write('PATCH', `/indexes/${index}/settings`, c.setup.settings);
  if (c.setup?.documents) await client.write('POST', `/indexes/${index}/documents`, documentsOf(c.setup.documents));
  const auth = c.request.auth ?? 'master';
  let header: string | null = `Bearer ${MASTER}`;
  if (auth === 'none') header = null;
  else if (auth !== 'master' && 'header' in auth) header = auth.header;
  else if (auth !== 'master') header = `Bearer ${((await client.call('POST', '/keys', auth.key)).json as { key: string }).key}`;
  if (c.setup?.saturated && stub) stub.unavailable = { retryAfter: 10 };
  return client.call(c.request.method, c.request.path.replace('{index}', index), c.request.body, header);
}

/** The recorded body with its placeholders (`[uuid]`: the index) filled in. */
const expectedBody = (body: Json, message: string | undefined): Json =>
  message === undefined || typeof body.message !== 'string' || !body.message.includes('[uuid]') ? body : { ...body, message };

(present ? describe : describe.skip)("Meilisearch's recorded cases (v1.50.0 tests)", () => {
  const spec = present ? new SpecValidator() : undefined;

  it('when the fixtures are read, then there are at least 80, each naming a test that exists and holds the recorded code', () => {
    expect(cases.length).toBeGreaterThanOrEqual(80);
    for (const c of cases) {
      const [file, test] = c.from.split('#');
      const name = /^\w+/.exec(test ?? '')?.[0];
      if (!name || !fs.existsSync(path.join(MEILI_TESTS, file!))) continue; // protocol cases name their source in words
      const body = rustTestBody(file!, name);
      expect([c.from, body !== undefined]).toEqual([c.from, true]);
      const code = c.body?.code;
      if (typeof code === 'string' && !/authorization\.rs$/.test(file!)) expect([c.from, body!.includes(code)]).toEqual([c.from, true]);
    }
  });

  describe.each([['the stub', undefined], ...(LIVE ? [['the live server', LIVE]] : [])] as [string, string | undefined][])('against %s', (_name, live) => {
    let stub: MeiliStub | undefined;
    let client: Client;

    beforeEach(async () => {
      stub = live ? undefined : new MeiliStub(MASTER);
      client = new Client(live ?? (await stub!.start()));
    });

    afterEach(async () => {
      await stub?.stop();
    });

    it.each(cases.map((c, n) => [n, c.from, c] as const))('case %i (%s)', async (n, _from, c) => {
      const answer = await replay(c, n, client, stub);
      expect(answer.status).toBe(c.status);
      if (c.emptyBody) expect(answer.text).toBe('');
      const got = answer.json as Json;
      if (c.body) {
        const message = typeof c.body.message === 'string' ? (c.body.message).replace('[uuid]', String(/`(replay-[^`]+)`/.exec(String(got.message))?.[1])) : undefined;
        expect(got).toMatchObject(expectedBody(c.body, message));
      }
      if (c.hits) expect(got.hits).toEqual(c.hits);
      if (c.hitCount !== undefined) expect((got.hits as unknown[]).length).toBe(c.hitCount);
      if (c.fields) expect(got).toMatchObject(c.fields);
      if (c.firstHit) expect((got.hits as Json[])[0]).toEqual(c.firstHit);
      if (stub && spec) {
        const served = stub.exchanges.filter((e) => spec.operation(e.request.method, e.request.path) !== undefined);
        expect(served.flatMap((e) => spec.response(e.request.method, e.request.path, e.status, e.body))).toEqual([]);
      }
    });
  });

  describe('the engine-level cases against the embedded engine', () => {
    // The same documents as articles: the document's title as title, a one-character body; a facet field of the
    // document as `category`. Deliberate differences (README): the embedded engine has the `last` and `all`
    // strategies (not `frequency`) and its own words and typos; hitsPerPage 0 and page 0 are not valid requests.
    async function withEngine(docs: Json[], facet: string | undefined, work: (engine: SqliteEngine) => Promise<void>): Promise<void> {
      const engine = await SqliteEngine.open({ file: ':memory:' });
      try {
        const articles: Article[] = docs.map((d) => makeArticle({
          id: `d${String(d.id)}`,
          title: String(d.title ?? d.id),
          body: '.',
          ...(facet && typeof d[facet] === 'string' ? { category: d[facet] } : {}),
        }));
        await engine.upsert(articles);
        await work(engine);
      } finally {
        await engine.close();
      }
    }

    const strategy = cases.filter((c) => c.engine && c.from.startsWith('search/matching_strategy.rs') && (c.request.body as Json).matchingStrategy !== 'frequency');
    it.each(strategy.map((c, n) => [n, c.from, c] as const))('case %i (%s)', async (_n, _from, c) => {
      const body = c.request.body as { q: string; matchingStrategy: 'last' | 'all' };
      await withEngine(documentsOf(c.setup!.documents!), undefined, async (engine) => {
        const result = await engine.search(searchRequest({ q: body.q, match: body.matchingStrategy }));
        expect(new Set(result.hits.map((h) => h.article.id.slice(1)))).toEqual(new Set(c.hits!.map((h) => String(h.id))));
      });
    });

    const paging = cases.filter((c) => c.engine && /pagination\.rs#(simple_search|hits_per_page_1)$/.test(c.from));
    it.each(paging.map((c, n) => [n, c.from, c] as const))('pagination case %i (%s)', async (_n, _from, c) => {
      const body = c.request.body as { page?: number; hitsPerPage?: number };
      await withEngine(documentsOf(c.setup!.documents!), undefined, async (engine) => {
        const result = await engine.search(searchRequest({ page: body.page ?? 1, perPage: body.hitsPerPage ?? 20 }));
        expect(result.hits).toHaveLength(c.hitCount!);
        expect({ page: result.page, totalPages: result.totalPages, totalHits: result.totalHits }).toMatchObject(
          Object.fromEntries(Object.entries(c.fields!).filter(([k]) => ['page', 'totalPages', 'totalHits'].includes(k))),
        );
      });
    });

    const facets = cases.filter((c) => c.engine && c.from.endsWith('#search_facet_distribution'));
    it.each(facets.map((c, n) => [n, c.from, c] as const))('facet case %i (%s)', async (_n, _from, c) => {
      const field = ((c.request.body as Json).facets as string[])[0]!;
      await withEngine(documentsOf(c.setup!.documents!), field, async (engine) => {
        const result = await engine.search(searchRequest({ facets: ['category'] }));
        expect(result.facets.category).toEqual(((c.fields!.facetDistribution as Json)[field]));
      });
    });
  });
});
