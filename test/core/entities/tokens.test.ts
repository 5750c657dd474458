import { tokenizeForEntities } from '../../../src/core/entities/tokens.js';

/** The entity extractor's tokens (core/entities/tokens.ts): case, possessives and breaks read per word. */
const words = (text: string, isKnown?: (w: string) => boolean) =>
  tokenizeForEntities(text, isKnown)
    .filter((t) => !t.isBreak)
    .map((t) => `${t.text}${t.capital ? '^' : ''}${t.possessive ? "'" : ''}${t.sentenceStart ? '|' : ''}`);

describe('tokenizeForEntities', () => {
  it("when words carry a possessive 's or ’s, or a plural possessive before a quote, then the word is bare and marked", () => {
    expect(words("Halvorsen's plan and O’Brien’s view met Semiconductors' rivals, as the boss's aide said")).toEqual([
      "Halvorsen^'|", 'plan', 'and', "O’Brien^'", 'view', 'met', "Semiconductors^'", 'rivals', 'as', 'the', "boss'", 'aide', 'said',
    ]);
  });

  it('when a word starts with a letter outside ASCII (one beyond the BMP too), a digit or punctuation, then its case and kind are read as Unicode says', () => {
    const tokens = tokenizeForEntities('Ärzte in Éire met ßtraße, 𝐀lpha and 19 others.');
    expect(tokens.map((t) => [t.text, t.capital, t.isBreak])).toEqual([
      ['Ärzte', true, false], ['in', false, false], ['Éire', true, false], ['met', false, false], ['ßtraße', false, false],
      [',', false, true], ['𝐀lpha', true, false], ['and', false, false], ['19', false, true], ['others', false, false],
      ['\n', false, true],
    ]);
  });

  it('when a compound has two known parts, then it splits in two and each part keeps its case', () => {
    const known = new Set(['China', 'Russia']);
    expect(words('Talks on China-Russia trade and high-level visits', (w) => known.has(w))).toEqual(['Talks^|', 'on', 'China^', 'Russia^', 'trade', 'and', 'high-level', 'visits']);
  });
});
