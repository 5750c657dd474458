import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import type { Article } from '../../src/core/article.js';
import { EngineUnavailableError } from '../../src/core/errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/engines/sqlite/migrations.js';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { makeArticle, searchRequest } from '../helpers/make-article.js';
import { engineContract } from './engine-contract.js';

engineContract('sqlite (in-memory ranker)', async () => SqliteEngine.open({ file: ':memory:' }));

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENGINE_MODULE = pathToFileURL(path.join(ROOT, 'src/engines/sqlite/sqlite-engine.ts')).href;

/** Runs `work` with a fresh temporary folder, removed afterwards whatever happens. */
async function inTempDir(work: (dir: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-sqlite-'));
  try {
    await work(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const ids = (hits: readonly { article: Pick<Article, 'id'> }[]) => hits.map((h) => h.article.id);

describe('sqlite engine: file store', () => {
  const stored = makeArticle({
    id: 'harbour',
    title: 'Harbour reopens after storm',
    body: 'The harbour reopened on Monday after the storm.',
    url: 'https://news.example/harbour',
    publishedAt: '2026-03-14T09:30:00Z',
    source: 'Coastal Courier',
    category: 'local',
    tags: ['harbour', 'weather'],
  });

  it('when another connection commits, then a query without words kept from before is answered anew', () =>
    inTempDir(async (dir) => {
      const file = path.join(dir, 'store.db');
      const reader = SqliteEngine.open({ file });
      const writer = SqliteEngine.open({ file });
      try {
        await writer.upsert([stored]);
        const ask = async () => (await reader.search(searchRequest({ facets: ['category'] }))).facets;
        expect(await ask()).toEqual({ category: { local: 1 } });
        expect(await ask()).toEqual({ category: { local: 1 } }); // kept
        await writer.upsert([makeArticle({ id: 'ferry', title: 'Ferry timetable', body: 'Ferries run hourly.', category: 'transport' })]);
        expect(await ask()).toEqual({ category: { local: 1, transport: 1 } });
        await reader.delete(['ferry']); // and this connection's own commit
        expect(await ask()).toEqual({ category: { local: 1 } });
      } finally {
        await reader.close();
        await writer.close();
      }
    }));

  it('when a file store is closed and reopened, then it keeps every article, word, typo variant and facet', () =>
    inTempDir(async (dir) => {
      const file = path.join(dir, 'nested', 'deeper', 'store.db');
      const first = SqliteEngine.open({ file });
      await first.upsert([stored, makeArticle({ id: 'other', title: 'Ferry timetable', body: 'Ferries run hourly.' })]);
      await first.delete(['other']);
      await first.close();

      const again = SqliteEngine.open({ file });
      try {
        expect(await again.get('harbour')).toEqual(stored);
        expect(await again.get('other')).toBeUndefined();
        expect(await again.stats()).toEqual({ engine: 'sqlite', articles: 1 });
        expect(ids((await again.search(searchRequest({ q: 'harbour' }))).hits)).toEqual(['harbour']);
        expect(ids((await again.search(searchRequest({ q: 'harbuor' }))).hits)).toEqual(['harbour']);
        expect(ids((await again.search(searchRequest({ q: 'ferry' }))).hits)).toEqual([]);
        const faceted = await again.search(searchRequest({ facets: ['category', 'tags'] }));
        expect(faceted.facets).toEqual({ category: { local: 1 }, tags: { harbour: 1, weather: 1 } });
        expect(await again.upsert([stored])).toEqual({ indexed: 0, unchanged: 1, deleted: 0 });
      } finally {
        await again.close();
      }
    }));

  it('when a store is opened twice, then migrations run once and are recorded', () =>
    inTempDir(async (dir) => {
      const file = path.join(dir, 'store.db');
      await SqliteEngine.open({ file }).close();
      await SqliteEngine.open({ file }).close();
      const db = new Database(file, { readonly: true });
      try {
        const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
        expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
      } finally {
        db.close();
      }
    }));

  it('when a store was written by a newer schema, then opening it fails with EngineUnavailableError', () =>
    inTempDir(async (dir) => {
      const file = path.join(dir, 'store.db');
      await SqliteEngine.open({ file }).close();
      const db = new Database(file);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
        .run(SCHEMA_VERSION + 1, 'from the future', new Date(0).toISOString());
      db.close();
      expect(() => SqliteEngine.open({ file })).toThrow(EngineUnavailableError);
    }));

  const closedEngine = async () => {
    const engine = SqliteEngine.open({ file: ':memory:' });
    await engine.close();
    await engine.close();
    return engine;
  };

  it('when the engine is closed, then reads and health reject with EngineUnavailableError', async () => {
    const engine = await closedEngine();
    await expect(engine.health()).rejects.toBeInstanceOf(EngineUnavailableError);
    await expect(engine.search(searchRequest({ q: 'x' }))).rejects.toBeInstanceOf(EngineUnavailableError);
    await expect(engine.get('harbour')).rejects.toBeInstanceOf(EngineUnavailableError);
    await expect(engine.stats()).rejects.toBeInstanceOf(EngineUnavailableError);
  });

  // Product bug: upsert() and delete() prepare their statements before guard(), so the driver's TypeError
  // ("The database connection is not open") escapes instead of an AppError (src/engines/sqlite/sqlite-engine.ts).
  it('when the engine is closed, then upsert rejects with EngineUnavailableError', async () => {
    const engine = await closedEngine();
    await expect(engine.upsert([stored])).rejects.toBeInstanceOf(EngineUnavailableError);
  });

  it('when the engine is closed, then delete rejects with EngineUnavailableError', async () => {
    const engine = await closedEngine();
    await expect(engine.delete(['harbour'])).rejects.toBeInstanceOf(EngineUnavailableError);
  });
});

describe('sqlite engine: write-only (the indexer)', () => {
  it('when opened with index none, then it writes, reads by id and counts, and a search rejects saying the indexer does not search', async () => {
    const engine = SqliteEngine.open({ file: ':memory:', index: 'none' });
    try {
      const article = makeArticle({ id: 'harbour', title: 'Harbour reopens', body: 'The harbour reopened.' });
      expect(await engine.upsert([article])).toEqual({ indexed: 1, unchanged: 0, deleted: 0 });
      expect(await engine.get('harbour')).toEqual(article);
      expect(await engine.stats()).toEqual({ engine: 'sqlite', articles: 1 });
      for (const q of ['harbour', '', '-harbour']) {
        const search = engine.search(searchRequest({ q }));
        await expect(search).rejects.toBeInstanceOf(EngineUnavailableError);
        await expect(search).rejects.toThrow(/the indexer process does not search/);
      }
      expect(() => engine.searchSync(searchRequest({ q: 'harbour' }))).toThrow(/the indexer process does not search/);
      expect(await engine.delete(['harbour'])).toEqual({ indexed: 0, unchanged: 0, deleted: 1 });
    } finally {
      await engine.close();
    }
  });
});

describe('sqlite engine: a second process writing the same file', () => {
  it('when another instance writes, then this one finds the new articles by exact word and by typo once its index host has caught up', () =>
    inTempDir(async (dir) => {
      const file = path.join(dir, 'store.db');
      const reader = SqliteEngine.open({ file });
      const indexer = SqliteEngine.open({ file, index: 'none' });
      try {
        await reader.upsert([makeArticle({ id: 'old', title: 'Harbour news', body: 'Boats stayed in port.' })]);
        expect((await reader.search(searchRequest({ q: 'harbour' }))).totalHits).toBe(1);
        await indexer.upsert([makeArticle({ id: 'new', title: 'Marmalade festival', body: 'Jars of marmalade sold out.' })]);
        await reader.sync(); // its index host catches up in the background, within milliseconds
        expect(ids((await reader.search(searchRequest({ q: 'marmalade' }))).hits)).toEqual(['new']);
        expect(ids((await reader.search(searchRequest({ q: 'marmalde' }))).hits)).toEqual(['new']);
        expect((await reader.stats()).articles).toBe(2);
      } finally {
        await indexer.close();
        await reader.close();
      }
    }));
});

// ---------------------------------------------------------------------------------------------------------------
// Crash safety: a child process writes batches and is killed with SIGKILL part-way through.
// ---------------------------------------------------------------------------------------------------------------

const BATCH_SIZE = 1500;
const FILLER = 'Crews worked through the night to restore power to the valley towns and farms. '.repeat(4).trim();

/** The article the writer stores as item `item` of batch `batch`; the writer script below builds the same. */
const crashArticle = (batch: number, item: number): Article => ({
  id: `b${batch}-${item}`,
  title: `Batch ${batch} item ${item}`,
  body: `crashword batchword${batch} ${FILLER}`,
});

/** The writer: upserts batch after batch and prints `committed N` once each upsert has resolved. */
const WRITER_SCRIPT = `
const { SqliteEngine } = await import(process.env.ENGINE_MODULE);
const filler = ${JSON.stringify(FILLER)};
const size = Number(process.env.BATCH_SIZE);
const engine = SqliteEngine.open({ file: process.env.STORE_FILE, index: 'none' });
for (let batch = 0; batch < 10000; batch++) {
  const articles = [];
  for (let item = 0; item < size; item++) {
    articles.push({ id: 'b' + batch + '-' + item, title: 'Batch ' + batch + ' item ' + item,
      body: 'crashword batchword' + batch + ' ' + filler });
  }
  await engine.upsert(articles);
  process.stdout.write('committed ' + batch + '\\n');
}
process.exit(3);
`;

/** Starts the writer on `file`, kills it with SIGKILL after `killAfter` reported batches; resolves to every batch it reported. */
function writeUntilKilled(dir: string, file: string, killAfter: number): Promise<number[]> {
  const script = path.join(dir, 'writer.mjs');
  fs.writeFileSync(script, WRITER_SCRIPT);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: ROOT,
      env: { ...process.env, ENGINE_MODULE, STORE_FILE: file, BATCH_SIZE: String(BATCH_SIZE) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const committed: number[] = [];
    let pending = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^committed (\d+)$/.exec(line);
        if (match) committed.push(Number(match[1]));
      }
      if (committed.length >= killAfter) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL' && committed.length >= killAfter) resolve(committed);
      else reject(new Error(`writer ended with code ${code}, signal ${signal}, ${committed.length} batches:\n${stderr}`));
    });
  });
}

describe('sqlite engine: crash safety', () => {
  it.each([1, 3])('when the writing process is killed after %i reported batches, then the store reopens with whole batches only and stays writable', (killAfter) =>
    inTempDir(async (dir) => {
      const file = path.join(dir, 'store.db');
      const reported = await writeUntilKilled(dir, file, killAfter);
      expect(reported).toEqual(reported.map((_, i) => i));

      const engine = SqliteEngine.open({ file });
      try {
        const { articles } = await engine.stats();
        expect(articles % BATCH_SIZE).toBe(0);
        const batches = articles / BATCH_SIZE;
        // Every reported batch is there; at most the one in flight when killed committed without being reported.
        expect(batches).toBeGreaterThanOrEqual(reported.length);
        expect(batches).toBeLessThanOrEqual(reported.length + 1);
        expect((await engine.search(searchRequest({ q: 'crashword ', perPage: 1 }))).totalHits).toBe(articles);
        for (let batch = 0; batch <= batches; batch++) {
          const expected = batch < batches ? BATCH_SIZE : 0;
          const result = await engine.search(searchRequest({ q: `batchword${batch} `, perPage: 1 }));
          expect({ batch, hits: result.totalHits }).toEqual({ batch, hits: expected });
          for (const item of [0, 1, BATCH_SIZE - 1]) {
            const found = await engine.get(`b${batch}-${item}`);
            expect(found).toEqual(expected > 0 ? crashArticle(batch, item) : undefined);
          }
        }

        const after = makeArticle({ id: 'after-crash', title: 'Generator delivered', body: 'Engineers delivered a generator.' });
        expect(await engine.upsert([after])).toEqual({ indexed: 1, unchanged: 0, deleted: 0 });
        expect(await engine.delete(['b0-0'])).toEqual({ indexed: 0, unchanged: 0, deleted: 1 });
        expect(ids((await engine.search(searchRequest({ q: 'generator' }))).hits)).toEqual(['after-crash']);
        expect((await engine.stats()).articles).toBe(articles);
      } finally {
        await engine.close();
      }

      const db = new Database(file);
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      } finally {
        db.close();
      }
    }));
});

describe('sqlite engine: entity fields', () => {
  const stories: Article[] = [
    makeArticle({ id: 'prize', title: 'Sergei Lavrov Prize for poets', body: 'The Sergei Lavrov Prize went to a poet.' }),
    {
      ...makeArticle({ id: 'about', title: 'Grain talks', body: 'Foreign Minister Sergei Lavrov said grain exports would resume.' }),
      people: ['Sergei Lavrov'],
      places: ['Russia'],
      salience: { 'people:Sergei Lavrov': 2.6, 'places:Russia': 0.7 },
    },
    {
      ...makeArticle({ id: 'brief', title: 'Ministers meet', body: 'Sergei Lavrov attended.' }),
      people: ['Sergei Lavrov'],
      salience: { 'people:Sergei Lavrov': 0.7 },
    },
  ];

  it('when the request names an entity, then articles about it come first, most salient first; filters and facets use the fields', async () => {
    const engine = SqliteEngine.open({ file: ':memory:' });
    try {
      await engine.upsert(stories);
      const about = [{ kind: 'people', name: 'Sergei Lavrov' }] as const;
      expect(ids((await engine.search(searchRequest({ q: 'Sergei Lavrov' }))).hits)[0]).toBe('prize');
      expect(ids((await engine.search(searchRequest({ q: 'Sergei Lavrov', about }))).hits)).toEqual(['about', 'brief', 'prize']);
      const filtered = await engine.search(searchRequest({ q: '', filters: { people: ['Sergei Lavrov'] }, facets: ['people', 'places'] }));
      expect(ids(filtered.hits)).toEqual(['about', 'brief']);
      expect(filtered.facets).toEqual({ people: { 'Sergei Lavrov': 2 }, places: { Russia: 1 } });
      expect(ids((await engine.search(searchRequest({ q: 'lavrov', filters: { places: ['Russia'] } }))).hits)).toEqual(['about']);
    } finally {
      await engine.close();
    }
  });

  it('when a query holds only exclusions, then the index host lists and counts the rest as the store lists a query without words', async () => {
    const engine = SqliteEngine.open({ file: ':memory:' });
    try {
      // the most salient article is the oldest, so that the salience order and the date orders differ
      const dates = { prize: '2026-05-03', about: '2026-05-01', brief: '2026-05-02' } as Record<string, string>;
      await engine.upsert(stories.map((a) => ({ ...a, publishedAt: `${dates[a.id]}T00:00:00.000Z` })));
      const filters = { people: ['Sergei Lavrov'] };
      for (const sort of ['relevance', 'newest', 'oldest'] as const) {
        const plain = await engine.search(searchRequest({ q: '', sort, filters, facets: ['people', 'places'] }));
        const excluding = await engine.search(searchRequest({ q: '-poets', sort, filters, facets: ['people', 'places'] }));
        expect({ sort, hits: ids(excluding.hits), total: excluding.totalHits, facets: excluding.facets })
          .toEqual({ sort, hits: ids(plain.hits), total: plain.totalHits, facets: plain.facets });
      }
      expect(ids((await engine.search(searchRequest({ q: '-poets', filters }))).hits)).toEqual(['about', 'brief']);
      expect(ids((await engine.search(searchRequest({ q: '-poets', sort: 'newest', filters }))).hits)).toEqual(['brief', 'about']);
      expect(ids((await engine.search(searchRequest({ q: '-ministers -grain' }))).hits)).toEqual(['prize']);
    } finally {
      await engine.close();
    }
  });
});
