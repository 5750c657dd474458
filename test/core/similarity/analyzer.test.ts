import fc from 'fast-check';
import { DEFAULT_TITLE_WEIGHT, MAX_TERM_CHARS, TermCounter, analyze, analyzeWords, termCounts, textPieces } from '../../../src/core/similarity/analyzer.js';

describe('analyzeWords', () => {
  it(`when a token is longer than ${MAX_TERM_CHARS} characters, then it is skipped before stemming (the stemmer is quadratic)`, () => {
    const kept = 'x'.repeat(MAX_TERM_CHARS);
    expect(analyze(`oil ${'x'.repeat(100_000)} ${'7'.repeat(50_000)} ${kept} prices`)).toEqual(['oil', kept, 'price']);
  });

  it('when a name has diacritics, then it is folded (Erdoğan → erdogan)', () => {
    expect(analyzeWords('Erdoğan')).toEqual([['erdogan', 'erdogan']]);
    expect(analyze('Çelik Müller Škoda')).toEqual(analyze('celik muller skoda'));
  });

  it('when text is in compatibility forms (ligatures, full width), then NFKC makes them plain letters', () => {
    expect(analyzeWords('ﬁnance Ｆｕｌｌ')).toEqual([
      ['financ', 'finance'],
      ['full', 'full'],
    ]);
  });

  it('when initials are dotted (U.S., U.K., E.U.), then they join into one token', () => {
    expect(analyze('U.S. and U.K. sign E.U. deal')).toEqual(['us', 'uk', 'sign', 'eu', 'deal']);
  });

  it('when "us" comes from U.S. or US, then it is kept although it looks like a stop word', () => {
    expect(analyze('U.S.')).toEqual(['us']);
    expect(analyze('US')).toEqual(['us']);
  });

  it("when a word has a possessive 's (straight or curly), then the 's is dropped", () => {
    expect(analyzeWords("Russia's")).toEqual([['russia', 'russia']]);
    expect(analyzeWords('Russia’s')).toEqual([['russia', 'russia']]);
    expect(analyze("Erdoğan's U.S. visit")).toEqual(['erdogan', 'us', 'visit']);
  });

  it('when text holds stop words, newswire function words and titles (said, would, mr), then they go', () => {
    expect(analyze('The minister said that it would be the end, Mr Smith says')).toEqual(['minist', 'end', 'smith']);
  });

  it('when a token is a single letter or digit, then it goes', () => {
    expect(analyze('a b x 7 Q')).toEqual([]);
  });

  it('when a token is a number of two or more characters, then it stays', () => {
    expect(analyze('In 2026 the quota rose 42 percent to 15')).toEqual(['2026', 'quota', 'rose', '42', 'percent', '15']);
    expect(analyze('covid19')).toEqual(['covid19']);
  });

  it('when words share a Porter stem, then they give the same term and keep their own word', () => {
    expect(analyzeWords('running runs connection connected ministers')).toEqual([
      ['run', 'running'],
      ['run', 'runs'],
      ['connect', 'connection'],
      ['connect', 'connected'],
      ['minist', 'ministers'],
    ]);
  });

  it('when text is empty or holds only punctuation, then there are no terms', () => {
    expect(analyze('')).toEqual([]);
    expect(analyze(' ,.;!? — … ')).toEqual([]);
  });

  it('when the same text is analysed twice, then the result is the same (the stem cache changes nothing)', () => {
    const text = 'Ministers debated the harbour budget; ministers voted.';
    expect(analyzeWords(text)).toEqual(analyzeWords(text));
  });

  describe('properties', () => {
    const piece = fc.oneof(
      fc.constantFrom('U.S.', "Russia's", 'Erdoğan', 'the', 'a', '2026', '7', 'ministers', 'said', 'oil', 'us', 'É', 'ﬁ'),
      fc.string({ maxLength: 8 }),
    );

    it('when any text is analysed, then every word is folded, of letters or digits, 2+ characters and no stop word', () => {
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 10 }), (pieces) => {
          for (const [stem, word] of analyzeWords(pieces.join(' '))) {
            expect(word).toMatch(/^[\p{L}\p{N}]{2,}$/u);
            expect(word).toBe(word.toLowerCase());
            expect(word.normalize('NFD')).toBe(word.normalize('NFD').replace(/\p{M}/gu, ''));
            expect(['the', 'said', 'would', 'it', 'mr']).not.toContain(word);
            expect(stem.length).toBeGreaterThan(0);
          }
        }),
      );
    });

    it('when texts are joined by a space, then the terms are the terms of each, in order', () => {
      const word = fc.constantFrom('U.S.', "Russia's", 'Erdoğan', 'the', 'a', '2026', '7', 'ministers', 'running', 'oil', 'us');
      fc.assert(
        fc.property(fc.array(word, { maxLength: 12 }), (words) => {
          expect(analyze(words.join(' '))).toEqual(words.flatMap((w) => analyze(w)));
        }),
      );
    });

    it('when analyze is called, then it gives the stems of analyzeWords', () => {
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 10 }), (pieces) => {
          const text = pieces.join(' ');
          expect(analyze(text)).toEqual(analyzeWords(text).map(([s]) => s));
        }),
      );
    });
  });
});

describe('termCounts', () => {
  it('when a term is in the title, then each title occurrence counts the title weight (2 by default)', () => {
    expect(DEFAULT_TITLE_WEIGHT).toBe(2);
    const counts = termCounts('Oil prices', 'Oil prices rose. Oil!');
    expect(counts.get('oil')?.count).toBe(2 + 2);
    expect(counts.get('price')?.count).toBe(2 + 1);
    expect(counts.get('rose')?.count).toBe(1);
  });

  it('when a title weight is given, then title occurrences count that much', () => {
    expect(termCounts('Oil', 'oil', 3).get('oil')?.count).toBe(4);
    expect(termCounts('Oil', 'oil', 1).get('oil')?.count).toBe(2);
  });

  it('when a term is seen as several words, then the first-seen word is kept for display', () => {
    expect(termCounts('', 'Ministers met; the minister left').get('minist')).toEqual({ count: 2, word: 'ministers' });
    expect(termCounts('Minister resigns', 'Ministers met').get('minist')).toEqual({ count: 3, word: 'minister' });
  });

  it('when terms are counted, then keys come in first-seen order, title first', () => {
    expect([...termCounts('Harbour budget', 'Ferries and the harbour wall').keys()]).toEqual(['harbour', 'budget', 'ferri', 'wall']);
  });

  it('when title and body are empty or hold only stop words, then there are no counts', () => {
    expect(termCounts('', '').size).toBe(0);
    expect(termCounts('The', 'and it was said').size).toBe(0);
  });

  it('when any title and body are counted, then the counts add up to 2 × title terms + body terms', () => {
    const text = fc.array(fc.constantFrom('oil', 'prices', 'the', 'U.S.', 'ferry', 'ferries', 'harbour', '2026'), { maxLength: 8 });
    fc.assert(
      fc.property(text, text, (title, body) => {
        const counts = termCounts(title.join(' '), body.join(' '));
        const total = [...counts.values()].reduce((s, c) => s + c.count, 0);
        expect(total).toBe(2 * analyze(title.join(' ')).length + analyze(body.join(' ')).length);
      }),
    );
  });
});

describe('textPieces', () => {
  it('when a text is cut, then each cut follows whitespace, no piece is shorter than asked but the last, and the pieces make the text', () => {
    const text = 'Oil prices rose sharply\non Monday as\tOPEC met';
    const pieces = textPieces(text, 10);
    expect(pieces.join('')).toBe(text);
    expect(pieces.slice(0, -1).every((p) => p.length >= 10 && /\s$/u.test(p))).toBe(true);
    expect(pieces).toEqual(['Oil prices ', 'rose sharply\n', 'on Monday ', 'as\tOPEC met']);
  });

  it('when a run has no whitespace, then it is never cut', () => {
    const word = 'x'.repeat(50);
    expect(textPieces(`ab ${word} cd`, 5)).toEqual([`ab ${word} `, 'cd']);
    expect(textPieces(word, 5)).toEqual([word]);
    expect(textPieces('', 5)).toEqual(['']);
  });

  it('for any text and piece size, counting the pieces one by one gives the counts and first words of the whole', () => {
    const alphabet = fc.constantFrom(
      'U.S.', 'u.k.', "Russia's", 'Reagan’s', 'Erdoğan', 'ΟΔΟΣ', 'σ', 'ﬁnance', 'Ｆｕｌｌ', 'é', '\u0301', '\u00A8', '¼', '⑴',
      ' ', '  ', '\n', '\t', '\u00A0', '\u3000', '\u2028', '.', "'", '’', '-', 'oil', 'prices', '1987', 'a', 'x'.repeat(70),
    );
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }), fc.integer({ min: 1, max: 12 }), (parts, size) => {
        const text = parts.join('');
        const counter = new TermCounter();
        for (const piece of textPieces(text, size)) counter.add(piece, 1);
        expect([...counter.counts]).toEqual([...termCounts('', text)]);
      }),
      { numRuns: 2_000 },
    );
  });
});
