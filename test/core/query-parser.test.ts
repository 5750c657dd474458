import { ValidationError } from '../../src/core/errors.js';
import { MAX_EXCLUSIONS, MAX_QUERY_WORDS, parseQuery } from '../../src/core/query-parser.js';
import type { QueryTerm } from '../../src/core/query-parser.js';

const word = (text: string, prefix = false): QueryTerm => ({ kind: 'word', text, prefix });
const phrase = (...words: string[]): QueryTerm => ({ kind: 'phrase', words });

describe('parseQuery', () => {
  describe('words and prefixes', () => {
    it('when words are typed, then they are folded like the index, in the order typed', () => {
      expect(parseQuery('Foreign Ministér  visit ').terms).toEqual([word('foreign'), word('minister'), word('visit')]);
    });

    it('when the query does not end with a space, then only the last word is a prefix', () => {
      expect(parseQuery('foreign minist')).toEqual({ terms: [word('foreign'), word('minist', true)], exclusions: [] });
    });

    it('when the query ends with a space, then no word is a prefix', () => {
      expect(parseQuery('foreign minist ').terms).toEqual([word('foreign'), word('minist')]);
    });

    it('when the query ends with a tab or newline, then no word is a prefix', () => {
      expect(parseQuery('oil\t').terms).toEqual([word('oil')]);
      expect(parseQuery('oil\n').terms).toEqual([word('oil')]);
    });

    it('when the query is empty or only punctuation, then there are no terms', () => {
      expect(parseQuery('')).toEqual({ terms: [], exclusions: [] });
      expect(parseQuery('   ')).toEqual({ terms: [], exclusions: [] });
      expect(parseQuery('-- ... !?')).toEqual({ terms: [], exclusions: [] });
    });
  });

  describe('phrases', () => {
    it('when words are quoted, then they form one phrase that is never a prefix', () => {
      expect(parseQuery('"Foreign Minister"')).toEqual({ terms: [phrase('foreign', 'minister')], exclusions: [] });
    });

    it('when a phrase sits between words, then the order typed is kept and only the last word is a prefix', () => {
      expect(parseQuery('oil "price cap" talks').terms).toEqual([word('oil'), phrase('price', 'cap'), word('talks', true)]);
    });

    it('when a quote is not closed, then the phrase runs to the end of the query', () => {
      expect(parseQuery('oil "price cap talks').terms).toEqual([word('oil'), phrase('price', 'cap', 'talks')]);
    });

    it('when a quoted phrase is empty, then it is ignored', () => {
      expect(parseQuery('oil "" gas').terms).toEqual([word('oil'), word('gas', true)]);
    });
  });

  describe('exclusions', () => {
    it('when a word starts with "-", then it is an exclusion, not a term', () => {
      expect(parseQuery('oil -gas')).toEqual({ terms: [word('oil')], exclusions: [word('gas')] });
    });

    it('when a quoted phrase starts with "-", then the phrase is an exclusion', () => {
      expect(parseQuery('oil -"natural gas"')).toEqual({ terms: [word('oil')], exclusions: [phrase('natural', 'gas')] });
    });

    it('when the last chunk is an exclusion, then the last positive word is not a prefix', () => {
      expect(parseQuery('oil -gas').terms).toEqual([word('oil')]);
    });

    it('when "-" stands alone or inside a word, then it excludes nothing', () => {
      expect(parseQuery('oil - gas')).toEqual({ terms: [word('oil'), word('gas', true)], exclusions: [] });
      expect(parseQuery('oil -')).toEqual({ terms: [word('oil')], exclusions: [] });
    });

    it(`when a query has ${MAX_EXCLUSIONS} exclusions, then all count; one more is refused on q`, () => {
      const excluded = Array.from({ length: MAX_EXCLUSIONS }, (_, i) => `-w${i}`).join(' ');
      expect(parseQuery(`oil ${excluded}`).exclusions).toHaveLength(MAX_EXCLUSIONS);
      expect(() => parseQuery(`oil ${excluded} -more`)).toThrow(ValidationError);
      expect(() => parseQuery(`oil ${excluded} -more`)).toThrow(/at most 10 exclusions/);
    });

    it(`when an excluded phrase has more than ${MAX_EXCLUSIONS} words, then the query is refused`, () => {
      const words = Array.from({ length: MAX_EXCLUSIONS + 1 }, (_, i) => `w${i}`).join(' ');
      expect(() => parseQuery(`oil -"${words}"`)).toThrow(/excluded phrase may hold at most/);
    });
  });

  describe('chunks that fold into several tokens (toTerms)', () => {
    it("when a word has a possessive, then the single-letter 's' is dropped", () => {
      expect(parseQuery("Japan's economy").terms).toEqual([word('japan'), word('economy', true)]);
    });

    it('when a word is hyphenated, then each part is a separate word', () => {
      expect(parseQuery('half-life ').terms).toEqual([word('half'), word('life')]);
    });

    it('when a hyphenated word is typed last, then only its last part is a prefix', () => {
      expect(parseQuery('half-li').terms).toEqual([word('half'), word('li', true)]);
    });

    it('when a chunk is made only of single letters (U.S.), then it is a phrase', () => {
      expect(parseQuery('U.S. trade').terms).toEqual([phrase('u', 's'), word('trade', true)]);
      expect(parseQuery('U.S.').terms).toEqual([phrase('u', 's')]);
    });

    it('when a chunk is one single letter, then it is a word', () => {
      expect(parseQuery('a ').terms).toEqual([word('a')]);
    });
  });

  describe(`the ${MAX_QUERY_WORDS}-word limit`, () => {
    const twelve = 'w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12';

    it(`when more than ${MAX_QUERY_WORDS} words are typed, then only the first ${MAX_QUERY_WORDS} count`, () => {
      const { terms } = parseQuery(twelve);
      expect(terms.map((t) => (t.kind === 'word' ? t.text : ''))).toEqual(
        ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8', 'w9', 'w10'],
      );
    });

    it('when words past the limit are being typed, then the last kept word is not a prefix', () => {
      expect(parseQuery(twelve).terms.at(-1)).toEqual(word('w10'));
    });

    it(`when exactly ${MAX_QUERY_WORDS} words are typed, then all count and the last is a prefix`, () => {
      expect(parseQuery('w1 w2 w3 w4 w5 w6 w7 w8 w9 w10').terms.at(-1)).toEqual(word('w10', true));
    });

    it('when words of a phrase are counted, then each word of the phrase counts', () => {
      const terms = parseQuery('w1 w2 w3 w4 w5 w6 w7 w8 "w9 w10" w11').terms;
      expect(terms.at(-1)).toEqual(phrase('w9', 'w10'));
      expect(terms).toHaveLength(9);
    });

    it('when exclusions come before the limit, then they do not count as words', () => {
      const parsed = parseQuery('-x w1 w2 w3 w4 w5 w6 w7 w8 w9 w10');
      expect(parsed.terms).toHaveLength(10);
      expect(parsed.exclusions).toEqual([word('x')]);
    });

    // Product bug: parseQuery stops reading at the first word past the limit, so a later exclusion is lost.
    it('when an exclusion comes after the word limit, then it is still an exclusion', () => {
      expect(parseQuery(`${twelve} -x`).exclusions).toEqual([word('x')]);
    });
  });

  describe('FTS5-looking syntax', () => {
    it('when the query holds FTS5 operators, then they are read as plain words', () => {
      expect(parseQuery('oil AND NOT gas OR coal ').terms).toEqual(
        ['oil', 'and', 'not', 'gas', 'or', 'coal'].map((t) => word(t)),
      );
    });

    it('when the query holds *, ^, column filters or parentheses, then only the letters remain', () => {
      expect(parseQuery('title:oil ^gas* (coal) ').terms).toEqual([word('title'), word('oil'), word('gas'), word('coal')]);
    });

    it('when the query holds NEAR(…), then the words are plain words', () => {
      expect(parseQuery('NEAR(oil gas, 5) ').terms).toEqual([word('near'), word('oil'), word('gas'), word('5')]);
    });
  });
});
