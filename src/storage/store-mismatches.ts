import type Database from 'better-sqlite3';

/**
 * Ids of articles that one store of the store file holds and another lacks, in id order, a page at a time (so
 * memory stays bounded whatever the store's size). The stores are the articles (embedded engine only), the term
 * vectors (`sim_docs`), the entities (`ent_articles`, plus the `ent_mentions` and `ent_evidence` rows of an
 * article) and the copy groups (`copy_signatures`). With the articles in the file, an id is a mismatch when it has an article and lacks a vector or an
 * entity row, or has any of those and no article; without them (Meilisearch), when it is in some of the local
 * stores and not in both `sim_docs` and `ent_articles`.
 */
export class StoreMismatches {
  private readonly page: Database.Statement;

  constructor(private readonly db: Database.Database, options: { withArticles: boolean }) {
    // Each branch stops at `limit` ids of its own (keyset from `after`), so a page never materialises more than
    // six times `limit` ids, however many articles are mismatched.
    const branch = (select: string, from: string, id: string, missing: string) =>
      `SELECT id FROM (SELECT ${select} AS id FROM ${from} WHERE ${id} > @after AND (${missing}) ORDER BY ${id} LIMIT @limit)`;
    const inArticles = (id: string) => `EXISTS (SELECT 1 FROM articles a WHERE a.id = ${id})`;
    const inVectors = (id: string) => `EXISTS (SELECT 1 FROM sim_docs s WHERE s.id = ${id})`;
    const inEntities = (id: string) => `EXISTS (SELECT 1 FROM ent_articles e WHERE e.article_id = ${id})`;
    const inCopies = (id: string) => `EXISTS (SELECT 1 FROM copy_signatures c WHERE c.id = ${id})`;
    const complete = options.withArticles
      ? (id: string) => `${inArticles(id)} AND ${inVectors(id)} AND ${inEntities(id)} AND ${inCopies(id)}`
      : (id: string) => `${inVectors(id)} AND ${inEntities(id)} AND ${inCopies(id)}`;
    const branches = [
      branch('s.id', 'sim_docs s', 's.id', `NOT (${complete('s.id')})`),
      branch('e.article_id', 'ent_articles e', 'e.article_id', `NOT (${complete('e.article_id')})`),
      branch('DISTINCT m.article_id', 'ent_mentions m', 'm.article_id', `NOT (${complete('m.article_id')})`),
      branch('DISTINCT v.article_id', 'ent_evidence v', 'v.article_id', `NOT (${complete('v.article_id')})`),
      branch('c.id', 'copy_signatures c', 'c.id', `NOT (${complete('c.id')})`),
    ];
    if (options.withArticles) branches.unshift(branch('a.id', 'articles a', 'a.id', `NOT (${complete('a.id')})`));
    this.page = db.prepare(`${branches.join(' UNION ')} ORDER BY id LIMIT @limit`).pluck();
  }

  /** Those of `ids` that the local stores hold (a term vector or an entity row). */
  held(ids: readonly string[]): Set<string> {
    const found = this.db
      .prepare(
        `SELECT value FROM json_each(?) WHERE EXISTS (SELECT 1 FROM sim_docs s WHERE s.id = value)
           OR EXISTS (SELECT 1 FROM ent_articles e WHERE e.article_id = value)`,
      )
      .pluck()
      .all(JSON.stringify(ids)) as string[];
    return new Set(found);
  }

  /** The next ids after `after` (exclusive; '' to start), at most `limit` of them. */
  next(after: string, limit: number): string[] {
    return this.page.all({ after, limit }) as string[];
  }
}
