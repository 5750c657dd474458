import { parseQuery } from '../../src/core/query-parser.js';
import type { QueryWord } from '../../src/core/query-parser.js';
import { correctionAmong, spellingSuggestion } from '../../src/core/spelling-suggestion.js';

const word = (text: string, prefix = false): QueryWord => ({ kind: 'word', text, prefix });

describe('spellingSuggestion', () => {
  it('when a word was matched through a variant, then the query is spelled with it, phrases quoted and exclusions kept', () => {
    const query = parseQuery('Blunket "Home Office" electon -labour -"red box"');
    expect(spellingSuggestion(query, ['blunkett', undefined, 'election'])).toBe('blunkett "home office" election -labour -"red box"');
  });

  it('when no word was corrected (or a correction equals the word), then there is no suggestion', () => {
    expect(spellingSuggestion(parseQuery('blunkett election'), [undefined, undefined])).toBeUndefined();
    expect(spellingSuggestion(parseQuery('blunkett election'), ['blunkett'])).toBeUndefined();
    expect(spellingSuggestion(parseQuery(''), [])).toBeUndefined();
  });
});

describe('correctionAmong', () => {
  it('when the word itself is among the words seen, then it is not corrected', () => {
    expect(correctionAmong(word('election'), ['blunkett', 'election'])).toBeUndefined();
    expect(correctionAmong(word('elec', true), ['election'])).toBeUndefined();
  });

  it('when a word within the typo budget was seen, then it is the correction, the fewest typos first', () => {
    expect(correctionAmong(word('blunket'), ['blunkett', 'sheffield'])).toBe('blunkett');
    expect(correctionAmong(word('electon', true), ['elections'])).toBe('elections');
    expect(correctionAmong(word('tornamant'), ['tournament', 'tornament'])).toBe('tornament');
  });

  it('when ties in typos, then the word seen most often, then the first alphabetically', () => {
    expect(correctionAmong(word('prcies'), ['prices', 'prices', 'pricey'])).toBe('prices');
    expect(correctionAmong(word('bxnks'), ['banks', 'bonks'])).toBe('banks');
  });

  it('when nothing seen is within the budget (short words, digits, first letter), then there is no correction', () => {
    expect(correctionAmong(word('vite'), ['vote'])).toBeUndefined();
    expect(correctionAmong(word('model4'), ['model3'])).toBeUndefined();
    expect(correctionAmong(word('brices'), ['prices'])).toBeUndefined();
  });
});
