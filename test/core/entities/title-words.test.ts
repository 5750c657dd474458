import { extractEntities } from '../../../src/core/entities/extract-entities.js';
import { NO_NAMES } from '../../../src/core/entities/names.js';
import { isTitle, misspelledTitle } from '../../../src/core/entities/title-words.js';
import { defaultGazetteer } from '../../../src/entities/default-gazetteer.js';

const people = (body: string) => extractEntities({ title: 'Report', body }, defaultGazetteer(), NO_NAMES).people;

describe('misspelled titles (one typo in a head title of nine letters or more)', () => {
  it('when a wire swaps or drops a letter of a long title, then it reads as the title', () => {
    expect(misspelledTitle('Secertary')).toBe('Secretary');
    expect(misspelledTitle('Represenative')).toBe('Representative');
    expect(isTitle('Presdient')).toBe(true);
  });

  it('when the word is a known title, a plural, shorter than nine letters or a word of another list, then it is no typo', () => {
    expect(misspelledTitle('Secretary')).toBeUndefined();
    expect(misspelledTitle('Presidents')).toBeUndefined();
    expect(misspelledTitle('Ministry')).toBeUndefined(); // eight letters: "Minister" is never read through a typo
    expect(misspelledTitle('Secretariat')).toBeUndefined();
    expect(misspelledTitle('Pemberton')).toBeUndefined();
  });

  it('when the typo stands before a name, then the name is a person and the typo is not part of it', () => {
    expect(people('Treasury Secertary James Baker said currencies were now within range.')).toEqual(['James Baker']);
    expect(people('And U.S. Trade Represenative Clayton Yeutter predicted that Japan would not act.')).toEqual(['Clayton Yeutter']);
  });
});

describe('titles found on the tune half of the Reuters split', () => {
  it('when "Treasurer" stands before a name, then it is a title, not part of the name ("Treasurer Paul Keating")', () => {
    expect(people('Australian Treasurer Paul Keating said the budget would be tight.')).toEqual(['Paul Keating']);
  });
});

describe('sentence openers found on the tune half of the Reuters split', () => {
  it('when "Neither" opens a sentence before a name, then it is not part of the name ("Neither Jose Sarney")', () => {
    expect(people('Neither Jose Sarney told reporters when talks would resume.')).toEqual(['Jose Sarney']); // was "Neither Jose Sarney"
  });
});

describe('closed-class sentence openers (English prepositions, conjunctions and adverbs are never names)', () => {
  it('when "Unlike" or "Besides" opens a sentence before a name, then it is not part of the name', () => {
    expect(people('Unlike Paul Volcker, the new chairman talks. Volcker said so.')).toEqual(['Paul Volcker']);
    expect(people('Besides Reagan, three aides attended. President Reagan said so.')).toEqual(['Reagan']);
  });
});

describe('a head title written in lower case after a capitalised word (tune half: "Energy minister Subroto")', () => {
  it('when a lone name follows "Energy minister", then it is a person, as after "Energy Minister"', () => {
    expect(people('Indonesian Energy minister Subroto said he was confident of stable prices.')).toEqual(['Subroto']);
    expect(people('Guinness chairman Saunders resigned on Friday.')).toEqual(['Saunders']);
  });

  it('when the lower-case role follows no capitalised word, then a lone word is still no person on its own', () => {
    expect(people('The new minister Kestria said nothing.')).toEqual([]);
  });
});
