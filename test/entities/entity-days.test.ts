import Database from 'better-sqlite3';
import { EntityStore } from '../../src/entities/entity-store.js';
import { makeArticle } from '../helpers/make-article.js';

const days = (db: Database.Database) =>
  Object.fromEntries((db.prepare('SELECT day, articles FROM ent_days WHERE articles > 0 ORDER BY day').raw().all() as [number, number][]).map(([d, n]) => [new Date(d * 86_400_000).toISOString().slice(0, 10), n]));

describe('articles per day (ent_days, the volume entity bursts are measured against)', () => {
  it('when articles are added, re-dated and removed, then each day counts the articles published on it', () => {
    const db = new Database(':memory:');
    const store = EntityStore.onDatabase(db);
    const a = makeArticle({ id: 'a', publishedAt: '1987-03-02T23:59:00Z' });
    const b = makeArticle({ id: 'b', publishedAt: '1987-03-02T00:00:00Z' });
    const c = makeArticle({ id: 'c', publishedAt: '1969-12-31T12:00:00Z' }); // before the epoch: floored, not truncated
    const undated = makeArticle({ id: 'u' });
    store.upsert([a, b, c, undated].map((article) => ({ article, lookups: [] })));
    expect(days(db)).toEqual({ '1969-12-31': 1, '1987-03-02': 2 });
    store.upsert([{ article: { ...b, publishedAt: '1987-03-03T08:00:00.000Z', title: 'moved' }, lookups: [] }]);
    expect(days(db)).toEqual({ '1969-12-31': 1, '1987-03-02': 1, '1987-03-03': 1 });
    store.delete(['a', 'u']);
    expect(days(db)).toEqual({ '1969-12-31': 1, '1987-03-03': 1 });
  });

  it('when a store written before the table existed is opened, then its days are counted once', () => {
    const db = new Database(':memory:');
    const store = EntityStore.onDatabase(db);
    store.upsert(['1987-03-02T10:00:00Z', '1987-03-02T11:00:00Z', '1987-04-01T10:00:00Z'].map((publishedAt, i) => ({ article: makeArticle({ id: `x${i}`, publishedAt }), lookups: [] })));
    db.exec('DROP TABLE ent_days'); // as an older release left it
    EntityStore.onDatabase(db);
    EntityStore.onDatabase(db); // a second open counts nothing twice
    expect(days(db)).toEqual({ '1987-03-02': 2, '1987-04-01': 1 });
  });
});
