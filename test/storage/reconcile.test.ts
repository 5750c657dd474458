import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../../src/config.js';
import { openStore } from '../../src/storage/open-store.js';
import type { MeilisearchEngine } from '../../src/engines/meilisearch/meilisearch-engine.js';
import { OutboxDeliverer } from '../../src/services/engine-outbox.js';
import { runIndexer } from '../helpers/indexer-cli.js';
import { MeiliStub } from '../helpers/meili-stub.js';
import { makeArticle } from '../helpers/make-article.js';
import { disagreements, storeContents } from '../helpers/store-contents.js';

/**
 * Reconcile: a store where one article lost its term vector, one its entities, and two ids survive only as
 * leftovers (a vector and entities of an article that is gone; evidence alone) — as writes made store after store
 * left them — is healed: the missing parts derived again from the articles, the leftovers removed.
 */
const articles = [
  makeArticle({ id: 'kept', title: 'Harbour reopens', body: 'Councillor Mara Vint said the harbour of Valmora reopens on Monday.' }),
  makeArticle({ id: 'no-vector', title: 'Ferry strike ends', body: 'The ferry strike in Kestria ended, union leader Ivo Brann said.' }),
  makeArticle({ id: 'no-entities', title: 'Chip plant opens', body: 'Halcyon Semiconductors opened a chip plant, its chief Zoe Halvorsen said.' }),
  makeArticle({ id: 'orphan', title: 'Regatta cancelled', body: 'The Valmora regatta was cancelled because of the storm, organisers said.' }),
];

function damage(file: string): void {
  const db = new Database(file);
  try {
    db.prepare("DELETE FROM sim_docs WHERE id = 'no-vector'").run();
    db.prepare("DELETE FROM ent_articles WHERE article_id = 'no-entities'").run();
    db.prepare("DELETE FROM articles WHERE id = 'orphan'").run();
    db.prepare("INSERT INTO ent_evidence (article_id, key, name, title) VALUES ('ghost', 'Nobody', 'Anna Nobody', NULL)").run();
  } finally {
    db.close();
  }
}

describe('reconcile', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-reconcile-'));
    const store = openStore(loadConfig({ DATA_DIR: dataDir }), 'indexer');
    try {
      await store.writes.upsert(articles);
    } finally {
      await store.close();
    }
    damage(path.join(dataDir, 'newsfind.db'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('when a store lacks a term vector and entities and holds orphans, then it heals them and reports the counts', async () => {
    expect(disagreements(storeContents(dataDir))).toEqual(['no-entities', 'no-vector', 'orphan']);
    const store = openStore(loadConfig({ DATA_DIR: dataDir }), 'indexer');
    try {
      expect(await store.reconcile()).toEqual({ mismatched: 4, healed: 2, orphansRemoved: 2 });
      expect(await store.reconcile()).toEqual({ mismatched: 0, healed: 0, orphansRemoved: 0 });
    } finally {
      await store.close();
    }
    const contents = storeContents(dataDir);
    expect(disagreements(contents)).toEqual([]);
    expect([...contents.articles.keys()].sort()).toEqual(['kept', 'no-entities', 'no-vector']);
    const db = new Database(path.join(dataDir, 'newsfind.db'), { readonly: true });
    try {
      const leftovers = db.prepare("SELECT count(*) FROM ent_evidence WHERE article_id IN ('ghost', 'orphan')").pluck().get();
      expect(leftovers).toBe(0);
      const people = db.prepare("SELECT name FROM ent_mentions WHERE article_id = 'no-entities' AND kind = 'people'").pluck().all();
      expect(people).toEqual(['Zoe Halvorsen']);
    } finally {
      db.close();
    }
  });

  it('when the indexer runs with --reconcile alone, then it heals the store and reports it in --json', () => {
    const run = runIndexer(['--json', '--reconcile'], dataDir);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ read: 0, reconciled: { mismatched: 4, healed: 2, orphansRemoved: 2 } });
    expect(disagreements(storeContents(dataDir))).toEqual([]);
  });
});

describe('reconcile with Meilisearch (the local stores, and on demand Meilisearch\'s documents)', () => {
  const MASTER = 'reconcile-master-key-0123456789abcdef';
  let stub: MeiliStub;
  let dataDir: string;
  beforeEach(async () => {
    stub = new MeiliStub(MASTER);
    await stub.start();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-reconcile-meili-'));
  });
  afterEach(async () => {
    await stub.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('when the local file lacks a term vector and holds leftovers of an article Meilisearch lacks, then it heals both', async () => {
    const config = loadConfig({ DATA_DIR: dataDir, SEARCH_ENGINE: 'meilisearch', MEILI_URL: stub.url, MEILI_MASTER_KEY: MASTER });
    const store = openStore(config, 'indexer');
    try {
      await store.writes.upsert(articles.slice(0, 2));
      const db = new Database(path.join(dataDir, 'newsfind.db'));
      try {
        db.prepare("DELETE FROM sim_docs WHERE id = 'no-vector'").run();
        db.prepare("INSERT INTO ent_evidence (article_id, key, name, title) VALUES ('ghost', 'Nobody', 'Anna Nobody', NULL)").run();
      } finally {
        db.close();
      }
      expect(await store.reconcile()).toEqual({ mismatched: 2, healed: 1, orphansRemoved: 1 });
      expect(await store.reconcile()).toEqual({ mismatched: 0, healed: 0, orphansRemoved: 0 });
      const deliverer = new OutboxDeliverer({ queue: store.outbox!, sink: store.engine as MeilisearchEngine });
      while ((await deliverer.step()) === 'delivered'); // the writes reach Meilisearch through the outbox
    } finally {
      await store.close();
    }
    const contents = storeContents(dataDir);
    expect([...contents.vectors.keys()].sort()).toEqual(['kept', 'no-vector']);
    expect(contents.entities).toEqual(contents.vectors);
    expect(stub.documents('articles').map((d) => d.id).sort()).toEqual(['kept', 'no-vector']);
  });

  it('when asked to check Meilisearch, then an article only Meilisearch holds gets its term vector and entities back', async () => {
    const config = loadConfig({ DATA_DIR: dataDir, SEARCH_ENGINE: 'meilisearch', MEILI_URL: stub.url, MEILI_MASTER_KEY: MASTER });
    const store = openStore(config, 'indexer');
    try {
      // as a release before the outbox left it: Meilisearch's task done, the local commit never made
      await (store.engine as MeilisearchEngine).upsert(articles.slice(0, 2));
      await store.writes.upsert(articles.slice(0, 1));
      expect(await store.reconcile()).toEqual({ mismatched: 0, healed: 0, orphansRemoved: 0 }); // the local stores agree
      expect(await store.reconcile({ engine: true })).toEqual({ mismatched: 0, healed: 0, orphansRemoved: 0, engineOnly: 1 });
      expect(await store.reconcile({ engine: true })).toEqual({ mismatched: 0, healed: 0, orphansRemoved: 0, engineOnly: 0 });
    } finally {
      await store.close();
    }
    const contents = storeContents(dataDir);
    expect([...contents.vectors.keys()].sort()).toEqual(['kept', 'no-vector']);
    expect(contents.entities).toEqual(contents.vectors);
  });
});
