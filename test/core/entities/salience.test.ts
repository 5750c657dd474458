import { entityTallies, extractEntities } from '../../../src/core/entities/extract-entities.js';
import { NO_NAMES } from '../../../src/core/entities/names.js';
import type { PersonFeatures, Tally } from '../../../src/core/entities/salience.js';
import { PERSON_FEATURES, PERSON_WEIGHTS, personFeatures, personSalience, placeSalience, rankEntities } from '../../../src/core/entities/salience.js';
import { tokenizeForEntities } from '../../../src/core/entities/tokens.js';
import { defaultGazetteer } from '../../../src/entities/default-gazetteer.js';

const gazetteer = defaultGazetteer();
const tally = (over: Partial<Tally>): Tally => ({ mentions: 1, first: 0, inTitle: false, lead: 0, titled: 0, spoken: 0, ...over });

describe('person salience features', () => {
  // James Baker: headline, titled in the lead, then speaking after 70 words; Paul Volcker: titled once, late, silent
  const title = 'BAKER SAYS DOLLAR FALL IS ORDERLY';
  const filler = Array.from({ length: 70 }, () => 'markets').join(' ');
  const body = `Treasury Secretary James Baker said the fall was orderly. ${filler} and more. Baker said markets were calm. ` +
    'Federal Reserve Chairman Paul Volcker was abroad.';
  const { tallies, shape } = entityTallies({ title, body }, gazetteer, NO_NAMES);
  const people = new Map([...tallies].filter(([key]) => key.startsWith('people:')).map(([key, t]) => [key.slice('people:'.length), t]));
  const features = personFeatures(people, shape);
  const baker = features.get('James Baker')!;
  const volcker = features.get('Paul Volcker')!;

  it('when extraction counts an article, then each person has a tally of mentions, lead mentions, titles and speech', () => {
    expect(shape).toEqual({ words: body.split(/\s+/u).length, tokens: tokenizeForEntities(body).length });
    expect(people.get('James Baker')).toEqual({ mentions: 2, first: 2, inTitle: true, lead: 1, titled: 1, spoken: 1 });
    expect(people.get('Paul Volcker')).toMatchObject({ mentions: 1, inTitle: false, lead: 0, titled: 1, spoken: 0 });
  });

  it('then mentions is ln(1 + body mentions)', () => {
    expect(baker.mentions).toBeCloseTo(Math.log(3));
    expect(volcker.mentions).toBeCloseTo(Math.log(2));
  });

  it('then headline is 1 when the headline names the person (an upper-case headline by a word of the name)', () => {
    expect(baker.headline).toBe(1);
    expect(volcker.headline).toBe(0);
  });

  it('then lead says whether a mention falls in the first 60 tokens, and leadMentions counts them as ln(1 + n)', () => {
    expect([baker.lead, volcker.lead]).toEqual([1, 0]);
    expect(baker.leadMentions).toBeCloseTo(Math.log(2)); // the second "Baker" comes after 70 words
    expect(volcker.leadMentions).toBe(0);
  });

  it('then firstAt is the first mention\'s token index over the body\'s tokens', () => {
    expect(baker.firstAt).toBeCloseTo(2 / shape.tokens); // "Treasury Secretary James": token 2
    expect(volcker.firstAt).toBeGreaterThan(0.8);
    expect(personFeatures(new Map([['Only Headline', tally({ mentions: 0, inTitle: true, first: 50 })]]), shape).get('Only Headline')!.firstAt).toBe(1);
  });

  it('then titled says a mention follows a title, spoken that one comes before a reporting verb', () => {
    expect([baker.titled, volcker.titled]).toEqual([1, 1]);
    expect([baker.spoken, volcker.spoken]).toEqual([1, 0]); // "Baker said"; Volcker "was abroad"
  });

  it('then share is the person\'s part of the people mentions, ahead counts people named more, people counts them', () => {
    expect(baker.share).toBeCloseTo(2 / 3);
    expect(volcker.share).toBeCloseTo(1 / 3);
    expect(baker.ahead).toBe(0);
    expect(volcker.ahead).toBeCloseTo(Math.log(2));
    expect(baker.people).toBeCloseTo(Math.log(3));
  });

  it('then length is ln(1 + words / 500), the same for everyone in the article', () => {
    expect(baker.length).toBeCloseTo(Math.log(1 + shape.words / 500));
    expect(volcker.length).toBe(baker.length);
  });

  it('then a tie in mentions puts the one named in the headline ahead', () => {
    const tied = personFeatures(new Map([['A Name', tally({ inTitle: true })], ['B Name', tally({})]]), { words: 10, tokens: 12 });
    expect([tied.get('A Name')!.ahead, tied.get('B Name')!.ahead]).toEqual([0, Math.log(2)]);
  });

  it('then the stored salience is the person model over those features, to two decimals', () => {
    const found = extractEntities({ title, body }, gazetteer, NO_NAMES);
    expect(found.salience['people:James Baker']).toBe(Math.round(personSalience(baker) * 100) / 100);
    expect(found.people).toEqual(['James Baker', 'Paul Volcker']);
  });
});

describe('personSalience', () => {
  const zero = Object.fromEntries(PERSON_FEATURES.map((n) => [n, 0])) as unknown as PersonFeatures;

  it('when given the current weights, then it is the hand formula ln(1 + m) + 2·headline + 0.5·lead − 0.3·length', () => {
    const f = { ...zero, mentions: Math.log(4), headline: 1, lead: 1, share: 0.5, spoken: 1, length: Math.log(2) };
    expect(personSalience(f)).toBeCloseTo(Math.log(4) + 2 + 0.5 - 0.3 * Math.log(2));
    expect(PERSON_WEIGHTS.bias).toBe(0);
  });

  it('when given other weights, then it is bias + Σ weight × feature, at least 0.01', () => {
    const weights = { ...PERSON_WEIGHTS, bias: 1, share: -0.5, spoken: 0.25 };
    expect(personSalience({ ...zero, share: 1, spoken: 1 }, weights)).toBeCloseTo(1 - 0.5 + 0.25);
    expect(personSalience({ ...zero, share: 1 }, { ...weights, bias: 0 })).toBe(0.01);
  });
});

describe('rankEntities', () => {
  it('when tallies of every kind are ranked, then people use the person model, organisations and places the hand formula', () => {
    const shape = { words: 500, tokens: 560 };
    const tallies = new Map([
      ['people:Ann Lee', tally({ mentions: 2, lead: 1 })],
      ['people:Bo Kim', tally({ mentions: 2, lead: 1 })],
      ['people:Cy Dunn', tally({ mentions: 1, inTitle: true })],
      ['places:Peru', tally({ mentions: 3, lead: 2 })],
    ]);
    const ranked = rankEntities(tallies, shape);
    expect(ranked.people).toEqual(['Cy Dunn', 'Ann Lee', 'Bo Kim']); // a tie goes by name
    expect(ranked.places).toEqual(['Peru']);
    expect(ranked.salience['places:Peru']).toBe(Math.round(placeSalience(tally({ mentions: 3, lead: 2 }), shape) * 100) / 100);
    expect(ranked.salience['places:Peru']).toBeCloseTo(Math.log(4) + 0.5 - 0.3 * Math.log(2), 2);
  });
});
