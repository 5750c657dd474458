import type { PruneResult } from './analytics-db.js';
import type { AnalyticsEvent } from './events.js';

/** What the writer thread (writer-thread.ts) is started with. */
export interface WriterSettings {
  /** The analytics file, shared by every process of the service (DATA_DIR/analytics.db). */
  readonly file: string;
  /** How long a write waits for another process's write before it fails (ms). */
  readonly busyTimeoutMs: number;
  /** Largest size of the file, in bytes. */
  readonly maxBytes: number;
  /** Events older than this many days are deleted. */
  readonly retentionDays: number;
  /** How often retention runs (ms). */
  readonly pruneEveryMs: number;
}

/** A request to the writer thread: write a batch (all or nothing), or run retention now. */
export type WriterRequest =
  | { readonly type: 'write'; readonly id: number; readonly events: readonly AnalyticsEvent[] }
  | { readonly type: 'prune'; readonly id: number };

/** The writer thread's answer to the request `id` (0: a retention pass of its own that failed). */
export type WriterReply =
  | { readonly id: number; readonly ok: true; readonly written: number; readonly pruned?: PruneResult }
  | { readonly id: number; readonly ok: false; readonly code: string; readonly message: string };
