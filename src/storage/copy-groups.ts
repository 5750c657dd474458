import type Database from 'better-sqlite3';
import type { Article } from '../core/article.js';
import { COPY_JACCARD, bandKeys, estimatedJaccard, storySignature } from '../core/story-signature.js';

/**
 * The copy-group tables, idempotent; they live in the store file beside the term vectors. `copy_signatures` holds
 * each article's MinHash signature (core/story-signature.ts) and its group; `copy_bands` finds candidates: one row
 * per band of a signature, keyed by the band's number and hash.
 */
export const COPY_SCHEMA = `
  CREATE TABLE IF NOT EXISTS copy_signatures (
    id TEXT PRIMARY KEY,
    grp TEXT NOT NULL,
    signature BLOB NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS copy_signatures_grp ON copy_signatures (grp);
  CREATE TABLE IF NOT EXISTS copy_bands (band INTEGER NOT NULL, id TEXT NOT NULL, PRIMARY KEY (band, id)) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS copy_bands_id ON copy_bands (id);
`;

/**
 * Stored articles compared with a new one at most: texts made from one template (a results table, a one-line notice)
 * can share a band by the thousand, and a write must not pay for each of them.
 */
const MAX_CANDIDATES = 256;

/** Ids listed per group in {@link CopyGroups.members}; the count is always whole. */
export const MAX_COPY_IDS = 20;

/** What the write path needs of copy groups (services/article-writes.ts). */
export interface CopyGrouper {
  /** The articles with their `copyGroup` (see {@link CopyGroups.assign}); call inside the write's transaction. */
  assign(articles: readonly Article[]): Article[];
  /** Records articles with the `copyGroup` they already carry (a replica's mirror: the writer grouped them). */
  record(articles: readonly Article[]): void;
  delete(ids: readonly string[]): void;
  clear(): void;
}

/** What search needs of copy groups: the copies each hit stands for. */
export interface CopyReader {
  /**
   * The other members of each article's group (`[id, group, size?]`, e.g. a page of hits); articles alone in their
   * group are left out. `size`, the group's members when the caller knows it (the index host counts them), spares
   * the query for sizes.
   */
  members(of: readonly (readonly [id: string, group: string, size?: number])[]): Map<string, CopyMembers>;
}

/** Copy groups as the write path and search see them. */
export type CopyStore = CopyGrouper & CopyReader;

/** The other articles of a copy group: how many, and the first {@link MAX_COPY_IDS} ids (in id order). */
export interface CopyMembers {
  readonly count: number;
  readonly ids: readonly string[];
}

/**
 * Copy groups: syndicated copies and near-duplicates of one text, found at write time so that search can show one
 * hit per group (issue 17 item 1). An article written joins the group of the stored article whose signature it
 * shares a band with and agrees with most (estimated shingle Jaccard ≥ {@link COPY_JACCARD}, ties to the smaller
 * id); with none, it starts a group named by its own id. Every article carries its group (`copyGroup`, its own id
 * when alone), so that no other article's document changes when a copy arrives: the first article of a group is
 * its name. The work per article is its signature plus the articles sharing one of its band hashes —
 * a handful, and never more than {@link MAX_CANDIDATES}. An article whose text is unchanged keeps its group; a changed one is grouped anew
 * (articles that named the group after it keep that name: a group's name need not be a member's id).
 */
export class CopyGroups implements CopyGrouper, CopyReader {
  private readonly getRow: Database.Statement;
  private readonly candidates: Database.Statement;
  private readonly put: Database.Statement;
  private readonly addBand: Database.Statement;
  private readonly dropBands: Database.Statement;
  private readonly drop: Database.Statement;
  private readonly sizes: Database.Statement;
  private readonly membersOf: Database.Statement;

  /** `db`: a connection to a store file holding {@link COPY_SCHEMA} (storage/open-store.ts creates it). */
  constructor(private readonly db: Database.Database) {
    this.getRow = db.prepare('SELECT grp, signature FROM copy_signatures WHERE id = ?');
    this.candidates = db.prepare(`SELECT s.id, s.grp, s.signature FROM copy_signatures s
      WHERE s.id IN (SELECT b.id FROM copy_bands b WHERE b.band IN (SELECT value FROM json_each(?)) AND b.id <> ? LIMIT ${MAX_CANDIDATES})`);
    this.put = db.prepare('INSERT OR REPLACE INTO copy_signatures (id, grp, signature) VALUES (?, ?, ?)');
    this.addBand = db.prepare('INSERT OR IGNORE INTO copy_bands (band, id) VALUES (?, ?)');
    this.dropBands = db.prepare('DELETE FROM copy_bands WHERE id = ?');
    this.drop = db.prepare('DELETE FROM copy_signatures WHERE id = ?');
    this.sizes = db.prepare('SELECT grp, count(*) FROM copy_signatures WHERE grp IN (SELECT value FROM json_each(?)) GROUP BY grp').raw();
    this.membersOf = db.prepare('SELECT id FROM copy_signatures WHERE grp = ? AND id <> ? ORDER BY id LIMIT ?').pluck();
  }

  /**
   * Groups each article (in order: a later article of the batch may join an earlier one's group) and records it;
   * returns the articles with `copyGroup` set.
   */
  assign(articles: readonly Article[]): Article[] {
    return articles.map((article) => ({ ...article, copyGroup: this.groupOf(article) }));
  }

  record(articles: readonly Article[]): void {
    for (const article of articles) this.store(article.id, article.copyGroup ?? article.id, storySignature(`${article.title}\n${article.body}`));
  }

  private groupOf(article: Article): string {
    const signature = storySignature(`${article.title}\n${article.body}`);
    const held = this.getRow.get(article.id) as { grp: string; signature: Buffer } | undefined;
    if (held && sameSignature(held.signature, signature)) return held.grp;
    const bands = bandKeys(signature);
    let best: { id: string; grp: string; jaccard: number } | undefined;
    for (const row of this.candidates.all(JSON.stringify(bands), article.id) as { id: string; grp: string; signature: Buffer }[]) {
      const jaccard = estimatedJaccard(signature, toSignature(row.signature));
      if (jaccard < COPY_JACCARD) continue;
      if (!best || jaccard > best.jaccard || (jaccard === best.jaccard && row.id < best.id)) best = { id: row.id, grp: row.grp, jaccard };
    }
    const grp = best?.grp ?? article.id;
    this.store(article.id, grp, signature);
    return grp;
  }

  private store(id: string, grp: string, signature: Uint32Array): void {
    this.put.run(id, grp, Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength));
    this.dropBands.run(id);
    for (const band of bandKeys(signature)) this.addBand.run(band, id);
  }

  delete(ids: readonly string[]): void {
    for (const id of ids) {
      this.drop.run(id);
      this.dropBands.run(id);
    }
  }

  clear(): void {
    this.db.exec('DELETE FROM copy_signatures; DELETE FROM copy_bands;');
  }

  /**
   * See {@link CopyReader.members}: one query for the sizes not given, then one per group that has copies (most
   * pages of a search have none).
   */
  members(of: readonly (readonly [id: string, group: string, size?: number])[]): Map<string, CopyMembers> {
    const out = new Map<string, CopyMembers>();
    const unknown = [...new Set(of.flatMap(([, group, known]) => (known === undefined ? [group] : [])))];
    const size = new Map(unknown.length === 0 ? [] : (this.sizes.all(JSON.stringify(unknown)) as [string, number][]));
    for (const [id, group, known] of of) {
      const n = known ?? size.get(group) ?? 0;
      if (n < 2) continue;
      const ids = this.membersOf.all(group, id, MAX_COPY_IDS) as string[];
      out.set(id, { count: ids.length < MAX_COPY_IDS ? ids.length : n - 1, ids });
    }
    return out;
  }
}

/**
 * Reads one article's copy group from the store file `db` (a keyed read of `copy_signatures`, in the caller's
 * transaction): the index host's story roles (stories/story-state.ts), on either engine — the write path and a
 * replica's mirror both record every grouped article there, in the transaction that writes its term vector.
 * Undefined for an article without one (written before copy groups, or by a writer that keeps none), and for
 * every article when the file has no copy-group tables (a similarity-only file).
 */
export function copyGroupReader(db: Database.Database): (id: string) => string | undefined {
  const held = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'copy_signatures'").get();
  if (!held) return () => undefined;
  const group = db.prepare('SELECT grp FROM copy_signatures WHERE id = ?').pluck();
  return (id) => group.get(id) as string | undefined;
}

function toSignature(blob: Buffer): Uint32Array {
  const copy = new Uint8Array(blob.length);
  copy.set(blob);
  return new Uint32Array(copy.buffer);
}

function sameSignature(blob: Buffer, signature: Uint32Array): boolean {
  return Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength).equals(blob);
}
