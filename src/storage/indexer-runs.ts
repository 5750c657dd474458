import fs from 'node:fs';
import Database from 'better-sqlite3';
import type { SourceState } from './source-states.js';
import { readSourceStates } from './source-states.js';

/** How an indexer run ended: `ok`, `rejected` (finished, with at least one record rejected) or `failed` (threw). */
export const RUN_OUTCOMES = ['ok', 'rejected', 'failed'] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

/** One indexer run as the indexer state (DATA_DIR/indexer-state.db) records it. */
export interface IndexerRun {
  /** Wall-clock start and end, in ms since the epoch. */
  readonly startedAt: number;
  readonly endedAt: number;
  /** Measured on the monotonic clock, in seconds (not endedAt − startedAt, which a clock step could skew). */
  readonly durationSeconds: number;
  readonly outcome: RunOutcome;
  /** Counts so far: a failed run records what it had done when it failed. */
  readonly read: number;
  readonly indexed: number;
  readonly unchanged: number;
  readonly deleted: number;
  readonly rejected: number;
  /** Why a failed run failed. */
  readonly error?: string;
}

/** The `runs` table; the indexer creates it (indexer/state.ts), the API only reads it. */
export const RUNS_SCHEMA = `CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT, started_at INTEGER NOT NULL, ended_at INTEGER NOT NULL,
  duration_seconds REAL NOT NULL, outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'rejected', 'failed')),
  read INTEGER NOT NULL, indexed INTEGER NOT NULL, unchanged INTEGER NOT NULL, deleted INTEGER NOT NULL,
  rejected INTEGER NOT NULL, error TEXT);`;

/** What /metrics shows of the indexer: its last run and how many runs ended each way. */
export interface RunsSnapshot {
  readonly last: IndexerRun | undefined;
  readonly runs: Readonly<Record<RunOutcome, number>>;
}

/** Read access to the recorded runs (the HTTP layer sees only this). */
export interface IndexerRunsReader {
  snapshot(): RunsSnapshot;
  /** The state of each HTTP source the indexer follows (see source-states.ts); none when not given. */
  sources?(): SourceState[];
}

interface RunRow {
  started_at: number;
  ended_at: number;
  duration_seconds: number;
  outcome: RunOutcome;
  read: number;
  indexed: number;
  unchanged: number;
  deleted: number;
  rejected: number;
  error: string | null;
}

const fromRow = (r: RunRow): IndexerRun => ({
  startedAt: r.started_at,
  endedAt: r.ended_at,
  durationSeconds: r.duration_seconds,
  outcome: r.outcome,
  read: r.read,
  indexed: r.indexed,
  unchanged: r.unchanged,
  deleted: r.deleted,
  rejected: r.rejected,
  ...(r.error === null ? {} : { error: r.error }),
});

/** Appends a run to the `runs` table of an open state database. */
export function writeRun(db: Database.Database, run: IndexerRun): void {
  db.prepare(
    `INSERT INTO runs (started_at, ended_at, duration_seconds, outcome, read, indexed, unchanged, deleted, rejected, error)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(run.startedAt, run.endedAt, run.durationSeconds, run.outcome, run.read, run.indexed, run.unchanged, run.deleted, run.rejected, run.error ?? null);
}

const NO_RUNS: RunsSnapshot = { last: undefined, runs: { ok: 0, rejected: 0, failed: 0 } };

/** The last run and the number of runs per outcome, read in one transaction (no runs table: none). */
export function readRuns(db: Database.Database): RunsSnapshot {
  return db.transaction((): RunsSnapshot => {
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'runs'").get()) return NO_RUNS;
    const last = db.prepare('SELECT * FROM runs ORDER BY id DESC LIMIT 1').get() as RunRow | undefined;
    const runs = { ...NO_RUNS.runs };
    for (const [outcome, n] of db.prepare('SELECT outcome, count(*) FROM runs GROUP BY outcome').raw().all() as [RunOutcome, number][]) {
      runs[outcome] = n;
    }
    return { last: last === undefined ? undefined : fromRow(last), runs };
  })();
}

/**
 * The API's reader of the runs the indexer (another process) recorded in DATA_DIR/indexer-state.db. The file is
 * opened when it first exists (an API may start before any run) and never created or written here.
 */
export class IndexerRuns implements IndexerRunsReader {
  private db: Database.Database | undefined;
  private closed = false;

  constructor(private readonly file: string) {}

  snapshot(): RunsSnapshot {
    const db = this.open();
    return db === undefined ? NO_RUNS : readRuns(db);
  }

  sources(): SourceState[] {
    const db = this.open();
    return db === undefined ? [] : readSourceStates(db);
  }

  /** The state file, opened once it exists; undefined before that or once closed. */
  private open(): Database.Database | undefined {
    if (this.closed) return undefined;
    if (this.db === undefined) {
      if (!fs.existsSync(this.file)) return undefined;
      this.db = new Database(this.file, { fileMustExist: true });
      this.db.pragma('busy_timeout = 5000');
    }
    return this.db;
  }

  close(): void {
    this.closed = true;
    this.db?.close();
    this.db = undefined;
  }
}
