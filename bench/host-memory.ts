import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { IndexHost } from '../src/index-host/index-host.js';
import type { IndexHostOptions } from '../src/index-host/index-host.js';
import { openSqliteFile } from '../src/storage/sqlite-file.js';
import { SHARED } from './corpus.js';

/**
 * `npm run bench:host-memory` (issue 13): what the index host (src/index-host/index-host.ts) holds on the Reuters
 * shared file, part by part — each row builds a host with one more part (keyword, similarity, entity names,
 * completions, story threads) and reads the V8 heap plus array buffers after two full collections, less the
 * process's before — then the host's cost of applying BBC articles written by the real indexer in ONE transaction
 * (`--batch-size` = the batch; FRESHNESS-style, the store's own change logs): CPU and wall time of the catch-up in
 * the host's 5 ms slices. In process, no HTTP; the whole service's RSS is bench:freshness's. Needs --expose-gc.
 */
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const BATCH = Number(process.env.HOST_BATCH ?? 1_000);

const held = (): number => {
  gc!();
  gc!();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

const PARTS: [string, Omit<IndexHostOptions, 'background'>][] = [
  ['keyword', { keyword: true, entities: false, stories: false }],
  ['+ similarity', { keyword: true, similarity: {}, entities: false, stories: false }],
  ['+ entity names', { keyword: true, similarity: {}, entities: true, suggestions: false, stories: false }],
  ['+ completions', { keyword: true, similarity: {}, entities: true, stories: false }],
  ['+ story threads', { keyword: true, similarity: {}, entities: true }],
];

async function main(): Promise<number> {
  const reuters = path.join(SHARED, 'corpus', 'reuters21578.jsonl');
  const bbc = path.join(SHARED, 'corpus', 'bbc.jsonl');
  if (!fs.existsSync(reuters) || !fs.existsSync(bbc)) {
    console.error('bench:host-memory needs ../shared/corpus (reuters21578.jsonl, bbc.jsonl): nothing was run');
    return 2;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-host-memory-'));
  try {
    if (!index(dir, reuters, [])) return 2;
    return run(dir, bbc);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the real indexer on `file` into `dir` (as a process of its own); false, with its output, when it fails. */
function index(dir: string, file: string, args: readonly string[]): boolean {
  const indexer = spawnSync(process.execPath, ['bin/newsfind.js', 'index', file, ...args], { env: { ...process.env, DATA_DIR: dir }, encoding: 'utf8' });
  if (indexer.status === 0) return true;
  console.error(`the indexer failed (exit ${indexer.status}): ${indexer.stderr}`);
  return false;
}

function run(dir: string, bbc: string): number {
  const db = openSqliteFile(path.join(dir, 'newsfind.db'), { what: 'store', schema: '' });
  const before = held();
  console.log(`bench:host-memory — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`);
  console.log('index host over the Reuters store: heap + array buffers held after two full collections (MiB)');
  console.log('parts                  held MiB   build s');
  const hosts: IndexHost[] = []; // the one host alive: the previous is closed and let go before the next is built
  for (const [name, options] of PARTS) {
    hosts.pop()?.close();
    const started = performance.now();
    const built = new IndexHost(db, { ...options, background: false });
    while (!built.catchUpSlice()); // the story threads are built in slices after the start
    const seconds = (performance.now() - started) / 1_000;
    console.log(`${name.padEnd(20)} ${mib(held() - before).padStart(10)} ${seconds.toFixed(1).padStart(9)}`);
    hosts.push(built);
  }
  const host = hosts[0]!;
  const file = path.join(dir, 'bbc.jsonl');
  fs.writeFileSync(file, fs.readFileSync(bbc, 'utf8').split('\n').filter(Boolean).slice(0, BATCH).join('\n') + '\n');
  if (!index(dir, file, ['--batch-size', String(BATCH)])) return 2;
  const cpu = process.cpuUsage();
  const started = performance.now();
  let slices = 1;
  while (!host.catchUpSlice()) slices++;
  const used = process.cpuUsage(cpu);
  console.log(`\napplying ${BATCH} BBC articles written in one transaction (every part): ${Math.round((used.user + used.system) / 1_000)} ms CPU, ${Math.round(performance.now() - started)} ms wall, ${slices} slices of 5 ms`);
  console.log(`held after: ${mib(held() - before)} MiB; load average after ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`);
  host.close();
  db.close();
  return 0;
}

process.exitCode = await main();
