import fc from 'fast-check';
import { sortInSteps } from '../../src/core/keyword/sort-in-steps.js';

/** The sorted array a walk returns, and how many times it yielded on the way. */
function run(items: Int32Array, cmp: (a: number, b: number) => number): { sorted: number[]; yields: number } {
  const steps = sortInSteps(items, cmp);
  let yields = 0;
  for (;;) {
    const step = steps.next();
    if (step.done) return { sorted: Array.from(step.value), yields };
    yields++;
  }
}

describe('sortInSteps (a sort in parts, for the index host)', () => {
  it('when any list is sorted in steps, then it is the one sort gives, and the input is left as it was', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 3_000 }), (values) => {
        const items = Int32Array.from(values);
        const byValue = (a: number, b: number) => a - b;
        expect(run(items, byValue).sorted).toEqual([...values].sort(byValue));
        expect(Array.from(items)).toEqual(values);
      }),
      { numRuns: 60 },
    );
  });

  it.each([0, 1, 1_023, 1_024, 1_025, 2_048, 5_000, 20_000])('when %i items are sorted by a total order, then the result is exact and the work comes in parts', (n) => {
    // a total order on distinct documents, as the ranker's (ties broken by id): here by a hash, then the number
    const key = (d: number) => Math.imul(d, 2_654_435_761) >>> 20;
    const cmp = (a: number, b: number) => key(a) - key(b) || a - b;
    const items = Int32Array.from({ length: n }, (_, i) => n - i);
    const { sorted, yields } = run(items, cmp);
    expect(sorted).toEqual(Array.from(items).sort(cmp));
    // a part per 1,024 items sorted, and per 4,096 merged in each pass
    expect(yields).toBeGreaterThanOrEqual(Math.ceil(n / 1_024));
  });
});
