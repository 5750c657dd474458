import { createHmac } from 'node:crypto';
import type Database from 'better-sqlite3';

/** The header that carries a delivery's signature: `sha256=` and the hex HMAC-SHA256 of the raw body. */
export const SIGNATURE_HEADER = 'X-Newsfind-Signature';

/** `sha256=<hex HMAC-SHA256 of body with secret>`, as {@link SIGNATURE_HEADER} carries it. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** How webhook deliveries are made and retried. */
export interface DelivererOptions {
  /** Tries before a delivery is set aside as a dead letter (default 8). */
  readonly maxAttempts?: number;
  /** Wait before the first retry, doubled after each failure (ms; default 1,000). */
  readonly baseDelayMs?: number;
  /** Longest wait between tries (ms; default 1 hour). */
  readonly maxDelayMs?: number;
  /** A request unanswered after this fails (ms; default 10,000). */
  readonly timeoutMs?: number;
  /** Requests in flight to one host (default 2), and in all (default 16). */
  readonly perHost?: number;
  readonly maxInFlight?: number;
  /** Wall clock, ms since the epoch. */
  readonly clock: () => number;
  /**
   * Deliveries to one host, refused by an outage (a network error, the time limit, 5xx or 429), that are sent again
   * at once when that host acknowledges another delivery, instead of waiting out their backoff (default 1,000; the
   * others wait their backoff). Each delivery is brought forward once at most (see {@link WebhookDeliverer}).
   */
  readonly recoverPerHost?: number;
  /** Told of each failed try (`retry`) and each dead letter (`dead`). */
  readonly onEvent?: (event: 'retry' | 'dead', detail: { delivery: number; savedSearch: string; attempts: number; error: string }) => void;
}

interface Due {
  id: number;
  search_id: string;
  body: string;
  attempts: number;
  url: string | null;
  secret: string | null;
}

/**
 * Sends the queued webhook deliveries (`alert_deliveries`, filled by the matcher in the same transaction as the
 * matches): each a `POST` of the stored JSON body, signed ({@link signBody}) with the saved search's secret, with a
 * time limit, at most `perHost` at a time to one host. A 2xx answer acknowledges it (the row is deleted); anything
 * else (another status, a redirect, a network error, the time limit) schedules a retry after `baseDelayMs × 2^(n-1)`
 * (capped at `maxDelayMs`), until `maxAttempts` tries, when it is kept as a dead letter (`dead = 1`, with the
 * last error; `/metrics` counts them). At least once: a delivery whose answer was lost (the process ended between
 * sending and recording) is sent again; receivers recognise repeats by the `X-Newsfind-Delivery` header.
 *
 * A receiver back from an outage: the deliveries an outage refused (a network error, the time limit, 5xx, 429) are
 * remembered per host (up to `recoverPerHost`); when that host acknowledges a delivery, they are made due at once
 * rather than after the rest of their backoff (up to half the outage's length more with doubling waits). Each one is
 * brought forward once at most, so that a delivery a receiver keeps refusing while it accepts others spends at most
 * one try more than its backoff allows; the memory is lost on restart, when the backoff alone applies again.
 */
export class WebhookDeliverer {
  private readonly due: Database.Statement;
  private readonly done: Database.Statement;
  private readonly failed: Database.Statement;
  private readonly inFlight = new Map<number, Promise<void>>();
  private readonly perHost = new Map<string, number>();
  /** Per host, deliveries an outage refused, to send again when the host is back; and those brought forward once. */
  private readonly refused = new Map<string, Set<number>>();
  private readonly hurried = new Set<number>();
  private readonly hurry: (ids: Iterable<number>, now: number) => void;

  constructor(
    db: Database.Database,
    private readonly options: DelivererOptions,
  ) {
    this.due = db.prepare(`SELECT d.id, d.search_id, d.body, d.attempts, s.webhook_url AS url, s.webhook_secret AS secret
      FROM alert_deliveries d LEFT JOIN saved_searches s ON s.id = d.search_id
      WHERE d.dead = 0 AND d.next_at <= ? ORDER BY d.next_at, d.id LIMIT ?`);
    this.done = db.prepare('DELETE FROM alert_deliveries WHERE id = ?');
    this.failed = db.prepare('UPDATE alert_deliveries SET attempts = ?, next_at = ?, dead = ?, last_error = ? WHERE id = ?');
    const hurryOne = db.prepare('UPDATE alert_deliveries SET next_at = ? WHERE id = ? AND dead = 0 AND next_at > ?');
    // one transaction for them all (a failure, e.g. a locked store, leaves them to their backoff)
    this.hurry = db.transaction((ids: Iterable<number>, now: number) => {
      for (const id of ids) hurryOne.run(now, id, now);
    });
  }

  /** Deliveries being sent now. */
  get sending(): number {
    return this.inFlight.size;
  }

  /** Starts the due deliveries the limits allow (without waiting for their answers). */
  tick(): void {
    const maxInFlight = this.options.maxInFlight ?? 16;
    const room = maxInFlight - this.inFlight.size;
    if (room <= 0) return;
    const rows = this.due.all(this.options.clock(), room + this.inFlight.size + 64) as Due[];
    for (const row of rows) {
      if (this.inFlight.size >= maxInFlight) return;
      if (this.inFlight.has(row.id)) continue;
      if (row.url === null || row.secret === null) {
        this.done.run(row.id); // its saved search lost its webhook (removed): nothing to send to
        continue;
      }
      const host = new URL(row.url).host;
      if ((this.perHost.get(host) ?? 0) >= (this.options.perHost ?? 2)) continue;
      this.perHost.set(host, (this.perHost.get(host) ?? 0) + 1);
      const sent = this.send(row as Due & { url: string; secret: string })
        .catch(() => {}) // the store refused the outcome (locked): the row stays due and is sent again
        .finally(() => {
        this.inFlight.delete(row.id);
        this.perHost.set(host, (this.perHost.get(host) ?? 1) - 1);
      });
      this.inFlight.set(row.id, sent);
    }
  }

  /** Waits for the deliveries in flight. */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private async send(row: Due & { url: string; secret: string }): Promise<void> {
    let error: string | undefined;
    let outage: boolean;
    try {
      const res = await fetch(row.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'newsfind-alerts',
          [SIGNATURE_HEADER]: signBody(row.body, row.secret),
          'X-Newsfind-Delivery': String(row.id),
        },
        body: row.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
      await res.body?.cancel();
      if (res.status < 200 || res.status > 299) error = `HTTP ${res.status}`;
      outage = res.status >= 500 || res.status === 429;
    } catch (failure) {
      error = failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure);
      outage = true;
    }
    const host = new URL(row.url).host;
    if (error === undefined) {
      this.done.run(row.id);
      this.hurried.delete(row.id);
      this.hostBack(host);
      return;
    }
    if (this.retryLater(row, error)) this.hurried.delete(row.id);
    else if (outage) this.remember(host, row.id);
  }

  /** Notes a delivery an outage of `host` refused, unless it was brought forward once already or the list is full. */
  private remember(host: string, id: number): void {
    if (this.hurried.has(id)) return;
    let ids = this.refused.get(host);
    if (!ids) this.refused.set(host, (ids = new Set()));
    if (ids.size < (this.options.recoverPerHost ?? 1_000)) ids.add(id);
  }

  /** `host` acknowledged a delivery: the ones its outage refused are due now (once each). */
  private hostBack(host: string): void {
    const ids = this.refused.get(host);
    if (!ids) return;
    this.refused.delete(host);
    if (this.hurried.size > 10_000) this.hurried.clear(); // ids of deliveries removed with their saved search linger
    for (const id of ids) this.hurried.add(id);
    this.hurry(ids, this.options.clock());
  }

  /** Schedules the next try, or keeps the delivery as a dead letter after the last; whether it is dead. */
  private retryLater(row: Due, error: string): boolean {
    const attempts = row.attempts + 1;
    const dead = attempts >= (this.options.maxAttempts ?? 8);
    const delay = Math.min((this.options.baseDelayMs ?? 1_000) * 2 ** (attempts - 1), this.options.maxDelayMs ?? 3_600_000);
    this.failed.run(attempts, this.options.clock() + delay, dead ? 1 : 0, error, row.id);
    this.options.onEvent?.(dead ? 'dead' : 'retry', { delivery: row.id, savedSearch: row.search_id, attempts, error });
    return dead;
  }
}
