import fc from 'fast-check';
import { cosine, DEFAULT_IDF_EXPONENT, idf, tf } from '../../../src/core/similarity/weighting.js';

describe('tf (sublinear: 1 + ln c)', () => {
  it.each([
    [1, 1],
    [2, 1 + Math.log(2)],
    [3, 1 + Math.log(3)],
    [10, 1 + Math.log(10)],
    [Math.E, 2],
  ])('when the count is %p, then tf is %p', (count, expected) => {
    expect(tf(count)).toBeCloseTo(expected, 12);
  });

  it('when the count is 0 or less, then tf is 0', () => {
    expect(tf(0)).toBe(0);
    expect(tf(-1)).toBe(0);
  });

  it('when a title word counts double (count 2), then tf grows by ln 2, not by 2', () => {
    expect(tf(2) - tf(1)).toBeCloseTo(Math.LN2, 12);
  });

  it('when counts grow, then tf grows too but never faster than the count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 1_000 }), (c, more) => {
        expect(tf(c + more)).toBeGreaterThan(tf(c));
        expect(tf(c)).toBeLessThanOrEqual(c);
        expect(tf(c)).toBeGreaterThanOrEqual(1);
      }),
    );
  });
});

describe('idf with exponent 1 (scikit-learn, smoothed: ln((1 + N) / (1 + df)) + 1)', () => {
  it.each([
    [10, 0, Math.log(11) + 1],
    [10, 1, Math.log(11 / 2) + 1],
    [10, 4, Math.log(11 / 5) + 1],
    [1000, 9, Math.log(1001 / 10) + 1],
    [0, 0, 1],
  ])('when N is %p and df is %p, then idf is %p', (n, df, expected) => {
    expect(idf(n, df, 1)).toBeCloseTo(expected, 12);
  });
});

describe('idf by default (damped: the square root of the smoothed idf)', () => {
  it.each([
    [10, 0, Math.sqrt(Math.log(11) + 1)],
    [10, 4, Math.sqrt(Math.log(11 / 5) + 1)],
    [1000, 9, Math.sqrt(Math.log(1001 / 10) + 1)],
    [0, 0, 1],
  ])('when N is %p and df is %p, then idf is %p', (n, df, expected) => {
    expect(DEFAULT_IDF_EXPONENT).toBe(0.5);
    expect(idf(n, df)).toBeCloseTo(expected, 12);
  });

  it('when a term is in every document, then its idf is exactly 1 (it still counts)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), (n) => {
        expect(idf(n, n)).toBe(1);
      }),
    );
  });

  it('when df grows, then idf falls, and a term unknown to the corpus (df 0) gets the largest idf', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, share) => {
        const df = Math.floor(share * (n - 1));
        expect(idf(n, df + 1)).toBeLessThan(idf(n, df));
        expect(idf(n, 0)).toBeGreaterThanOrEqual(idf(n, df));
        expect(idf(n, df)).toBeGreaterThanOrEqual(1);
      }),
    );
  });
});

describe('cosine', () => {
  it('when dot and norms are given, then it is dot / (normA × normB)', () => {
    expect(cosine(3, 2, 4)).toBeCloseTo(3 / 8, 12);
    expect(cosine(0, 2, 4)).toBe(0);
  });

  it('when either vector is empty (norm 0), then it is 0, never NaN', () => {
    expect(cosine(0, 0, 0)).toBe(0);
    expect(cosine(0, 0, 5)).toBe(0);
    expect(cosine(0, 5, 0)).toBe(0);
    expect(cosine(3, 0, 5)).toBe(0);
  });

  it('when rounding pushes the ratio just past 1, then it is clamped to 1', () => {
    expect(cosine(1 + 1e-12, 1, 1)).toBe(1);
  });

  it('when any dot product and norms of real vectors are given, then the result is a number in [0, 1]', () => {
    // Norms of non-empty vectors are at least 1 (tf ≥ 1, idf ≥ 1); Cauchy–Schwarz bounds the dot product.
    const norm = fc.oneof(fc.constant(0), fc.double({ min: 1, max: 1e6, noNaN: true }));
    fc.assert(
      fc.property(norm, norm, fc.double({ min: 0, max: 1, noNaN: true }), (a, b, share) => {
        const c = cosine(share * a * b, a, b);
        expect(Number.isNaN(c)).toBe(false);
        expect(c).toBeGreaterThanOrEqual(0);
        expect(c).toBeLessThanOrEqual(1);
        if (a === 0 || b === 0) expect(c).toBe(0);
        else expect(c).toBeCloseTo(share, 9);
      }),
    );
  });
});
