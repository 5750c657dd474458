/**
 * Sorting a long list a part at a time: a bottom-up merge sort written as a generator that yields between parts, so
 * that its driver can let other work run in between (the index host orders an export's matches this way,
 * core/keyword/rank.ts).
 */

/** Items sorted at once before the merges (one part of work). */
const RUN = 1_024;
/** Items a merge writes before it yields. */
const MERGE_STEP = 4_096;

/**
 * `items` sorted by `cmp` (a total order: ties never compare 0 between distinct items, so stability does not
 * matter), in a new array; yields after every {@link RUN} items sorted and every {@link MERGE_STEP} items merged.
 * O(n log n) comparisons, as one sort; `items` is not changed.
 */
export function* sortInSteps(items: Int32Array, cmp: (a: number, b: number) => number): Generator<void, Int32Array> {
  const n = items.length;
  let from = Int32Array.from(items);
  for (let lo = 0; lo < n; lo += RUN) {
    from.subarray(lo, Math.min(n, lo + RUN)).sort(cmp);
    yield;
  }
  let to = new Int32Array(n);
  for (let width = RUN; width < n; width *= 2) {
    let written = 0;
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(n, lo + width);
      const hi = Math.min(n, lo + 2 * width);
      let i = lo;
      let j = mid;
      for (let k = lo; k < hi; k++) {
        to[k] = j >= hi || (i < mid && cmp(from[i]!, from[j]!) <= 0) ? from[i++]! : from[j++]!;
        if (++written % MERGE_STEP === 0) yield;
      }
    }
    [from, to] = [to, from];
  }
  return from;
}
