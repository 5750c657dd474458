import type { Worker } from 'node:worker_threads';
import { StoreBusyError } from '../core/errors.js';
import { startThread } from '../runtime/threads.js';
import type { ReportKind, ReportReply, ReportThreadSettings } from './report-protocol.js';
import type { QueryReport, RelatedReport, ReportRange } from './reports.js';

/** How the reports are run off the event loop; every field but `settings` has a default. */
export interface ReportRunnerOptions {
  readonly settings: ReportThreadSettings;
  /** The thread ends after this long without a report, ms (default 60,000): reports are rare admin reads. */
  readonly idleMs?: number;
  /** Most reports asked and not answered yet (default 8); beyond, a report is refused as busy (503). */
  readonly maxQueued?: number;
}

type Waiter = { resolve: (report: QueryReport | RelatedReport) => void; reject: (error: Error) => void };

/**
 * Runs the analytics reports on a thread of this process (report-thread.ts), started at the first report and ended
 * when idle: the event loop only posts the range and receives the answer (a few kB), whatever the range costs in
 * SQL. Reports queue on the thread one after the other, at most `maxQueued`; a thread that dies fails the reports it
 * held (500) and is started again at the next one.
 */
export class ReportRunner {
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, Waiter>();
  private nextId = 1;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly idleMs: number;
  private readonly maxQueued: number;

  constructor(private readonly options: ReportRunnerOptions) {
    this.idleMs = options.idleMs ?? 60_000;
    this.maxQueued = options.maxQueued ?? 8;
  }

  /** The query report of `range` (reports.ts, queryReport). */
  queries(range: ReportRange): Promise<QueryReport> {
    return this.ask('queries', range) as Promise<QueryReport>;
  }

  /** The widget's report of `range` (reports.ts, relatedReport). */
  related(range: ReportRange): Promise<RelatedReport> {
    return this.ask('related', range) as Promise<RelatedReport>;
  }

  /** Ends the thread; reports still waiting fail. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.stop('the analytics reports were closed');
    await worker?.terminate();
  }

  private ask(kind: ReportKind, range: ReportRange): Promise<QueryReport | RelatedReport> {
    if (this.waiting.size >= this.maxQueued) {
      return Promise.reject(new StoreBusyError(`${this.maxQueued} analytics reports are already being made; try again in a moment`));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      clearTimeout(this.idleTimer);
      this.thread().postMessage({ id, kind, range });
    });
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = startThread(import.meta.url, 'report-thread', { workerData: this.options.settings });
    worker.unref();
    worker.on('message', (reply: ReportReply) => this.settle(reply));
    worker.on('error', (error) => this.lost(worker, `the analytics report thread failed: ${error.message}`));
    worker.on('exit', (code) => this.lost(worker, `the analytics report thread exited (${code})`));
    this.worker = worker;
    return worker;
  }

  private settle(reply: ReportReply): void {
    const waiter = this.waiting.get(reply.id);
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0) this.idle();
    if (!waiter) return;
    if (reply.ok) waiter.resolve(reply.report);
    else if (reply.code === 'SQLITE_BUSY') waiter.reject(new StoreBusyError('the analytics file is busy; try again in a moment', { cause: new Error(reply.message) }));
    else waiter.reject(new Error(`analytics report failed: ${reply.code}: ${reply.message}`));
  }

  /** Ends the thread once no report has been asked for `idleMs`. */
  private idle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.waiting.size > 0) return;
      const worker = this.worker;
      this.worker = undefined;
      void worker?.terminate();
    }, this.idleMs);
    this.idleTimer.unref();
  }

  private lost(worker: Worker, why: string): void {
    if (this.worker !== worker) return;
    this.stop(why);
  }

  private stop(why: string): void {
    clearTimeout(this.idleTimer);
    this.worker = undefined;
    for (const waiter of this.waiting.values()) waiter.reject(new Error(why));
    this.waiting.clear();
  }
}
