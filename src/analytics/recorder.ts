import { startThread } from '../runtime/threads.js';
import type { PruneResult } from './analytics-db.js';
import type { AnalyticsEvent } from './events.js';
import type { WriterReply, WriterRequest, WriterSettings } from './writer-protocol.js';

/** Where events go: {@link ThreadRecorder}, or {@link disabledRecorder} with ANALYTICS=off. */
export interface EventRecorder {
  /** Queues an event; never throws, never waits, never touches the file (the writer thread does, in batches). */
  record(event: AnalyticsEvent): void;
  /** Writes what is queued now; resolves once it is written, or when a write failed (it stays queued). */
  flush(): Promise<void>;
  /** Runs retention now (it also runs on its own): what it deleted. */
  prune(): Promise<PruneResult>;
  /** Counts since start, for logs, tests and the bench. */
  stats(): RecorderStats;
  /** Flushes (waiting at most `ms`), then stops the writer; later events are dropped. */
  close(ms?: number): Promise<void>;
}

/** What a recorder has done since it started. */
export interface RecorderStats {
  /** Events written to the file. */
  readonly written: number;
  /** Events dropped because the queue was full ({@link RecorderOptions.maxPending}: the file refused writes that long). */
  readonly dropped: number;
  /** Events queued, not yet written. */
  readonly pending: number;
  /** Writes that failed (busy past the timeout, full, unwritable), each retried later. */
  readonly failedWrites: number;
}

/** A write that failed, for the log (once per run of failures, and when writes succeed again). */
export interface RecorderProblem {
  readonly code: string;
  readonly message: string;
  readonly pending: number;
  readonly dropped: number;
}

/** The recorder's batching and its bounds; every field but `settings` has a default. */
export interface RecorderOptions {
  readonly settings: WriterSettings;
  /** Most events one transaction writes (default 500). */
  readonly batchSize?: number;
  /** How often what is queued is written, in ms (default 1,000), sooner when a batch is full. */
  readonly flushEveryMs?: number;
  /** Most events queued (default 100,000, ~40 MB at most); beyond, new events are dropped and counted. */
  readonly maxPending?: number;
  /** Longest wait before a failed write is tried again, ms (default 30,000; the wait doubles from 250 ms). */
  readonly maxBackoffMs?: number;
  /** Called when writes start failing and when they work again (`undefined`). */
  readonly onProblem?: (problem: RecorderProblem | undefined) => void;
  /** Starts the writer the batches go to; default {@link threadWriter}, a thread of this process. */
  readonly startWriter?: StartWriter;
}

/** A running writer, as the recorder sees it: where its requests go. */
export interface WriterLink {
  send(request: WriterRequest): void;
  /** Stops it (a thread ends); no reply comes after. */
  close(): Promise<void>;
}

/** What a writer tells its recorder: each reply, and that it is gone (the requests it held get no reply). */
export interface WriterEvents {
  reply(reply: WriterReply): void;
  lost(why: string): void;
}

/** Starts a writer with `settings`; a {@link WriterLink} whose replies and end come through `events`. */
export type StartWriter = (settings: WriterSettings, events: WriterEvents) => WriterLink;

const FIRST_BACKOFF_MS = 250;

/** The writer thread (writer-thread.ts beside this file), which does not keep the process alive. */
export const threadWriter: StartWriter = (settings, events) => {
  const worker = startThread(import.meta.url, 'writer-thread', { workerData: settings });
  worker.unref();
  worker.on('message', (reply: WriterReply) => events.reply(reply));
  worker.on('error', (error) => events.lost(error.message));
  worker.on('exit', (code) => events.lost(`the analytics writer thread exited (${code})`));
  return {
    send: (request) => worker.postMessage(request),
    close: async () => {
      await worker.terminate();
    },
  };
};

/**
 * Records events off the request path: `record` appends to an in-memory queue; every `flushEveryMs`, or as soon as
 * a batch is full, one batch goes to the writer (writer-thread.ts: a thread of this process, or of the cluster
 * primary, cluster/analytics-relay.ts), one at a time. A write that
 * fails leaves its batch at the head of the queue, tried again after a back-off; the queue is bounded, so a file
 * that stays locked or full costs at most `maxPending` events of memory, and the events beyond are counted as
 * dropped. A thread that dies is started again at the next try. Searches never wait for any of it.
 */
export class ThreadRecorder implements EventRecorder {
  private pending: AnalyticsEvent[] = [];
  private writer: WriterLink | undefined;
  private inFlight: { readonly id: number; readonly events: AnalyticsEvent[]; readonly done: Promise<boolean>; resolve: (ok: boolean) => void } | undefined;
  private readonly replies = new Map<number, (reply: WriterReply) => void>();
  private nextId = 1;
  private retryAt = 0;
  private backoffMs = FIRST_BACKOFF_MS;
  private failing = false;
  private closed = false;
  private counts = { written: 0, dropped: 0, failedWrites: 0 };
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly batchSize: number;
  private readonly maxPending: number;

  constructor(private readonly options: RecorderOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.maxPending = options.maxPending ?? 100_000;
    this.timer = setInterval(() => this.send(), options.flushEveryMs ?? 1_000);
    this.timer.unref();
  }

  record(event: AnalyticsEvent): void {
    if (this.closed) return;
    if (this.pending.length >= this.maxPending) {
      this.counts.dropped += 1;
      return;
    }
    this.pending.push(event);
    if (this.pending.length === this.batchSize) setImmediate(() => this.send());
  }

  async flush(): Promise<void> {
    for (;;) {
      if (this.inFlight) {
        if (!(await this.inFlight.done)) return;
        continue;
      }
      if (this.pending.length === 0) return;
      this.retryAt = 0;
      this.send();
    }
  }

  async prune(): Promise<PruneResult> {
    const reply = await this.ask({ type: 'prune', id: this.nextId++ });
    if (!reply.ok) throw new Error(`analytics retention failed: ${reply.code}: ${reply.message}`);
    return reply.pruned ?? { events: 0, dailyRows: 0 };
  }

  stats(): RecorderStats {
    return { ...this.counts, pending: this.pending.length + (this.inFlight?.events.length ?? 0) };
  }

  async close(ms = 5_000): Promise<void> {
    clearInterval(this.timer);
    await Promise.race([this.flush(), new Promise((resolve) => setTimeout(resolve, ms).unref())]);
    this.closed = true;
    const writer = this.writer;
    this.writer = undefined;
    await writer?.close();
  }

  /** Sends the next batch, unless one is under way, nothing is queued, or a failed write's back-off runs. */
  private send(): void {
    if (this.inFlight || this.pending.length === 0 || this.closed || Date.now() < this.retryAt) return;
    const events = this.pending.splice(0, this.batchSize);
    let resolve: (ok: boolean) => void = () => {};
    const done = new Promise<boolean>((r) => (resolve = r));
    const id = this.nextId++;
    this.inFlight = { id, events, done, resolve };
    void this.ask({ type: 'write', id, events }).then((reply) => this.settle(reply));
  }

  private settle(reply: WriterReply): void {
    const batch = this.inFlight;
    if (!batch || batch.id !== reply.id) return;
    this.inFlight = undefined;
    if (reply.ok) {
      this.counts.written += batch.events.length;
      this.backoffMs = FIRST_BACKOFF_MS;
      this.retryAt = 0;
      if (this.failing) this.options.onProblem?.(undefined);
      this.failing = false;
      batch.resolve(true);
      if (this.pending.length >= this.batchSize) this.send();
      return;
    }
    this.counts.failedWrites += 1;
    this.pending = batch.events.concat(this.pending);
    const excess = this.pending.length - this.maxPending;
    if (excess > 0) {
      this.pending.length = this.maxPending; // the newest go: the oldest have waited longest to be written
      this.counts.dropped += excess;
    }
    this.retryAt = Date.now() + this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs ?? 30_000);
    if (!this.failing) this.options.onProblem?.({ code: reply.code, message: reply.message, pending: this.pending.length, dropped: this.counts.dropped });
    this.failing = true;
    batch.resolve(false);
  }

  /** Sends a request to the writer thread (starting it when needed) and waits for its reply. */
  private ask(request: WriterRequest): Promise<WriterReply> {
    return new Promise((resolve) => {
      this.replies.set(request.id, resolve);
      try {
        this.thread().send(request);
      } catch (error) {
        this.replies.delete(request.id);
        resolve({ id: request.id, ok: false, code: 'writer_unavailable', message: (error as Error).message });
      }
    });
  }

  private thread(): WriterLink {
    if (this.writer) return this.writer;
    const lost = (why: string) => {
      if (this.writer !== writer) return;
      this.writer = undefined;
      for (const [id, waiter] of this.replies) waiter({ id, ok: false, code: 'writer_exited', message: why });
      this.replies.clear();
    };
    const reply = (answer: WriterReply) => {
      const waiter = this.replies.get(answer.id);
      this.replies.delete(answer.id);
      if (waiter) waiter(answer);
      else if (!answer.ok) this.options.onProblem?.({ code: answer.code, message: answer.message, pending: this.pending.length, dropped: this.counts.dropped });
    };
    const writer: WriterLink = (this.options.startWriter ?? threadWriter)(this.options.settings, { reply, lost });
    this.writer = writer;
    return writer;
  }
}

/** ANALYTICS=off: records nothing, writes nothing, opens no file. */
export const disabledRecorder: EventRecorder = {
  record: () => {},
  flush: async () => {},
  prune: async () => ({ events: 0, dailyRows: 0 }),
  stats: () => ({ written: 0, dropped: 0, pending: 0, failedWrites: 0 }),
  close: async () => {},
};
