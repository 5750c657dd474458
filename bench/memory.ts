import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AttackApi } from './attack-api.js';
import { startAttackApi } from './attack-api.js';
import { ChildProcesses } from './child-processes.js';
import { knownItemQueries, readJsonl, SHARED } from './corpus.js';
import { loadMix, runLoad } from './freshness-load.js';
import { getFresh } from './http-json.js';
import { prepareStore } from './prepare-store.js';
import { serviceEnv } from '../src/runtime/malloc-env.js';
import { childPids } from './api-sockets.js';

/**
 * `npm run bench:memory` (issue 13): the whole service's memory — the primary (the index host) and every HTTP worker —
 * on the Reuters shared file, at rest and after a fixed search + similar load, against the issue's targets (RSS sum
 * ≤ 500 MB at rest, ≤ 700 MB after 60 s of load). Per process: RSS, PSS (shared pages divided among the processes
 * that map them) and the shared clean pages, from /proc/PID/smaps_rollup. Knobs (environment): WORKERS (2),
 * MEMORY_DATA_DIR (a Reuters store to serve as it is; by default one is indexed into a temporary directory),
 * MEMORY_MAIN (another build's dist/src/main.js, for A/B runs), MEMORY_REST_SECONDS (30: the wait after /ready and
 * a first request on every route, the verdict's; a sample at 15 s is printed too), MEMORY_LOAD_SECONDS (60), MEMORY_RATE (1,000 requests/s, half search, half
 * similar, as bench:freshness; 0: closed loop, as fast as answered, over 2 × 32 connections). Exit 1 when a target is missed, 2 when it cannot run.
 */
const num = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const WORKERS = process.env.WORKERS ?? '2';
const REST_SECONDS = num('MEMORY_REST_SECONDS', 30);
const LOAD_SECONDS = num('MEMORY_LOAD_SECONDS', 60);
const RATE = num('MEMORY_RATE', 1_000);
const REST_LIMIT_MB = 500;
const LOAD_LIMIT_MB = 700;

/** One process's memory, in MB (10^6 bytes, as the issue's targets), from /proc/PID/smaps_rollup. */
interface ProcessMemory {
  readonly pid: number;
  readonly rss: number;
  readonly pss: number;
  readonly sharedClean: number;
}

function memoryOf(pid: number): ProcessMemory | undefined {
  try {
    const fields = new Map<string, number>();
    for (const line of fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').split('\n')) {
      const m = /^(\w+):\s+(\d+) kB/.exec(line);
      if (m) fields.set(m[1]!, (Number(m[2]) * 1024) / 1e6);
    }
    return { pid, rss: fields.get('Rss') ?? 0, pss: fields.get('Pss') ?? 0, sharedClean: fields.get('Shared_Clean') ?? 0 };
  } catch {
    return undefined; // gone
  }
}

/** The primary first, then its workers. */
const sample = (pid: number): ProcessMemory[] => [pid, ...childPids(pid)].map(memoryOf).filter((m): m is ProcessMemory => m !== undefined);
const sum = (ms: readonly ProcessMemory[], key: 'rss' | 'pss'): number => ms.reduce((a, m) => a + m[key], 0);
const mb = (n: number): string => n.toFixed(0);

function printSample(when: string, ms: readonly ProcessMemory[]): void {
  const each = ms.map((m, i) => `${i === 0 ? 'primary' : `worker ${i}`} ${mb(m.rss)} / ${mb(m.pss)} (shared clean ${mb(m.sharedClean)})`);
  console.log(`${when}: RSS sum ${mb(sum(ms, 'rss'))} MB, PSS sum ${mb(sum(ms, 'pss'))} MB — RSS / PSS MB: ${each.join('; ')}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Reuters store to serve: MEMORY_DATA_DIR as it is, or the shared file indexed into `dir`. */
async function dataDir(dir: string, reuters: string): Promise<string> {
  if (process.env.MEMORY_DATA_DIR) return path.resolve(process.env.MEMORY_DATA_DIR);
  const data = path.join(dir, 'data');
  fs.mkdirSync(data);
  const started = performance.now();
  await prepareStore(data, readJsonl(reuters));
  console.log(`indexed Reuters into ${data} in ${((performance.now() - started) / 1_000).toFixed(1)} s`);
  return data;
}

/** Every route of the load once per new connection, 20 times, so that each worker has answered before memory is read. */
async function touch(api: AttackApi, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await getFresh(api, `/api/search?perPage=10&q=${i % 2 ? 'oil' : 'wheat'}`, 10_000);
    await getFresh(api, `/api/articles/${encodeURIComponent(ids[i % ids.length]!)}/similar?limit=10`, 10_000);
  }
  const ready = await getFresh(api, '/ready', 10_000);
  if (ready.status !== 200) throw new Error(`/ready answered ${ready.status}`);
}

async function main(): Promise<number> {
  const reuters = path.join(SHARED, 'corpus', 'reuters21578.jsonl');
  if (!fs.existsSync(reuters)) {
    console.error(`bench:memory needs ${reuters} (the shared corpora live in ../shared): nothing was run`);
    return 2;
  }
  const main = process.env.MEMORY_MAIN ?? 'dist/src/main.js';
  if (!fs.existsSync(main)) {
    console.error(`bench:memory needs the built API (${main}; npm run build): nothing was run`);
    return 2;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-memory-'));
  const processes = new ChildProcesses();
  let api: AttackApi | undefined;
  try {
    const data = await dataDir(dir, reuters);
    // glibc's malloc as `newsfind serve` and the Docker image set it (GLIBC_TUNABLES given to this bench wins)
    const env = { WORKERS, RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn', GLIBC_TUNABLES: serviceEnv(process.env).GLIBC_TUNABLES! };
    const started = performance.now();
    api = await startAttackApi({ dataDir: data, env, logFile: path.join(dir, 'api.log'), main });
    const ids = readJsonl<{ id: string }>(reuters).map((d) => d.id);
    const sampleIds = Array.from({ length: 2_000 }, (_, k) => ids[(k * 7919) % ids.length]!);
    await touch(api, sampleIds);
    console.log(`bench:memory — ${main}, WORKERS=${WORKERS}, ${ids.length.toLocaleString('en')} Reuters articles; answering after ${((performance.now() - started) / 1_000).toFixed(1)} s; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    if (REST_SECONDS > 15) {
      await sleep(15_000);
      printSample('at rest (15 s after /ready)', sample(api.pid));
    }
    await sleep((REST_SECONDS > 15 ? REST_SECONDS - 15 : REST_SECONDS) * 1_000);
    const rest = sample(api.pid);
    printSample(`at rest (${REST_SECONDS} s after /ready)`, rest);
    const url = `http://${api.host}:${api.port}`;
    const mix = loadMix(url, knownItemQueries(reuters, 300, 42).map((q) => q.q), sampleIds);
    const window = await runLoad(processes, mix, { rate: RATE, seconds: LOAD_SECONDS, workDir: dir });
    const loaded = sample(api.pid);
    printSample(`after ${LOAD_SECONDS} s of load`, loaded);
    const sent = window.search.requests.total + window.similar.requests.total;
    const errors = window.search.errors + window.similar.errors + window.search.non2xx + window.similar.non2xx;
    const held = RATE > 0 ? `${((100 * sent) / (RATE * LOAD_SECONDS)).toFixed(0)}% of ${RATE}/s` : 'closed loop';
    console.log(`load: ${sent.toLocaleString('en')} requests, ${(sent / LOAD_SECONDS).toFixed(0)}/s (${held}), ${errors} errors; p50 / p99 ms: search ${window.search.latency.p50} / ${window.search.latency.p99}, similar ${window.similar.latency.p50} / ${window.similar.latency.p99}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    await sleep(5_000);
    printSample('at rest, 5 s after the load', sample(api.pid));
    const restOk = sum(rest, 'rss') <= REST_LIMIT_MB;
    const loadOk = sum(loaded, 'rss') <= LOAD_LIMIT_MB;
    console.log(`RSS sum at rest ≤ ${REST_LIMIT_MB} MB: ${mb(sum(rest, 'rss'))} ${restOk ? 'PASS' : 'FAIL'}`);
    console.log(`RSS sum after ${LOAD_SECONDS} s of load ≤ ${LOAD_LIMIT_MB} MB: ${mb(sum(loaded, 'rss'))} ${loadOk ? 'PASS' : 'FAIL'}`);
    return restOk && loadOk ? 0 : 1;
  } finally {
    processes.killAll();
    await api?.stop(10_000);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  },
);
