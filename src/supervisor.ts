import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';

/**
 * The exit status of a worker that cannot listen (port in use, no permission): another worker would fail alike,
 * so the supervisor stops instead of replacing it (78 is sysexits' EX_CONFIG).
 */
export const EXIT_CANNOT_LISTEN = 78;

/** When the supervisor replaces, gives up on, and kills workers. */
export interface SupervisorLimits {
  /** A worker that dies before it has been listening this long crashed fast (ms; default 30,000). */
  readonly stableMs: number;
  /** Fast crashes in a row after which the supervisor stops everything and exits 1 (default 5). */
  readonly maxFastCrashes: number;
  /** The n-th fast crash in a row is replaced after firstBackoffMs × 2^(n−1) ms (default 500), at most maxBackoffMs. */
  readonly firstBackoffMs: number;
  /** Longest pause before a replacement (ms; default 30,000). */
  readonly maxBackoffMs: number;
  /**
   * After SIGTERM, how long workers get to finish before they are killed with SIGKILL (ms; default 15,000: a
   * worker gives its own requests 10 s, but one busy in a long computation never runs its SIGTERM handler).
   */
  readonly graceMs: number;
}

export const DEFAULT_LIMITS: SupervisorLimits = {
  stableMs: 30_000,
  maxFastCrashes: 5,
  firstBackoffMs: 500,
  maxBackoffMs: 30_000,
  graceMs: 15_000,
};

/** What the supervisor runs. */
export interface SupervisorOptions {
  readonly workers: number;
  readonly log: Logger;
  /** Where the workers listen (`host:port`), for messages. */
  readonly address: string;
  readonly limits?: Partial<SupervisorLimits>;
  /** Flags added to each worker's node command line, after the primary's own (V8 heap limits: runtime/heap.ts). */
  readonly execArgv?: readonly string[];
  /** Called once, when the first {@link SupervisorOptions.workers} workers have all been listening. */
  readonly onAllListening?: () => void;
}

const alive = (): Worker[] => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());

/**
 * Forks the workers and keeps them running: a worker that dies after it has served a while is replaced at once;
 * one that dies at start, or soon after (a damaged store, a bug on a common path), is replaced after a doubling
 * pause, and after {@link SupervisorLimits.maxFastCrashes} such deaths in a row the supervisor stops every worker
 * and exits 1 rather than fork forever. A worker that cannot listen stops everything at once (exit 1). SIGTERM and
 * SIGINT are passed on; workers still running after the grace period are killed, and the process exits 0 (1 when a
 * worker had to be killed).
 */
export function superviseWorkers(options: SupervisorOptions): void {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const { log } = options;
  const listenedAt = new WeakMap<Worker, number>();
  const pauses = new Set<NodeJS.Timeout>();
  let fastCrashes = 0;
  let stopping = false;
  let exitStatus = 0;
  let listening = 0;
  if (options.execArgv?.length) cluster.setupPrimary({ execArgv: [...process.execArgv, ...options.execArgv] });

  const fork = () => {
    const worker = cluster.fork();
    worker.once('listening', () => {
      listenedAt.set(worker, performance.now());
      if (++listening === options.workers) options.onAllListening?.();
      setTimeout(() => {
        if (!worker.isDead()) fastCrashes = 0; // a worker that lasted ends a run of crashes
      }, limits.stableMs).unref();
    });
  };

  const stop = (status: number, signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    exitStatus = status;
    for (const pause of pauses) clearTimeout(pause);
    const workers = alive();
    if (workers.length === 0) process.exit(exitStatus);
    for (const worker of workers) worker.process.kill(signal);
    setTimeout(() => {
      for (const worker of alive()) {
        log.warn({ worker: worker.process.pid, graceMs: limits.graceMs }, 'worker still running after the grace period; killing it');
        worker.process.kill('SIGKILL');
        exitStatus ||= 1;
      }
    }, limits.graceMs);
  };

  const replace = (worker: Worker, code: number | null, signal: string | null) => {
    const since = listenedAt.get(worker);
    const where = { worker: worker.process.pid, code, signal };
    if (since !== undefined && performance.now() - since >= limits.stableMs) {
      fastCrashes = 0;
      log.error(where, 'worker died; starting another');
      fork();
      return;
    }
    fastCrashes++;
    if (fastCrashes >= limits.maxFastCrashes) {
      log.fatal(where, `workers keep dying at start (${fastCrashes} in a row; their errors are above): stopping instead of starting another`);
      stop(1, 'SIGTERM');
      return;
    }
    const pauseMs = Math.min(limits.firstBackoffMs * 2 ** (fastCrashes - 1), limits.maxBackoffMs);
    log.error({ ...where, fastCrashes, pauseMs }, 'worker died at start; starting another after a pause');
    const pause = setTimeout(() => {
      pauses.delete(pause);
      fork();
    }, pauseMs);
    pauses.add(pause);
  };

  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (alive().length === 0) process.exit(exitStatus);
    } else if (code === EXIT_CANNOT_LISTEN) {
      log.fatal({ worker: worker.process.pid }, `a worker cannot listen on ${options.address} (its error is above): stopping`);
      stop(1, 'SIGTERM');
    } else {
      replace(worker, code, signal);
    }
  });
  for (let i = 0; i < options.workers; i++) fork();
  const onSignal = (signal: NodeJS.Signals) => {
    log.info({ signal, workers: alive().length }, 'shutting down workers');
    stop(0, signal);
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
}
