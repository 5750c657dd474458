import type Database from 'better-sqlite3';
import type { Article } from '../../core/article.js';
import type { IndexedDoc } from '../../core/keyword/keyword-index.js';
import { KeywordIndex } from '../../core/keyword/keyword-index.js';
import { KeywordSearch } from '../../core/keyword/keyword-search.js';
import { ChangeFollower } from '../../storage/change-follower.js';

interface Row {
  pk: number;
  doc: string;
  published_at: number | null;
}

function toIndexed(row: Row): IndexedDoc {
  const a = JSON.parse(row.doc) as Article;
  return {
    key: row.pk,
    id: a.id,
    title: a.title,
    body: a.body,
    publishedAt: row.published_at ?? undefined,
    category: a.category,
    source: a.source,
    tags: a.tags,
    people: a.people,
    orgs: a.orgs,
    places: a.places,
    salience: a.salience,
  };
}

/**
 * An in-memory {@link KeywordIndex} kept equal to the `articles` table through `article_changes` (see
 * ChangeFollower). While it is behind, callers use the FTS5 path, which is always exact.
 */
export class KeywordSync {
  index = new KeywordIndex();
  search = new KeywordSearch(this.index);
  private readonly follower: ChangeFollower;

  constructor(db: Database.Database) {
    const row = db.prepare('SELECT pk, doc, published_at FROM articles WHERE pk = ?');
    const all = db.prepare('SELECT pk, doc, published_at FROM articles ORDER BY pk');
    this.follower = new ChangeFollower(db, 'article_changes', {
      rebuild: () => {
        const index = new KeywordIndex();
        index.addAll((function* () {
          for (const r of all.iterate() as Iterable<Row>) yield toIndexed(r);
        })());
        this.index = index;
        this.search = new KeywordSearch(index);
      },
      apply: (pk) => {
        const r = row.get(pk) as Row | undefined;
        if (r) this.index.add(toIndexed(r));
        else this.index.remove(pk);
      },
    });
  }

  markChanged(): void {
    this.follower.markChanged();
  }

  /** Applies up to one slice of pending changes; true when the index reflects every committed change. */
  catchUp(): boolean {
    return this.follower.catchUp();
  }
}
