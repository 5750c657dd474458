import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { SavedSearches } from '../src/alerts/saved-searches.js';
import { loadConfig, storeFile } from '../src/config.js';
import { createApp } from '../src/http/app.js';
import { openStore } from '../src/storage/open-store.js';
import { WriteThread } from '../src/storage/write-thread.js';

/**
 * `npm run bench:saved-search-lock`: `/health` latency of an API process while a saved-search POST waits for a write
 * lock another connection holds for 6 s (an indexer's transaction, drawn out), with the write made in the worker's
 * thread (`in-process`, as before: SQLite's 5 s busy timeout on the event loop) and on the write thread (`thread`).
 * `/health` is asked every 50 ms from the lock's start to its end, by a client on a thread of its own (a client on
 * the server's event loop would be held with it and never see the wait). Rounds alternate (SAVED_LOCK_ROUNDS,
 * default 2).
 */
const ADMIN = 'an-admin-key-long-enough';
const HOLD_MS = 6_000;

/** The `/health` client: asks every 50 ms for `ms`, posts back each answer's latency (ms). */
const POLLER = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
(async () => {
  const latencies = [];
  const until = performance.now() + workerData.ms;
  while (performance.now() < until) {
    const started = performance.now();
    await fetch(workerData.url);
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  parentPort.postMessage(latencies);
})();
`;

const pollHealth = (url: string, ms: number): Promise<number[]> =>
  new Promise((resolve, reject) => {
    const poller = new Worker(POLLER, { eval: true, workerData: { url, ms } });
    poller.once('message', (latencies: number[]) => {
      resolve(latencies);
      void poller.terminate();
    });
    poller.once('error', reject);
  });

async function round(mode: 'in-process' | 'thread'): Promise<{ health: number[]; status: number; postMs: number }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'newsfind-bench-saved-lock-'));
  const env = { ...process.env, DATA_DIR: dataDir, DEMO_DATA: 'off' };
  const config = loadConfig(env);
  const store = openStore(config, 'api');
  const saved = SavedSearches.open(storeFile(config), () => Date.now());
  const writer = new WriteThread({ env });
  const app = createApp({
    engine: store.engine,
    similarity: store.similarity,
    local: store.local,
    writer,
    savedSearches: saved,
    ...(mode === 'thread' ? { savedSearchWriter: writer.savedSearches } : {}),
    now: () => performance.now(),
    clock: () => Date.now(),
    logError: () => {},
    http: { adminApiKey: ADMIN, rateLimitPerMinute: 0 },
  });
  const server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const save = (name: string) =>
    fetch(`${base}/api/saved-searches`, { method: 'POST', headers: { 'X-Api-Key': ADMIN, 'Content-Type': 'application/json' }, body: JSON.stringify({ name, query: { q: name } }) });
  await save('warm');
  const other = new Database(storeFile(config));
  other.exec('BEGIN IMMEDIATE');
  const lockedAt = performance.now();
  const posted = save('harbour strike').then((res) => ({ status: res.status, postMs: performance.now() - lockedAt }));
  const polled = pollHealth(`${base}/health`, HOLD_MS);
  await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
  other.exec('COMMIT');
  const health = await polled;
  other.close();
  const answer = await posted;
  server.close();
  await writer.close();
  saved.close();
  await store.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  return { health, ...answer };
}

const quantile = (values: number[], q: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))] ?? Number.NaN;

async function main(): Promise<void> {
  const rounds = Number(process.env.SAVED_LOCK_ROUNDS ?? 2);
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}; lock held ${HOLD_MS} ms`);
  console.log('round  write made   /health answers   p50 ms   max ms   POST status   POST answered after ms');
  for (let r = 1; r <= rounds; r++) {
    for (const mode of ['in-process', 'thread'] as const) {
      const { health, status, postMs } = await round(mode);
      console.log(
        `${String(r).padEnd(6)} ${mode.padEnd(11)} ${String(health.length).padStart(15)}   ${quantile(health, 0.5).toFixed(1).padStart(6)}   ${Math.max(...health).toFixed(0).padStart(6)}   ${String(status).padStart(11)}   ${postMs.toFixed(0).padStart(22)}`,
      );
    }
  }
  console.log(`load average after ${os.loadavg().map((l) => l.toFixed(2)).join(', ')}`);
}

await main();
