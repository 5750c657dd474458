import { constants, PerformanceObserver } from 'node:perf_hooks';
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
 * Gives V8's young generation back once a serving process has gone quiet. V8 grows the new space (two semi-spaces,
 * up to 16 MiB each) while a process allocates fast — the index host's build, a worker's start and any load — and
 * shrinks it only in a full collection made while the allocation rate is low, which a quiet process seldom runs:
 * at rest the host kept its 32 MiB committed, and resident, in most runs, each worker 20–24 MiB. A full collection
 * once the process has allocated almost nothing for a few seconds is one V8 answers by shrinking the new space to
 * its initial size (1 MiB; test/runtime/idle-collect.test.ts). So: every
 * {@link IDLE_CHECK_MS}, a process that ran no scavenge since the previous check (it allocated less than its young
 * generation holds) and holds a grown new space runs one full collection, again after 2, 4, 8… quiet checks while
 * the new space stays grown ({@link shouldCollectWhenIdle}). The collection pauses the process for tens of milliseconds, at a moment nothing asked it anything
 * for seconds. The timer does not keep the process alive. Returns a function that stops it.
 */
export function collectWhenIdle(checkMs: number = IDLE_CHECK_MS): () => void {
  let scavenges = 0;
  let quietChecks = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges++;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const timer = setInterval(() => {
    quietChecks = scavenges === 0 ? quietChecks + 1 : 0;
    scavenges = 0;
    if (shouldCollectWhenIdle({ quietChecks, newSpaceBytes: newSpaceBytes() })) fullCollection();
  }, checkMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    observer.disconnect();
  };
}
