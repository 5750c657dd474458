import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import { registerScrapedGauges } from '../cluster/scraped-gauges.js';
import type { EntityReader } from '../entities/entity-port.js';
import type { OutboxDepth } from '../services/engine-outbox.js';
import type { MirrorStatus } from '../services/mirror.js';
import type { IndexerRunsReader, RunsSnapshot } from '../storage/indexer-runs.js';
import { RUN_OUTCOMES } from '../storage/indexer-runs.js';
import { TYPE_OF } from './entity-routes.js';

/** The article counts of a run, as label values of `newsfind_indexer_last_run_articles`. */
const ARTICLE_OUTCOMES = ['indexed', 'unchanged', 'deleted', 'rejected'] as const;

/**
 * Gauges over the indexer's recorded runs (DATA_DIR/indexer-state.db, written by the indexer CLI, another process),
 * read at scrape time. With no run recorded, the timestamp and duration are 0 and the labelled series are absent.
 * A state file that cannot be read is reported through `onError` and leaves the values of the previous scrape, so
 * that the other metrics are still served.
 */
export function registerIndexerMetrics(registry: Registry, runs: IndexerRunsReader, onError: (error: unknown) => void): void {
  const read: SnapshotReader = (use) => {
    try {
      use(runs.snapshot());
    } catch (error) {
      onError(error);
    }
  };
  const last = (name: string, help: string, value: (s: RunsSnapshot) => number) =>
    new Gauge({ name, help, registers: [registry], aggregator: 'max', collect() { read((s) => this.set(value(s))); } });
  last('newsfind_indexer_last_run_timestamp_seconds', 'When the last indexer run ended (Unix time, s); 0 when none is recorded', (s) => (s.last?.endedAt ?? 0) / 1000);
  last('newsfind_indexer_last_run_duration_seconds', 'Wall time of the last indexer run (s); 0 when none is recorded', (s) => s.last?.durationSeconds ?? 0);
  registerLabelledRunMetrics(registry, read);
}

/** Calls `use` with the runs as they are now, or not at all when they cannot be read. */
type SnapshotReader = (use: (s: RunsSnapshot) => void) => void;

/** The last run's articles and outcome, and the runs per outcome (see registerIndexerMetrics). */
function registerLabelledRunMetrics(registry: Registry, read: SnapshotReader): void {
  new Gauge({
    name: 'newsfind_indexer_last_run_articles',
    help: 'Articles of the last indexer run by outcome (a failed run: those reached before it failed)',
    labelNames: ['outcome'],
    registers: [registry],
    aggregator: 'max',
    collect() {
      read((s) => {
        this.reset();
        for (const outcome of ARTICLE_OUTCOMES) if (s.last) this.set({ outcome }, s.last[outcome]);
      });
    },
  });
  new Gauge({
    name: 'newsfind_indexer_last_run_outcome',
    help: 'The outcome of the last indexer run: 1 for it (ok, rejected or failed), 0 for the others',
    labelNames: ['outcome'],
    registers: [registry],
    aggregator: 'first',
    collect() {
      read((s) => {
        this.reset();
        for (const outcome of RUN_OUTCOMES) if (s.last) this.set({ outcome }, s.last.outcome === outcome ? 1 : 0);
      });
    },
  });
  new Counter({
    name: 'newsfind_indexer_runs_total',
    help: 'Indexer runs recorded in the indexer state, by outcome (ok, rejected: some records rejected, failed)',
    labelNames: ['outcome'],
    registers: [registry],
    aggregator: 'max',
    collect() {
      read((s) => {
        this.reset();
        for (const outcome of RUN_OUTCOMES) this.inc({ outcome }, s.runs[outcome]);
      });
    },
  });
}

/** Distinct entities per type (person, org, place), from the entity statistics' in-memory autocomplete list. */
export function registerEntityMetrics(registry: Registry, entities: Pick<EntityReader, 'counts'>): void {
  new Gauge({
    name: 'newsfind_entities_total',
    help: 'Distinct entities in the entity store, by type',
    labelNames: ['type'],
    registers: [registry],
    aggregator: 'max',
    async collect() {
      for (const [kind, n] of Object.entries(await entities.counts())) this.set({ type: TYPE_OF[kind as keyof typeof TYPE_OF] }, n);
    },
  });
}

/**
 * The outbox's depth (Meilisearch mode), read from the store file at scrape time: `newsfind_outbox_pending`,
 * `newsfind_outbox_dead` and `newsfind_outbox_oldest_pending_seconds`. Every worker reads the same file, so the
 * service's figure is the largest (`max`), never a sum. A store that cannot be read is reported through `onError`
 * and leaves the previous values.
 */
export function registerOutboxMetrics(registry: Registry, outbox: { depth(): OutboxDepth }, onError: (error: unknown) => void): void {
  registerScrapedGauges(registry, () => outbox.depth(), onError, [
    ['newsfind_outbox_pending', 'Engine operations committed locally and not yet acknowledged by Meilisearch', (d) => d.pending],
    ['newsfind_outbox_dead', 'Engine operations Meilisearch refused for good (dead letters, kept with their error)', (d) => d.dead],
    ['newsfind_outbox_oldest_pending_seconds', 'Age of the oldest operation waiting for Meilisearch (s); 0 when none', (d) => d.oldestPendingSeconds],
  ]);
}

/**
 * A replica's mirror of Meilisearch (MEILI_MIRROR=on), read from the store file at scrape time:
 * `newsfind_mirror_cursor_seconds` (the stamp its documents' cursor has reached, Unix time),
 * `newsfind_mirror_lag_seconds` (since it last reached the end of Meilisearch's changes; −1 before it first did)
 * and `newsfind_mirror_documents`. Every worker reads the same file: the service's figure is the largest.
 */
export function registerMirrorMetrics(registry: Registry, mirror: { status(): MirrorStatus | undefined }, onError: (error: unknown) => void): void {
  registerScrapedGauges(registry, () => mirror.status(), onError, [
    ['newsfind_mirror_cursor_seconds', "The stamp (indexedAt) up to which the replica has read Meilisearch's documents (Unix time, s)", (s) => s.cursorMs / 1000],
    ['newsfind_mirror_lag_seconds', "Seconds since the replica's mirror last reached the end of Meilisearch's changes; -1 before it first did", (s) => s.lagSeconds ?? -1],
    ['newsfind_mirror_documents', 'Documents the replica has mirrored from Meilisearch into its private store', (s) => s.documents],
  ]);
}
