import type { MirrorStatus } from '../services/mirror.js';
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { SearchEngine } from '../engines/search-engine.js';
import type { EntityReader } from '../entities/entity-port.js';
import type { OutboxWriter } from '../services/engine-outbox.js';
import type { IndexerRunsReader } from '../storage/indexer-runs.js';
import { registerSourceMetrics } from './source-metrics.js';
import { registerEntityMetrics, registerIndexerMetrics, registerOutboxMetrics, registerMirrorMetrics } from './store-metrics.js';

/** The Prometheus metrics of one app (its own registry, so that apps and tests never share counters). */
export interface HttpMetrics {
  readonly registry: Registry;
  readonly requests: Histogram<'method' | 'route' | 'status'>;
  readonly errors: Counter<'code'>;
  readonly engineCalls: Histogram<'operation' | 'outcome'>;
}

/**
 * The figures of a service served by several processes (src/cluster/service-metrics.ts): `/metrics` answers
 * {@link scrape} instead of the app's own registry, which {@link attach} hands over to be gathered with the others.
 * Counters and histograms are summed over the processes; gauges by their `aggregator` ('max' or 'first' for those
 * that every worker reads from the same store, so that N workers do not report N times the articles).
 */
export interface ServiceMetrics {
  /** Called once, by createApp, with the app's registry. */
  attach(registry: Registry): void;
  /** The service's figures in Prometheus text format; rejects with `metrics_unavailable` when not gathered in time. */
  scrape(): Promise<string>;
}

/** What the metrics read at scrape time besides the requests they time. */
export interface MetricSources {
  readonly engine: SearchEngine;
  /** Entity statistics: `newsfind_entities_total` when given. */
  readonly entities?: Pick<EntityReader, 'counts'> | undefined;
  /** The indexer's recorded runs: the `newsfind_indexer_*` gauges when given. */
  readonly indexerRuns?: IndexerRunsReader | undefined;
  /** Meilisearch mode: the outbox, for the `newsfind_outbox_*` gauges. */
  readonly outbox?: Pick<OutboxWriter, 'depth'> | undefined;
  /** MEILI_MIRROR=on: the replica's mirror, for the `newsfind_mirror_*` gauges. */
  readonly mirror?: { status(): MirrorStatus | undefined } | undefined;
  /** Where a source that cannot be read at scrape time is reported. */
  readonly logError: (error: unknown) => void;
}

/**
 * Request latency per route, errors per code, the article count, the process's default metrics, and, when their
 * sources are given, the indexer's last run and run counts, the entity counts and the outbox's depth (store-metrics.ts),
 * and the state of each HTTP source the indexer follows (source-metrics.ts).
 */
export function createMetrics(sources: MetricSources): HttpMetrics {
  const { engine } = sources;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Histogram({
    name: 'newsfind_http_request_duration_seconds',
    help: 'HTTP request latency by route (the matched pattern, not the raw path) and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'newsfind_http_errors_total',
    help: 'Problems answered, by error code',
    labelNames: ['code'],
    registers: [registry],
  });
  const engineCalls = new Histogram({
    name: 'newsfind_engine_call_duration_seconds',
    help: 'Search-engine calls by operation and outcome (ok or the error code)',
    labelNames: ['operation', 'outcome'],
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1],
    registers: [registry],
  });
  new Gauge({
    name: 'newsfind_articles',
    help: 'Articles in the search engine',
    registers: [registry],
    aggregator: 'max', // every worker counts the same store
    async collect() {
      this.set((await engine.stats()).articles);
    },
  });
  if (sources.indexerRuns) registerIndexerMetrics(registry, sources.indexerRuns, sources.logError);
  const followed = sources.indexerRuns?.sources?.bind(sources.indexerRuns);
  if (followed) registerSourceMetrics(registry, followed, sources.logError);
  if (sources.entities) registerEntityMetrics(registry, sources.entities);
  if (sources.outbox) registerOutboxMetrics(registry, sources.outbox, sources.logError);
  if (sources.mirror) registerMirrorMetrics(registry, sources.mirror, sources.logError);
  return { registry, requests, errors, engineCalls };
}

/** A failure's outcome label: its AppError code, or `internal`. */
const outcomeOf = (error: unknown): string =>
  (error as { code?: unknown } | undefined)?.code === undefined ? 'internal' : String((error as { code: unknown }).code);

/**
 * The engine with every call timed into `engineCalls` (outcome: ok, or the error's code). An export
 * (`allResults`) is one observation, operation `export`, once its iteration ends (done, failed, or stopped by its
 * reader): the time spent in the engine's steps, its one ranking and its reads, summed, without the time the reader
 * held each step (a slow client).
 */
export function instrumentEngine(engine: SearchEngine, metrics: HttpMetrics, now: () => number): SearchEngine {
  const timed =
    <A extends unknown[], R>(operation: string, call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const started = now();
      let outcome = 'ok';
      try {
        return await call(...args);
      } catch (error) {
        outcome = outcomeOf(error);
        throw error;
      } finally {
        metrics.engineCalls.observe({ operation, outcome }, (now() - started) / 1000);
      }
    };
  return {
    upsert: timed('upsert', (a) => engine.upsert(a)),
    delete: timed('delete', (ids) => engine.delete(ids)),
    clear: timed('clear', () => engine.clear()),
    get: timed('get', (id) => engine.get(id)),
    search: timed('search', (r) => engine.search(r)),
    allResults: (r, batch, abandoned) => timedSteps(engine.allResults(r, batch, abandoned), now, (seconds, outcome) => metrics.engineCalls.observe({ operation: 'export', outcome }, seconds)),
    stats: (): ReturnType<SearchEngine['stats']> => engine.stats(),
    health: timed('health', () => engine.health()),
    sync: () => engine.sync(), // the write routes wait on it (read your writes)
    findsNamedEntities: () => engine.findsNamedEntities(),
    close: () => engine.close(),
  };
}

/** `steps` as they come, `observe` called once at the end with the seconds spent awaiting them and the outcome. */
async function* timedSteps<T>(steps: AsyncIterable<T>, now: () => number, observe: (seconds: number, outcome: string) => void): AsyncGenerator<T> {
  const iterator = steps[Symbol.asyncIterator]();
  let spent = 0;
  let outcome = 'ok';
  try {
    for (;;) {
      const started = now();
      let step: IteratorResult<T>;
      try {
        step = await iterator.next();
      } catch (error) {
        outcome = outcomeOf(error);
        throw error;
      } finally {
        spent += now() - started;
      }
      if (step.done) return;
      yield step.value;
    }
  } finally {
    await iterator.return?.(); // a reader that stopped early (a client gone) stops the engine's steps too
    observe(spent / 1000, outcome);
  }
}

/** Times every request and records it under its route pattern once it is answered. */
export function timeRequests(metrics: HttpMetrics, now: () => number): RequestHandler {
  return (req, res, next) => {
    const started = now();
    res.on('finish', () => {
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      metrics.requests.observe({ method: req.method, route, status: String(res.statusCode) }, (now() - started) / 1000);
    });
    next();
  };
}
