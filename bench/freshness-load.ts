import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type autocannon from 'autocannon';
import type { ChildProcesses } from './child-processes.js';

/** The request targets of the fixed load: known-item searches, and "more like this" for existing articles. */
export interface LoadMix {
  readonly url: string;
  readonly searchPaths: readonly string[];
  readonly similarPaths: readonly string[];
}

/** autocannon's results for one window, one per kind of request. */
export interface LoadWindow {
  readonly search: autocannon.Result;
  readonly similar: autocannon.Result;
}

/**
 * Connections per load generator (two generators: one for search, one for similar). autocannon's fixed rate lets
 * each connection send its share of a second's requests one after the other, each after the previous answer: at
 * 500/s over 8 connections, answers of 1/62.5 s or more cap the rate (a busy machine fell short); 32 leave room for
 * answers four times slower.
 */
export const CONNECTIONS = 32;
/** autocannon's client timeout (s): an answer later than this counts as a timeout (and an error). */
export const LOAD_TIMEOUT_S = 10;

/** The search and similar paths of the load, as bench/load.ts sends them. */
export function loadMix(url: string, queries: readonly string[], ids: readonly string[]): LoadMix {
  return {
    url,
    searchPaths: queries.map((q) => `/api/search?perPage=10&facets=source&q=${encodeURIComponent(q)}`),
    similarPaths: ids.map((id) => `/api/articles/${encodeURIComponent(id)}/similar?limit=10`),
  };
}

/** Runs bench/load-client.js (autocannon in a process of its own) on `paths` at `rate` requests/s (0: closed loop) for `seconds`. */
async function generator(children: ChildProcesses, options: { url: string; paths: readonly string[]; rate: number; seconds: number; file: string }): Promise<autocannon.Result> {
  const requests = options.paths.map((p) => ({ method: 'GET' as const, path: p }));
  // As bench/load.ts: latencies as measured, without autocannon's coordinated-omission back-fill (see its comment).
  const rate = options.rate > 0 ? { overallRate: options.rate, ignoreCoordinatedOmission: true } : {}; // 0: closed loop
  const cannon = { url: options.url, connections: CONNECTIONS, ...rate, duration: options.seconds, requests, timeout: LOAD_TIMEOUT_S };
  fs.writeFileSync(options.file, JSON.stringify(cannon));
  try {
    const client = path.join(path.dirname(fileURLToPath(import.meta.url)), 'load-client.js');
    const run = children.node(client, [options.file], { env: process.env, timeoutMs: (options.seconds + 60) * 1_000 });
    const exit = await run.exited;
    if (exit.code !== 0) throw new Error(`the load generator failed (exit ${exit.code ?? exit.signal}): ${exit.stderr.slice(-300)}`);
    return JSON.parse(exit.stdout) as autocannon.Result;
  } finally {
    fs.rmSync(options.file, { force: true });
  }
}

/**
 * A fixed load of `rate` requests/s for `seconds`: half known-item searches, half "more like this", from two
 * autocannon processes running side by side (so each kind has its own latency figures).
 */
export async function runLoad(children: ChildProcesses, mix: LoadMix, options: { rate: number; seconds: number; workDir: string }): Promise<LoadWindow> {
  const common = { url: mix.url, rate: options.rate / 2, seconds: options.seconds };
  const [search, similar] = await Promise.all([
    generator(children, { ...common, paths: mix.searchPaths, file: path.join(options.workDir, 'load-search.json') }),
    generator(children, { ...common, paths: mix.similarPaths, file: path.join(options.workDir, 'load-similar.json') }),
  ]);
  return { search, similar };
}
