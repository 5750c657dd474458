import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AttackApi, RssSample } from './attack-api.js';
import { startAttackApi } from './attack-api.js';
import { ChildProcesses } from './child-processes.js';
import { knownItemQueries, readJsonl, SHARED } from './corpus.js';
import type { BbcItem } from './freshness-articles.js';
import { FreshArticles } from './freshness-articles.js';
import { CONNECTIONS, loadMix } from './freshness-load.js';
import type { PhaseContext } from './freshness-phases.js';
import { baselinePhase, ingestLoadPhase, lagPhase, writersPhase } from './freshness-phases.js';
import { ms, printFullIngest, printLag, printLoad, printMemory, printVerdicts, printWriters } from './freshness-report.js';
import { StoreWatch } from './freshness-store.js';
import type { LagKind } from './freshness-ingest.js';
import { lagLabel, measureIngest } from './freshness-ingest.js';
import { verdicts } from './freshness-verdicts.js';
import type { RunFigures } from './freshness-verdicts.js';
import { getFresh } from './http-json.js';
import { prepareStore } from './prepare-store.js';

/**
 * Issue 13's freshness benchmark. Indexes the Reuters shared file into a temporary DATA_DIR, starts the built API
 * there (WORKERS=2, an admin key, no rate limit, loopback only), and measures, adding new articles made from the BBC
 * shared file (fresh ids, a marker word each) with the real indexer (`node dist/indexer/main.js`, a process of its
 * own): the whole service's memory at rest, then after a fixed search + similar load (Reuters only); a full BBC
 * ingest and how long after the indexer's exit every worker answers for it; the fixed load during a BBC ingest; the
 * lag from commit to every worker answering for batches of 1, 100 and 1,000; 8 concurrent writers × 50 POSTs while
 * an indexer runs, then where every article ended up. Prints tables and PASS/FAIL per target (exit 1 on FAIL, 2 when it cannot run,
 * 3 past the overall deadline). Every child process is killed and the directory removed however it ends.
 */
const num = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
/** Batch sizes of the lag measure, written with the indexer's default batching (--batch-size). */
const SIZES = (process.env.FRESHNESS_BATCHES ?? '1,100,1000').split(',').map(Number);
/** Batch sizes also written in one transaction each (`--batch-size` = the batch), beside the default batching. */
const ONE_TRANSACTION = (process.env.FRESHNESS_ONE_TRANSACTION ?? '1000').split(',').filter((s) => s !== '').map(Number);
const LAG_KINDS: LagKind[] = [...SIZES.map((size) => ({ size, oneTransaction: false })), ...ONE_TRANSACTION.map((size) => ({ size, oneTransaction: true }))];
/** Repetitions of each batch size. */
const REPEATS = num('FRESHNESS_REPEATS', 10);
/** Requests per second of the fixed load (half searches, half similar). */
const RATE = num('FRESHNESS_RATE', 1_000);
/** The load window without ingest (s); the memory target reads the RSS at its end, so the figure needs 60. */
const LOAD_SECONDS = num('FRESHNESS_LOAD_SECONDS', 60);
/** A load before the measured one, not counted (s). */
const WARMUP_SECONDS = num('FRESHNESS_WARMUP_SECONDS', 5);
/** Concurrent writers and POSTs each. */
const WRITERS = num('FRESHNESS_WRITERS', 8);
const POSTS = num('FRESHNESS_POSTS', 50);
/** Reduced runs while developing: the first N Reuters articles, the first N BBC items for the full ingests. */
const REUTERS_LIMIT = num('FRESHNESS_REUTERS_LIMIT', Infinity);
const BBC_LIMIT = num('FRESHNESS_BBC_LIMIT', Infinity);
/** Longest wait after a commit for every worker to answer (s); beyond it the lag counts as never (∞). */
const VISIBLE_SECONDS = num('FRESHNESS_VISIBLE_TIMEOUT_SECONDS', 30);
/** Successful probes in a row that each worker must answer before its visibility is taken as settled. */
const CONFIRM = num('FRESHNESS_CONFIRM', 3);
/** Probes in flight at once (each on a new connection): one per worker, so that both are probed at the same time. */
const LANES = num('FRESHNESS_PROBE_LANES', 2);
const SEED = num('FRESHNESS_SEED', 13);
/** The whole run is cut (children killed, files removed, exit 3) after this (s). */
const DEADLINE_SECONDS = num('FRESHNESS_DEADLINE_SECONDS', 1_200);
const ADMIN_KEY = 'freshness-admin-key-4be81c0d27';

/** What is left to clean when the run ends, however it ends. */
const live: { api?: AttackApi; dir?: string; store?: StoreWatch; children: ChildProcesses } = { children: new ChildProcesses() };

async function cleanUp(): Promise<void> {
  live.children.killAll();
  live.store?.close();
  live.store = undefined;
  await live.api?.stop(5_000);
  if (live.dir) fs.rmSync(live.dir, { recursive: true, force: true });
}

/** Set once the run is being cut short: the phases' failures that follow are its consequence, not news. */
let aborting = false;

/** Exits with `code` after cleaning up, at most 10 s later whatever happens. */
function abort(reason: string, code: number): void {
  aborting = true;
  console.error(`bench:freshness: ${reason}; stopping the API and its children, removing ${live.dir ?? 'nothing'}`);
  setTimeout(() => process.exit(code), 10_000).unref();
  void cleanUp().finally(() => process.exit(code));
}

const loadAverage = (): string => os.loadavg().map((l) => l.toFixed(2)).join(', ');
const note = (line: string): void => void process.stderr.write(`bench:freshness: ${line}\n`);

/** The two shared files, or undefined (with a message) when ../shared is absent. */
function sharedFiles(): { reuters: string; bbc: string } | undefined {
  const reuters = path.join(SHARED, 'corpus', 'reuters21578.jsonl');
  const bbc = path.join(SHARED, 'corpus', 'bbc.jsonl');
  const lacking = [reuters, bbc].filter((f) => !fs.existsSync(f));
  if (lacking.length === 0) return { reuters, bbc };
  console.error(`bench:freshness needs the shared corpora (${lacking.join(', ')} absent; they live in ../shared, never in this repository): nothing was run`);
  return undefined;
}

/** Touches both routes over 20 new connections, so that every worker has served before memory is read. */
async function touch(ctx: PhaseContext, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await getFresh(ctx.api, `/api/search?perPage=10&q=${i % 2 ? 'oil' : 'wheat'}`, 10_000);
    await getFresh(ctx.api, `/api/articles/${ids[i % ids.length]}/similar?limit=10`, 10_000);
  }
}

/** Indexes Reuters, starts the API and everything the phases share. */
async function setUp(files: { reuters: string; bbc: string }): Promise<{ ctx: PhaseContext; reuters: number; indexSeconds: number; ids: string[] }> {
  const docs = readJsonl<{ id: string }>(files.reuters).slice(0, REUTERS_LIMIT);
  live.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-freshness-'));
  const dataDir = path.join(live.dir, 'data');
  const workDir = path.join(live.dir, 'work');
  fs.mkdirSync(dataDir);
  fs.mkdirSync(workDir);
  const started = performance.now();
  await prepareStore(dataDir, docs);
  const indexSeconds = (performance.now() - started) / 1_000;
  const env = { WORKERS: '2', ADMIN_API_KEY: ADMIN_KEY, RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' };
  live.api = await startAttackApi({ dataDir, env, logFile: path.join(live.dir, 'api.log') });
  live.store = StoreWatch.open(dataDir);
  const ids = Array.from({ length: Math.min(2_000, docs.length) }, (_, k) => docs[(k * 7919) % docs.length]!.id);
  const queries = knownItemQueries(files.reuters, 300, 42).map((q) => q.q);
  const ctx: PhaseContext = {
    api: { host: live.api.host, port: live.api.port }, dataDir, workDir, store: live.store, children: live.children,
    indexerTimeoutMs: 300_000, visibleTimeoutMs: VISIBLE_SECONDS * 1_000, confirm: CONFIRM, lanes: LANES, service: live.api,
    fresh: new FreshArticles(readJsonl<BbcItem>(files.bbc), SEED), mix: loadMix(`http://${live.api.host}:${live.api.port}`, queries, ids), adminKey: ADMIN_KEY,
  };
  return { ctx, reuters: docs.length, indexSeconds, ids };
}

/** The phases, in order; the figures they yield. */
async function measure(ctx: PhaseContext, ids: readonly string[]): Promise<Omit<RunFigures, 'setup'>> {
  const bbcSize = Math.min(BBC_LIMIT, 1_990);
  await touch(ctx, ids);
  await new Promise((r) => setTimeout(r, 2_000));
  const rest: RssSample = ctx.service.rss();
  note(`fixed load, ${WARMUP_SECONDS} s warm-up + ${LOAD_SECONDS} s without ingest (Reuters only: the memory figures)`);
  const baseline = await baselinePhase(ctx, { rate: RATE, warmupSeconds: WARMUP_SECONDS, seconds: LOAD_SECONDS });
  note('full BBC ingest (no load)');
  const full = await measureIngest(ctx, ctx.fresh.batch('bbc-full', bbcSize));
  const ingestSeconds = Math.max(10, Math.ceil((full.exit.endedAt - full.startedAt) / 1_000));
  note(`fixed load for ${ingestSeconds} s during a BBC ingest`);
  const during = await ingestLoadPhase(ctx, ctx.fresh.batch('bbc-load', bbcSize), { rate: RATE, seconds: ingestSeconds });
  note(`lag: batches of ${LAG_KINDS.map(lagLabel).join(', ')} × ${REPEATS}`);
  const lag = await lagPhase(ctx, LAG_KINDS, REPEATS);
  note(`${WRITERS} writers × ${POSTS} POSTs while the indexer adds BBC`);
  const writers = await writersPhase(ctx, ctx.fresh.batch('bbc-writers', bbcSize), { writers: WRITERS, posts: POSTS, settleMs: 5_000 });
  return { rest, full, baseline, during, ingestSeconds, lag, writers, end: ctx.service.rss() };
}

function print(f: RunFigures): boolean {
  console.log(`\nbench:freshness — issue 13; API WORKERS=2 (${f.setup.processes}) on ${f.setup.reuters.toLocaleString('en')} Reuters articles (indexed in ${f.setup.indexSeconds.toFixed(1)} s), loopback, no rate limit`);
  console.log(`machine ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; load average (1, 5, 15 min) before: ${f.setup.loads[0]}; after: ${f.setup.loads[1]}`);
  console.log(`stores read by the bench: ${f.setup.stores}; commit = the first 5 ms poll that sees the whole batch in search and similarity stores`);
  console.log(`workers told apart by the server end of each probe's connection (/proc/net/tcp inode → /proc/<pid>/fd); a worker's time = end of the first of ${CONFIRM} probes in a row that find the batch; ${LANES} probes in flight\n`);
  console.log(`1. lag, commit → every worker answering search (all of the batch) and /similar (first, middle, last), ms; ${REPEATS} runs each`);
  printLag(f.lag, LAG_KINDS);
  console.log(`\n   full BBC ingest (${f.full.batch.articles.length} articles, no load)`);
  printFullIngest(f.full);
  const ingestS = ((f.during.exit.endedAt - f.during.startedAt) / 1_000).toFixed(1);
  console.log(`\n2. fixed ${RATE}/s load (half known-item searches, half /similar of Reuters articles; autocannon, 2 processes × ${CONNECTIONS} connections, latencies as measured)`);
  console.log(`   during: the indexer ran ${ingestS} s of the ${f.ingestSeconds} s window (started with it; exit ${f.during.exit.code ?? f.during.exit.signal});`);
  console.log('   "sent of due": requests sent of those the fixed rate calls for; each connection waits for its answer, so a stall sends less and hides from p99');
  printLoad([{ name: `without ingest, ${LOAD_SECONDS} s`, w: f.baseline.window, seconds: LOAD_SECONDS },
    { name: `during BBC ingest, ${f.ingestSeconds} s`, w: f.during.window, seconds: f.ingestSeconds }], RATE);
  const after = f.during.visibility.everywhereAt === undefined ? 'never' : `${ms(f.during.visibility.everywhereAt - f.during.exit.endedAt)} ms`;
  console.log(`   that ingest was answered by every worker ${after} after the indexer's exit (probed without load)`);
  console.log(`\n3. ${WRITERS} concurrent writers × ${POSTS} POST /api/articles while the indexer adds ${f.full.batch.articles.length} BBC articles`);
  printWriters(f.writers);
  console.log('\n4. memory, whole service (primary + workers)');
  printMemory([{ when: 'at rest, before any load', s: f.rest }, { when: `after ${WARMUP_SECONDS} + ${LOAD_SECONDS} s of load`, s: f.baseline.afterLoad },
    { when: 'at rest, 5 s after that load', s: f.baseline.restAfter }, { when: 'at the end of the run', s: f.end }]);
  console.log('');
  return printVerdicts(verdicts(f, { kinds: LAG_KINDS, rate: RATE, baselineSeconds: LOAD_SECONDS, loadSeconds: LOAD_SECONDS + WARMUP_SECONDS }));
}

async function main(): Promise<number> {
  const files = sharedFiles();
  if (!files) return 2;
  if (!fs.existsSync('dist/src/main.js') || !fs.existsSync('dist/indexer/main.js')) {
    console.error('bench:freshness needs the built API and indexer (npm run build): nothing was run');
    return 2;
  }
  const { ctx, reuters, indexSeconds, ids } = await setUp(files);
  const loads = [loadAverage()];
  const processes = `primary + ${ctx.service.rss().workers.length} workers`;
  const figures = await measure(ctx, ids);
  loads.push(loadAverage());
  const passed = print({ ...figures, setup: { reuters, indexSeconds, loads, stores: ctx.store.describe(), processes } });
  return passed && feedPath() ? 0 : 1;
}

/**
 * The feed path (issue 16), after the rest: an item appearing in a followed feed (`--every 5s`) until it is
 * searchable and in /similar on every worker (bench/freshness-feeds.ts, in a process of its own); true when met.
 */
function feedPath(): boolean {
  console.log('\n5. the feed path: from an item appearing in a followed feed to every worker answering for it');
  return spawnSync(process.execPath, ['--import', 'tsx', 'bench/freshness-feeds.ts'], { stdio: 'inherit' }).status === 0;
}

const deadline = setTimeout(() => abort(`the overall deadline of ${DEADLINE_SECONDS} s passed`, 3), DEADLINE_SECONDS * 1_000);
process.once('SIGINT', () => abort('interrupted', 130));
process.once('SIGTERM', () => abort('terminated', 143));
main()
  .catch((error: unknown) => {
    if (!aborting) console.error(error);
    return 2;
  })
  .then(async (code) => {
    if (aborting) return; // abort() exits with its own code
    await cleanUp();
    clearTimeout(deadline);
    process.exit(code);
  });
