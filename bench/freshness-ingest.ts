import fs from 'node:fs';
import path from 'node:path';
import type { ChildExit, ChildProcesses, TrackedChild } from './child-processes.js';
import type { FreshBatch } from './freshness-articles.js';
import { writeBatchFile } from './freshness-articles.js';
import type { Visibility } from './freshness-probe.js';
import { batchCheck, waitVisible } from './freshness-probe.js';
import type { StoreWatch } from './freshness-store.js';
import type { ApiAddress } from './http-json.js';

/** What an ingest needs: the API, its DATA_DIR and a read-only view of it, the child registry and the limits. */
export interface IngestContext {
  readonly api: ApiAddress;
  readonly dataDir: string;
  /** Where batch files are written (outside DATA_DIR). */
  readonly workDir: string;
  readonly store: StoreWatch;
  readonly children: ChildProcesses;
  /** Longest indexer run (ms) before it is killed. */
  readonly indexerTimeoutMs: number;
  /** Longest wait (ms) after the commit for every process to show the batch. */
  readonly visibleTimeoutMs: number;
  /** Probes in a row that must find the batch on each process. */
  readonly confirm: number;
  /** Probes sent in parallel (each on its own connection). */
  readonly lanes: number;
}

/** One measured ingest; times are performance.now() in ms. */
export interface IngestSample {
  readonly batch: FreshBatch;
  readonly startedAt: number;
  /** When the bench saw the whole batch committed in the search and similarity stores; undefined: never. */
  readonly commitAt: number | undefined;
  readonly exit: ChildExit;
  readonly visibility: Visibility | undefined;
  /** True when the indexer wrote the whole batch in one transaction (`--batch-size` = the batch's size). */
  readonly oneTransaction: boolean;
}

/** A kind of lag measure: batches of `size` articles, written with the indexer's default batching or in one transaction. */
export interface LagKind {
  readonly size: number;
  readonly oneTransaction: boolean;
}

/** The label of a lag kind in tables and verdicts. */
export const lagLabel = (k: LagKind): string => `${k.size.toLocaleString('en')}${k.oneTransaction ? ' in 1 tx' : ''}`;

/** The samples of one lag kind. */
export const samplesOf = (samples: readonly IngestSample[], k: LagKind): IngestSample[] =>
  samples.filter((s) => s.batch.articles.length === k.size && s.oneTransaction === k.oneTransaction);

/** Runs the real indexer (`node dist/indexer/main.js <file> --json`, with `--nice $FRESHNESS_INDEXER_NICE` when set) on DATA_DIR as a process of its own. */
export function startIndexer(ctx: IngestContext, file: string, extraArgs: readonly string[] = []): TrackedChild {
  const env = { ...process.env, DATA_DIR: ctx.dataDir, DEMO_DATA: 'off', LOG_LEVEL: 'warn' };
  const nice = process.env.FRESHNESS_INDEXER_NICE === undefined ? [] : ['--nice', process.env.FRESHNESS_INDEXER_NICE];
  return ctx.children.node(path.resolve('dist/indexer/main.js'), [file, '--json', ...nice, ...extraArgs], { env, timeoutMs: ctx.indexerTimeoutMs });
}

/** A one-line account of an indexer that did not end well (exit status, signal, the end of its stderr). */
export function indexerTrouble(exit: ChildExit): string | undefined {
  if (exit.code === 0) return undefined;
  const why = exit.timedOut ? 'killed at its time limit' : `exit ${exit.code ?? exit.signal}`;
  return `indexer ${why}: ${exit.stderr.trim().split('\n').slice(-2).join(' | ').slice(0, 300)}`;
}

/**
 * Indexes `batch` with the real indexer while the store is polled every 5 ms; from the moment the whole batch is
 * committed, probes the API until every serving process answers search and /similar for it (or the wait ends).
 */
export async function measureIngest(ctx: IngestContext, batch: FreshBatch, options: { oneTransaction?: boolean } = {}): Promise<IngestSample> {
  const file = writeBatchFile(ctx.workDir, batch);
  const oneTransaction = options.oneTransaction ?? false;
  try {
    const run = startIndexer(ctx, file, oneTransaction ? ['--batch-size', String(batch.articles.length)] : []);
    let exit: ChildExit | undefined;
    void run.exited.then((e) => (exit = e));
    const ids = batch.articles.map((a) => a.id);
    const commitAt = await ctx.store.committed(ids, { everyMs: 5, stop: () => exit !== undefined });
    const visibility = commitAt === undefined ? undefined : await waitVisible(ctx.api, batchCheck(batch), { timeoutMs: ctx.visibleTimeoutMs, confirm: ctx.confirm, lanes: ctx.lanes });
    return { batch, startedAt: run.startedAt, commitAt, exit: await run.exited, visibility, oneTransaction };
  } finally {
    fs.rmSync(file, { force: true });
  }
}
