import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { freePort } from '../bench/api-process.js';
import { spawnEntry } from './helpers/entry-process.js';
import { MeiliStub } from './helpers/meili-stub.js';

/**
 * The service and the indexer as processes (from the sources, with tsx) in Meilisearch mode, against the local
 * stub of Meilisearch's API: keys bootstrapped from the master key and never printed, the similarity store used
 * in both, and an indexer that never reports success for a failed task.
 */

const MASTER = 'master-key-for-process-tests-0123456789';

interface Exit {
  readonly code: number | null;
  readonly output: string;
}

/** Runs a TypeScript entry point to its end (async, so that the stub in this process keeps answering). */
async function run(entry: string, args: readonly string[], env: Record<string, string>): Promise<Exit> {
  const child = spawnEntry(entry, args, env);
  const code = await child.exited;
  return { code, output: child.output() };
}

let stub: MeiliStub;
let dataDir: string;
let env: Record<string, string>;

beforeEach(async () => {
  stub = new MeiliStub(MASTER);
  await stub.start();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-meili-'));
  env = { SEARCH_ENGINE: 'meilisearch', MEILI_URL: stub.url, MEILI_MASTER_KEY: MASTER, DATA_DIR: dataDir, LOG_LEVEL: 'info' };
});

afterEach(async () => {
  await stub.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Resolves once `done()` holds, or after `ms` (the caller's expectations then fail on what is there). */
async function until(done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** Rows of the outbox in the store file (0 before the file or the table exists). */
function outboxRows(dir: string): number {
  try {
    const db = new Database(path.join(dir, 'newsfind.db'), { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT count(*) FROM engine_outbox').pluck().get() as number;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

/** Every key value the stub knows, and the master key: none may appear in any output. */
const secrets = () => [MASTER, ...stub.listKeys().map((k) => k.key)];

describe('Meilisearch mode: processes', () => {
  it('when the indexer reads a folder, then it writes with the admin key, fills the similarity store, and a re-run changes nothing', async () => {
    // A mounted folder, as the compose indexer service reads it: its .json and .jsonl files, nothing else.
    const file = path.join(dataDir, 'inbox');
    const story = (id: string) => ({ id, title: `Story ${id}`, body: `Body of story ${id}.` });
    fs.mkdirSync(file);
    fs.writeFileSync(path.join(file, '1-first.jsonl'), ['a', 'b'].map((id) => JSON.stringify(story(id))).join('\n'));
    fs.writeFileSync(path.join(file, '2-more.json'), JSON.stringify([story('c')]));
    fs.writeFileSync(path.join(file, 'notes.md'), 'not articles (a kind the indexer does not read)');
    const first = await run('indexer/main.ts', ['--json', file], env);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.output.trim().split('\n').at(-1)!)).toMatchObject({ read: 3, indexed: 3, unchanged: 0, rejected: 0 });
    expect(stub.documents('articles').map((d) => d.id).sort()).toEqual(['a', 'b', 'c']);
    expect(fs.existsSync(path.join(dataDir, 'newsfind.db'))).toBe(true); // the term vectors and entities, in one local file
    expect(fs.existsSync(path.join(dataDir, 'similarity.db'))).toBe(false);
    expect(stub.listKeys().map((k) => k.name)).toEqual(['newsfind-admin (articles)']);
    const second = await run('indexer/main.ts', ['--json', file], env);
    expect(JSON.parse(second.output.trim().split('\n').at(-1)!)).toMatchObject({ indexed: 0, unchanged: 3 });
    for (const secret of secrets()) expect(first.output + second.output).not.toContain(secret);
  });

  it('when the indexer is killed (kill -9) after its local commit and before delivery, then the service delivers its operations', async () => {
    const file = path.join(dataDir, 'articles.jsonl');
    fs.writeFileSync(file, ['a', 'b'].map((id) => JSON.stringify({ id, title: `Story ${id}`, body: `Body of story ${id}.` })).join('\n'));
    stub.unavailable = { retryAfter: 1 }; // the indexer commits locally, then cannot deliver
    const indexer = spawnEntry('indexer/main.ts', [file], env);
    try {
      await until(() => outboxRows(dataDir) === 2, 30_000);
      expect(outboxRows(dataDir)).toBe(2);
    } finally {
      indexer.kill('SIGKILL');
    }
    expect(await indexer.exited).toBeNull(); // killed, not exited
    stub.unavailable = undefined;
    expect(stub.documents('articles')).toEqual([]);
    const port = await freePort();
    const service = spawnEntry('src/main.ts', [], { ...env, PORT: String(port), WORKERS: '2', DEMO_DATA: 'off' });
    try {
      await until(() => stub.documents('articles').length === 2, 30_000);
      expect(stub.documents('articles').map((d) => d.id).sort()).toEqual(['a', 'b']);
      await until(() => outboxRows(dataDir) === 0, 5_000);
      await service.waitForOutput('"msg":"listening"', 30_000);
      const ready = await (await fetch(`http://127.0.0.1:${port}/ready`)).json();
      expect(ready).toEqual({ status: 'ready', outbox: { pending: 0, dead: 0, oldestPendingSeconds: 0 } });
    } finally {
      service.stop();
    }
    expect(await service.exited).toBe(0);
  });

  it('when Meilisearch is down for a whole run, then the indexer commits locally, says what waits, and the next run delivers it', async () => {
    const file = path.join(dataDir, 'articles.jsonl');
    fs.writeFileSync(file, JSON.stringify({ id: 'a', title: 'Story', body: 'Body.' }));
    stub.unavailable = { retryAfter: 1 };
    const first = await run('indexer/main.ts', ['--json', file], { ...env, MEILI_OUTBOX_DRAIN_MS: '300' });
    expect(first.code).toBe(0);
    expect(first.output).toContain('1 operation waits in the outbox for Meilisearch');
    expect(JSON.parse(first.output.trim().split('\n').at(-1)!)).toMatchObject({ read: 1, indexed: 1 });
    expect(outboxRows(dataDir)).toBe(1);
    stub.unavailable = undefined;
    const second = await run('indexer/main.ts', ['--reconcile'], env);
    expect(second.code).toBe(0);
    expect(stub.documents('articles').map((d) => d.id)).toEqual(['a']);
    expect(outboxRows(dataDir)).toBe(0);
  });

  it('when Meilisearch fails the indexing task, then the indexer exits non-zero and reports the failure', async () => {
    const file = path.join(dataDir, 'articles.jsonl');
    fs.writeFileSync(file, JSON.stringify({ id: 'a', title: 'Story', body: 'Body.' }));
    stub.failNextTask('documentAdditionOrUpdate', 'internal', 'disk full');
    const failed = await run('indexer/main.ts', [file], env);
    expect(failed.code).toBe(1);
    expect(failed.output).toMatch(/indexing failed: Meilisearch task \d+ \(adding 1 documents\) failed: internal: disk full/);
    expect(failed.output).not.toMatch(/indexed 1/);
    expect(stub.documents('articles')).toEqual([]);
  });

  it('when the service starts, then it loads the demo set, serves search and /health, and never prints a key', async () => {
    const port = await freePort();
    const service = spawnEntry('src/main.ts', [], { ...env, PORT: String(port), WORKERS: '1' });
    try {
      await service.waitForOutput('"msg":"listening"', 30_000);
      // the demo set is committed locally, then delivered to Meilisearch by the primary's outbox deliverer
      await until(() => stub.documents('articles').length === 65, 30_000);
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      const body = await health.json();
      expect(body).toEqual({ status: 'ok', engine: 'meilisearch', articles: 65 });
      expect(service.output()).toContain('indexed the demo articles');
      expect(service.output()).toMatch(/"engine":"meilisearch".*"msg":"listening"/);
      const searched = await fetch(`http://127.0.0.1:${port}/api/search?q=anything`);
      expect(searched.status).toBe(200);
      for (const secret of secrets()) expect(service.output() + JSON.stringify(body)).not.toContain(secret);
      expect(stub.listKeys().map((k) => k.name).sort()).toEqual(['newsfind-admin (articles)', 'newsfind-search (articles)']);
    } finally {
      service.stop();
    }
    expect(await service.exited).toBe(0);
  });

  it('when Meilisearch is down at start, then the service still listens, answers 503 and recovers when it is back', async () => {
    await stub.stop();
    const port = await freePort();
    const service = spawnEntry('src/main.ts', [], { ...env, PORT: String(port), WORKERS: '1', DEMO_DATA: 'off', MEILI_REQUEST_TIMEOUT_MS: '500' });
    try {
      await service.waitForOutput('"msg":"listening', 30_000);
      expect(service.output()).toContain('listening; the search engine does not answer yet');
      const down = await fetch(`http://127.0.0.1:${port}/health`);
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('5');
      await stub.start();
      const up = await fetch(`http://127.0.0.1:${port}/health`);
      expect(await up.json()).toEqual({ status: 'ok', engine: 'meilisearch', articles: 0 });
      expect(service.output()).not.toContain(MASTER);
    } finally {
      service.stop();
    }
    expect(await service.exited).toBe(0);
  });

  it('when two services run with MEILI_MIRROR=on, only a search key and separate empty DATA_DIRs, then they fill themselves from Meilisearch and answer alike', async () => {
    const indexed = await run('indexer/main.ts', ['--json', 'data/demo/articles.jsonl'], env);
    expect(indexed.code).toBe(0);
    expect(stub.documents('articles')).toHaveLength(65);
    const search = stub.addKey({ name: 'ops search', description: null, actions: ['search'], indexes: ['articles', 'articles-tombstones'], expiresAt: null });
    const replicas = await Promise.all([0, 1].map(async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-replica-'));
      const port = await freePort();
      const replicaEnv = { ...env, MEILI_MASTER_KEY: '', MEILI_SEARCH_KEY: search, DATA_DIR: dir, MEILI_MIRROR: 'on', PORT: String(port), WORKERS: '2' };
      return { dir, port, service: spawnEntry('src/main.ts', [], replicaEnv) };
    }));
    try {
      const answers = async (port: number) => {
        const get = async (url: string) => (await fetch(`http://127.0.0.1:${port}${url}`)).json() as Promise<Record<string, unknown>>;
        let ready: Record<string, unknown> = {};
        for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
          const nothing = (): Record<string, unknown> => ({}); // not listening yet
          ready = await get('/ready').catch(nothing);
          const story = await get('/api/articles/demo-055/story').catch(nothing);
          if ((ready.mirror as { documents?: number } | undefined)?.documents === 65 && story.complete === true) break;
        }
        expect(ready).toMatchObject({ status: 'ready', mirror: { documents: 65, lagSeconds: expect.any(Number) } });
        expect(ready).not.toHaveProperty('outbox'); // a search key only: no outbox, no writes
        const strip = (v: unknown) => JSON.parse(JSON.stringify(v, (k, x: unknown) => (k === 'processingTimeMs' ? undefined : x)));
        return strip({
          similar: await get('/api/articles/demo-001/similar'),
          person: await get('/api/entities/person/Joren%20Vasquel'),
          story: await get('/api/articles/demo-055/story'),
          search: await get('/api/search?q=tariffs&facets=people'),
        }) as Record<string, { hits?: unknown[]; articles?: unknown }>;
      };
      await Promise.all(replicas.map((r) => r.service.waitForOutput('"msg":"listening', 30_000)));
      const [a, b] = [await answers(replicas[0]!.port), await answers(replicas[1]!.port)];
      expect(a).toEqual(b);
      expect(a.similar!.hits!.length).toBeGreaterThan(0);
      expect(a.person).toMatchObject({ name: 'Joren Vasquel' });
      for (const { service } of replicas) for (const secret of secrets()) expect(service.output()).not.toContain(secret);
    } finally {
      for (const { service } of replicas) service.stop();
    }
    for (const { service, dir } of replicas) {
      expect(await service.exited).toBe(0);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when the API holds only a search key, then it starts without the demo set, searches with that key and never prints it', async () => {
    const search = stub.addKey({ name: 'ops search', description: null, actions: ['search'], indexes: ['articles'], expiresAt: null });
    const port = await freePort();
    const service = spawnEntry('src/main.ts', [], { ...env, MEILI_MASTER_KEY: '', MEILI_SEARCH_KEY: search, PORT: String(port), WORKERS: '1' });
    try {
      await service.waitForOutput('"msg":"listening', 30_000);
      expect(service.output()).toContain('demo data not loaded');
      expect(service.output()).toContain('writing needs MEILI_ADMIN_KEY or MEILI_MASTER_KEY');
      expect(await (await fetch(`http://127.0.0.1:${port}/health`)).json()).toEqual({ status: 'ok', engine: 'meilisearch', articles: 0 });
      const used = stub.requests.filter((r) => r.path !== '/health');
      expect(new Set(used.map((r) => `${r.method} ${r.path} ${r.authorization}`))).toEqual(
        new Set([`POST /indexes/articles/search Bearer ${search}`]),
      );
      expect(service.output()).not.toContain(search);
    } finally {
      service.stop();
    }
    expect(await service.exited).toBe(0);
  });
});
