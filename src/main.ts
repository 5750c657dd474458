import cluster from 'node:cluster';
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { configuredSynonyms } from './engines/synonyms-file.js';
import { analyticsFile, ConfigError, configWarnings, entitiesFile, indexerStateFile, loadConfig, similarityFile, storeFile } from './config.js';
import { openAnalytics, writerSettings } from './analytics/analytics.js';
import { hostAnalyticsWriter, writerInPrimary } from './cluster/analytics-relay.js';
import { SavedSearches } from './alerts/saved-searches.js';
import { startAlerts } from './alerts/alert-thread.js';
import { AppError } from './core/errors.js';
import { hostServiceState, workerServiceDeps } from './cluster/service-state.js';
import { hostIndexesForWorkers, primaryIndex } from './index-host/cluster-index.js';
import { IndexerRuns } from './storage/indexer-runs.js';
import type { Store } from './storage/open-store.js';
import { openStore } from './storage/open-store.js';
import { boundHeapGrowth, collectAfterBulkWork, WORKER_EXEC_ARGV } from './runtime/heap.js';
import type { IdleCollector } from './runtime/idle-collect.js';
import { collectWhenIdle } from './runtime/idle-collect.js';
import { startOutboxDelivery } from './storage/outbox-delivery.js';
import { startMirror } from './storage/mirror-follow.js';
import { WriteThread } from './storage/write-thread.js';
import { assertStoresIntact } from './storage/store-integrity.js';
import { EXIT_CANNOT_LISTEN, superviseWorkers } from './supervisor.js';

/**
 * The composition root. The primary process checks and prepares the store (integrity, migrations, demo data when
 * empty), then serves itself or forks WORKERS processes that share the port (see supervisor.ts). The process that
 * serves alone, or else the primary, holds the one copy of the in-memory indexes (src/index-host/), which follows
 * the store's change logs in the background; workers ask it over the cluster IPC channel.
 */

/**
 * The SQLite files the service serves: the store file (articles on the embedded engine, similarity and entities),
 * and the legacy similarity.db and entities.db when they are still there to be merged into it.
 */
const servedFiles = (config: Config): string[] => [storeFile(config), similarityFile(config), entitiesFile(config)];

/** Checks the served files before any worker loads them (a damaged one throws: the process exits 1, naming it). */
function checkStore(config: Config, log: Logger): void {
  const started = performance.now();
  assertStoresIntact(servedFiles(config));
  log.info({ dataDir: config.DATA_DIR, ms: Math.round(performance.now() - started) }, 'store checked');
}

/**
 * Opens the store once: merges legacy files into it, heals articles that are in one store and not another
 * (reconcile), and indexes the demo set when the index is empty.
 */
async function prepareStore(config: Config, log: Logger): Promise<void> {
  const store = openStore(config, 'indexer'); // writes like the indexer's, which may be running
  try {
    for (const m of store.merged) log.info(m, 'merged a legacy store file into the store file');
    // A replica (MEILI_MIRROR=on) writes no articles of its own at start: its mirror fills its store from Meilisearch.
    if (store.mirror) return;
    await reconcileAtStart(store, log);
    if (config.DEMO_DATA === 'off' || (await store.engine.stats()).articles > 0) return;
    if (!fs.existsSync(config.DEMO_DATA)) {
      log.warn({ file: config.DEMO_DATA }, 'the index is empty and the demo data file is missing');
      return;
    }
    // loaded here, not at the top: a primary that serves no HTTP and loads no demo keeps neither in memory
    const { ingestArticles } = await import('./services/ingest-articles.js');
    const { readRecords } = await import('../indexer/sources/json-records.js');
    // the store's own write path, every part it writes (copy groups included), as an API write
    const summary = await ingestArticles(store, readRecords(config.DEMO_DATA), {
      onReject: (r) => log.warn({ rejection: r }, 'demo record rejected'),
    });
    await store.writes.refreshEntities();
    log.info({ file: config.DEMO_DATA, ...summary }, 'indexed the demo articles (the index was empty)');
  } catch (error) {
    // Meilisearch may still be starting (the API answers 503 with Retry-After until it does), or this process may
    // hold only a search key: serve anyway, without the demo set. The embedded store's failures stay fatal.
    if (config.SEARCH_ENGINE !== 'meilisearch' || !(error instanceof AppError)) throw error;
    log.warn({ problem: error.message }, 'demo data not loaded: the search engine refused or did not answer');
  } finally {
    await store.close();
  }
}

/** Reconciles the stores before serving, logging what it healed (a Meilisearch that does not answer: a warning). */
async function reconcileAtStart(store: Store, log: Logger): Promise<void> {
  const started = performance.now();
  try {
    const report = await store.reconcile();
    log[report.mismatched > 0 ? 'warn' : 'info']({ ...report, ms: Math.round(performance.now() - started) }, 'stores reconciled');
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'engine_unavailable') throw error;
    log.warn({ problem: error.message }, 'stores not reconciled: the search engine does not answer (run npm run index -- --reconcile)');
  }
}

/** The analytics file and its bounds, from the configuration. */
const analyticsSettings = (config: Config) => ({
  file: analyticsFile(config),
  retentionDays: config.ANALYTICS_RETENTION_DAYS,
  maxBytes: config.ANALYTICS_MAX_MB * 1024 * 1024,
});

/** Serves HTTP in this process until SIGTERM/SIGINT: stop accepting, finish in-flight requests, close the store. */
async function serve(config: Config, log: Logger, idle: IdleCollector): Promise<void> {
  // A worker asks the primary's index host; a service of one process holds the indexes itself.
  const store = openStore(config, 'api', cluster.isWorker ? primaryIndex(config) : undefined);
  const { engine, similarity, entities, local, suggestions, copies, stories, mirror } = store;
  if (!cluster.isWorker) collectAfterBulkWork(); // a service of one process has just built its indexes
  const indexerRuns = new IndexerRuns(indexerStateFile(config));
  const writer = new WriteThread({ logError: (e) => log.error({ err: e }, 'write thread failed') });
  const analytics = openAnalytics({
    ...analyticsSettings(config),
    enabled: config.ANALYTICS === 'on',
    clock: () => Date.now(),
    onProblem: (p) => (p ? log.warn(p, 'analytics events are not being written (kept queued, retried)') : log.info('analytics events are written again')),
    // a worker's events are written by the primary's one writer thread (cluster/analytics-relay.ts)
    ...(cluster.isWorker ? { startWriter: writerInPrimary() } : {}),
  });
  // saved searches (alerts) need the embedded engine: the matcher reads the articles table (src/alerts/)
  const savedSearches = config.SEARCH_ENGINE === 'sqlite' ? SavedSearches.open(storeFile(config), () => Date.now()) : undefined;
  const { createApp } = await import('./http/app.js'); // not in a primary that only supervises and hosts the indexes
  const { answerClientError } = await import('./http/client-errors.js');
  const app = createApp({
    ...(cluster.isWorker ? workerServiceDeps() : {}), // rate-limit counts and /metrics per service, not per worker
    engine,
    similarity,
    entities,
    local,
    copies,
    writer,
    indexerRuns,
    analytics,
    eventsPerMinute: config.EVENTS_RATE_LIMIT_PER_MINUTE,
    ...(savedSearches ? { savedSearches, savedSearchWriter: writer.savedSearches } : {}),
    ...(suggestions ? { suggestions } : {}),
    ...(stories ? { stories } : {}),
    ...(mirror ? { mirror } : {}),
    now: () => performance.now(),
    clock: () => Date.now(),
    logError: (e) => log.error({ err: e }, 'request failed'),
    logger: log,
    webRoot: config.WEB_DIR,
    http: {
      corsOrigins: config.CORS_ORIGINS,
      rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
      requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
      writeTimeoutMs: config.WRITE_TIMEOUT_MS,
      maxBodyBytes: config.MAX_BODY_BYTES,
      searchApiKey: config.SEARCH_API_KEY,
      publicApiKey: config.PUBLIC_API_KEY,
      publicRateLimitPerMinute: config.PUBLIC_RATE_LIMIT_PER_MINUTE,
      adminApiKey: config.ADMIN_API_KEY,
      trustProxy: config.TRUST_PROXY,
    },
  });
  if (!fs.existsSync(config.WEB_DIR)) {
    log.warn({ dir: config.WEB_DIR }, 'the web front end is not built (npm run build): no pages at /');
  }
  const server = app.listen(config.PORT, config.HOST, (error?: Error) => {
    if (error) cannotListen(config, log, error);
    idle.collectOnceQuiet(); // its start's garbage and young generation, once nothing has been asked for a few seconds
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const where = { engine: config.SEARCH_ENGINE, dataDir: config.DATA_DIR, url: `http://${config.HOST}:${port}` };
    // Settings only, never keys; an engine that is down is reported, and the API answers 503 until it is back.
    engine.stats().then(
      (stats) => log.info({ ...where, articles: stats.articles }, 'listening'),
      (error: unknown) => log.warn({ ...where, problem: (error as Error).message }, 'listening; the search engine does not answer yet'),
    );
  });
  server.on('clientError', answerClientError); // a request the HTTP parser refused: a problem too, not a bare status
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    server.close(() =>
      void Promise.all([writer.close(), analytics.close(3_000)]).then(() => store.close()).then(() => {
        indexerRuns.close();
        savedSearches?.close();
        process.exit(0);
      }),
    );
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/**
 * Ends a process whose server cannot listen, naming the address and why: 1 when it serves alone; in a worker,
 * {@link EXIT_CANNOT_LISTEN}, so that the supervisor stops instead of starting another that would fail alike.
 */
function cannotListen(config: Config, log: Logger, error: Error): never {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'EADDRINUSE'
      ? 'the port is already in use (another newsfind?): stop that process or choose another PORT'
      : code === 'EACCES'
        ? 'permission denied (ports below 1024 need privileges): choose another PORT'
        : error.message;
  log.fatal({ host: config.HOST, port: config.PORT, code }, `cannot listen on ${config.HOST}:${config.PORT}: ${why}`);
  process.exit(cluster.isWorker ? EXIT_CANNOT_LISTEN : 1);
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
    configuredSynonyms(config); // a bad SYNONYMS_FILE stops the start here, named, like a bad variable
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  const log = pino({ level: config.LOG_LEVEL });
  boundHeapGrowth();
  const idle = collectWhenIdle(); // every process gives its young generation back once quiet (runtime/idle-collect.ts)
  if (!cluster.isPrimary) return serve(config, log, idle);
  for (const warning of configWarnings(config)) log.warn(warning);
  checkStore(config, log);
  await prepareStore(config, log);
  startOutboxDelivery(config, log); // Meilisearch: the host's deliverer of the outbox, in the primary (until it exits)
  startMirror(config, log); // MEILI_MIRROR=on: this replica's store follows Meilisearch, in the primary (until it exits)
  startAlerts(config, log); // saved-search matching and webhooks, on a thread of the process that hosts the indexes
  const workers = config.WORKERS === 'auto' ? os.availableParallelism() : config.WORKERS;
  if (workers === 1) return serve(config, log, idle);
  hostServiceState();
  if (config.ANALYTICS === 'on') {
    // the workers' events, written by one thread here
    hostAnalyticsWriter(writerSettings(analyticsSettings(config)), (p) => log.warn(p, 'analytics retention failed'));
  }
  hostIndexesForWorkers(config, log); // one copy of the in-memory indexes per host, in this process
  collectAfterBulkWork();
  superviseWorkers({
    workers,
    log,
    address: `${config.HOST}:${config.PORT}`,
    execArgv: WORKER_EXEC_ARGV,
    onAllListening: () => idle.collectOnceQuiet(), // the host's build is done and every worker serves
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
