import fc from 'fast-check';
import { boundedDamerau } from '../../src/core/edit-distance.js';

describe('boundedDamerau', () => {
  it('when two letters are swapped, then the distance is 1', () => {
    expect(boundedDamerau('prices', 'prcies', 2)).toBe(1);
  });

  it('when the distance exceeds the bound, then it answers bound + 1', () => {
    expect(boundedDamerau('kitten', 'sitting', 1)).toBe(2);
    expect(boundedDamerau('kitten', 'sitting', 3)).toBe(3);
  });

  it('is symmetric and zero only for equal strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const d = boundedDamerau(a, b, 4);
        expect(boundedDamerau(b, a, 4)).toBe(d);
        expect(d === 0).toBe(a === b);
      }),
    );
  });
});
