import type { QueryReport, RelatedReport, ReportRange } from './reports.js';

/** Which report a request asks the report thread for. */
export type ReportKind = 'queries' | 'related';

/** What the report thread (report-thread.ts) is started with. */
export interface ReportThreadSettings {
  /** The analytics file (DATA_DIR/analytics.db), opened read-only. */
  readonly file: string;
  /** How long a read waits for the file, ms (only a writer's recovery or checkpoint holds readers in WAL). */
  readonly busyTimeoutMs: number;
}

/** A request to the report thread. */
export interface ReportRequest {
  readonly id: number;
  readonly kind: ReportKind;
  readonly range: ReportRange;
}

/** The report thread's answer to the request `id`; `code` is SQLite's (`SQLITE_BUSY`…) or `unknown`. */
export type ReportReply =
  | { readonly id: number; readonly ok: true; readonly report: QueryReport | RelatedReport }
  | { readonly id: number; readonly ok: false; readonly code: string; readonly message: string };
