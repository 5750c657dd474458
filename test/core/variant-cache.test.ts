import fc from 'fast-check';
import { KeywordIndex } from '../../src/core/keyword/keyword-index.js';
import type { KeywordSearchRequest } from '../../src/core/keyword/keyword-search.js';
import { KeywordSearch } from '../../src/core/keyword/keyword-search.js';
import { VariantCache } from '../../src/core/keyword/variant-cache.js';
import type { Variants } from '../../src/core/keyword/variant-cache.js';
import { parseQuery } from '../../src/core/query-parser.js';

/**
 * The typo-variant cache of keyword search (src/core/keyword/variant-cache.ts): kept while the index changes, and
 * dropped for exactly the words a term whose presence changed can be a variant or an inflection of.
 */

const request = (q: string): KeywordSearchRequest => ({
  query: parseQuery(q),
  match: 'last',
  sort: 'relevance',
  filter: {},
  offset: 0,
  limit: 100,
  facets: [],
});

/** A cache over `index` whose computations are counted, and what it answers for `word`. */
function counted(index: KeywordIndex) {
  const cache = new VariantCache(index, 1_000);
  const computed: string[] = [];
  const compute = (word: string): Variants => {
    computed.push(word);
    return [{ term: `${word}-${index.changes}`, typos: 1 }];
  };
  return { computed, get: (word: string) => cache.get(word, compute) };
}

function indexOf(...texts: string[]): KeywordIndex {
  const index = new KeywordIndex();
  texts.forEach((body, i) => index.add({ key: i + 1, id: `a${i + 1}`, title: '', body }));
  return index;
}

describe('VariantCache', () => {
  it('when a new term is unrelated to a cached word, then the entry is kept', () => {
    const index = indexOf('parliament votes on the budget');
    const cache = counted(index);
    cache.get('parlament');
    index.add({ key: 2, id: 'a2', title: '', body: 'harbour strike' });
    cache.get('parlament');
    expect(cache.computed).toEqual(['parlament']);
  });

  it('when a new term is within a cached word\'s typo reach, then the word is computed again', () => {
    const index = indexOf('votes on the budget');
    const cache = counted(index);
    cache.get('parlament');
    index.add({ key: 2, id: 'a2', title: '', body: 'parliament sits' });
    cache.get('parlament');
    expect(cache.computed).toEqual(['parlament', 'parlament']);
  });

  it('when a new term is an inflection of a cached word, then the word is computed again', () => {
    const index = indexOf('a tax on imports');
    const cache = counted(index);
    cache.get('tax');
    index.add({ key: 2, id: 'a2', title: '', body: 'new taxes' });
    cache.get('tax');
    expect(cache.computed).toEqual(['tax', 'tax']);
  });

  it('when the last article holding a variant is removed, then the word is computed again', () => {
    const index = indexOf('parliament sits', 'budget talks');
    const cache = counted(index);
    cache.get('parlament');
    index.remove(1);
    cache.get('parlament');
    expect(cache.computed).toEqual(['parlament', 'parlament']);
  });

  it('when more terms changed than a lookup follows one by one (a bulk ingest between searches), then the cache starts over', () => {
    const index = indexOf('parliament votes on the budget');
    const cache = counted(index);
    cache.get('parlament');
    index.add({ key: 2, id: 'a2', title: '', body: Array.from({ length: 1_100 }, (_, i) => `word${i}`).join(' ') });
    cache.get('parlament');
    expect(cache.computed).toEqual(['parlament', 'parlament']);
  });

  it('when many articles changed since an entry was computed, then it is computed again (document counts drift)', () => {
    const index = indexOf('parliament sits');
    const cache = counted(index);
    cache.get('parlament');
    for (let k = 2; k <= 70; k++) index.add({ key: k, id: `a${k}`, title: '', body: 'parliament sits' });
    cache.get('parlament');
    expect(cache.computed).toEqual(['parlament', 'parlament']);
  });
});

describe('keyword search with the variant cache', () => {
  it('when a kept variant gains documents (no term appears or goes), then the variants are ordered by the counts of the moment', () => {
    const index = indexOf('a gardan party', 'gardan days', 'the gadren of eden');
    const variantsOf = (search: KeywordSearch, word: string) => (search as unknown as { variants(w: string): Variants }).variants(word).map((v) => v.term);
    const cached = new KeywordSearch(index);
    expect(variantsOf(cached, 'garden')).toEqual(['gardan', 'gadren']);
    for (let k = 4; k <= 9; k++) index.add({ key: k, id: `a${k}`, title: '', body: 'a gadren again' });
    expect(variantsOf(new KeywordSearch(index), 'garden')).toEqual(['gadren', 'gardan']);
    expect(variantsOf(cached, 'garden')).toEqual(['gadren', 'gardan']);
  });

  // words that are typo variants and inflections of one another, and some that are not
  const word = fc.constantFrom('tax', 'taxes', 'policy', 'policies', 'budget', 'budgte', 'harbour', 'harbor', 'strike', 'stirke', 'vote', 'votes');
  const op = fc.oneof(
    fc.record({ kind: fc.constant('add' as const), key: fc.integer({ min: 1, max: 8 }), words: fc.array(word, { minLength: 1, maxLength: 4 }) }),
    fc.record({ kind: fc.constant('remove' as const), key: fc.integer({ min: 1, max: 8 }) }),
    fc.record({ kind: fc.constant('search' as const), q: word }),
  );

  it('when articles are added, replaced and removed between searches, then every answer equals a fresh search', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const index = new KeywordIndex();
        const cached = new KeywordSearch(index);
        for (const o of ops) {
          if (o.kind === 'add') index.add({ key: o.key, id: `a${o.key}`, title: '', body: o.words.join(' ') });
          else if (o.kind === 'remove') index.remove(o.key);
          else {
            // a search made now with an empty cache is the reference
            const fresh = new KeywordSearch(index).search(request(`${o.q} `));
            const answer = cached.search(request(`${o.q} `));
            expect(answer.keys).toEqual(fresh.keys);
            expect(answer.highlight).toEqual(fresh.highlight);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
