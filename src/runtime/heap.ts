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

let collector: (() => void) | undefined;

/**
 * A full, compacting collection now, after a one-off bulk job (building the in-memory indexes, loading the entity
 * names) whose garbage would otherwise stay resident until V8 next collects the old generation: at rest, with no
 * allocation to prompt it, that took tens of seconds, holding memory it did not need meanwhile. Never on a request's
 * path: it pauses the process for tens of milliseconds.
 */
export function collectAfterBulkWork(): void {
  if (!collector) {
    v8.setFlagsFromString('--expose-gc');
    collector = vm.runInNewContext('gc') as () => void;
  }
  collector();
}
