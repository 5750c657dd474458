import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Article } from '../../src/core/article.js';
import { contentHash } from '../../src/core/article.js';
import { loadConfig } from '../../src/config.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/engines/sqlite/migrations.js';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { openStore } from '../../src/storage/open-store.js';
import { makeArticle, searchRequest } from '../helpers/make-article.js';

/**
 * Schema step 4 drops the FTS5 index (`articles_fts`, the triggers that fed it, `articles_vocab`): a store written
 * before it opens, loses them, keeps its articles and change-log triggers, and answers searches.
 */
const BEFORE_DROP = 3;

const articles: readonly Article[] = [
  makeArticle({ id: 'harbour', title: 'Harbour reopens', body: 'The harbour reopened after the storm.', category: 'local', tags: ['harbour'] }),
  makeArticle({ id: 'ferry', title: 'Ferry timetable', body: 'Ferries run every hour.', category: 'transport', tags: ['ferry'] }),
  makeArticle({ id: 'council', title: 'Council meets', body: 'The council met on Monday.', category: 'local' }),
];

const FTS_OBJECTS = "SELECT name FROM sqlite_schema WHERE name LIKE 'articles_fts%' OR name IN ('articles_vocab', 'articles_ai', 'articles_ad', 'articles_au') OR sql LIKE '%articles_fts%' ORDER BY name";

/** Writes `file` as the service did before step 4: steps 1–3 applied and recorded, the articles as it stored them. */
function writeStoreBeforeDrop(file: string): void {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const step of MIGRATIONS.filter((m) => m.version <= BEFORE_DROP)) {
      db.exec(step.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(step.version, step.name, '2026-01-01T00:00:00.000Z');
    }
    const insert = db.prepare(`INSERT INTO articles (id, content_hash, title, body, published_at, source, category, doc)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    const tag = db.prepare('INSERT INTO article_tags (tag, article_pk) VALUES (?, ?)');
    for (const a of articles) {
      const published = a.publishedAt === undefined ? null : Date.parse(a.publishedAt);
      const { lastInsertRowid } = insert.run(a.id, contentHash(a), a.title, a.body, published, a.source ?? null, a.category ?? null, JSON.stringify(a));
      for (const t of a.tags ?? []) tag.run(t, lastInsertRowid);
    }
  } finally {
    db.close();
  }
}

/** Runs `work` on a fresh temporary folder, removed afterwards. */
async function inTempDir(work: (dir: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-migrate-'));
  try {
    await work(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const ids = (hits: readonly { article: Pick<Article, 'id'> }[]) => hits.map((h) => h.article.id);

/** What `sql` returns from `file`, read on a connection of its own. */
function query(file: string, sql: string): unknown[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).pluck().all();
  } finally {
    db.close();
  }
}

describe('sqlite schema step 4: the FTS5 index is dropped', () => {
  it('when a store written before the step is opened, then it loses the FTS5 objects, keeps its articles and change log, and answers searches', () =>
    inTempDir(async (dir) => {
      const file = path.join(dir, 'newsfind.db');
      writeStoreBeforeDrop(file);
      expect(query(file, FTS_OBJECTS)).toEqual(expect.arrayContaining(['articles_ai', 'articles_ad', 'articles_au', 'articles_fts', 'articles_vocab']));
      expect(query(file, "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'harbour'")).toHaveLength(1);

      const engine = SqliteEngine.open({ file });
      try {
        for (const a of articles) expect(await engine.get(a.id)).toEqual(a);
        expect(await engine.stats()).toEqual({ engine: 'sqlite', articles: articles.length });
        expect(ids((await engine.search(searchRequest({ q: 'harbour' }))).hits)).toEqual(['harbour']);
        expect(ids((await engine.search(searchRequest({ q: 'harbuor' }))).hits)).toEqual(['harbour']);
        expect(new Set(ids((await engine.search(searchRequest({ q: '-harbour' }))).hits))).toEqual(new Set(['ferry', 'council']));
        const local = await engine.search(searchRequest({ filters: { category: ['local'] }, facets: ['tags'] }));
        expect(new Set(ids(local.hits))).toEqual(new Set(['harbour', 'council']));
        expect(local.facets).toEqual({ tags: { harbour: 1 } });
        expect(await engine.upsert([articles[0]!])).toEqual({ indexed: 0, unchanged: 1, deleted: 0 });
        await engine.upsert([makeArticle({ id: 'lighthouse', title: 'Lighthouse repainted', body: 'Volunteers repainted it.' })]);
        await engine.delete(['ferry']);
        expect(ids((await engine.search(searchRequest({ q: 'lighthouse' }))).hits)).toEqual(['lighthouse']);
        expect(ids((await engine.search(searchRequest({ q: 'ferry' }))).hits)).toEqual([]);
      } finally {
        await engine.close();
      }

      expect(query(file, FTS_OBJECTS)).toEqual([]);
      expect(query(file, "SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name")).toEqual([
        'articles_log_ad', 'articles_log_ai', 'articles_log_au',
      ]);
      expect(query(file, 'SELECT version FROM schema_migrations ORDER BY version')).toEqual(MIGRATIONS.map((m) => m.version));
      expect(query(file, 'SELECT max(version) FROM schema_migrations')).toEqual([SCHEMA_VERSION]);
      expect(query(file, 'SELECT count(*) FROM article_changes')).toEqual([articles.length + 2]);
      expect(query(file, 'PRAGMA integrity_check')).toEqual(['ok']);
    }));

  it('when an existing DATA_DIR is opened by the indexer, then by the API, then the API serves its articles', () =>
    inTempDir(async (dir) => {
      writeStoreBeforeDrop(path.join(dir, 'newsfind.db'));
      const config = loadConfig({ DATA_DIR: dir, DEMO_DATA: 'off' });
      const indexer = openStore(config, 'indexer');
      try {
        await expect(indexer.engine.search(searchRequest({ q: 'harbour' }))).rejects.toThrow(/the indexer process does not search/);
        expect((await indexer.engine.stats()).articles).toBe(articles.length);
      } finally {
        await indexer.close();
      }
      const api = openStore(config, 'api');
      try {
        expect(ids((await api.engine.search(searchRequest({ q: 'ferry timetable' }))).hits)).toEqual(['ferry']);
      } finally {
        await api.close();
      }
      expect(query(path.join(dir, 'newsfind.db'), FTS_OBJECTS)).toEqual([]);
    }));

  it('when a new store is created, then it holds no FTS5 object', () =>
    inTempDir(async (dir) => {
      const file = path.join(dir, 'newsfind.db');
      await SqliteEngine.open({ file, index: 'none' }).close();
      expect(query(file, FTS_OBJECTS)).toEqual([]);
    }));
});
