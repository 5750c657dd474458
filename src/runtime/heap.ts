import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * How far V8 lets a serving process's old generation grow past what the last full collection kept, in percent.
 * V8's own factor reaches 4× when collections are cheap: under a steady load a worker let its old generation grow
 * to several times its live heap before collecting (`--trace-gc`), and the whole service held far more memory after
 * a minute of load than at rest. At 30% the same load ends lower with the same latencies (figures: docs/BENCHMARKS.md,
 * "Live state"): the garbage of a request never lives long, so collecting it sooner costs little.
 */
export const HEAP_GROWING_PERCENT = 30;

/** Applies {@link HEAP_GROWING_PERCENT} to this process (V8 reads the flag at each collection). */
export function boundHeapGrowth(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

/**
 * Largest semi-space of an HTTP worker's young generation, in MiB (V8's default reaches 16: a young generation of
 * 32 MiB). A worker builds nothing; what it allocates lives for one request, so a smaller young generation is
 * collected more often, in pauses as short, and under load each worker held up to 32 MiB of it. Set with
 * {@link WORKER_EXEC_ARGV} when the supervisor forks a worker (V8 reads it once, when the heap is set up).
 */
export const WORKER_SEMI_SPACE_MIB = 4;

/** The V8 flags the supervisor adds to every HTTP worker's command line (after the primary's own). */
export const WORKER_EXEC_ARGV: readonly string[] = [`--max-semi-space-size=${WORKER_SEMI_SPACE_MIB}`];

let collector: (() => void) | undefined;

/**
 * A full, compacting collection now, after a one-off bulk job (building the in-memory indexes, loading the entity
 * names) whose garbage would otherwise stay resident until V8 next collects the old generation: at rest, with no
 * allocation to prompt it, that took tens of seconds, holding memory it did not need meanwhile. Never on a request's
 * path: it pauses the process for tens of milliseconds.
 */
export function collectAfterBulkWork(): void {
  fullCollection();
}

/** One full, compacting collection of this process's heap now (V8's `gc()`, exposed once). */
export function fullCollection(): void {
  if (!collector) {
    v8.setFlagsFromString('--expose-gc');
    collector = vm.runInNewContext('gc') as () => void;
  }
  collector();
}
