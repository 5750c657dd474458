import { AggregatorRegistry, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { AppError } from '../core/errors.js';
import type { ServiceMetrics } from '../http/metrics.js';

/**
 * `/metrics` for a service of several processes: whichever worker is scraped asks the primary, which gathers every
 * worker's registry and its own over IPC, aggregates them with prom-client's {@link AggregatorRegistry.aggregate}
 * (counters and histograms summed; gauges by their `aggregator`: see metrics.ts) and answers. Prometheus thus sees
 * the service's figures on every scrape, never one worker's counters on one scrape and another's on the next.
 *
 * Every message carries {@link METRICS_TAG}, so the other IPC messages between the primary and the workers (and
 * prom-client's or express-rate-limit's own) never match, and these never match theirs.
 */
export const METRICS_TAG = 'newsfind:service-metrics';

/** worker → primary `scrape`; primary → every worker `collect`; worker → primary `collected`; primary → asker `scraped`. */
type MetricsMessage =
  | { readonly tag: typeof METRICS_TAG; readonly kind: 'scrape' | 'collect'; readonly id: number }
  | { readonly tag: typeof METRICS_TAG; readonly kind: 'collected'; readonly id: number; readonly metrics: object[] }
  | { readonly tag: typeof METRICS_TAG; readonly kind: 'scraped'; readonly id: number; readonly text?: string; readonly error?: string };

const isMetricsMessage = (message: unknown): message is MetricsMessage =>
  typeof message === 'object' && message !== null && (message as { tag?: unknown }).tag === METRICS_TAG;

/** One worker as the primary sees it (node:cluster's Worker fits). */
export interface WorkerLink {
  readonly id: number;
  send(message: MetricsMessage): unknown;
}

/** The primary's side of the IPC channels: the workers alive now, and the messages they send. */
export interface PrimaryChannels {
  workers(): readonly WorkerLink[];
  onMessage(listener: (from: WorkerLink, message: unknown) => void): void;
}

/** A worker's side of its IPC channel to the primary (`process.send` and `process.on('message')` fit). */
export interface WorkerChannel {
  send(message: MetricsMessage): unknown;
  onMessage(listener: (message: unknown) => void): void;
}

/** How long the primary waits for the workers' registries (ms; default 2,000): it answers without the late ones. */
export const DEFAULT_COLLECT_TIMEOUT_MS = 2_000;

/**
 * How long a gathered answer serves further scrapes (ms; default 1,000). `/metrics` needs no key and no rate limit
 * (Prometheus must reach it), and each gathering costs the primary ~30 ms with 4 workers (more with many followed
 * sources): scrapes in the same second, or while one is being gathered, share one gathering. Prometheus scrapes
 * every 15 s or so; a second-old figure is what it would have read a second earlier.
 */
export const DEFAULT_REUSE_MS = 1_000;

/** The primary's options for `/metrics`. */
export interface HostMetricsOptions {
  readonly collectTimeoutMs?: number;
  readonly reuseMs?: number;
  /** The clock (ms) that ages a gathered answer; default Date.now. */
  readonly now?: () => number;
}

/**
 * Serves the workers' `scrape` requests in the primary (scrapes close together share one gathering: see
 * {@link DEFAULT_REUSE_MS}). The answer holds the primary's own process metrics, the
 * registries of the workers that answered within `collectTimeoutMs`, and `newsfind_metrics_processes{state}`:
 * how many processes were `answered` (the primary included) and `missing` (a worker that is busy, stuck or dying:
 * its counters are absent from that scrape, which Prometheus reads as a reset, so alert on `missing > 0`).
 */
export function hostServiceMetrics(channels: PrimaryChannels, options: HostMetricsOptions = {}): void {
  const timeoutMs = options.collectTimeoutMs ?? DEFAULT_COLLECT_TIMEOUT_MS;
  const reuseMs = options.reuseMs ?? DEFAULT_REUSE_MS;
  const now = options.now ?? Date.now;
  const own = new Registry();
  collectDefaultMetrics({ register: own });
  const collecting = new Map<number, (from: WorkerLink, metrics: object[]) => void>();
  let nextId = 0;

  const gather = async (): Promise<string> => {
    const id = nextId++;
    const workers = channels.workers();
    const waiting = new Set(workers.map((w) => w.id));
    const answers: object[][] = [await own.getMetricsAsJSON()];
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      collecting.set(id, (from, metrics) => {
        if (!waiting.delete(from.id)) return;
        answers.push(metrics);
        if (waiting.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
      if (waiting.size === 0) resolve();
      for (const worker of workers) worker.send({ tag: METRICS_TAG, kind: 'collect', id });
    });
    collecting.delete(id);
    const registry = AggregatorRegistry.aggregate(answers);
    const processes = new Gauge({
      name: 'newsfind_metrics_processes',
      help: 'Processes whose figures this scrape holds (answered, the primary included) or lacks (missing: a worker that did not answer in time)',
      labelNames: ['state'],
      registers: [registry],
    });
    processes.set({ state: 'answered' }, answers.length);
    processes.set({ state: 'missing' }, waiting.size);
    return registry.metrics();
  };

  /** The gathering under way, or the last one while it is fresh: its answer, and when it ended (undefined: under way). */
  let shared: { text: Promise<string>; endedAt: number | undefined } | undefined;
  const scrape = (): Promise<string> => {
    if (shared && (shared.endedAt === undefined || now() - shared.endedAt < reuseMs)) return shared.text;
    const current: { text: Promise<string>; endedAt: number | undefined } = { text: gather(), endedAt: undefined };
    shared = current;
    current.text.then(
      () => (current.endedAt = now()),
      () => {
        if (shared === current) shared = undefined; // a failure is not kept: the next scrape gathers again
      },
    );
    return current.text;
  };

  channels.onMessage((from, message) => {
    if (!isMetricsMessage(message)) return;
    if (message.kind === 'collected') collecting.get(message.id)?.(from, message.metrics);
    if (message.kind !== 'scrape') return;
    void scrape().then(
      (text) => from.send({ tag: METRICS_TAG, kind: 'scraped', id: message.id, text }),
      (error: unknown) => from.send({ tag: METRICS_TAG, kind: 'scraped', id: message.id, error: String(error) }),
    );
  });
}

/**
 * A worker's {@link ServiceMetrics}: it answers the primary's `collect` with the attached registry, and `scrape`
 * asks the primary for the service's figures, failing with `metrics_unavailable` (503) when the primary could not
 * aggregate them or no answer comes within `timeoutMs` (default: the primary's collect timeout + 1 s), so that a busy
 * primary never hangs `/metrics`.
 */
export function serviceMetricsOverIpc(channel: WorkerChannel, options: { timeoutMs?: number } = {}): ServiceMetrics {
  const timeoutMs = options.timeoutMs ?? DEFAULT_COLLECT_TIMEOUT_MS + 1_000;
  let registry: Registry | undefined;
  const scrapes = new Map<number, (answer: { text?: string; error?: string }) => void>();
  let nextId = 0;
  channel.onMessage((message) => {
    if (!isMetricsMessage(message)) return;
    if (message.kind === 'scraped') scrapes.get(message.id)?.(message);
    if (message.kind !== 'collect') return;
    void (registry?.getMetricsAsJSON() ?? Promise.resolve([])).then(
      (metrics) => channel.send({ tag: METRICS_TAG, kind: 'collected', id: message.id, metrics }),
      () => channel.send({ tag: METRICS_TAG, kind: 'collected', id: message.id, metrics: [] }),
    );
  });
  return {
    attach: (r) => (registry = r),
    scrape: () =>
      new Promise<string>((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => {
          scrapes.delete(id);
          reject(new AppError('metrics_unavailable', `the primary process did not gather the metrics within ${timeoutMs} ms`));
        }, timeoutMs);
        scrapes.set(id, ({ text, error }) => {
          clearTimeout(timer);
          scrapes.delete(id);
          if (text !== undefined) resolve(text);
          else reject(new AppError('metrics_unavailable', `the primary process could not aggregate the metrics: ${error ?? 'no answer'}`));
        });
        channel.send({ tag: METRICS_TAG, kind: 'scrape', id });
      }),
  };
}
