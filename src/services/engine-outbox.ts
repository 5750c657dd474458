import type { Article } from '../core/article.js';
import { WakeablePause } from './wakeable-pause.js';

/**
 * One operation of the search engine, as the outbox holds it and the deliverer sends it: an upsert of documents
 * exactly as the adapter sends them (Meilisearch: engines/meilisearch/document.ts), a delete by ids, or a clear.
 */
export type EngineOperation =
  | { readonly kind: 'upsert'; readonly documents: readonly unknown[] }
  | { readonly kind: 'delete'; readonly ids: readonly string[] }
  | { readonly kind: 'clear' };

/**
 * What the engine said of one delivered operation: done, or refused for good (a failed task: an invalid document,
 * a payload too large…), with why. "Not now" (unreachable, 5xx, task timeout, refused key) is a thrown error.
 */
/**
 * What a delivery came to: `ok` (with a `warning` when something beside the operation failed and is tried again
 * later, such as pruning old tombstones), or refused for good with Meilisearch's `error`.
 */
export type DeliveryOutcome = { readonly ok: true; readonly warning?: string } | { readonly ok: false; readonly error: string };

/** The engine side of delivery (the Meilisearch adapter): sends one operation as one task and waits for it. */
export interface OperationSink {
  deliver(operation: EngineOperation): Promise<DeliveryOutcome>;
}

/**
 * The outbox as the write path appends to it, inside the write's local transaction (see ArticleWrites), and as
 * `/ready` and `/metrics` read its depth.
 */
export interface OutboxWriter {
  upsert(articles: readonly Article[]): void;
  delete(ids: readonly string[]): void;
  /** Appends a clear; the operations before it are dropped (the clear undoes them). */
  clear(): void;
  /**
   * The article as the outbox's latest pending operation on `id` leaves it (`article` undefined: deleted or cleared),
   * or undefined when no pending operation concerns `id` (the engine holds the article as it is).
   */
  pending(id: string): { readonly article: Article | undefined } | undefined;
  depth(): OutboxDepth;
}

/** How far delivery lags. */
export interface OutboxDepth {
  /** Operations waiting for delivery (rows, one per document for upserts and deletes). */
  readonly pending: number;
  /** Operations the engine refused for good (dead letters), kept for an operator to read and remove. */
  readonly dead: number;
  /** Age of the oldest pending operation in seconds (0 when none). */
  readonly oldestPendingSeconds: number;
}

/** A run of consecutive pending rows of one kind, as one operation. */
export interface OutboxBatch {
  readonly seqs: readonly number[];
  readonly operation: EngineOperation;
}

/** The outbox as its deliverer uses it (storage/engine-outbox-store.ts). */
export interface OutboxQueue {
  /** Whether any row is pending (a read: an idle deliverer takes no lock). */
  hasPending(): boolean;
  /** Takes or renews the delivery lease of this process; false while another live deliverer holds it. */
  lease(): boolean;
  /** Gives the lease up (at stop). */
  release(): void;
  /** The oldest pending rows of one kind in order, at most `maxRows`, or undefined when none is pending. */
  next(maxRows: number): OutboxBatch | undefined;
  /** Removes delivered rows. */
  delivered(seqs: readonly number[]): void;
  /** Counts an attempt that failed for now (the rows stay pending) and keeps its error on them. */
  retrying(seqs: readonly number[], error: string): void;
  /** Sets a row aside as a dead letter with the engine's error. */
  dead(seq: number, error: string): void;
  depth(): OutboxDepth;
  /** The last sequence number given (0 before any). */
  lastSeq(): number;
  /** Pending rows with a sequence number up to `seq`. */
  pendingThrough(seq: number): number;
  /** Dead letters with a sequence number after `seq`, and the first one's error. */
  deadAfter(seq: number): { readonly count: number; readonly error?: string };
}

/** How a deliverer paces itself. */
export interface DelivererOptions {
  readonly queue: OutboxQueue;
  readonly sink: OperationSink;
  /** Milliseconds between looks at an empty outbox, or at a lease another process holds (default 200). */
  readonly pollMs?: number;
  /** Most rows per operation sent (default 500). */
  readonly maxRows?: number;
  /** First backoff after a failure, doubled per failure in a row (default 500), at most `maxBackoffMs` (30,000). */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Random in [0, 1) for the jitter (default Math.random). */
  readonly random?: () => number;
  /** Where failures are told (an operator's log). */
  readonly onEvent?: (event: 'unavailable' | 'dead' | 'warning', detail: { seqs: readonly number[]; error: string }) => void;
}

/** What one step of delivery did. */
export type StepResult = 'delivered' | 'idle' | 'leased_elsewhere' | 'unavailable';

/**
 * Delivers the outbox to the engine, oldest first: each run of consecutive rows of one kind is one operation (one
 * task), and its rows are removed once the engine reports the task succeeded. Unreachable or not finished in time:
 * the rows stay and the deliverer backs off (exponential, equal jitter). A task the engine fails (an invalid
 * document): a batch of several rows is sent again one row at a time, and a single failing row becomes a dead
 * letter (kept with its error, never retried) so that the rows after it are still delivered. Only the process
 * holding the outbox's lease delivers, so two deliverers never send out of order.
 */
export class OutboxDeliverer {
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly pauses = new WakeablePause();
  /** True while waiting for new rows (not while backing off): a drain may then wake the loop. */
  private idle = false;
  private failures = 0;
  /** After a refused batch: rows up to this sequence number are sent one at a time. */
  private isolateThrough = 0;

  constructor(private readonly options: DelivererOptions) {}

  /** Starts delivering in the background until {@link stop}. */
  start(): void {
    this.running ??= this.loop();
  }

  /**
   * Stops after the operation in flight, or after `waitMs` of waiting for it (a task may take up to its timeout;
   * its rows stay pending and are sent again by the next deliverer), and gives the lease up.
   */
  async stop(waitMs = Number.POSITIVE_INFINITY): Promise<void> {
    this.stopped = true;
    this.pauses.wake();
    let timer: NodeJS.Timeout | undefined;
    const given = Number.isFinite(waitMs) ? new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs))) : undefined;
    await (given ? Promise.race([this.running, given]) : this.running);
    clearTimeout(timer);
    this.options.queue.release();
  }

  /** Delivers one batch if this process holds the lease and one is pending. */
  async step(): Promise<StepResult> {
    const { queue, sink } = this.options;
    if (!queue.hasPending()) return 'idle';
    if (!queue.lease()) return 'leased_elsewhere';
    const batch = this.nextBatch();
    if (!batch) return 'idle';
    let outcome: DeliveryOutcome;
    try {
      outcome = await sink.deliver(batch.operation);
    } catch (error) {
      this.failures++;
      const message = error instanceof Error ? error.message : String(error);
      queue.retrying(batch.seqs, message);
      this.options.onEvent?.('unavailable', { seqs: batch.seqs, error: message });
      return 'unavailable';
    }
    this.failures = 0;
    if (outcome.ok) {
      queue.delivered(batch.seqs);
      if (outcome.warning !== undefined) this.options.onEvent?.('warning', { seqs: batch.seqs, error: outcome.warning });
    }
    else if (batch.seqs.length > 1) this.isolateThrough = batch.seqs.at(-1)!;
    else {
      queue.dead(batch.seqs[0]!, outcome.error);
      this.options.onEvent?.('dead', { seqs: batch.seqs, error: outcome.error });
    }
    return 'delivered';
  }

  /**
   * Waits until every row appended so far is delivered or dead, or `timeoutMs` passes; returns the rows of those
   * still pending (0: all through).
   */
  async drain(timeoutMs: number): Promise<number> {
    const { queue } = this.options;
    const through = queue.lastSeq();
    const until = Date.now() + timeoutMs;
    for (;;) {
      const left = queue.pendingThrough(through);
      if (left === 0 || Date.now() >= until) return left;
      if (this.idle) this.pauses.wake();
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.options.pollMs ?? 200, 50)));
    }
  }

  private nextBatch(): OutboxBatch | undefined {
    const { queue } = this.options;
    if (this.isolateThrough > 0) {
      const single = queue.next(1);
      if (single && single.seqs[0]! <= this.isolateThrough) return single;
      this.isolateThrough = 0;
    }
    return queue.next(this.options.maxRows ?? 500);
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let result: StepResult;
      try {
        result = await this.step();
      } catch (error) {
        // the store itself failed (busy beyond its timeout): try again later
        this.failures++;
        this.options.onEvent?.('unavailable', { seqs: [], error: error instanceof Error ? error.message : String(error) });
        result = 'unavailable';
      }
      if (result === 'delivered') continue;
      if (result === 'unavailable') await this.pause(this.backoff(), false);
      else await this.pause(this.options.pollMs ?? 200, true);
    }
  }

  /** base × 2^(failures − 1), capped, then "equal jitter": half of it fixed, half random. */
  private backoff(): number {
    const base = this.options.backoffMs ?? 500;
    const capped = Math.min(base * 2 ** Math.max(this.failures - 1, 0), this.options.maxBackoffMs ?? 30_000);
    return capped / 2 + (capped / 2) * (this.options.random ?? Math.random)();
  }

  private pause(ms: number, idle: boolean): Promise<void> {
    this.idle = idle;
    return this.pauses.wait(ms).finally(() => {
      this.idle = false;
    });
  }

}
