import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Article } from '../../src/core/article.js';
import { loadConfig } from '../../src/config.js';
import type { WholeSearch } from '../../src/engines/search-engine.js';
import { EXPORT_READ_STEP } from '../../src/engines/sqlite/sqlite-engine.js';
import { EXPORT_PAGE, exportSearch } from '../../src/services/export-search.js';
import type { Store } from '../../src/storage/open-store.js';
import { openStore } from '../../src/storage/open-store.js';
import { makeArticle } from '../helpers/make-article.js';

/**
 * An export reads its order's articles by store key (`articles.pk`), a step at a time, and SQLite gives the next
 * article added the key of the highest one deleted (no AUTOINCREMENT), or key 1 again after a reset: an article
 * written during the export must not be exported at a deleted article's rank (it is not in the order).
 */

const COUNT = 1_200;
let dir: string;
let store: Store;
let file: Database.Database;

const harbour = (i: number): Article => makeArticle({
  id: `h-${String(i).padStart(4, '0')}`,
  title: `Harbour report ${i}`,
  body: `The harbour on day ${i}.`,
  category: 'ports',
  publishedAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
});
const unrelated = (id: string): Article => makeArticle({ id, title: 'Cooking with lentils', body: 'Nothing about ports.', category: 'food' });
const every = (): Article[] => Array.from({ length: COUNT }, (_, i) => harbour(i));

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-pk-reuse-'));
  store = openStore(loadConfig({ DATA_DIR: dir, DEMO_DATA: 'off' }), 'api');
  await store.writes.upsert(every());
  await store.engine.sync();
  file = new Database(path.join(dir, 'newsfind.db'), { readonly: true });
}, 120_000);
afterEach(async () => {
  file.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The export's article ids; `during` runs once, after its first step was read. */
async function exported(asked: WholeSearch, during: () => Promise<void>): Promise<string[]> {
  const rows: string[] = [];
  for await (const row of exportSearch(store, asked)) {
    if (rows.length === 0) await during();
    rows.push(row.article.id);
  }
  return rows;
}

const keyOf = (id: string): number | undefined => file.prepare('SELECT pk FROM articles WHERE id = ?').pluck().get(id) as number | undefined;
const ids = every().map((a) => a.id);

describe.each(['', 'harbour'])('an export of q="%s" while articles are written', (q) => {
  const asked: WholeSearch = { q, sort: 'oldest', match: 'last', filters: { category: ['ports'] } };

  it('when the last article is deleted and an unrelated one added on its key, then the new one is not exported', async () => {
    const last = ids[COUNT - 1]!;
    const key = keyOf(last);
    const rows = await exported(asked, async () => {
      await store.writes.delete([last]);
      await store.writes.upsert([unrelated('lentils')]);
    });
    expect(keyOf('lentils')).toBe(key); // SQLite reused the deleted article's key
    expect(rows.length).toBeGreaterThan(2 * EXPORT_PAGE);
    expect(rows).toEqual(ids.slice(0, COUNT - 1));
  }, 60_000);

  it('when the store is reset and other articles ingested, then none of them is exported', async () => {
    const others = Array.from({ length: 3 * EXPORT_READ_STEP }, (_, i) => unrelated(`other-${i}`));
    const rows = await exported(asked, async () => {
      await store.writes.clear();
      await store.writes.upsert(others);
    });
    expect(keyOf('other-0')).toBe(1); // keys start again at 1: the order's next steps ask for the others' keys
    expect(rows).toEqual(ids.slice(0, EXPORT_READ_STEP)); // the first step, read before the reset
  }, 60_000);

  it('when an article of the order is changed in place, then it is still exported, as it is now', async () => {
    const changed = { ...harbour(COUNT - 1), title: 'Harbour report, corrected' };
    const rows: Article['title'][] = [];
    for await (const row of exportSearch(store, asked)) {
      if (rows.length === 0) await store.writes.upsert([changed]);
      rows.push(row.article.title);
    }
    expect(rows).toHaveLength(COUNT);
    expect(rows[COUNT - 1]).toBe('Harbour report, corrected');
  }, 60_000);
});
