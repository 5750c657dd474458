import fc from 'fast-check';
import { TypoIndex, pairBudget, typoBudget, typoCost } from '../../src/core/typo-index.js';

const indexOf = (entries: Record<string, number>): TypoIndex => {
  const index = new TypoIndex();
  for (const [term, docs] of Object.entries(entries)) index.add(term, docs);
  return index;
};

describe('typoBudget', () => {
  it.each([
    ['oil', 0],
    ['gas', 0],
    ['word', 0],
    ['price', 1],
    ['minister', 1],
    ['ministers', 2],
    ['parliamentary', 2],
  ])('when the word is %p, then the budget is %p', (word, budget) => {
    expect(typoBudget(word)).toBe(budget);
  });

  it('when the word holds a digit, then the budget is 0 whatever its length', () => {
    expect(typoBudget('covid19')).toBe(0);
    expect(typoBudget('2026')).toBe(0);
    expect(typoBudget('abcdefghij1')).toBe(0);
  });

  it('when the word has non-ASCII letters, then its length counts characters, not UTF-16 units', () => {
    expect(typoBudget('𝒶𝒷𝒸𝒹')).toBe(0);
    expect(typoBudget('𝒶𝒷𝒸𝒹𝑒')).toBe(1);
  });
});

describe('pairBudget', () => {
  it('when the word is 4 letters and the term 5, then one typo (a lost letter) is allowed', () => {
    expect(pairBudget('brwn', 'brown')).toBe(1);
    expect(pairBudget('gams', 'games')).toBe(1);
  });

  it('when the word is 4 letters and the term is not 5, then no typo is allowed', () => {
    expect(pairBudget('brwn', 'brow')).toBe(0);
    expect(pairBudget('brwn', 'browns')).toBe(0);
  });

  it('when the 4-letter word holds a digit, then no typo is allowed', () => {
    expect(pairBudget('g7th', 'g7the')).toBe(0);
  });

  it('when the word is shorter than 4 letters, then no typo is allowed', () => {
    expect(pairBudget('oil', 'soil')).toBe(0);
  });

  it('when the word is 5 letters or more, then the budget is the word budget', () => {
    expect(pairBudget('price', 'prize')).toBe(1);
    expect(pairBudget('ministers', 'minister')).toBe(2);
  });
});

describe('typoCost', () => {
  it('when two adjacent letters are swapped, then the cost is 1', () => {
    expect(typoCost('prcies', 'prices', 2)).toBe(1);
  });

  it('when one letter is inserted, deleted or replaced after the first, then the cost is 1', () => {
    expect(typoCost('pices', 'prices', 2)).toBe(1);
    expect(typoCost('priices', 'prices', 2)).toBe(1);
    expect(typoCost('prides', 'prices', 2)).toBe(1);
  });

  it('when the first letters differ, then the cost counts one more', () => {
    expect(typoCost('brown', 'crown', 2)).toBe(2);
    expect(typoCost('rpices', 'prices', 2)).toBe(2);
  });

  it('when the first letters differ and the budget is 1, then the cost is beyond it', () => {
    expect(typoCost('brown', 'crown', 1)).toBe(2);
    expect(typoCost('brown', 'crown', 0)).toBe(1);
  });

  it('when the distance exceeds max, then the cost is max + 1', () => {
    expect(typoCost('kitten', 'kitchen', 1)).toBe(2);
    expect(typoCost('parliament', 'pavement', 2)).toBe(3);
  });

  it('when the word equals the term, then the cost is 0', () => {
    expect(typoCost('prices', 'prices', 0)).toBe(0);
  });
});

describe('TypoIndex', () => {
  it('when terms are added, then size and has reflect them, and re-adding a term only updates it', () => {
    const index = indexOf({ brown: 1, prices: 3 });
    index.add('brown', 7);
    expect(index.size).toBe(2);
    expect(index.has('brown')).toBe(true);
    expect(index.has('brow')).toBe(false);
    expect(index.lookup('browm')).toEqual([{ term: 'brown', docs: 7, typos: 1 }]);
  });

  it('when the word is in the vocabulary, then lookup never returns the word itself', () => {
    expect(indexOf({ prices: 3, prides: 1 }).lookup('prices').map((m) => m.term)).toEqual(['prides']);
  });

  it('when the word has a swapped pair, then the term is found at 1 typo', () => {
    expect(indexOf({ prices: 3 }).lookup('prcies')).toEqual([{ term: 'prices', docs: 3, typos: 1 }]);
  });

  it('when a 4-letter word lost a letter of a 5-letter term, then the term is found', () => {
    expect(indexOf({ brown: 2, games: 1 }).lookup('brwn')).toEqual([{ term: 'brown', docs: 2, typos: 1 }]);
    expect(indexOf({ brown: 2, games: 1 }).lookup('gams')).toEqual([{ term: 'games', docs: 1, typos: 1 }]);
  });

  it('when a 4-letter word is one replacement from a 4-letter term, then nothing is found', () => {
    expect(indexOf({ bean: 2 }).lookup('bear')).toEqual([]);
  });

  it('when the word is shorter than 4 letters, then nothing is found', () => {
    expect(indexOf({ oils: 5, soil: 5 }).lookup('oil')).toEqual([]);
  });

  it('when only the first letter differs, then a 5-to-8-letter word does not reach the term', () => {
    expect(indexOf({ crown: 4 }).lookup('brown')).toEqual([]);
  });

  it('when only the first letter differs, then a 9-letter word reaches the term at 2 typos', () => {
    expect(indexOf({ parliament: 4 }).lookup('barliament')).toEqual([{ term: 'parliament', docs: 4, typos: 2 }]);
  });

  it('when the word holds a digit, then no typo variant is returned', () => {
    expect(indexOf({ covid: 4, covids: 1 }).lookup('covid1')).toEqual([]);
  });

  it('when a term holds a digit, then it is never a typo variant', () => {
    expect(indexOf({ 'covid1': 4 }).lookup('covid')).toEqual([]);
  });

  it('when a term is in no document, then it is not returned', () => {
    expect(indexOf({ prices: 0, pricey: 1 }).lookup('pricex').map((m) => m.term)).toEqual(['pricey']);
  });

  it('when several terms match, then fewest typos come first, then most documents, then alphabetical', () => {
    const index = indexOf({ ministers: 1, minsters: 9, monster: 50, ministor: 2, ministar: 2, minister: 5 });
    expect(index.lookup('ministerr').map((m) => [m.term, m.typos, m.docs])).toEqual([
      ['minister', 1, 5],
      ['ministers', 1, 1],
      ['minsters', 2, 9],
      ['ministar', 2, 2],
      ['ministor', 2, 2],
    ]);
  });

  it('when a limit is given, then at most that many of the best matches are returned', () => {
    const index = indexOf({ minister: 5, ministers: 1, ministar: 2 });
    expect(index.lookup('ministerr', { limit: 2 }).map((m) => m.term)).toEqual(['minister', 'ministers']);
  });

  it('when maxTypos is given, then it overrides the word budget, up to 2', () => {
    const index = indexOf({ prices: 3, prizes: 1 });
    expect(index.lookup('pricez', { maxTypos: 0 })).toEqual([]);
    expect(index.lookup('pricez', { maxTypos: 2 }).map((m) => m.term)).toEqual(['prices', 'prizes']);
    expect(index.lookup('pxxxes', { maxTypos: 5 })).toEqual([]);
  });

  it('when a term differs past its first 7 letters, then it is still found', () => {
    expect(indexOf({ international: 3 }).lookup('internationl')).toEqual([{ term: 'international', docs: 3, typos: 1 }]);
    expect(indexOf({ international: 3 }).lookup('internatoinal')).toEqual([{ term: 'international', docs: 3, typos: 1 }]);
  });

  describe('properties', () => {
    const letter = fc.constantFrom(...'abcdefgh');
    const term = fc.string({ unit: letter, minLength: 1, maxLength: 14 });

    it('when any vocabulary is searched, then every result is within the pair budget and costs what typoCost says', () => {
      fc.assert(
        fc.property(fc.uniqueArray(term, { maxLength: 40 }), term, (vocabulary, word) => {
          const index = new TypoIndex();
          vocabulary.forEach((t, i) => index.add(t, (i % 4) + 1));
          for (const match of index.lookup(word)) {
            const budget = pairBudget(word, match.term);
            expect(match.term).not.toBe(word);
            expect(match.typos).toBeGreaterThan(0);
            expect(match.typos).toBeLessThanOrEqual(budget);
            expect(typoCost(word, match.term, budget)).toBe(match.typos);
          }
        }),
      );
    });

    it('when any vocabulary is searched, then lookup finds exactly the terms a brute-force scan finds', () => {
      fc.assert(
        fc.property(fc.uniqueArray(term, { maxLength: 40 }), term, (vocabulary, word) => {
          const index = new TypoIndex();
          vocabulary.forEach((t) => index.add(t, 1));
          const expected = vocabulary.filter(
            (t) => t !== word && t.length >= 4 && typoCost(word, t, pairBudget(word, t)) <= pairBudget(word, t),
          );
          expect(index.lookup(word).map((m) => m.term).sort()).toEqual(expected.sort());
        }),
      );
    });

    const sixLetters = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: 6, maxLength: 6 });
    /** One edit of `w` that keeps its first letter: delete, insert, replace or swap at position ≥ 1. */
    const oneEdit = (w: string) =>
      fc
        .tuple(fc.integer({ min: 1, max: w.length - 1 }), fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), fc.nat(3))
        .map(([i, c, kind]) => {
          if (kind === 0) return w.slice(0, i) + w.slice(i + 1);
          if (kind === 1) return w.slice(0, i) + c + w.slice(i);
          if (kind === 2) return w.slice(0, i) + c + w.slice(i + 1);
          return i + 1 < w.length ? w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2) : w.slice(0, i) + c + w.slice(i);
        });

    it('when a term is one typo from a 6-letter word (first letter kept), then lookup always finds it', () => {
      fc.assert(
        fc.property(
          sixLetters.chain((w) => fc.tuple(fc.constant(w), oneEdit(w))),
          fc.uniqueArray(sixLetters, { maxLength: 20 }),
          ([word, variant], others) => {
            fc.pre(variant !== word);
            const index = new TypoIndex();
            for (const other of others) index.add(other, 1);
            index.add(variant, 1);
            expect(index.lookup(word)).toContainEqual(expect.objectContaining({ term: variant, typos: 1 }));
          },
        ),
      );
    });
  });
});
