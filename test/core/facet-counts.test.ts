import fc from 'fast-check';
import type { IndexedDoc } from '../../src/core/keyword/keyword-index.js';
import { KeywordIndex } from '../../src/core/keyword/keyword-index.js';
import { KeywordSearch, MAX_FACET_VALUES } from '../../src/core/keyword/keyword-search.js';
import type { FacetName } from '../../src/core/keyword/rank.js';
import { parseQuery } from '../../src/core/query-parser.js';

/**
 * Facet counts (core/keyword/match-counts.ts, keyword-search.ts) held to the rule read plainly: every matching
 * document counted once per value it holds, the most frequent {@link MAX_FACET_VALUES} values shown, ties by name.
 * The engine counts in arrays by value id and names only the values that can be shown; this must not move an answer.
 */

const FACETS: readonly FacetName[] = ['category', 'source', 'tags', 'people', 'orgs', 'places'];

/** The facet lists as the rule says, over the documents holding `word` (title or body) and passing `keep`. */
function plainFacets(docs: readonly IndexedDoc[], word: string, keep: (d: IndexedDoc) => boolean): Record<string, [string, number][]> {
  const out: Record<string, [string, number][]> = {};
  const matching = docs.filter((d) => `${d.title} ${d.body}`.split(' ').includes(word) && keep(d));
  for (const field of FACETS) {
    const counts = new Map<string, number>();
    for (const d of matching) {
      const values = field === 'category' || field === 'source' ? (d[field] === undefined ? [] : [d[field]]) : (d[field] ?? []);
      for (const v of new Set(values)) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    out[field] = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, MAX_FACET_VALUES);
  }
  return out;
}

const name = (prefix: string, size: number) => fc.integer({ min: 0, max: size - 1 }).map((i) => `${prefix}${i}`);
const values = (prefix: string, size: number) => fc.uniqueArray(name(prefix, size), { maxLength: 4 });
const docArb = fc.record({
  common: fc.boolean(),
  category: fc.option(name('cat', 5), { nil: undefined }),
  source: fc.option(name('src', 3), { nil: undefined }),
  tags: values('tag', 20),
  people: values('person', 400),
  orgs: values('org', 150),
  places: values('place', 60),
});

describe('facet counts', () => {
  it('when a broad word meets hundreds of values with ties, then the lists equal the plain rule (top 100, ties by name)', () => {
    fc.assert(
      fc.property(fc.array(docArb, { minLength: 1, maxLength: 400, size: 'max' }), fc.option(name('place', 60), { nil: undefined }), (arbs, place) => {
        const docs: IndexedDoc[] = arbs.map((a, key) => ({
          key,
          id: `a${key}`,
          title: a.common ? 'harbour news' : 'other news',
          body: `report ${key}`,
          ...(a.category === undefined ? {} : { category: a.category }),
          ...(a.source === undefined ? {} : { source: a.source }),
          tags: a.tags,
          people: a.people,
          orgs: a.orgs,
          places: a.places,
        }));
        const index = new KeywordIndex();
        index.addAll(docs);
        index.prepareQueries();
        const result = new KeywordSearch(index).search({
          query: parseQuery('harbour'),
          match: 'last',
          sort: 'relevance',
          filter: place === undefined ? {} : { places: [place] },
          offset: 0,
          limit: 10,
          facets: FACETS,
        });
        const expected = plainFacets(docs, 'harbour', (d) => place === undefined || (d.places ?? []).includes(place));
        for (const field of FACETS) expect([field, result.facets[field] ?? []]).toEqual([field, expected[field]]);
      }),
      { numRuns: 40 },
    );
  });
});
