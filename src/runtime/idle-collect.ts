import { constants, performance, PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
import { fullCollection } from './heap.js';

/** How often a serving process looks whether it has been idle (ms). */
export const IDLE_CHECK_MS = 10_000;

/** A young generation (V8's new space) committed past this many bytes is worth giving back when idle. */
export const NEW_SPACE_IDLE_BYTES = 4 * 2 ** 20;

/** What {@link shouldCollectWhenIdle} reads at each check. */
export interface IdleSample {
  /**
   * Checks in a row, this one included, with no young-generation collection (scavenge) since the previous one: 0
   * when the process allocated enough to fill its young generation since the last check.
   */
  readonly quietChecks: number;
  /** Bytes the new space has committed now. */
  readonly newSpaceBytes: number;
}

/**
 * Whether a process should run a full collection now: its young generation is committed well past its initial
 * size, and the process has been quiet for 1, 2, 4, 8… checks in a row. V8 shrinks the new space only when the
 * allocation rate of the last seconds was low, which a first try just after a burst may miss; trying again at
 * doubling intervals keeps an idle process's cost to a few collections however long it stays idle.
 */
export function shouldCollectWhenIdle(sample: IdleSample): boolean {
  const { quietChecks } = sample;
  return sample.newSpaceBytes > NEW_SPACE_IDLE_BYTES && quietChecks > 0 && (quietChecks & (quietChecks - 1)) === 0;
}

const newSpaceBytes = (): number => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;

/**
 * How long a process must have run no scavenge before {@link IdleCollector.collectOnceQuiet} collects, in ms: V8
 * shrinks the new space in a full collection only when the allocation rate it measures over its last 5 s is low
 * (a scratch loop: a collection 3 s after a burst kept 8 MiB committed, one 5.5 s after gave it back).
 */
export const QUIET_AFTER_START_MS = 6_000;

/** How many stretches of {@link QUIET_AFTER_START_MS} {@link IdleCollector.collectOnceQuiet} waits for one that is quiet. */
export const QUIET_TRIES = 5;

/** What {@link collectWhenIdle} returns. */
export interface IdleCollector {
  /**
   * One more check, `quietMs` from now, off the regular ones: a process that has just become ready (the index
   * host's build done, a worker listening) collects then if it ran no scavenge in the meantime and its new space is
   * grown, instead of waiting for two regular checks (10–20 s). Requests that arrive meanwhile cause scavenges and
   * put it off to the next stretch of `quietMs`, as does a collection after which V8 kept the new space (its
   * allocation rate still counts a build's promotions); {@link QUIET_TRIES} stretches at most. It never runs while
   * the process is busy.
   */
  collectOnceQuiet(quietMs?: number): void;
  /** Stops the checks. */
  stop(): void;
}

/**
 * Gives V8's young generation back once a serving process has gone quiet. V8 grows the new space (two semi-spaces,
 * up to 16 MiB each) while a process allocates fast — the index host's build, a worker's start and any load — and
 * shrinks it only in a full collection made while the allocation rate is low, which a quiet process seldom runs:
 * at rest the host kept its 32 MiB committed, and resident, in most runs, each worker 20–24 MiB. A full collection
 * once the process has allocated almost nothing for a few seconds is one V8 answers by shrinking the new space to
 * its initial size (1 MiB; test/runtime/idle-collect.test.ts). So: every
 * {@link IDLE_CHECK_MS}, a process that ran no scavenge since the previous check (it allocated less than its young
 * generation holds) and holds a grown new space runs one full collection, again after 2, 4, 8… quiet checks while
 * the new space stays grown ({@link shouldCollectWhenIdle}); and once when the process becomes ready
 * ({@link IdleCollector.collectOnceQuiet}). The collection pauses the process for tens of milliseconds, at a moment
 * nothing asked it anything for seconds. The timers do not keep the process alive.
 */
export function collectWhenIdle(checkMs: number = IDLE_CHECK_MS): IdleCollector {
  let scavenges = 0;
  let quietChecks = 0;
  let lastScavengeAt = performance.now();
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if ((entry as { detail?: { kind?: number } }).detail?.kind !== constants.NODE_PERFORMANCE_GC_MINOR) continue;
      scavenges++;
      lastScavengeAt = Math.max(lastScavengeAt, entry.startTime); // entries arrive later, in batches: their own time
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const timer = setInterval(() => {
    quietChecks = scavenges === 0 ? quietChecks + 1 : 0;
    scavenges = 0;
    if (shouldCollectWhenIdle({ quietChecks, newSpaceBytes: newSpaceBytes() })) fullCollection();
  }, checkMs);
  timer.unref();
  const once = new Set<NodeJS.Timeout>();
  return {
    collectOnceQuiet(quietMs = QUIET_AFTER_START_MS) {
      const arm = (tries: number) => {
        const since = performance.now();
        const check = setTimeout(() => {
          once.delete(check);
          if (lastScavengeAt <= since && newSpaceBytes() > NEW_SPACE_IDLE_BYTES) fullCollection();
          // busy meanwhile, or V8 kept the new space (its allocation rate still counts a recent build): try again
          if (newSpaceBytes() > NEW_SPACE_IDLE_BYTES && tries > 1) arm(tries - 1);
        }, quietMs);
        check.unref();
        once.add(check);
      };
      arm(QUIET_TRIES);
    },
    stop() {
      clearInterval(timer);
      for (const check of once) clearTimeout(check);
      observer.disconnect();
    },
  };
}
