import type Database from 'better-sqlite3';
import type { ArticleWrites } from '../services/article-writes.js';
import type { MirroredDocument, MirrorPosition, MirrorStatus, MirrorTarget } from '../services/mirror.js';

/**
 * A replica's mirror state in its store file: `mirror_docs` holds the content hash of each document mirrored (so
 * an unchanged one is skipped), `mirror_position` the one row of cursors (services/mirror.ts, MirrorPosition).
 * An article whose term vector goes by any other write (the replica's own `DELETE /api/articles`, a clear) loses its
 * hash too (trigger on `sim_docs`, created after the similarity schema), so that the same document coming back is
 * written again rather than skipped.
 */
export const MIRROR_SCHEMA = `
  CREATE TABLE IF NOT EXISTS mirror_docs (id TEXT PRIMARY KEY, hash TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS mirror_position (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    documents_at INTEGER NOT NULL DEFAULT 0,
    tombstones_at INTEGER NOT NULL DEFAULT 0,
    unstamped_done INTEGER NOT NULL DEFAULT 0,
    caught_up_at INTEGER NOT NULL DEFAULT 0
  );
  CREATE TRIGGER IF NOT EXISTS mirror_docs_gone AFTER DELETE ON sim_docs BEGIN DELETE FROM mirror_docs WHERE id = old.id; END;
`;

interface PositionRow {
  documents_at: number;
  tombstones_at: number;
  unstamped_done: number;
  caught_up_at: number;
}

/**
 * The replica's local store as its mirror fills it (services/mirror.ts, MirrorTarget): every change goes through
 * the one write path's mirror methods (ArticleWrites.applyMirrored, removeMirrored) in one local transaction with
 * the hashes and the position, so a crash leaves the position and the data in step and a restart resumes there.
 */
export class MirrorStore implements MirrorTarget {
  private readonly readPosition: Database.Statement;
  private readonly writePosition: Database.Statement;
  private readonly hashOf: Database.Statement;
  private readonly putHash: Database.Statement;
  private readonly dropHash: Database.Statement;
  private readonly idsAfter: Database.Statement;
  private readonly count: Database.Statement;

  /** `db`: the store file's connection (holding {@link MIRROR_SCHEMA}); `writes`: the write path over it. */
  constructor(db: Database.Database, private readonly writes: Pick<ArticleWrites, 'applyMirrored' | 'removeMirrored'>) {
    this.readPosition = db.prepare('SELECT documents_at, tombstones_at, unstamped_done, caught_up_at FROM mirror_position WHERE one = 1');
    this.writePosition = db.prepare(`INSERT INTO mirror_position (one, documents_at, tombstones_at, unstamped_done, caught_up_at)
      VALUES (1, @documents_at, @tombstones_at, @unstamped_done, @caught_up_at)
      ON CONFLICT (one) DO UPDATE SET documents_at = excluded.documents_at, tombstones_at = excluded.tombstones_at,
        unstamped_done = excluded.unstamped_done, caught_up_at = excluded.caught_up_at`);
    this.hashOf = db.prepare('SELECT hash FROM mirror_docs WHERE id = ?').pluck();
    this.putHash = db.prepare('INSERT OR REPLACE INTO mirror_docs (id, hash) VALUES (?, ?)');
    this.dropHash = db.prepare('DELETE FROM mirror_docs WHERE id = ?');
    this.idsAfter = db.prepare('SELECT id FROM mirror_docs WHERE id > ? ORDER BY id LIMIT ?').pluck();
    this.count = db.prepare('SELECT count(*) FROM mirror_docs').pluck();
  }

  position(): MirrorPosition {
    const row = this.readPosition.get() as PositionRow | undefined;
    return {
      documentsAt: row?.documents_at ?? 0,
      tombstonesAt: row?.tombstones_at ?? 0,
      unstampedDone: (row?.unstamped_done ?? 0) === 1,
      caughtUpAt: row?.caught_up_at ?? 0,
    };
  }

  heldHash(id: string): string | undefined {
    return this.hashOf.get(id) as string | undefined;
  }

  apply(documents: readonly MirroredDocument[], move: Partial<MirrorPosition>): void {
    this.writes.applyMirrored(documents.map((d) => d.article), () => {
      for (const d of documents) this.putHash.run(d.article.id, d.hash);
      this.moveNow(move);
    });
  }

  remove(ids: readonly string[], move: Partial<MirrorPosition>): void {
    this.writes.removeMirrored(ids, () => {
      for (const id of ids) this.dropHash.run(id);
      this.moveNow(move);
    });
  }

  heldIds(after: string, limit: number): string[] {
    return this.idsAfter.all(after, limit) as string[];
  }

  move(move: Partial<MirrorPosition>): void {
    this.writes.applyMirrored([], () => this.moveNow(move));
  }

  /**
   * The mirror's status at `nowMs` (for /ready and /metrics: any worker reads it from the file); undefined before
   * the mirror's first poll.
   */
  status(nowMs: number): MirrorStatus | undefined {
    const row = this.readPosition.get() as PositionRow | undefined;
    if (!row) return undefined;
    return {
      cursorMs: Math.floor(row.documents_at / 1000),
      lagSeconds: row.caught_up_at === 0 ? null : Math.max(0, (nowMs - row.caught_up_at) / 1000),
      documents: this.count.get() as number,
    };
  }

  private moveNow(move: Partial<MirrorPosition>): void {
    const at = { ...this.position(), ...move };
    this.writePosition.run({
      documents_at: at.documentsAt,
      tombstones_at: at.tombstonesAt,
      unstamped_done: at.unstampedDone ? 1 : 0,
      caught_up_at: at.caughtUpAt,
    });
  }
}
