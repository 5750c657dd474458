/**
 * Choosing the first documents of a words bucket (core/keyword/rank.ts) without ordering the whole bucket.
 */

/**
 * The order of a bucket: `cmp` compares two documents; `settledBehind(a, b)` is true only when `cmp(a, b) >= 0` is
 * known without computing a's proximity (b is ahead on typos or `about`, or has proximity 0 and a is not ahead
 * after it). Only a shortcut: false says nothing.
 */
export interface BucketOrder {
  readonly cmp: (a: number, b: number) => number;
  readonly settledBehind: (a: number, b: number) => boolean;
}

/** The `wanted` first of `bucket` by `order`, in order: a whole sort when the bucket is small, else {@link topK}. */
export function bestOf(bucket: Int32Array, wanted: number, order: BucketOrder): number[] {
  if (bucket.length <= Math.max(64, wanted * 4)) return Array.from(bucket).sort(order.cmp).slice(0, wanted);
  return topK(bucket, wanted, order);
}

/**
 * The `k` smallest of `items` by `order`, in order (a bounded max-heap, O(n log k)). Once the heap is full, an item
 * is checked against its worst with {@link BucketOrder.settledBehind} first: most of a broad bucket is turned away
 * there, before its proximity is computed.
 */
function topK(items: Int32Array, k: number, order: BucketOrder): number[] {
  const { cmp, settledBehind } = order;
  const heap: number[] = [];
  const up = (i: number) => {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (cmp(heap[i]!, heap[parent]!) <= 0) return;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const down = (i: number) => {
    for (;;) {
      let worst = i;
      const left = 2 * i + 1;
      if (left < heap.length && cmp(heap[left]!, heap[worst]!) > 0) worst = left;
      if (left + 1 < heap.length && cmp(heap[left + 1]!, heap[worst]!) > 0) worst = left + 1;
      if (worst === i) return;
      [heap[i], heap[worst]] = [heap[worst]!, heap[i]!];
      i = worst;
    }
  };
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (heap.length < k) {
      heap.push(item);
      up(heap.length - 1);
    } else if (!settledBehind(item, heap[0]!) && cmp(item, heap[0]!) < 0) {
      heap[0] = item;
      down(0);
    }
  }
  return heap.sort(cmp);
}
