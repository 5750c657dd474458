import fc from 'fast-check';
import { bestOf } from '../../src/core/keyword/bucket-order.js';
import type { BucketOrder } from '../../src/core/keyword/bucket-order.js';

/** Documents 0..n-1 with a head rule, a proximity (counted when read) and a tail rule, ties by number, as rank.ts. */
function orderOf(head: readonly number[], proximity: readonly number[], tail: readonly number[]): { order: BucketOrder; read: Set<number> } {
  const read = new Set<number>();
  const near = (d: number) => {
    read.add(d);
    return proximity[d]!;
  };
  const after = (a: number, b: number) => tail[a]! - tail[b]! || a - b;
  return {
    read,
    order: {
      cmp: (a, b) => head[a]! - head[b]! || near(a) - near(b) || after(a, b),
      settledBehind: (a, b) => {
        const before = head[a]! - head[b]!;
        if (before) return before > 0;
        return near(b) === 0 && after(a, b) >= 0;
      },
    },
  };
}

describe('bestOf', () => {
  it('when a bucket is ordered with the shortcut, then its first documents are those of a whole sort', () => {
    const rule = (n: number, max: number) => fc.array(fc.integer({ min: 0, max }), { minLength: n, maxLength: n });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }).chain((n) => fc.tuple(rule(n, 2), rule(n, 2), rule(n, 50), fc.integer({ min: 1, max: 30 }))),
        ([head, proximity, tail, wanted]) => {
          const docs = Int32Array.from(head.keys());
          const { order } = orderOf(head, proximity, tail);
          expect(bestOf(docs, wanted, order)).toEqual([...docs].sort(order.cmp).slice(0, wanted));
        },
      ),
    );
  });

  it('when the page is full of documents of proximity 0, then the proximity of most others is never read', () => {
    const n = 2_000;
    const head = new Array<number>(n).fill(0);
    const proximity = Array.from({ length: n }, (_, d) => (d % 2 === 0 ? 0 : 1));
    const tail = Array.from({ length: n }, (_, d) => d); // the earlier, the better
    const { order, read } = orderOf(head, proximity, tail);
    const best = bestOf(Int32Array.from(head.keys()), 20, order);
    expect(best).toEqual(Array.from({ length: 20 }, (_, i) => 2 * i));
    expect(read.size).toBeLessThan(100);
  });
});
