import Database from 'better-sqlite3';
import MiniSearch from 'minisearch';

/** A keyword searcher under test: the ids of its top 10 for a query. */
export type Searcher = (q: string) => string[];

interface Doc {
  readonly id: string;
  readonly title: string;
  readonly body: string;
}

/** MiniSearch as ../shared/peers runs it: title boost 2, fuzzy 0.2, prefix, OR. */
export function miniSearchPeer(docs: readonly Doc[]): Searcher {
  const ms = new MiniSearch({ fields: ['title', 'body'], searchOptions: { boost: { title: 2 }, fuzzy: 0.2, prefix: true } });
  ms.addAll(docs.map((d) => ({ id: d.id, title: d.title, body: d.body })));
  return (q) => ms.search(q).slice(0, 10).map((r) => String(r.id));
}

/** Raw SQLite FTS5 as ../shared/peers runs it: porter + unicode61, every word required, last word a prefix, bm25. */
export function rawFts5Peer(docs: readonly Doc[]): Searcher {
  const db = new Database(':memory:');
  db.exec("CREATE VIRTUAL TABLE a USING fts5(id UNINDEXED, title, body, tokenize='porter unicode61', prefix='2 3')");
  const insert = db.prepare('INSERT INTO a (id, title, body) VALUES (?, ?, ?)');
  db.transaction(() => docs.forEach((d) => insert.run(d.id, d.title, d.body)))();
  const search = db.prepare('SELECT id FROM a WHERE a MATCH ? ORDER BY bm25(a, 0, 2, 1) LIMIT 10').pluck();
  const match = (q: string) => `${q.split(/\s+/).filter(Boolean).map((w) => `"${w.replaceAll('"', '""')}"`).join(' ')}*`;
  return (q) => {
    try {
      return search.all(match(q)) as string[];
    } catch {
      return [];
    }
  };
}
