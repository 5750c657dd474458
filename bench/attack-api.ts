import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from './api-process.js';
import { childPids } from './api-sockets.js';

/** Resident memory in MiB (Linux /proc) of the API's primary process and of each of its workers. */
export interface RssSample {
  readonly primary: number;
  readonly workers: readonly number[];
}

/** How the API ended: on SIGTERM within the grace period, or only after SIGKILL (a worker ignored SIGTERM). */
export interface StopReport {
  readonly graceful: boolean;
  readonly ms: number;
}

/** The built API running in a process group of its own, so that a wedged worker can be killed with the rest. */
export interface AttackApi {
  readonly host: string;
  readonly port: number;
  /** The primary's process id (its workers are its children). */
  readonly pid: number;
  /** Samples the RSS of the primary and of its live workers. */
  rss(): RssSample;
  /** Lines the API logged at error level or above (pino levels 50 and 60) so far. */
  errorLogLines(): number;
  /** SIGTERM to the whole group, SIGKILL after `graceMs` if any process is still alive; idempotent. */
  stop(graceMs: number): Promise<StopReport>;
}

/** A process's VmRSS in MiB, or undefined when it is gone. */
function rssOf(pid: number): number | undefined {
  try {
    const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return line === undefined ? undefined : Math.round(Number(line.replace(/\D+/g, '')) / 1024);
  } catch {
    return undefined;
  }
}

/** Whether a process exists and is not a zombie. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until none of `pids` is alive, for at most `ms`; whether they all ended. */
async function waitGone(pids: readonly number[], ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (pids.some(alive)) {
    if (Date.now() >= until) return false;
    await sleep(100);
  }
  return true;
}

const signalGroup = (pid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
};

/** Counts the lines of a pino log at level error (50) or fatal (60). */
function countErrorLines(file: string): number {
  if (!fs.existsSync(file)) return 0;
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => /"level":(50|60)\b/.test(l)).length;
}

/** Waits until `GET /health` answers 200, for at most `ms`; throws when it never does or the process exits. */
async function waitHealthy(child: ChildProcess, url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && child.exitCode === null) {
    try {
      if ((await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) })).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`the API did not answer /health within ${ms} ms (exit code ${child.exitCode ?? 'none'})`);
}

/**
 * Starts the built API (dist/src/main.js) on loopback over `dataDir`, with `env` added to this process's, logging
 * to `logFile`, and waits until it answers. DEMO_DATA is off; the caller sets keys, workers and limits; `main`, another
 * build's entry point (A/B runs), instead of dist/src/main.js.
 */
export async function startAttackApi(options: { dataDir: string; env: Record<string, string>; logFile: string; main?: string }): Promise<AttackApi> {
  const port = await freePort();
  const host = '127.0.0.1';
  const log = fs.openSync(options.logFile, 'a');
  const child = spawn(process.execPath, [path.resolve(options.main ?? 'dist/src/main.js')], {
    env: { ...process.env, DATA_DIR: options.dataDir, HOST: host, PORT: String(port), DEMO_DATA: 'off', ...options.env },
    stdio: ['ignore', log, log],
    detached: true,
  });
  fs.closeSync(log);
  const pid = child.pid!;
  let stopped: Promise<StopReport> | undefined;
  const api: AttackApi = {
    host,
    port,
    pid,
    rss: () => ({ primary: rssOf(pid) ?? 0, workers: childPids(pid).map(rssOf).filter((r): r is number => r !== undefined) }),
    errorLogLines: () => countErrorLines(options.logFile),
    stop: (graceMs) => (stopped ??= stopGroup(pid, graceMs)),
  };
  try {
    await waitHealthy(child, `http://${host}:${port}`, 180_000);
  } catch (error) {
    await api.stop(0);
    throw error;
  }
  return api;
}

async function stopGroup(pid: number, graceMs: number): Promise<StopReport> {
  const start = Date.now();
  const pids = [pid, ...childPids(pid)];
  signalGroup(pid, 'SIGTERM');
  const graceful = await waitGone(pids, graceMs);
  if (!graceful) {
    signalGroup(pid, 'SIGKILL');
    await waitGone(pids, 3_000);
  }
  return { graceful, ms: Date.now() - start };
}
