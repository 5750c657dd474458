import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Config } from '../src/config.js';
import { indexerStateFile } from '../src/config.js';
import type { ArticleWrites } from '../src/services/article-writes.js';
import type { IngestDeps, IngestOptions, IngestSummary, Rejection, SourceRecord, WrittenArticle } from '../src/services/ingest-articles.js';
import { ingestArticles } from '../src/services/ingest-articles.js';
import type { ReconcileReport } from '../src/services/reconcile.js';
import type { IndexerRun } from '../src/storage/indexer-runs.js';
import type { Store } from '../src/storage/open-store.js';
import { openStore } from '../src/storage/open-store.js';
import { deliverWhileRunning } from './outbox-settle.js';
import type { Progress } from './progress.js';
import { createProgress } from './progress.js';
import type { FieldMap } from './sources/field-map.js';
import type { HttpRun } from './run-http.js';
import { commitHttp, httpRecords } from './run-http.js';
import type { HttpLedger, Web } from './sources/http-source.js';
import { createWeb, isHttpSource } from './sources/http-web.js';
import type { HttpOptions } from './sources/http-client.js';
import type { SourceFormat } from './sources/read-source.js';
import { readFile, sourceFiles } from './sources/read-source.js';
import { IndexerState } from './state.js';
import type { RunReport } from './summary.js';
import { makeReport } from './summary.js';
import type { DryRunCounts } from './sync.js';
import { disappeared, dryRunEngine, prune } from './sync.js';

/** The options of one indexer run (see main.ts for their command-line form). */
export interface RunOptions {
  readonly batchSize: number;
  readonly json: boolean;
  readonly rejects?: string;
  readonly format?: SourceFormat;
  readonly map: FieldMap;
  readonly prune: boolean;
  readonly dryRun: boolean;
  readonly reset: boolean;
  /** Find and heal articles present in one store and not another, before indexing (sources may then be none). */
  readonly reconcile: boolean;
  /** CPU priority of the process (0 normal … 19 lowest), applied by the command line before the run. */
  readonly nice?: number;
  /** HTTP(S) sources: complete an item that carries only a summary or a link from its page (--fetch-pages). */
  readonly fetchPages?: boolean;
  /** How HTTP(S) sources are fetched (defaults: DEFAULT_HTTP_OPTIONS), unless `web` is given. */
  readonly http?: Partial<HttpOptions>;
  /** The client and robots.txt rules to use (a follow run keeps one across its polls); made from `http` when absent. */
  readonly web?: Web;
  /**
   * Follow mode (--every): the interval in ms, the base of the backoff of a failing HTTP source, which is skipped
   * until its Retry-After or backoff has passed.
   */
  readonly everyMs?: number;
  /** Stops the reading of further sources and items (SIGTERM in follow mode); what was read is written. */
  readonly signal?: AbortSignal;
  /** Add to the --rejects file rather than start it anew (the polls of a follow run after the first). */
  readonly appendRejects?: boolean;
}

/** A source (as given) and the files it stands for; `error` when it cannot be listed. `http` for an HTTP(S) URL. */
interface PlannedSource {
  readonly source: string;
  readonly key: string;
  readonly http?: boolean;
  readonly files: readonly { file: string; label: string; format: SourceFormat }[];
  readonly error?: string;
}

async function plan(sources: readonly string[], format: SourceFormat | undefined): Promise<PlannedSource[]> {
  return Promise.all(
    sources.map(async (source) => {
      if (isHttpSource(source)) return { source, key: source, files: [], http: true };
      const key = path.resolve(source);
      try {
        return { source, key, files: await sourceFiles(source, format) };
      } catch (error) {
        return { source, key, files: [], error: (error as Error).message };
      }
    }),
  );
}

const fileSize = (file: string): number => {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
};

/**
 * Every record of every source in turn. A source or file that cannot be read is one rejected record (located by
 * the path given, or the file's label) and its source is marked `incomplete`, so that `--prune` leaves it alone.
 */
async function* allRecords(planned: readonly PlannedSource[], options: RunOptions, run: HttpRun, incomplete: Set<string>): AsyncGenerator<SourceRecord> {
  const onBytes = (n: number) => (run.meter.bytes += n);
  for (const p of planned) {
    if (options.signal?.aborted) return;
    if (p.http) {
      yield* httpRecords(p.source, options, { ...run, onBytes });
      continue;
    }
    if (p.error !== undefined) {
      incomplete.add(p.key);
      yield { source: p.key, location: p.source, value: undefined, parseError: `cannot read the file: ${p.error}` };
      continue;
    }
    for (const f of p.files) {
      try {
        yield* readFile(f.file, f.format, { source: p.key, label: f.label, map: options.map, onBytes });
      } catch (error) {
        incomplete.add(p.key);
        yield { source: p.key, location: f.label, value: undefined, parseError: `cannot read the file: ${(error as Error).message}` };
      }
    }
  }
}

function formatRejection(r: Rejection): string {
  return r.issues.map((i) => `rejected ${r.location}: ${i.path}: ${i.message}`).join('\n');
}

/** The rejects file's stream; opened at once, so that an unwritable path fails before anything is indexed. */
function openRejects(file: string | undefined, append = false): fs.WriteStream | undefined {
  if (file === undefined) return undefined;
  try {
    return fs.createWriteStream('', { fd: fs.openSync(file, append ? 'a' : 'w') });
  } catch (error) {
    throw new UsageError(`--rejects: cannot write ${file}: ${(error as Error).message}`, { cause: error });
  }
}

/** Prunes (or, in a dry run, counts) what disappeared from the sources that could be read in full. */
async function pruneSources(
  deps: { writes: ArticleWrites; state: IndexerState },
  planned: readonly PlannedSource[],
  run: { incomplete: ReadonlySet<string>; seen: Seen; dryRun: boolean },
): Promise<number> {
  for (const p of planned.filter((q) => run.incomplete.has(q.key))) process.stderr.write(`not pruning ${p.source}: some of it could not be read\n`);
  // feeds are windows: an item that dropped out of one is not gone, so HTTP sources are never pruned
  const prunable = planned.filter((p) => !run.incomplete.has(p.key) && !p.http).map((p) => p.key);
  const gone = disappeared(deps.state, prunable, run.seen);
  return run.dryRun ? gone.ids.length : prune(deps, gone);
}

/** `source \0 id` and ids of every article a run delivered (for --prune). */
interface Seen {
  readonly keys: Set<string>;
  readonly ids: Set<string>;
}

function remember(seen: Seen, written: readonly WrittenArticle[]): void {
  for (const w of written) {
    seen.keys.add(`${w.source}\u0000${w.id}`);
    seen.ids.add(w.id);
  }
}

/** A command line that names something unusable (exit status 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** What the run wrapper lends the indexing itself: the opened state and rejects file, and a sink for counts so far. */
interface RunIo {
  readonly state: IndexerState;
  readonly rejectsOut: fs.WriteStream | undefined;
  readonly onCounts: (summary: IngestSummary) => void;
}

/** How ingestion reports to a run: counts and progress, the sources of what it wrote, and its rejections. */
function ingestCallbacks(options: RunOptions, io: RunIo, run: { dryRun: boolean; seen: Seen; progress: Progress; meter: { bytes: number } }): IngestOptions {
  return {
    batchSize: options.batchSize,
    ids: io.state.runIds(),
    onProgress: (s) => {
      io.onCounts(s);
      run.progress.update(s, run.meter.bytes);
    },
    onWritten: (written) => {
      if (!run.dryRun) io.state.record(written);
      if (options.prune) remember(run.seen, written);
    },
    onReject: (r) => {
      io.rejectsOut?.write(`${JSON.stringify(r)}\n`);
      if (!options.json) process.stderr.write(`${formatRejection(r)}\n`);
    },
    onWarning: (w) => {
      if (!options.json) process.stderr.write(`${w.issues.map((i) => `warning ${w.location}: ${i.path}: ${i.message}`).join('\n')}\n`);
    },
  };
}

/** Indexes, resets and prunes (see runIndex), with the state and rejects file already open. */
async function indexSources(config: Config, sources: readonly string[], options: RunOptions, io: RunIo): Promise<RunReport> {
  const started = performance.now();
  const { state } = io;
  const store = openStore(config, 'indexer'); // writes queue behind another process's (INDEXER_BUSY_TIMEOUT_MS)
  const dryRun: DryRunCounts | undefined = options.dryRun ? { added: 0, changed: 0, unchanged: 0 } : undefined;
  const planned = await plan(sources, options.format);
  const progress = createProgress(process.stderr, () => performance.now(), planned.flatMap((p) => p.files).reduce((n, f) => n + fileSize(f.file), 0));
  const meter = { bytes: 0 };
  const ledger: HttpLedger = { successes: [], pages: [], seenUrls: new Set() };
  const web = options.web ?? createWeb(options.http);
  const incomplete = new Set<string>();
  const seen: Seen = { keys: new Set(), ids: new Set() };
  const delivery = dryRun ? undefined : deliverWhileRunning(store);
  try {
    if (options.reset) await Promise.all([store.writes.clear(), state.clear()]);
    const reconciled = options.reconcile && !dryRun ? await store.reconcile({ engine: true }) : undefined;
    const summary = await ingestArticles(
      ingestDeps(store, dryRun),
      allRecords(planned, options, { meter, web, state, ledger }, incomplete),
      ingestCallbacks(options, io, { dryRun: dryRun !== undefined, seen, progress, meter }),
    );
    io.onCounts(summary);
    if (!dryRun) commitHttp(state, ledger);
    progress.stop();
    if (!dryRun) await store.writes.refreshEntities();
    const deps = { writes: store.writes, state };
    const deleted = options.prune ? await pruneSources(deps, planned, { incomplete, seen, dryRun: dryRun !== undefined }) : 0;
    await delivery?.settle(config.MEILI_OUTBOX_DRAIN_MS);
    return withReconcile(makeReport(summary, deleted, (performance.now() - started) / 1000, dryRun), reconciled);
  } finally {
    progress.stop();
    await delivery?.stop();
    await store.close();
  }
}

/**
 * The write path of a run: the store's own (every part it writes, copy groups included, as an API write), or for a
 * dry run one that compares with it and writes nothing.
 */
function ingestDeps(store: Store, dryRun: DryRunCounts | undefined): IngestDeps {
  if (!dryRun) return store;
  return { engine: dryRunEngine(store.engine, dryRun), entities: store.entities.readOnly() };
}

const withReconcile = (report: RunReport, reconciled: ReconcileReport | undefined): RunReport =>
  reconciled ? { ...report, reconciled } : report;

/** Records a run in the state; a failure to record is reported, never allowed to hide the run's own outcome. */
function recordRun(state: IndexerState, run: IndexerRun): void {
  try {
    state.recordRun(run);
  } catch (error) {
    process.stderr.write(`could not record the run in the indexer state: ${(error as Error).message}\n`);
  }
}

/**
 * Indexes `sources` into the configured engine and similarity index (see main.ts): optionally resets first,
 * records which source delivered which id, and prunes at the end. Every run that writes (not `--dry-run`) is
 * recorded in the indexer state's `runs` table with its outcome — ok, rejected (some records rejected) or failed
 * (it threw; with the counts reached so far) — for the API's /metrics. Returns the run's report.
 */
export async function runIndex(config: Config, sources: readonly string[], options: RunOptions): Promise<RunReport> {
  const rejectsOut = openRejects(options.rejects, options.appendRejects);
  const state = IndexerState.open(indexerStateFile(config), { busyTimeoutMs: config.INDEXER_BUSY_TIMEOUT_MS });
  const startedAt = Date.now();
  const started = performance.now();
  let counts: IngestSummary = { read: 0, indexed: 0, unchanged: 0, rejected: 0 };
  const ended = () => ({ startedAt, endedAt: Date.now(), durationSeconds: (performance.now() - started) / 1000 });
  try {
    const report = await indexSources(config, sources, options, { state, rejectsOut, onCounts: (s) => (counts = s) });
    const { read, indexed, unchanged, deleted, rejected } = report;
    const outcome = rejected > 0 ? 'rejected' : 'ok';
    if (!options.dryRun) recordRun(state, { ...ended(), outcome, read, indexed, unchanged, deleted, rejected });
    return report;
  } catch (error) {
    const failed = { ...ended(), outcome: 'failed' as const, ...counts, deleted: 0, error: (error as Error).message ?? String(error) };
    if (!options.dryRun) recordRun(state, failed);
    throw error;
  } finally {
    state.close();
    await new Promise((resolve) => (rejectsOut ? rejectsOut.end(resolve) : resolve(undefined)));
  }
}
