import fc from 'fast-check';
import type { IndexedDoc } from '../../src/core/keyword/keyword-index.js';
import { KeywordIndex } from '../../src/core/keyword/keyword-index.js';
import type { KeywordSearchRequest } from '../../src/core/keyword/keyword-search.js';
import { KeywordSearch } from '../../src/core/keyword/keyword-search.js';
import { parseQuery } from '../../src/core/query-parser.js';
import { NEWS_SYNONYMS, Synonyms } from '../../src/core/keyword/synonyms.js';

/**
 * The ranking order of the in-memory keyword index, tested directly on tiny corpora (docs/ARCHITECTURE.md, "How
 * search ranks"): words → typo → proximity → attribute → BM25, ties by newest then id, and `sort` after proximity.
 */

const DAY = 86_400_000;
const doc = (key: number, title: string, body: string, extra: Partial<IndexedDoc> = {}): IndexedDoc => ({ key, id: `a${key}`, title, body, ...extra });

/** The ids of the articles a query finds, in ranking order. */
function ranked(docs: readonly IndexedDoc[], q: string, options: Partial<KeywordSearchRequest> = {}, synonyms?: Synonyms): string[] {
  const index = new KeywordIndex();
  index.addAll(docs);
  index.prepareQueries();
  const result = new KeywordSearch(index, synonyms).search({
    query: parseQuery(q),
    match: 'last',
    sort: 'relevance',
    filter: {},
    offset: 0,
    limit: 100,
    facets: [],
    ...options,
  });
  const idOf = new Map(docs.map((d) => [d.key, d.id]));
  return result.keys.map((k) => idOf.get(k)!);
}

describe('keyword ranking order', () => {
  it('when one article holds every query word and another only some, then the one with every word comes first', () => {
    const docs = [doc(1, 'Harbour report', 'the harbour closed'), doc(2, 'Harbour strike report', 'dockers strike at the harbour')];
    expect(ranked(docs, 'harbour strike ')).toEqual(['a2', 'a1']);
  });

  it('when match is all, then an article missing a word is not found at all', () => {
    const docs = [doc(1, 'Harbour report', 'the harbour closed'), doc(2, 'Harbour strike report', 'dockers strike at the harbour')];
    expect(ranked(docs, 'harbour strike ', { match: 'all' })).toEqual(['a2']);
  });

  it('when one article matches a word exactly and another only with a typo, then the exact one comes first', () => {
    // "election" exactly, against "elections" (one edit away from the query word)
    const docs = [doc(1, 'Elections called', 'voters go to the polls'), doc(2, 'Election called', 'voters go to the polls')];
    expect(ranked(docs, 'election ')).toEqual(['a2', 'a1']);
  });

  it('when a query word is mistyped by a swap, then the article is still found (Damerau: one edit)', () => {
    const docs = [doc(1, 'Parliament votes', 'a late session'), doc(2, 'Weather', 'sunny spells')];
    expect(ranked(docs, 'parliamnet ')).toEqual(['a1']);
  });

  it('when the query words stand side by side in one article and apart in another, then the side-by-side one comes first', () => {
    const docs = [
      doc(1, 'Budget news', 'the central office said the bank would wait'),
      doc(2, 'Budget news', 'the central bank said the office would wait'),
    ];
    expect(ranked(docs, 'central bank ')).toEqual(['a2', 'a1']);
  });

  it('when every matched word is in one title and only in another body, then the title match comes first', () => {
    const docs = [doc(1, 'Markets today', 'copper prices rose sharply'), doc(2, 'Copper prices', 'markets were calm today')];
    expect(ranked(docs, 'copper prices ')).toEqual(['a2', 'a1']);
  });

  it('when two articles tie on every rule, then the newest comes first, then the smaller id', () => {
    const docs = [
      doc(1, 'Rain expected', 'rain all day', { publishedAt: 10 * DAY }),
      doc(2, 'Rain expected', 'rain all day', { publishedAt: 20 * DAY }),
      doc(3, 'Rain expected', 'rain all day', { publishedAt: 20 * DAY }),
    ];
    expect(ranked(docs, 'rain ')).toEqual(['a2', 'a3', 'a1']);
  });

  it('when sort is newest, then words still come first and the date orders within them', () => {
    const docs = [
      doc(1, 'Port strike ends', 'port workers strike', { publishedAt: 1 * DAY }),
      doc(2, 'Port news', 'the port reopened', { publishedAt: 30 * DAY }),
      doc(3, 'Strike at the port', 'port strike goes on', { publishedAt: 10 * DAY }),
    ];
    expect(ranked(docs, 'port strike ', { sort: 'newest' })).toEqual(['a3', 'a1', 'a2']);
    expect(ranked(docs, 'port strike ', { sort: 'oldest' })).toEqual(['a1', 'a3', 'a2']);
  });

  it('when the last word is still being typed, then it matches as a prefix', () => {
    const docs = [doc(1, 'Inflation figures', 'prices'), doc(2, 'Weather', 'rain')];
    expect(ranked(docs, 'infla')).toEqual(['a1']);
    expect(ranked(docs, 'infla ')).toEqual([]);
  });

  it('when the corpus is given in any order, then the ranking is the same', () => {
    const words = ['oil', 'gas', 'price', 'rise', 'fall', 'opec'];
    const text = fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 8 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, text, fc.integer({ min: 0, max: 5 })), { minLength: 1, maxLength: 10 }),
        fc.constantFrom('oil price ', 'gas rise ', 'opec fall price ', 'pri'),
        (rows, q) => {
          const docs = rows.map(([t, b, day], i) => doc(i + 1, t, b, { publishedAt: day * DAY }));
          expect(ranked([...docs].reverse(), q)).toEqual(ranked(docs, q));
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('keyword ranking with freshness', () => {
  const now = 100 * DAY;
  // a1 says "rain" three times (higher BM25) but is 90 days old; a2 says it once and is a day old
  const docs = [
    doc(1, 'Rain expected', 'rain rain rain over the hills', { publishedAt: 10 * DAY }),
    doc(2, 'Rain expected', 'rain over the hills and the valleys', { publishedAt: 99 * DAY }),
  ];

  it('when freshness is off, then the higher BM25 comes first, whatever the dates', () => {
    expect(ranked(docs, 'rain ')).toEqual(['a1', 'a2']);
  });

  it('when freshness is asked, then the newer article passes an older one that matches as well on every rule before BM25', () => {
    expect(ranked(docs, 'rain ', { freshness: { halfLifeDays: 7, now } })).toEqual(['a2', 'a1']);
  });

  it('when the half-life is long, then a small BM25 lead still wins', () => {
    expect(ranked(docs, 'rain ', { freshness: { halfLifeDays: 36_500, now } })).toEqual(['a1', 'a2']);
  });

  it('when the newer article matches only with a typo, then the older exact match stays first', () => {
    const typo = [doc(1, 'Election called', 'polls open', { publishedAt: 1 * DAY }), doc(2, 'Elections called', 'polls open', { publishedAt: 99 * DAY })];
    expect(ranked(typo, 'election ', { freshness: { halfLifeDays: 1, now } })).toEqual(['a1', 'a2']);
  });

  it('when the sort is by date, then freshness changes nothing', () => {
    expect(ranked(docs, 'rain ', { sort: 'oldest', freshness: { halfLifeDays: 7, now } })).toEqual(['a1', 'a2']);
  });

  it('when the articles are decades old, then the decay does not underflow: BM25 still orders those of one day', () => {
    const y1987 = Date.parse('1987-03-02T00:00:00Z');
    const archive = [
      doc(1, 'Rain expected', 'rain over the hills and the valleys', { publishedAt: y1987 }),
      doc(2, 'Rain expected', 'rain rain rain over the hills', { publishedAt: y1987 }),
      doc(3, 'Rain expected', 'rain over the hills', { publishedAt: y1987 - 30 * DAY }),
    ];
    // 0.5^(14,500 days / 7) is 0 in floating point: a product would make all three tie and fall back to date and id
    expect(ranked(archive, 'rain ', { freshness: { halfLifeDays: 7, now: Date.parse('2026-12-04T00:00:00Z') } })).toEqual(['a2', 'a1', 'a3']);
  });

  it('when an article has no date, then it is not decayed', () => {
    const undated = [doc(1, 'Rain expected', 'rain rain rain over the hills'), doc(2, 'Rain expected', 'rain over the hills and the valleys', { publishedAt: 99 * DAY })];
    expect(ranked(undated, 'rain ', { freshness: { halfLifeDays: 7, now } })).toEqual(['a1', 'a2']);
  });
});

describe('keyword ranking with synonyms', () => {
  const news = new Synonyms(NEWS_SYNONYMS);
  const docs = [
    doc(1, 'U.S. trade deficit widens', 'Imports rose in March.'),
    doc(2, 'United States trade deficit', 'Exports fell in March.'),
    doc(3, 'Trade talks with us', 'The minister said: join us.'),
    doc(4, 'UN envoy arrives', 'The United Nations sent an envoy.'),
    doc(5, 'Weather', 'Rain all week.'),
  ];

  it('when there are no synonyms, then a query finds only its own words', () => {
    expect(ranked(docs, 'united states ', { match: 'all' })).toEqual(['a2']);
  });

  it('when "U.S." is searched, then articles naming the United States are found too, and the pronoun "us" is not', () => {
    expect(ranked(docs, 'U.S. ', {}, news).sort()).toEqual(['a1', 'a2']);
  });

  it('when a two-word name is searched, then its abbreviation counts as both words', () => {
    expect(ranked(docs, 'united states trade ', { match: 'all' }, news).sort()).toEqual(['a1', 'a2']);
  });

  it('when an abbreviation is searched, then the full name is found as a phrase', () => {
    expect(ranked(docs, 'un envoy ', {}, news)).toEqual(['a4']);
    expect(ranked([doc(6, 'Envoy of the United Nations', 'arrives'), doc(7, 'United envoy', 'nations')], 'un ', {}, news)).toEqual(['a6']);
  });

  it('when a file maps a word one way, then only that direction applies (Meilisearch semantics)', () => {
    const oneWay = new Synonyms({ quake: ['earthquake'] });
    const quakes = [doc(1, 'Earthquake hits coast', 'damage'), doc(2, 'Quake felt inland', 'no damage')];
    expect(ranked(quakes, 'quake ', {}, oneWay).sort()).toEqual(['a1', 'a2']);
    expect(ranked(quakes, 'earthquake ', {}, oneWay)).toEqual(['a1']);
  });

  it('when the last word is still being typed, then it is not read as a synonym key', () => {
    expect(ranked(docs, 'un', {}, news)).not.toContain('a1');
  });
});

describe('keyword ranking with singular and plural', () => {
  it('when a short word is searched, then its plural is found too (typo tolerance alone would not: two edits, three letters)', () => {
    const docs = [doc(1, 'New taxes planned', 'a budget'), doc(2, 'Tax cut', 'a budget'), doc(3, 'Taxi strike', 'a budget')];
    expect(ranked(docs, 'tax ', { match: 'all' })).toEqual(['a2', 'a1']);
  });

  it('when a plural is searched, then the singular is found, ranked as one typo: after the word as typed', () => {
    const docs = [doc(1, 'Insurance policy', 'the policy holds'), doc(2, 'Insurance policies', 'policies hold')];
    expect(ranked(docs, 'policies ', { match: 'all' })).toEqual(['a2', 'a1']);
  });

  it('when the word is too short or no noun form of it is in the vocabulary, then nothing is added ("us" never finds "u")', () => {
    const docs = [doc(1, 'U.S. trade', 'figures'), doc(2, 'Trade with us', 'figures')];
    expect(ranked(docs, 'us ', { match: 'all' })).toEqual(['a2']);
  });
});
