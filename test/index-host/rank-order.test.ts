import type Database from 'better-sqlite3';
import { EngineUnavailableError } from '../../src/core/errors.js';
import { idCheck } from '../../src/core/key-order.js';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import type { WholeSearch } from '../../src/engines/search-engine.js';
import { IndexHost } from '../../src/index-host/index-host.js';
import { openSqliteFile } from '../../src/storage/sqlite-file.js';
import { makeArticle, searchRequest } from '../helpers/make-article.js';

/**
 * The index host's whole order for an export (IndexPort.rankOrder): one ranking, in slices, with other calls
 * answered between them, and the order of the search's pages end to end.
 */

const COUNT = 3_000;
let db: Database.Database;
let host: IndexHost;

beforeAll(() => {
  db = openSqliteFile(':memory:', { what: 'store', schema: '' });
  const writer = SqliteEngine.onDatabase(db, { file: ':memory:', index: 'none' });
  writer.upsertNow(Array.from({ length: COUNT }, (_, i) => makeArticle({
    id: `h-${i}`,
    title: `Harbour ${i % 7 === 0 ? 'ferry ' : ''}report ${i}`,
    body: `The harbour ${'tide '.repeat(i % 5)}rose on day ${i}.${i % 3 === 0 ? ' The ferry waited.' : ''}`,
    publishedAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
  })));
  host = new IndexHost(db, { keyword: true, background: false, sliceMs: 0 }); // a slice per part of the work
});
afterAll(() => {
  host.close();
  db.close();
});

const whole = (q: string, extra: Partial<WholeSearch> = {}): WholeSearch => ({ q, sort: 'relevance', match: 'last', filters: {}, ...extra });

/** The host's pages of 500 for the same search, end to end. */
async function paged(asked: WholeSearch): Promise<number[]> {
  const keys: number[] = [];
  for (let page = 1; ; page++) {
    const ranked = await host.rank(searchRequest({ ...asked, page, perPage: 500 }));
    keys.push(...ranked.keys);
    if (ranked.keys.length < 500) return keys;
  }
}

describe('the index host ranks an export once, in slices', () => {
  it('when a whole order is being ranked, then a search asked meanwhile is answered before it ends', async () => {
    let ended = false;
    const order = host.rankOrder(whole('harbour ferry')).then(({ keys }) => {
      ended = true;
      return keys;
    });
    const page = await host.rank(searchRequest({ q: 'tide', perPage: 5 }));
    expect(page.keys).toHaveLength(5);
    expect(ended).toBe(false);
    expect(Array.from(await order)).toEqual(await paged(whole('harbour ferry')));
  });

  it.each<[string, Partial<WholeSearch>]>([
    ['harbour tide', {}],
    ['harbour', { sort: 'oldest' }],
    ['harbour ferry', { freshness: { halfLifeDays: 2, now: Date.UTC(2026, 3, 1) } }],
    ['-ferry', {}],
  ])('when "%s" %j is ranked whole, twice at once, then each is the pages end to end', async (q, extra) => {
    const [first, second] = await Promise.all([host.rankOrder(whole(q, extra)), host.rankOrder(whole(q, extra))]);
    const expected = await paged(whole(q, extra));
    expect(expected.length).toBeGreaterThan(1_000);
    expect(Array.from(first.keys)).toEqual(expected);
    expect(Array.from(second.keys)).toEqual(expected);
    expect(second.checks).toEqual(first.checks);
  });

  it('when a whole order is ranked, then each key carries the check of its article\'s id', async () => {
    const { keys, checks } = await host.rankOrder(whole('harbour ferry'));
    const idOf = db.prepare('SELECT id FROM articles WHERE pk = ?').pluck();
    expect(keys.length).toBeGreaterThan(1_000);
    expect(Array.from(checks)).toEqual(Array.from(keys, (key) => idCheck(idOf.get(key) as string)));
  });

  it('when the caller stops waiting during a walk, then the walk stops at its next slice, and the next walk is whole', async () => {
    let asked = 0;
    await expect(host.rankOrder(whole('harbour'), () => ++asked > 2)).rejects.toBeInstanceOf(EngineUnavailableError);
    expect(asked).toBe(3); // two slices walked, none after
    expect(Array.from((await host.rankOrder(whole('harbour'))).keys)).toEqual(await paged(whole('harbour')));
  });

  it('when the host closes during a walk, then the walk fails as unavailable', async () => {
    const own = new IndexHost(db, { keyword: true, background: false, sliceMs: 0 });
    const order = own.rankOrder(whole('harbour'));
    own.close();
    await expect(order).rejects.toBeInstanceOf(EngineUnavailableError);
  });
});
