import os from 'node:os';
import type Database from 'better-sqlite3';
import type { Article } from '../core/article.js';
import type { EngineOperation, OutboxBatch, OutboxDepth, OutboxQueue, OutboxWriter } from '../services/engine-outbox.js';

/**
 * The outbox of engine operations in the store file: one row per document (upsert: the document as the adapter
 * sends it; delete: the id) or per clear, numbered in commit order. Rows are `pending` until delivered (then
 * removed) or `dead` (refused by the engine for good, with its error). `engine_outbox_lease` names the one process
 * that delivers.
 */
export const OUTBOX_SCHEMA = `
CREATE TABLE IF NOT EXISTS engine_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  op TEXT NOT NULL CHECK (op IN ('upsert', 'delete', 'clear')),
  doc_id TEXT,
  payload TEXT,
  created_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  error TEXT
);
CREATE INDEX IF NOT EXISTS engine_outbox_state ON engine_outbox (state, seq);
CREATE INDEX IF NOT EXISTS engine_outbox_doc ON engine_outbox (doc_id, seq);
CREATE TABLE IF NOT EXISTS engine_outbox_lease (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  holder TEXT NOT NULL,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
`;

/** How documents are encoded for the engine and read back (Meilisearch: toDocument / fromDocument). */
export interface DocumentCodec {
  encode(article: Article): unknown;
  decode(document: Record<string, unknown>): Article;
}

/** Options of the outbox store. */
export interface EngineOutboxOptions {
  readonly codec: DocumentCodec;
  /** Largest JSON of one upsert batch, in bytes (a single larger document goes alone). */
  readonly maxPayloadBytes: number;
  /**
   * How long a lease lasts without renewal, in ms. A deliverer renews it before each batch, so it must exceed the
   * longest batch (the task timeout and its requests). A holder on this host whose process is gone loses it at once.
   */
  readonly leaseMs: number;
  /** Wall clock in ms since the epoch (default Date.now). */
  readonly now?: () => number;
}

interface Row {
  seq: number;
  op: 'upsert' | 'delete' | 'clear';
  doc_id: string | null;
  payload: string | null;
}

/** Whether process `pid` of this host is alive (EPERM: alive, another user's). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The outbox over the store file's connection: written in the write path's transactions, read by the deliverer. */
export class EngineOutboxStore implements OutboxWriter, OutboxQueue {
  private readonly holder = `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2)}`;
  private readonly now: () => number;
  private readonly insert: Database.Statement;
  private readonly pendingRows: Database.Statement;
  private readonly latestOf: Database.Statement;

  constructor(private readonly db: Database.Database, private readonly options: EngineOutboxOptions) {
    this.now = options.now ?? Date.now;
    this.insert = db.prepare('INSERT INTO engine_outbox (op, doc_id, payload, created_at) VALUES (?, ?, ?, ?)');
    this.pendingRows = db.prepare("SELECT seq, op, doc_id, payload FROM engine_outbox WHERE state = 'pending' ORDER BY seq");
    this.latestOf = db.prepare(
      "SELECT seq, op, doc_id, payload FROM engine_outbox WHERE state = 'pending' AND (doc_id = ? OR op = 'clear') ORDER BY seq DESC LIMIT 1",
    );
  }

  upsert(articles: readonly Article[]): void {
    const at = this.now();
    for (const a of articles) this.insert.run('upsert', a.id, JSON.stringify(this.options.codec.encode(a)), at);
  }

  delete(ids: readonly string[]): void {
    const at = this.now();
    for (const id of new Set(ids)) this.insert.run('delete', id, null, at);
  }

  clear(): void {
    // whatever was pending (or dead) before a clear is undone by it
    this.db.prepare('DELETE FROM engine_outbox').run();
    this.insert.run('clear', null, null, this.now());
  }

  pending(id: string): { article: Article | undefined } | undefined {
    const row = this.latestOf.get(id) as Row | undefined;
    if (!row) return undefined;
    if (row.op !== 'upsert') return { article: undefined };
    return { article: this.options.codec.decode(JSON.parse(row.payload!) as Record<string, unknown>) };
  }

  lease(): boolean {
    const now = this.now();
    const held = this.db.prepare('SELECT holder, expires_at FROM engine_outbox_lease WHERE id = 1').get() as
      | { holder: string; expires_at: number }
      | undefined;
    // renewed (a write) only past half its time: a deliverer at work does not take the write lock before every batch
    if (held?.holder === this.holder && held.expires_at - now > this.options.leaseMs / 2) return true;
    return this.db
      .transaction(() => {
        const held = this.db.prepare('SELECT holder, host, pid, expires_at FROM engine_outbox_lease WHERE id = 1').get() as
          | { holder: string; host: string; pid: number; expires_at: number }
          | undefined;
        const free =
          !held || held.holder === this.holder || held.expires_at <= now || (held.host === os.hostname() && !alive(held.pid));
        if (!free) return false;
        this.db
          .prepare('INSERT OR REPLACE INTO engine_outbox_lease (id, holder, host, pid, expires_at) VALUES (1, ?, ?, ?, ?)')
          .run(this.holder, os.hostname(), process.pid, now + this.options.leaseMs);
        return true;
      })
      .immediate();
  }

  release(): void {
    this.db.prepare('DELETE FROM engine_outbox_lease WHERE holder = ?').run(this.holder);
  }

  hasPending(): boolean {
    return this.db.prepare("SELECT 1 FROM engine_outbox WHERE state = 'pending' LIMIT 1").get() !== undefined;
  }

  next(maxRows: number): OutboxBatch | undefined {
    const seqs: number[] = [];
    const rows: Row[] = [];
    let bytes = 2;
    for (const row of this.pendingRows.iterate() as IterableIterator<Row>) {
      const first = rows[0];
      if (first && (row.op !== first.op || first.op === 'clear')) break;
      const size = (row.payload?.length ?? 0) + 1;
      if (first && (rows.length >= maxRows || (row.op === 'upsert' && bytes + size > this.options.maxPayloadBytes))) break;
      rows.push(row);
      seqs.push(row.seq);
      bytes += size;
    }
    const first = rows[0];
    if (!first) return undefined;
    return { seqs, operation: toOperation(first.op, rows) };
  }

  delivered(seqs: readonly number[]): void {
    const remove = this.db.prepare('DELETE FROM engine_outbox WHERE seq = ?');
    this.db.transaction(() => seqs.forEach((seq) => remove.run(seq))).immediate();
  }

  retrying(seqs: readonly number[], error: string): void {
    const count = this.db.prepare('UPDATE engine_outbox SET attempts = attempts + 1, error = ? WHERE seq = ?');
    this.db.transaction(() => seqs.forEach((seq) => count.run(error, seq))).immediate();
  }

  dead(seq: number, error: string): void {
    this.db.prepare("UPDATE engine_outbox SET state = 'dead', attempts = attempts + 1, error = ? WHERE seq = ?").run(error, seq);
  }

  depth(): OutboxDepth {
    const row = this.db
      .prepare(
        `SELECT count(*) FILTER (WHERE state = 'pending') AS pending, count(*) FILTER (WHERE state = 'dead') AS dead,
                min(created_at) FILTER (WHERE state = 'pending') AS oldest FROM engine_outbox`,
      )
      .get() as { pending: number; dead: number; oldest: number | null };
    const oldestPendingSeconds = row.oldest === null ? 0 : Math.max(0, (this.now() - row.oldest) / 1000);
    return { pending: row.pending, dead: row.dead, oldestPendingSeconds };
  }

  lastSeq(): number {
    const row = this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'engine_outbox'").get() as { seq: number } | undefined;
    return row?.seq ?? 0;
  }

  pendingThrough(seq: number): number {
    return this.db.prepare("SELECT count(*) FROM engine_outbox WHERE state = 'pending' AND seq <= ?").pluck().get(seq) as number;
  }

  deadAfter(seq: number): { count: number; error?: string } {
    const rows = this.db.prepare("SELECT error FROM engine_outbox WHERE state = 'dead' AND seq > ? ORDER BY seq").pluck().all(seq) as string[];
    return rows.length === 0 ? { count: 0 } : { count: rows.length, error: rows[0]! };
  }
}

/** The operation of a run of rows of one kind; an upsert sends each document once, in its last version. */
function toOperation(op: Row['op'], rows: readonly Row[]): EngineOperation {
  if (op === 'clear') return { kind: 'clear' };
  if (op === 'delete') return { kind: 'delete', ids: rows.map((r) => r.doc_id!) };
  const latest = new Map<string, string>();
  for (const r of rows) {
    latest.delete(r.doc_id!);
    latest.set(r.doc_id!, r.payload!);
  }
  return { kind: 'upsert', documents: [...latest.values()].map((p) => JSON.parse(p) as unknown) };
}
