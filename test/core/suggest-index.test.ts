import fc from 'fast-check';
import { SuggestIndex } from '../../src/core/suggest/suggest-index.js';
import type { SuggestSource } from '../../src/core/suggest/suggest-index.js';
import { titlePhrases } from '../../src/core/suggest/title-phrases.js';

const lavrov = { kind: 'people', name: 'Sergei Lavrov' } as const;
const source = (title: string, entities: SuggestSource['entities'] = []): SuggestSource => ({ title, entities });
const texts = (index: SuggestIndex, q: string, limit = 10) => index.suggest(q, limit).map((s) => `${s.kind}:${s.text}:${s.articles}`);

describe('titlePhrases', () => {
  it('when a title is split, then phrases of 2-3 words stay within a clause and do not start or end with a stop word', () => {
    expect(titlePhrases("Halvorsen Wins Duskland Election, Ending Orsk's Rule")).toEqual([
      'Halvorsen Wins', 'Wins Duskland', 'Duskland Election', 'Halvorsen Wins Duskland', 'Wins Duskland Election',
      "Ending Orsk's", "Orsk's Rule", "Ending Orsk's Rule",
    ]);
    expect(titlePhrases('Price of the gold')).toEqual([]);
    expect(titlePhrases('Gold in 1987 and 1988')).toEqual(['Gold in 1987', '1987 and 1988']);
  });
});

describe('SuggestIndex', () => {
  it('when entities and titles match, then entities and phrases come first (those the query starts first), then titles', () => {
    const index = new SuggestIndex({ minPhraseArticles: 2 });
    index.set('a1', source('Lavrov meets Qin Gang', [lavrov]));
    index.set('a2', source('Talks in Moscow', [lavrov]));
    index.set('a3', source('Moscow talks end', []));
    index.set('a4', source('Sergei Lavrov visits Beijing', [lavrov]));
    expect(texts(index, 'serg')).toEqual(['people:Sergei Lavrov:3', 'title:Sergei Lavrov visits Beijing:1']);
    // an entity matching by an inner word still comes before a title the query starts
    expect(texts(index, 'lavrov', 2)).toEqual(['people:Sergei Lavrov:3', 'title:Lavrov meets Qin Gang:1']);
    expect(texts(index, 'mosc')).toEqual(['title:Moscow talks end:1', 'title:Talks in Moscow:1']);
    expect(texts(index, 'talks mo')).toEqual(['title:Talks in Moscow:1', 'title:Moscow talks end:1']);
  });

  it('when a phrase recurs in titles, then it is offered from the threshold on, before single titles', () => {
    const index = new SuggestIndex({ minPhraseArticles: 2 });
    index.set('a1', source('Gold price rises'));
    expect(texts(index, 'gold p')).toEqual(['title:Gold price rises:1']);
    index.set('a2', source('Gold price falls'));
    expect(texts(index, 'gold p')).toEqual(['phrase:Gold price:2', 'title:Gold price falls:1', 'title:Gold price rises:1']);
  });

  it('when a headline is in capitals, then it is offered in lower case', () => {
    const index = new SuggestIndex();
    index.set('r1', source('U.S. GOLD SALES RISE'));
    expect(texts(index, 'gold')).toEqual(['title:u.s. gold sales rise:1']);
  });

  it('when articles change or go, then their completions follow', () => {
    const index = new SuggestIndex({ minPhraseArticles: 2 });
    index.set('a1', source('Gold price rises', [lavrov]));
    index.set('a2', source('Gold price falls'));
    index.set('a2', source('Oil output cut'));
    expect(texts(index, 'gold')).toEqual(['title:Gold price rises:1']);
    index.set('a1', undefined);
    expect(texts(index, 'gold')).toEqual([]);
    expect(texts(index, 'serg')).toEqual([]);
    expect(index.entryCount).toBe(1); // the title "Oil output cut": its phrases are counted, not offered, under the threshold
  });

  it('when more titles arrive than it may hold, then the oldest titles go and their entities stay', () => {
    const index = new SuggestIndex({ maxTitles: 2 });
    index.set('a1', source('Alpha report', [lavrov]));
    index.set('a2', source('Beta report'));
    index.set('a3', source('Gamma report'));
    expect(texts(index, 'alpha')).toEqual([]);
    expect(texts(index, 'serg')).toEqual(['people:Sergei Lavrov:1']);
    expect(texts(index, 'gamma')).toEqual(['title:Gamma report:1']);
  });

  it('when the query has no word of 2 characters or more, then there is no completion', () => {
    const index = new SuggestIndex();
    index.set('a1', source('A b report'));
    expect(texts(index, 'a')).toEqual([]);
    expect(texts(index, '  ')).toEqual([]);
  });

  it('whatever the order articles arrive in, the completions are the same (deterministic)', () => {
    const titles = ['Gold price rises', 'Gold price falls', 'Oil price rises', 'Gold mine opens', 'Price war on oil'];
    const expected = (() => {
      const index = new SuggestIndex({ minPhraseArticles: 2 });
      titles.forEach((t, i) => index.set(`a${i}`, source(t)));
      return ['go', 'pri', 'oil', 'rises'].map((q) => texts(index, q));
    })();
    fc.assert(fc.property(fc.shuffledSubarray(titles.map((t, i) => [t, i] as const), { minLength: titles.length }), (order) => {
      const index = new SuggestIndex({ minPhraseArticles: 2 });
      for (const [t, i] of order) index.set(`a${i}`, source(t));
      expect(['go', 'pri', 'oil', 'rises'].map((q) => texts(index, q))).toEqual(expected);
    }));
  });

  it('whatever articles come, change and go, the completions are those of an index built from what is held at the end', () => {
    const words = ['Gold', 'price', 'rises', 'Oil', 'output', 'cut', 'mine', 'falls', 'of', 'war'];
    const title = fc.array(fc.constantFrom(...words), { minLength: 0, maxLength: 5 }).map((w) => w.join(' '));
    const entity = fc.constantFrom(lavrov, { kind: 'orgs', name: 'Gold Price' } as const, { kind: 'places', name: 'Oil' } as const);
    const op = fc.tuple(fc.integer({ min: 0, max: 5 }), fc.option(fc.tuple(title, fc.array(entity, { maxLength: 2 }))));
    const queries = ['go', 'pri', 'oil', 'rises', 'gold pr', 'serg', 'cu', 'wa'];
    fc.assert(fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
      const live = new SuggestIndex({ minPhraseArticles: 2 });
      const last = new Map<string, SuggestSource>();
      for (const [n, value] of ops) {
        const src = value === null ? undefined : source(value[0], value[1]);
        live.set(`a${n}`, src);
        last.delete(`a${n}`);
        if (src) last.set(`a${n}`, src);
      }
      const fresh = new SuggestIndex({ minPhraseArticles: 2 });
      for (const [id, src] of last) fresh.set(id, src);
      expect(queries.map((q) => texts(live, q))).toEqual(queries.map((q) => texts(fresh, q)));
      expect(live.entryCount).toBe(fresh.entryCount);
      for (const id of last.keys()) live.set(id, undefined);
      expect(live.entryCount).toBe(0);
    }));
  });
});
