import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../../src/config.js';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import { Entities } from '../../src/entities/entities.js';
import { ingestArticles, refreshEntities } from '../../src/services/ingest-articles.js';
import { Similarity } from '../../src/similarity/similarity.js';
import { openStore } from '../../src/storage/open-store.js';
import { makeArticle } from '../helpers/make-article.js';
import { disagreements, storeContents } from '../helpers/store-contents.js';

/**
 * The layout before one store file: articles in newsfind.db, term vectors in similarity.db, entities in
 * entities.db. Opening the store merges the two into newsfind.db once (ids kept), renames them *.migrated, and a
 * store opened again — or after a process was killed between the merge's commit and the renames — merges nothing
 * twice.
 */
const articles = [
  makeArticle({ id: 'a1', title: 'Harbour reopens', body: 'Councillor Mara Vint said the harbour of Valmora reopens. Vint said so twice.' }),
  makeArticle({ id: 'a2', title: 'Ferry strike ends', body: 'The ferry strike in Kestria ended, union leader Ivo Brann said on Monday.' }),
  makeArticle({ id: 'a3', title: 'Council meets', body: 'Vint met the Coastal Trade Council in Valmora.' }),
];

/** Writes the three-file layout as the previous release did: each store its own file, written in turn. */
async function legacyLayout(dir: string): Promise<void> {
  const engine = SqliteEngine.open({ file: path.join(dir, 'newsfind.db') });
  const similarity = Similarity.open(path.join(dir, 'similarity.db'), { serve: false });
  const entities = Entities.open(path.join(dir, 'entities.db'));
  try {
    await ingestArticles({ engine, similarity, entities }, articles.map((value, i) => ({ location: `[${i}]`, value })));
    await refreshEntities({ engine, similarity, entities });
  } finally {
    await engine.close();
    similarity.close();
    entities.close();
  }
}

/** Every row of `tables` in `file`, as JSON lines sorted. */
function dump(file: string, tables: readonly string[]): Record<string, string[]> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT * FROM ${t}`).raw().all() as unknown[]).map((r) => JSON.stringify(r)).sort()]));
  } finally {
    db.close();
  }
}

const SIM_TABLES = ['sim_terms', 'sim_docs'];
const ENT_TABLES = ['ent_articles', 'ent_mentions', 'ent_evidence', 'ent_meta'];

describe('merging the three-file layout into the store file', () => {
  let dir: string;
  let before: Record<string, string[]>;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-legacy-'));
    await legacyLayout(dir);
    before = { ...dump(path.join(dir, 'similarity.db'), SIM_TABLES), ...dump(path.join(dir, 'entities.db'), ENT_TABLES) };
    expect(before['sim_docs']).toHaveLength(3);
    expect(before['ent_evidence']!.length).toBeGreaterThan(0);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const open = () => openStore(loadConfig({ DATA_DIR: dir }), 'indexer');

  it('when a store in the old layout is opened, then every row moves into newsfind.db and the old files are renamed *.migrated', async () => {
    const store = open();
    try {
      expect(store.merged.map((m) => [path.basename(m.file), m.outcome])).toEqual([
        ['similarity.db', 'copied'],
        ['entities.db', 'copied'],
      ]);
      expect(dump(path.join(dir, 'newsfind.db'), [...SIM_TABLES, ...ENT_TABLES])).toEqual(before);
      // the old layout had no copy groups: the first reconcile makes them (storage/copy-groups.ts), then all agree
      expect(await store.reconcile()).toEqual({ mismatched: 3, healed: 3, orphansRemoved: 0 });
      expect(await store.reconcile()).toEqual({ mismatched: 0, healed: 0, orphansRemoved: 0 });
    } finally {
      await store.close();
    }
    const files = fs.readdirSync(dir).filter((f) => !/-(wal|shm)$/.test(f));
    expect(files.sort()).toEqual(['entities.db.migrated', 'newsfind.db', 'similarity.db.migrated']);
    expect(disagreements(storeContents(dir))).toEqual([]);
  });

  it('when it is opened again, then nothing is merged twice', async () => {
    await open().close();
    const again = open();
    expect(again.merged).toEqual([]);
    await again.close();
    expect(dump(path.join(dir, 'newsfind.db'), [...SIM_TABLES, ...ENT_TABLES])).toEqual(before);
  });

  it('when a process was killed after the merge committed but before the renames, then the next open only renames', async () => {
    const saved = path.join(dir, 'saved');
    fs.mkdirSync(saved);
    for (const name of ['similarity.db', 'entities.db']) fs.copyFileSync(path.join(dir, name), path.join(saved, name));
    await open().close();
    for (const name of ['similarity.db', 'entities.db']) fs.copyFileSync(path.join(saved, name), path.join(dir, name)); // as if never renamed
    const again = open();
    expect(again.merged.map((m) => m.outcome)).toEqual(['already-merged', 'already-merged']);
    await again.close();
    expect(dump(path.join(dir, 'newsfind.db'), [...SIM_TABLES, ...ENT_TABLES])).toEqual(before);
    expect(fs.existsSync(path.join(dir, 'similarity.db'))).toBe(false);
  });

  it('when the merged store is written, then an article joins all three stores at once', async () => {
    const store = open();
    try {
      await store.writes.upsert([makeArticle({ id: 'a4', title: 'New pier', body: 'Mara Vint opened the new pier in Valmora.' })]);
    } finally {
      await store.close();
    }
    const contents = storeContents(dir);
    expect(contents.articles.size).toBe(4);
    expect(disagreements(contents)).toEqual([]);
  });
});
