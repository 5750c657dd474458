import { performance } from 'node:perf_hooks';
import type { AttackApi, RssSample } from './attack-api.js';
import type { ChildExit } from './child-processes.js';
import type { FreshArticles, FreshBatch } from './freshness-articles.js';
import { writeBatchFile } from './freshness-articles.js';
import type { IngestContext, IngestSample, LagKind } from './freshness-ingest.js';
import type { Visibility } from './freshness-probe.js';
import { batchCheck, waitVisible } from './freshness-probe.js';
import { lagLabel, measureIngest, startIndexer } from './freshness-ingest.js';
import type { LoadMix, LoadWindow } from './freshness-load.js';
import { runLoad } from './freshness-load.js';
import type { StoreName } from './freshness-store.js';
import type { PostOutcome, Presence } from './freshness-writers.js';
import { runWriters, settledPresence } from './freshness-writers.js';

/** Everything a phase needs: the ingest context, the running API, the article maker and the load's paths. */
export interface PhaseContext extends IngestContext {
  readonly service: AttackApi;
  readonly fresh: FreshArticles;
  readonly mix: LoadMix;
  readonly adminKey: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const note = (line: string): void => void process.stderr.write(`bench:freshness: ${line}\n`);

/** Lag: `repeats` batches of each size, one after the other, each indexed by its own indexer run. */
export async function lagPhase(ctx: PhaseContext, kinds: readonly LagKind[], repeats: number): Promise<IngestSample[]> {
  const samples: IngestSample[] = [];
  for (const kind of kinds) {
    for (let r = 0; r < repeats; r++) {
      const s = await measureIngest(ctx, ctx.fresh.batch(`lag${kind.size}${kind.oneTransaction ? 't' : ''}-${r}`, kind.size), { oneTransaction: kind.oneTransaction });
      samples.push(s);
      const lag = s.commitAt === undefined || s.visibility?.everywhereAt === undefined ? 'never' : `${(s.visibility.everywhereAt - s.commitAt).toFixed(0)} ms`;
      note(`batch of ${lagLabel(kind)}, run ${r + 1}/${repeats}: commit → every process ${lag}`);
    }
  }
  return samples;
}

/** Memory and the load without ingest: RSS at rest, a warm-up (not counted), the measured window, RSS after it. */
export async function baselinePhase(ctx: PhaseContext, options: { rate: number; warmupSeconds: number; seconds: number }): Promise<{ window: LoadWindow; afterLoad: RssSample; restAfter: RssSample }> {
  if (options.warmupSeconds > 0) await runLoad(ctx.children, ctx.mix, { rate: options.rate, seconds: options.warmupSeconds, workDir: ctx.workDir });
  const window = await runLoad(ctx.children, ctx.mix, { rate: options.rate, seconds: options.seconds, workDir: ctx.workDir });
  const afterLoad = ctx.service.rss();
  await sleep(5_000);
  return { window, afterLoad, restAfter: ctx.service.rss() };
}

/** The load during an ingest, the indexer's run (times are performance.now(), ms) and when its batch was everywhere. */
export interface IngestLoadResult {
  readonly window: LoadWindow;
  readonly exit: ChildExit;
  readonly startedAt: number;
  readonly loadEndedAt: number;
  /** Probed after the indexer's exit, so that the next phase starts with every worker current. */
  readonly visibility: Visibility;
}

/**
 * The same load for `seconds` while the indexer adds `batch` (started with the load): the ingest's window. Then,
 * once the indexer has ended, waits (probing) until every worker answers for the batch.
 */
export async function ingestLoadPhase(ctx: PhaseContext, batch: FreshBatch, options: { rate: number; seconds: number }): Promise<IngestLoadResult> {
  const run = startIndexer(ctx, writeBatchFile(ctx.workDir, batch));
  const window = await runLoad(ctx.children, ctx.mix, { rate: options.rate, seconds: options.seconds, workDir: ctx.workDir });
  const loadEndedAt = performance.now();
  const exit = await run.exited;
  const visibility = await waitVisible(ctx.api, batchCheck(batch), { timeoutMs: ctx.visibleTimeoutMs, confirm: ctx.confirm, lanes: ctx.lanes });
  return { window, exit, startedAt: run.startedAt, loadEndedAt, visibility };
}

/** What the concurrent writers did, and where their articles (and the indexer's) ended up. */
export interface WritersResult {
  readonly posts: PostOutcome[];
  readonly indexer: ChildExit;
  readonly overlapping: number;
  readonly presence: Presence[];
  readonly indexerMissing: ReadonlyMap<StoreName, number>;
}

/** Waits until the indexer has committed its first article (or ended, or 60 s passed). */
async function indexerWriting(ctx: PhaseContext, ids: readonly string[], exited: () => boolean): Promise<void> {
  const until = performance.now() + 60_000;
  while (!ctx.store.anyCommitted(ids) && !exited() && performance.now() < until) await sleep(20);
}

/**
 * `writers` clients × `posts` POSTs, started once an indexer adding `batch` has committed its first article; then,
 * after the indexer ends, where every posted article is (settling up to `settleMs`) and what the indexer's lack.
 */
export async function writersPhase(ctx: PhaseContext, batch: FreshBatch, options: { writers: number; posts: number; settleMs: number }): Promise<WritersResult> {
  const run = startIndexer(ctx, writeBatchFile(ctx.workDir, batch));
  let ended = false;
  void run.exited.then(() => (ended = true));
  const ids = batch.articles.map((a) => a.id);
  await indexerWriting(ctx, ids, () => ended);
  const marker = ctx.fresh.marker();
  const perClient = Array.from({ length: options.writers }, (_, c) => Array.from({ length: options.posts }, (_, i) => ctx.fresh.article(`fresh-post-${c}-${i}`, marker)));
  const posts = await runWriters(ctx.api, perClient, { adminKey: ctx.adminKey, timeoutMs: 30_000 });
  const indexer = await run.exited;
  const presence = await settledPresence(ctx.api, ctx.store, perClient.flat(), { settleMs: options.settleMs, timeoutMs: 10_000 });
  const indexerMissing = new Map([...ctx.store.missing(ids)].map(([s, m]) => [s, m.length] as const));
  return { posts, indexer, overlapping: posts.filter((p) => p.startedAt < indexer.endedAt).length, presence, indexerMissing };
}
