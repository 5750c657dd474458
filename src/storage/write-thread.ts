import type { Worker } from 'node:worker_threads';
import type { NewSavedSearch, SavedSearch, SavedSearchWriter, WriteBound } from '../alerts/saved-searches.js';
import type { SentError } from '../core/errors.js';
import { receivedError } from '../core/errors.js';
import { startThread } from '../runtime/threads.js';
import type { ArticleWriter, IngestResult } from '../services/article-writer.js';
import type { DeleteCounts } from '../services/article-writes.js';
import type { SourceRecord } from '../services/ingest-articles.js';

/** A write sent to the thread. */
export type WriteRequest =
  | { readonly id: number; readonly op: 'ingest'; readonly records: readonly SourceRecord[] }
  | { readonly id: number; readonly op: 'ingestBody'; readonly body: Uint8Array }
  | { readonly id: number; readonly op: 'delete'; readonly ids: readonly string[] }
  | { readonly id: number; readonly op: 'createSavedSearch'; readonly given: NewSavedSearch; readonly bound: WriteBound }
  | { readonly id: number; readonly op: 'deleteSavedSearch'; readonly savedSearchId: string; readonly bound: WriteBound };

/** What a write answers: an ingest's result, a delete's counts, a saved search as saved, nothing (its delete). */
export type WriteResult = IngestResult | DeleteCounts | SavedSearch | undefined;

/** The thread's answer to one {@link WriteRequest}. */
export type WriteReply =
  | { readonly id: number; readonly ok: true; readonly result: WriteResult }
  | { readonly id: number; readonly ok: false; readonly error: SentError };

/** How long the thread stays after its last write before it ends (and gives back its memory). */
export const WRITE_THREAD_IDLE_MS = 60_000;

/** How the write thread runs. */
export interface WriteThreadOptions {
  /** Idle time before the thread ends; default {@link WRITE_THREAD_IDLE_MS}. */
  readonly idleMs?: number;
  /** The environment the thread reads its configuration from; default this process's. */
  readonly env?: NodeJS.ProcessEnv;
  /** Where a failure of the thread itself goes (the writes it held fail with it). */
  readonly logError?: (error: unknown) => void;
}

interface Pending {
  resolve(result: WriteResult): void;
  reject(error: Error): void;
}

/**
 * The API's article writes on a thread of their own (worker_threads), so that a process's other requests are never
 * held behind one: validating and extracting the entities of a 1,000,000-character body blocks for the better part
 * of a second, and while it did, every request sent to the same process waited (even a gzip bomb's 413). The
 * thread opens the store file with its own connection (role `writer`: no in-memory indexes) and runs the one write
 * path, each write one transaction as before; the index host sees the commit through the change logs as it sees
 * the indexer's. Started on the first write, it ends after {@link WRITE_THREAD_IDLE_MS} without one; a thread that
 * dies fails the writes it held (their transactions were not committed) and the next write starts another.
 * Saved-search writes ({@link WriteThread.savedSearches}) go the same way: with an indexer holding the file's write
 * lock they wait here, and the worker goes on serving meanwhile; each carries its request's deadline, and waits for
 * the lock only until then (a write queued behind others has less time left than WRITE_TIMEOUT_MS), or is not begun
 * when it has passed: a saved-search request answered 503 has not made its write (a client that retries it would
 * otherwise save the search twice).
 */
export class WriteThread implements ArticleWriter {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idle: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: WriteThreadOptions = {}) {}

  /** Whether the thread is there (it starts with a write and ends when idle). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  ingest(records: readonly SourceRecord[]): Promise<IngestResult> {
    return this.call({ id: this.nextId++, op: 'ingest', records }) as Promise<IngestResult>;
  }

  /** The body's bytes are copied to the thread (a memcpy), which decodes, parses and validates them. */
  ingestBody(body: Uint8Array): Promise<IngestResult> {
    return this.call({ id: this.nextId++, op: 'ingestBody', body }) as Promise<IngestResult>;
  }

  delete(ids: readonly string[]): Promise<DeleteCounts> {
    return this.call({ id: this.nextId++, op: 'delete', ids }) as Promise<DeleteCounts>;
  }

  /** Saved-search writes (POST and DELETE /api/saved-searches), made on the thread in the order asked, each within its bound. */
  readonly savedSearches: SavedSearchWriter = {
    create: (given, bound = {}) => this.call({ id: this.nextId++, op: 'createSavedSearch', given, bound }) as Promise<SavedSearch>,
    delete: async (savedSearchId, bound = {}) => {
      await this.call({ id: this.nextId++, op: 'deleteSavedSearch', savedSearchId, bound });
    },
  };

  /** Waits for the writes under way, then ends the thread. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled(this.underWay);
      clearTimeout(this.idle);
      await this.worker?.terminate();
      this.worker = undefined;
    })();
    return this.closing;
  }

  /** The answers not yet settled (close waits for them). */
  private readonly underWay = new Set<Promise<unknown>>();

  private call(request: WriteRequest): Promise<WriteResult> {
    if (this.closing) return Promise.reject(new Error('the service is stopping: the write was not made'));
    const worker = this.thread();
    clearTimeout(this.idle);
    const answer = new Promise<WriteResult>((resolve, reject) => this.pending.set(request.id, { resolve, reject }));
    this.underWay.add(answer);
    const forget = () => void this.underWay.delete(answer);
    answer.then(forget, forget);
    worker.postMessage(request);
    return answer;
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = startThread(import.meta.url, 'write-thread-main', this.options.env ? { env: this.options.env } : {});
    worker.on('message', (reply: WriteReply) => this.settle(reply));
    worker.on('error', (error) => {
      this.options.logError?.(error);
      this.failAll(worker, new Error(`the write thread failed: ${error.message}`));
    });
    worker.on('exit', () => this.failAll(worker, new Error('the write thread ended before the write was made')));
    this.worker = worker;
    return worker;
  }

  private settle(reply: WriteReply): void {
    const call = this.pending.get(reply.id);
    if (!call) return;
    this.pending.delete(reply.id);
    if (reply.ok) call.resolve(reply.result);
    else call.reject(receivedError(reply.error));
    if (this.pending.size === 0 && !this.closing) this.endWhenIdle();
  }

  /** A thread that ended or failed: the writes it held were not committed; the next write starts another thread. */
  private failAll(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const call of this.pending.values()) call.reject(error);
    this.pending.clear();
  }

  private endWhenIdle(): void {
    clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      const worker = this.worker;
      if (!worker || this.pending.size > 0) return;
      this.worker = undefined;
      void worker.terminate();
    }, this.options.idleMs ?? WRITE_THREAD_IDLE_MS);
    this.idle.unref();
  }
}
