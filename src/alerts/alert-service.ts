import { performance } from 'node:perf_hooks';
import type Database from 'better-sqlite3';
import { AlertMatcher } from './alert-matcher.js';
import type { DelivererOptions } from './webhook-deliverer.js';
import { WebhookDeliverer } from './webhook-deliverer.js';

/** How the alert loop runs. */
export interface AlertServiceOptions extends DelivererOptions {
  /** How often the store is checked for new commits and due deliveries (ms; default 100). */
  readonly pollMs?: number;
  /** Longest run of matching before the loop lets its thread go (ms; default 50). */
  readonly sliceMs?: number;
  /** Where failures of a step go (the step is tried again at the next poll). */
  readonly onError?: (error: unknown) => void;
  /** Told when log entries were pruned before the matcher read them (their articles were not matched). */
  readonly onSkipped?: (entries: number) => void;
}

/**
 * Alerts on one connection to the store file: the {@link AlertMatcher} (matching committed articles against the
 * saved searches) and the {@link WebhookDeliverer}, driven by a poll. It runs on a thread of its own in the process
 * that hosts the in-memory indexes (alert-thread.ts), so that matching never delays a search.
 */
export class AlertService {
  readonly matcher: AlertMatcher;
  readonly deliverer: WebhookDeliverer;
  private readonly dataVersion: Database.Statement;
  private seenVersion = -1;
  private more = true;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    db: Database.Database,
    private readonly options: AlertServiceOptions,
  ) {
    this.matcher = new AlertMatcher(db, options.clock);
    this.deliverer = new WebhookDeliverer(db, options);
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
  }

  /** Starts the poll. */
  start(): void {
    this.timer = setInterval(() => this.poll(), this.options.pollMs ?? 100);
  }

  /** Stops the poll and waits for the deliveries in flight. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.deliverer.settle();
  }

  /** Matches what is committed (up to `sliceMs`), then starts the due deliveries. */
  poll(): void {
    if (this.running) return;
    this.running = true;
    try {
      this.matchSlice();
      this.deliverer.tick();
    } catch (error) {
      this.options.onError?.(error);
    } finally {
      this.running = false;
    }
  }

  /** Matches until nothing committed is left unmatched; true when caught up (tests and benchmarks). */
  matchAll(): void {
    while (this.matchStep()) {
      /* next step */
    }
  }

  private matchSlice(): void {
    const version = this.dataVersion.get() as number;
    if (version !== this.seenVersion) {
      this.seenVersion = version;
      this.more = true;
    }
    const deadline = performance.now() + (this.options.sliceMs ?? 50);
    while (this.more && performance.now() < deadline) this.more = this.matchStep();
  }

  private matchStep(): boolean {
    const step = this.matcher.step();
    if (step.skipped > 0) this.options.onSkipped?.(step.skipped);
    return step.more;
  }
}
