import { jlh, MIN_SIGNIFICANT_COUNT, significantValues } from '../../../src/core/trends/significance.js';

describe('significant values (JLH)', () => {
  it('when a value is as frequent in the sample as in the corpus, then it scores 0', () => {
    expect(jlh(90, 100, 9_000, 10_000)).toBe(0);
    expect(jlh(50, 100, 9_000, 10_000)).toBe(0); // rarer in the sample
  });

  it('when a value is more frequent in the sample, then JLH is (p − q) · p / q', () => {
    expect(jlh(80, 100, 200, 10_000)).toBeCloseTo((0.8 - 0.02) * (0.8 / 0.02), 10);
  });

  it('when values are ranked, then a topical word beats a word every article holds and rare values need the minimum count', () => {
    const counts = new Map([['said', 95], ['coffee', 90], ['quota', 30], ['once', MIN_SIGNIFICANT_COUNT - 1]]);
    const background = new Map([['said', 9_500], ['coffee', 150], ['quota', 400], ['once', 2]]);
    const ranked = significantValues({ counts, background: (v) => background.get(v) ?? 0, sampled: 100, corpus: 10_000, limit: 10 });
    expect(ranked.map((v) => v.value)).toEqual(['coffee', 'quota']);
    expect(ranked[0]).toEqual({ value: 'coffee', score: expect.any(Number), count: 90, background: 150 });
  });

  it('when scores tie, then more matches and then the value decide, whatever the input order', () => {
    const run = (entries: [string, number][]) =>
      significantValues({ counts: new Map(entries), background: () => 10, sampled: 10, corpus: 100, limit: 3 }).map((v) => v.value);
    const entries: [string, number][] = [['b', 5], ['a', 5], ['c', 5], ['d', 4]];
    expect(run(entries)).toEqual(['a', 'b', 'c']);
    expect(run([...entries].reverse())).toEqual(['a', 'b', 'c']);
  });

  it('when the background says fewer articles than the sample holds, then the sample count is used (it is part of the corpus)', () => {
    const [v] = significantValues({ counts: new Map([['x', 5]]), background: () => 0, sampled: 10, corpus: 100, limit: 1 });
    expect(v).toMatchObject({ value: 'x', count: 5, background: 5 });
  });
});
