import type { SearchRequest, SearchResult } from '../engines/search-engine.js';
import { MAX_SHOWN_IDS, normalizeQuery } from './events.js';
import type { InteractionEvent } from './events.js';
import { disabledRecorder, ThreadRecorder } from './recorder.js';
import type { EventRecorder, RecorderProblem, StartWriter } from './recorder.js';
import type { WriterSettings } from './writer-protocol.js';
import { ReportRunner } from './report-runner.js';
import type { QueryReport, RelatedReport, ReportRange } from './reports.js';

/**
 * Search and widget analytics (issue 22): what readers search for, what finds nothing, what they click.
 *
 * **One report for every process: a store they share.** Each serving process (every cluster worker; the single
 * process with WORKERS=1; every replica in Meilisearch mode, which share DATA_DIR as they already do for the store
 * file's TF-IDF index and entities) writes its own events to one SQLite file, DATA_DIR/analytics.db, from a writer
 * thread (a cluster's workers share the primary's: cluster/analytics-relay.ts), in batches, each one `BEGIN IMMEDIATE` transaction with a busy timeout: concurrent writers
 * queue on the file's lock rather than fail, and a batch is all or nothing. Reports are then one read of one file
 * (WAL: readers never wait for writers), in whichever worker answers, exact and with no process to ask; that read
 * runs on a report thread of the worker (report-runner.ts), never on the event loop that answers searches.
 * Aggregation at read time was the alternative: every process keeps its own events and a report gathers them over
 * IPC; but replicas in separate containers have no IPC channel between them, a report would miss the events of a
 * process that is down or restarting, and each process would need its own retention and file anyway. The shared
 * file needs a local file system (not NFS), which the store file already needs.
 *
 * Writes go through the writer thread so that a lock held by another process (or a full disk) costs the event loop
 * nothing; the queue in front of it is bounded (recorder.ts). The file is apart from the store file, so that
 * analytics never holds or waits for the lock of article writes.
 */
export interface Analytics {
  /** False with ANALYTICS=off: nothing is recorded (the reports still read what the file holds). */
  readonly enabled: boolean;
  readonly recorder: EventRecorder;
  /** Records a search answered from page `request.page`: its normalised query, filters, total and the ids shown. */
  searched(request: SearchRequest, result: Pick<SearchResult, 'hits' | 'totalHits'>): void;
  /** Records a click or impression a beacon reported. */
  interacted(event: InteractionEvent): void;
  /** The query report of `range`, made on the report thread (report-runner.ts): the event loop never runs its SQL. */
  queries(range: ReportRange): Promise<QueryReport>;
  /** The widget's report of `range`, like {@link Analytics.queries}. */
  related(range: ReportRange): Promise<RelatedReport>;
  /** Writes what is queued (waiting at most `ms`), stops the writer and report threads and closes the file. */
  close(ms?: number): Promise<void>;
}

/** How analytics is set up (from ANALYTICS, ANALYTICS_RETENTION_DAYS and ANALYTICS_MAX_MB, src/config.ts). */
export interface AnalyticsOptions {
  readonly file: string;
  readonly enabled: boolean;
  readonly retentionDays: number;
  /** Largest size of the file, bytes. */
  readonly maxBytes: number;
  /** Wall clock, ms since the epoch: the time of a search event. */
  readonly clock: () => number;
  /** How long a write waits for another process's write, ms (default 5,000; it waits on the writer thread). */
  readonly busyTimeoutMs?: number;
  /** The report thread ends after this long without a report, ms (default 60,000). */
  readonly reportIdleMs?: number;
  /** How often retention runs, ms (default one hour). */
  readonly pruneEveryMs?: number;
  /** How often queued events are written, ms (default 1,000). */
  readonly flushEveryMs?: number;
  /** Most events queued while the file refuses writes (default 100,000). */
  readonly maxPending?: number;
  /** Told when writes start failing and when they work again (`undefined`). */
  readonly onProblem?: (problem: RecorderProblem | undefined) => void;
  /**
   * Where the recorder's batches are written; default a writer thread of this process. A cluster worker's go to
   * the primary's one writer thread (cluster/analytics-relay.ts).
   */
  readonly startWriter?: StartWriter;
}

/** The writer's settings `options` give (the primary's writer thread is started with the same). */
export function writerSettings(options: Pick<AnalyticsOptions, 'file' | 'busyTimeoutMs' | 'maxBytes' | 'retentionDays' | 'pruneEveryMs'>): WriterSettings {
  return {
    file: options.file,
    busyTimeoutMs: options.busyTimeoutMs ?? 5_000,
    maxBytes: options.maxBytes,
    retentionDays: options.retentionDays,
    pruneEveryMs: options.pruneEveryMs ?? 3_600_000,
  };
}

/** How long a report's read waits for the file (only a writer's recovery or checkpoint can hold readers in WAL). */
const READ_BUSY_TIMEOUT_MS = 1_000;

/** Opens analytics for this process: its recorder (a writer thread, started at the first write) and its reports. */
export function openAnalytics(options: AnalyticsOptions): Analytics {
  const recorder: EventRecorder = options.enabled
    ? new ThreadRecorder({
        settings: writerSettings(options),
        ...(options.flushEveryMs === undefined ? {} : { flushEveryMs: options.flushEveryMs }),
        ...(options.maxPending === undefined ? {} : { maxPending: options.maxPending }),
        ...(options.onProblem ? { onProblem: options.onProblem } : {}),
        ...(options.startWriter ? { startWriter: options.startWriter } : {}),
      })
    : disabledRecorder;
  const reports = new ReportRunner({
    settings: { file: options.file, busyTimeoutMs: READ_BUSY_TIMEOUT_MS },
    ...(options.reportIdleMs === undefined ? {} : { idleMs: options.reportIdleMs }),
  });
  return {
    enabled: options.enabled,
    recorder,
    searched(request, result) {
      const filters = Object.fromEntries(Object.entries(request.filters).filter(([, v]) => v !== undefined));
      recorder.record({
        kind: 'search',
        at: options.clock(),
        query: normalizeQuery(request.q),
        filters,
        page: request.page,
        totalHits: result.totalHits,
        shownIds: result.hits.slice(0, MAX_SHOWN_IDS).map((h) => h.article.id),
      });
    },
    interacted: (event) => recorder.record(event),
    queries: (range) => reports.queries(range),
    related: (range) => reports.related(range),
    async close(ms) {
      await Promise.all([recorder.close(ms), reports.close()]);
    },
  };
}
