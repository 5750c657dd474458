import fc from 'fast-check';
import { foldText, tokenize } from '../../src/core/normalize.js';

describe('foldText', () => {
  it('when text has capitals and diacritics, then they are folded and punctuation is kept', () => {
    expect(foldText("Erdoğan's U.S.")).toBe("erdogan's u.s.");
  });

  it('when text has compatibility characters, then they are decomposed (NFKD)', () => {
    expect(foldText('ﬁnance ①')).toBe('finance 1');
  });

  it('when text is already folded, then folding it again changes nothing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (s) => {
        const once = foldText(s);
        expect(foldText(once)).toBe(once);
      }),
    );
  });
});

describe('tokenize', () => {
  it('when text has punctuation, then tokens are the runs of letters and digits', () => {
    expect(tokenize("Erdoğan's U.S. visit")).toEqual(['erdogan', 's', 'u', 's', 'visit']);
    expect(tokenize("Erdoğan's U.S. visit", 3)).toEqual(['erdogan', 's', 'u']);
    expect(tokenize('a b', 0)).toEqual([]);
  });

  it('when text holds digits, then they are tokens of their own or inside words', () => {
    expect(tokenize('COVID-19 cost €2.5bn in 2026')).toEqual(['covid', '19', 'cost', '2', '5bn', 'in', '2026']);
  });

  it('when text is in another script, then its letters are tokens too', () => {
    expect(tokenize('Москва, Ελλάδα; 東京')).toEqual(['москва', 'ελλαδα', '東京']);
  });

  it('when text has no letters or digits, then there are no tokens', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' -- !? … ')).toEqual([]);
  });

  it('when any text is tokenized, then every token is folded, non-empty and free of spaces and punctuation', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        for (const token of tokenize(s)) {
          expect(token.length).toBeGreaterThan(0);
          expect(token).toBe(foldText(token));
          expect(token).toMatch(/^[\p{L}\p{N}]+$/u);
        }
      }),
    );
  });
});
