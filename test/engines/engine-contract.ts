import type { Article, ArticleInput } from '../../src/core/article.js';
import type { HitArticle, SearchEngine, SearchRequest, SearchResult } from '../../src/engines/search-engine.js';
import { makeArticle, searchRequest } from '../helpers/make-article.js';

/**
 * The search-engine contract: every search semantic the service relies on, asserted through the port only, so each
 * adapter (SQLite, Meilisearch) is held to the same behaviour. Every test opens a fresh engine, loads its own tiny
 * hand-written corpus (every person, place and outlet in it is fictional) and closes the engine afterwards.
 */

/** Shorthand for a corpus article: id, title and body first, anything else in `extra`. */
const art = (id: string, title: string, body: string, extra: Partial<ArticleInput> = {}): Article =>
  makeArticle({ id, title, body, ...extra });

const ids = (result: SearchResult): string[] => result.hits.map((hit) => hit.article.id);

/** Removes the only tags a highlight may hold; what remains must carry no markup at all. */
const withoutMarks = (html: string): string => html.replaceAll('<mark>', '').replaceAll('</mark>', '');

// ---------------------------------------------------------------------------------------------------------------
// Corpora. Plain data, never mutated; each test loads the one it needs into its own engine.
// ---------------------------------------------------------------------------------------------------------------

const WORDS_CORPUS = [
  art('all-three', 'Glacier survey funding approved', 'Parliament approved the money.', { publishedAt: '2026-01-01' }),
  art('first-two', 'Glacier survey begins', 'Scientists start work in the north.', { publishedAt: '2026-01-02' }),
  art('first-third', 'Glacier project', 'The project gets funding at last.', { publishedAt: '2026-01-03' }),
  art('first-only', 'Glacier retreats', 'The ice retreated again this year.', { publishedAt: '2026-01-04' }),
  art('second-third', 'Survey results', 'The survey needs more funding.', { publishedAt: '2026-01-05' }),
  art('third-only', 'Funding round', 'A startup raised money.', { publishedAt: '2026-01-06' }),
  art('none', 'Harbour news', 'Boats stayed in port.', { publishedAt: '2026-01-07' }),
];

const PREFIX_CORPUS = [
  art('election', 'Election results', 'The count ended late at night.'),
  art('board-vote', 'Board meeting', 'Members elect a new budget chair.'),
  art('electric', 'City buses', 'The city buys electric buses.'),
  art('budget', 'Spending plan', 'The council met to discuss the budget.'),
];

const TYPO_CORPUS = [
  art('prices', 'Food prices climb', 'Shoppers paid more this month.', { publishedAt: '2026-02-01' }),
  art('tournament', 'Chess tournament opens', 'Players arrived from twelve towns.'),
  art('games', 'Board games cafe', 'A new cafe for board games opened.'),
  art('ballot', 'City ballot', 'Residents cast a vote on the park.'),
  art('scooter', 'Model3 recall', 'The model3 scooter is recalled.'),
  art('year', 'Outlook', 'Forecasts for 2026 look calm.'),
];

const PHRASE_CORPUS = [
  art('foreign-minister', 'Envoy visits', 'The foreign minister met farmers.'),
  art('minister-apart', 'Finance talks', 'The minister spoke about foreign trade.'),
  art('minister-only', 'Resignation', 'The health minister resigned.'),
  art('tax-cut', 'Tax cut passes', 'The tax cut takes effect in May.'),
  art('tax-apart', 'Tax reform', 'A new tax applies now; a spending cut comes later.'),
  art('weather', 'Weather', 'Sunny spells all week.'),
];

const SYNTAX_CORPUS = [
  art('harbour', 'Harbour reopens', 'The harbour reopened after the storm.'),
  art('ferry', 'Ferry timetable', 'Boats leave every hour.'),
  art('harbour-ferry', 'Harbour ferry returns', 'A ferry near the harbour or the bay and beyond.'),
];

/** Entity fields are set by the indexer (the article schema ignores them): added after validation. */
const withEntities = (a: Article, people: string[], salience: Record<string, number>): Article => ({ ...a, people, salience });

const ENTITY_CORPUS = [
  withEntities(art('about', 'Grain exports to resume', 'Minister Ilse Vantorp said grain exports would resume.', {
    publishedAt: '2026-04-01T00:00:00Z',
  }), ['Ilse Vantorp'], { 'people:Ilse Vantorp': 3.2 }),
  withEntities(art('mention', 'Ilse Vantorp aide on exports', 'Exports resume, a spokesman said.', {
    publishedAt: '2026-04-03T00:00:00Z',
  }), ['Ilse Vantorp'], { 'people:Ilse Vantorp': 0.5 }),
  art('unrelated', 'Harvest report', 'Grain harvests were large this year.', { publishedAt: '2026-04-05T00:00:00Z' }),
];

const FILTER_CORPUS = [
  art('pol-1', 'Council election called', 'The council calls an election.', {
    category: 'politics', source: 'Coastal Courier', tags: ['election', 'council'], publishedAt: '2026-03-10T08:00:00Z',
  }),
  art('pol-2', 'Budget vote', 'The council votes on the budget.', {
    category: 'politics', source: 'Valley Times', tags: ['budget'], publishedAt: '2026-03-12T00:00:00Z',
  }),
  art('spo-1', 'Derby tonight', 'The council closes roads for the derby.', {
    category: 'sport', source: 'Coastal Courier', tags: ['football'], publishedAt: '2026-03-14T00:00:00Z',
  }),
  art('spo-2', 'Cup final', 'Fans travel to the final.', {
    category: 'sport', source: 'Valley Times', tags: ['football', 'council'], publishedAt: '2026-03-14T23:59:59.999Z',
  }),
  art('cul-1', 'Festival lineup', 'The council funds a festival.', {
    category: 'culture', source: 'Coastal Courier', tags: ['music'], publishedAt: '2026-03-15T00:00:00Z',
  }),
  art('bare', 'Council notice', 'A notice from the council.'),
];

const LONG_BODY = `${'Calm weather held over the quiet valley all week. '.repeat(15)}Then an avalanche closed the pass. ${'Crews cleared the road before dusk. '.repeat(15)}`;

const HIGHLIGHT_CORPUS = [
  art('election-night', 'Election night in Riverton', 'Voters waited for the election result.'),
  art('food-prices', 'Food prices climb', 'Shoppers paid higher prices for bread.'),
  art('html', `Tom & Jerry's "best" <script>alert(1)</script> show`,
    `Fans said <b>wow</b> & "cheered" for the show's <script>steal()</script> return; the amp & lt quot stayed.`),
  art('long', 'Mountain report', LONG_BODY),
];

/** For "river bridge": 3 adjacent, 3 apart, 2 with a typo, 3 with the first word only, and 3 that must not match. */
const BUCKET_CORPUS = [
  ...[1, 2, 3].map((n) => art(`near-${n}`, `Town news ${n}`, `The old river bridge reopens in spring.`, { publishedAt: `2026-04-0${n}` })),
  ...[1, 2, 3].map((n) =>
    art(`apart-${n}`, `County news ${n}`, `The river flooded the meadow, so engineers closed the bridge.`, { publishedAt: `2026-04-0${n}` })),
  art('typo-1', 'Valley news', 'Two rivers meet below the bridge.', { publishedAt: '2026-04-04' }),
  art('typo-2', 'Valley report', 'The river path reaches the old brigde.', { publishedAt: '2026-04-05' }),
  ...[1, 2, 3].map((n) => art(`river-${n}`, `Nature ${n}`, `Otters returned to the river.`, { publishedAt: `2026-04-0${n}` })),
  art('bridge-1', 'Traffic', 'The bridge is closed.'),
  art('bridge-2', 'Traffic again', 'The bridge reopened.'),
  art('driver', 'Road safety', 'A driver was fined.'),
];
const BUCKET_MATCHES = ['near-1', 'near-2', 'near-3', 'apart-1', 'apart-2', 'apart-3', 'typo-1', 'typo-2', 'river-1', 'river-2', 'river-3'];

const UNICODE_CORPUS = [
  art('zoe-accent', 'Zoë Adler wins', 'Zoë Adler won the race.'),
  art('zoe-plain', 'Zoe Park opens', 'Zoe Park opened downtown.'),
  art('erdogan-accent', 'Erdoğan speaks', 'Erdoğan spoke on Monday.'),
  art('erdogan-plain', 'Erdogan visits', 'Erdogan arrived on Tuesday.'),
];

/**
 * Product bugs the contract knows of. An engine listed as having one runs that test as `it.failing`, so the suite
 * stays green while the bug stands and turns red the day it is fixed (then drop it from the engine's list).
 */
export type KnownBug =
  /** Matched words written with combining marks (NFD) are not marked: the highlighter splits words at the marks. */
  | 'nfd-highlight'
  /** Words written with compatibility characters (ligature ﬁ, fullwidth letters) are never found. */
  | 'compatibility-characters';

export interface ContractOptions {
  readonly knownBugs?: readonly KnownBug[];
}

/** Defines the contract suite for one engine; `open` must return a new, empty engine on every call. */
export function engineContract(name: string, open: () => Promise<SearchEngine>, options: ContractOptions = {}): void {
  /** `it`, or `it.failing` when the engine is known to have `bug`. */
  const itUnless = (bug: KnownBug) => (options.knownBugs?.includes(bug) ? it.failing : it);

  /** A test body: opens a fresh engine holding `corpus`, runs `check`, and always closes the engine. */
  const given = (corpus: readonly Article[], check: (engine: SearchEngine) => Promise<void>) => async () => {
    const engine = await open();
    try {
      if (corpus.length > 0) await engine.upsert(corpus);
      await check(engine);
    } finally {
      await engine.close();
    }
  };

  const search = (engine: SearchEngine, q: string, overrides: Partial<SearchRequest> = {}) =>
    engine.search(searchRequest({ q, perPage: 100, ...overrides }));
  const find = async (engine: SearchEngine, q: string, overrides: Partial<SearchRequest> = {}) =>
    ids(await search(engine, q, overrides));

  describe(`${name} engine contract`, () => {
    describe('storage', () => {
      const full = art('full', 'Harbour reopens', 'The harbour reopened after the storm.', {
        url: 'https://news.example/harbour',
        summary: 'Boats are back.',
        publishedAt: '2026-03-14T09:30:00Z',
        updatedAt: '2026-03-14T10:00:00Z',
        source: 'Coastal Courier',
        category: 'local',
        tags: ['harbour', 'weather'],
        author: 'Ines Varga',
        language: 'en',
      });

      it('when an article is upserted, then it is reported indexed, get returns it unchanged and stats count it', given([], async (engine) => {
        expect(await engine.upsert([full])).toEqual({ indexed: 1, unchanged: 0, deleted: 0 });
        expect(await engine.get('full')).toEqual(full);
        const stats = await engine.stats();
        expect(stats.articles).toBe(1);
        expect(stats.engine).toEqual(expect.any(String));
      }));

      it('when an id was never stored, then get returns undefined', given([full], async (engine) => {
        expect(await engine.get('missing')).toBeUndefined();
      }));

      it('when several articles are upserted in one call, then stats count them all', given([], async (engine) => {
        const batch = [art('one', 'One', 'First.'), art('two', 'Two', 'Second.'), art('three', 'Three', 'Third.')];
        expect(await engine.upsert(batch)).toEqual({ indexed: 3, unchanged: 0, deleted: 0 });
        expect((await engine.stats()).articles).toBe(3);
      }));

      it('when identical content is upserted again, then it is reported unchanged', given([full], async (engine) => {
        expect(await engine.upsert([{ ...full }])).toEqual({ indexed: 0, unchanged: 1, deleted: 0 });
        expect((await engine.stats()).articles).toBe(1);
        expect(await engine.get('full')).toEqual(full);
      }));

      it('when an article changes, then it is indexed and its new text replaces the old', given([full], async (engine) => {
        const changed = art('full', 'Lighthouse repainted', 'Volunteers repainted the lighthouse.', {
          category: 'culture', tags: ['lighthouse'],
        });
        expect(await engine.upsert([changed])).toEqual({ indexed: 1, unchanged: 0, deleted: 0 });
        expect(await engine.get('full')).toEqual(changed);
        expect((await engine.stats()).articles).toBe(1);
        expect(await find(engine, 'harbour')).toEqual([]);
        expect(await find(engine, 'storm')).toEqual([]);
        expect(await find(engine, 'lighthouse')).toEqual(['full']);
        expect(await find(engine, '', { filters: { tags: ['harbour'] } })).toEqual([]);
        expect(await find(engine, '', { filters: { category: ['culture'] } })).toEqual(['full']);
      }));

      it('when an article is deleted, then get, search and stats no longer see it', given(
        [full, art('other', 'Other harbour', 'Another harbour story.')],
        async (engine) => {
          expect(await engine.delete(['full'])).toEqual({ indexed: 0, unchanged: 0, deleted: 1 });
          expect(await engine.get('full')).toBeUndefined();
          expect(await find(engine, 'harbour')).toEqual(['other']);
          expect((await engine.stats()).articles).toBe(1);
        },
      ));

      it('when unknown ids are deleted, then they are ignored and nothing else is touched', given([full], async (engine) => {
        expect(await engine.delete(['ghost', 'phantom'])).toEqual({ indexed: 0, unchanged: 0, deleted: 0 });
        expect(await engine.delete(['ghost', 'full'])).toEqual({ indexed: 0, unchanged: 0, deleted: 1 });
        expect(await engine.delete([])).toEqual({ indexed: 0, unchanged: 0, deleted: 0 });
        expect((await engine.stats()).articles).toBe(0);
      }));

      it('when the engine is cleared, then nothing is left to get, search or count', given(
        [full, art('other', 'Other harbour', 'Another harbour story.')],
        async (engine) => {
          expect(await engine.clear()).toEqual({ indexed: 0, unchanged: 0, deleted: 2 });
          expect(await engine.get('full')).toBeUndefined();
          expect(await find(engine, 'harbour')).toEqual([]);
          expect((await engine.stats()).articles).toBe(0);
          expect(await engine.upsert([full])).toEqual({ indexed: 1, unchanged: 0, deleted: 0 });
        },
      ));

      it('when a deleted id is upserted again, then it is searchable again', given([full], async (engine) => {
        await engine.delete(['full']);
        expect(await engine.upsert([full])).toEqual({ indexed: 1, unchanged: 0, deleted: 0 });
        expect(await find(engine, 'harbour')).toEqual(['full']);
      }));

      it('when the engine is healthy, then health resolves', given([], async (engine) => {
        await expect(engine.health()).resolves.toBeUndefined();
      }));
    });

    describe('matching strategy', () => {
      it('when some articles hold every word, then they rank before articles holding fewer', given(WORDS_CORPUS, async (engine) => {
        const found = await find(engine, 'glacier survey funding');
        expect(found[0]).toBe('all-three');
        expect(found[1]).toBe('first-two');
        expect(new Set(found.slice(2))).toEqual(new Set(['first-third', 'first-only']));
      }));

      it('when match is last, then words are dropped from the end: the first word alone qualifies, the last alone does not', given(
        WORDS_CORPUS,
        async (engine) => {
          const result = await search(engine, 'glacier survey funding', { match: 'last' });
          expect(ids(result)).not.toContain('second-third');
          expect(ids(result)).not.toContain('third-only');
          expect(ids(result)).not.toContain('none');
          expect(result.totalHits).toBe(4);
        },
      ));

      it('when match is last and the page is small, then the all-words articles fill it first', given(WORDS_CORPUS, async (engine) => {
        const first = await search(engine, 'glacier survey funding', { perPage: 1 });
        expect(ids(first)).toEqual(['all-three']);
        expect(first.totalHits).toBe(4);
        expect(ids(await search(engine, 'glacier survey funding', { perPage: 1, page: 2 }))).toEqual(['first-two']);
      }));

      it('when match is all, then only articles holding every word are returned', given(WORDS_CORPUS, async (engine) => {
        const result = await search(engine, 'glacier survey funding', { match: 'all' });
        expect(ids(result)).toEqual(['all-three']);
        expect(result.totalHits).toBe(1);
      }));

      it('when the query has more than ten words, then the words after the tenth are ignored', given(
        [
          art('eleven', 'Counting game', 'one two three four five six seven eight nine ten eleven'),
          art('ten', 'Short count', 'one two three four five six seven eight nine ten'),
        ],
        async (engine) => {
          const q = 'one two three four five six seven eight nine ten eleven';
          expect(new Set(await find(engine, q, { match: 'all' }))).toEqual(new Set(['eleven', 'ten']));
        },
      ));

      it('when match is all and no article holds every word, then nothing is returned', given(WORDS_CORPUS, async (engine) => {
        const result = await search(engine, 'glacier penguin', { match: 'all' });
        expect(result.hits).toEqual([]);
        expect(result.totalHits).toBe(0);
        expect(result.totalPages).toBe(0);
        expect(new Set(await find(engine, 'glacier penguin', { match: 'last' }))).toEqual(
          new Set(['all-three', 'first-two', 'first-third', 'first-only']),
        );
      }));
    });

    describe('prefix search', () => {
      it('when the query ends in a partial word, then it matches words starting with it', given(PREFIX_CORPUS, async (engine) => {
        expect(new Set(await find(engine, 'elect'))).toEqual(new Set(['election', 'board-vote', 'electric']));
        expect(await find(engine, 'budg')).toEqual(expect.arrayContaining(['budget', 'board-vote']));
      }));

      it('when the query ends with a space, then its last word must match whole', given(PREFIX_CORPUS, async (engine) => {
        expect(await find(engine, 'elect ')).toEqual(['board-vote']);
      }));

      it('when a partial word is not the last word, then it is not a prefix', given(PREFIX_CORPUS, async (engine) => {
        expect(await find(engine, 'elect budget')).toEqual(['board-vote']);
        expect(await find(engine, 'elect budget', { match: 'all' })).toEqual(['board-vote']);
      }));
    });

    describe('typo tolerance', () => {
      it('when a 5-8 letter word has one typo (an adjacent swap), then it still matches', given(TYPO_CORPUS, async (engine) => {
        expect(await find(engine, 'prcies')).toEqual(['prices']);
        expect(await find(engine, 'pricez ')).toEqual(['prices']);
        expect(await find(engine, 'arived ')).toEqual(['tournament']);
      }));

      it('when a 5-8 letter word has two typos, then it does not match', given(TYPO_CORPUS, async (engine) => {
        expect(await find(engine, 'prcise')).toEqual([]);
        expect(await find(engine, 'gmaez ')).toEqual([]);
      }));

      it('when a word of 9 or more letters has two typos, then it still matches', given(TYPO_CORPUS, async (engine) => {
        expect(await find(engine, 'tornamant')).toEqual(['tournament']);
      }));

      it('when a word of 9 or more letters has three typos, then it does not match', given(TYPO_CORPUS, async (engine) => {
        expect(await find(engine, 'tornamanx ')).toEqual([]);
      }));

      it('when a word under 5 letters has a typo, then it does not match', given(TYPO_CORPUS, async (engine) => {
        expect(await find(engine, 'vite')).toEqual([]);
        expect(await find(engine, 'vote')).toEqual(['ballot']);
        expect(await find(engine, 'cst ')).toEqual([]);
        expect(await find(engine, 'cast')).toEqual(['ballot']);
      }));

      it('when a 4-letter word lost one letter of a 5-letter word, then it matches that word', given(TYPO_CORPUS, async (engine) => {
        expect(await find(engine, 'gams')).toEqual(['games']);
        expect(await find(engine, 'gams ')).toEqual(['games']);
        expect(await find(engine, 'chss ')).toEqual(['tournament']);
      }));

      it('when a word holds a digit, then it must match exactly', given(TYPO_CORPUS, async (engine) => {
        expect(await find(engine, 'model3')).toEqual(['scooter']);
        expect(await find(engine, 'modal3')).toEqual([]);
        expect(await find(engine, 'model4 ')).toEqual([]);
        expect(await find(engine, '2026')).toEqual(['year']);
        expect(await find(engine, '2025')).toEqual([]);
      }));

      it('when the first letter is wrong, then it costs two typos', given(TYPO_CORPUS, async (engine) => {
        expect(await find(engine, 'brices ')).toEqual([]);
      }));

      it('when some articles match exactly and others only with a typo, then the exact ones rank first', given(
        [...TYPO_CORPUS, art('prises', 'Prises and prises', 'Prises prises prises everywhere.', { publishedAt: '2026-12-31' })],
        async (engine) => {
          expect(await find(engine, 'prices ')).toEqual(['prices', 'prises']);
        },
      ));

      it('when a typo match has the words together and an exact match has them apart, then the exact one ranks first', given(
        [
          art('typo-near', 'Solar panles', 'New solar panles on the school roof.', { publishedAt: '2026-05-02' }),
          art('exact-far', 'Town energy', 'Solar power is cheap now, say engineers who fit rooftop systems, so the town orders new panels.', { publishedAt: '2026-05-01' }),
        ],
        async (engine) => {
          expect(await find(engine, 'solar panels')).toEqual(['exact-far', 'typo-near']);
        },
      ));
    });

    describe('showing results for (suggestion)', () => {
      const SPELLING = [
        art('blunkett', 'Blunkett wins the election', 'David Blunkett won the election in Sheffield.', { publishedAt: '2026-06-01' }),
        ...TYPO_CORPUS,
      ];

      it('when words matched only through typos, then the answer spells the query as the matched words', given(SPELLING, async (engine) => {
        expect((await search(engine, 'blunket electon')).suggestion).toBe('blunkett election');
        expect((await search(engine, 'blunket electon ')).suggestion).toBe('blunkett election');
      }));

      it('when a phrase, an exclusion or a word typed exactly is in the query, then they are kept as typed', given(SPELLING, async (engine) => {
        expect((await search(engine, 'Food prcies -cafe')).suggestion).toBe('food prices -cafe');
        expect((await search(engine, '"food prices" shopers ')).suggestion).toBe('"food prices" shoppers');
      }));

      it('when the word being typed starts a word of the hit, then it is not corrected', given(SPELLING, async (engine) => {
        expect((await search(engine, 'prcies cli')).suggestion).toBe('prices cli');
      }));

      it('when every word matched as typed, or nothing matched, then there is no suggestion', given(SPELLING, async (engine) => {
        expect((await search(engine, 'blunkett election')).suggestion).toBeUndefined();
        expect((await search(engine, 'elect')).suggestion).toBeUndefined();
        expect((await search(engine, 'zzyzx qwerty')).suggestion).toBeUndefined();
        expect((await search(engine, '')).suggestion).toBeUndefined();
      }));

      it('when the first hit holds the word as typed and others only a variant, then there is no suggestion', given(
        [...TYPO_CORPUS, art('prises', 'Prises and prises', 'Prises prises prises everywhere.', { publishedAt: '2026-12-31' })],
        async (engine) => {
          expect((await search(engine, 'prises ')).suggestion).toBeUndefined();
        },
      ));
    });

    describe('proximity and attribute ranking', () => {
      it('when the words are adjacent in one article and far apart in another, then the adjacent one ranks first', given(
        [
          art('far', 'Town energy', 'Solar power is cheap now, say engineers who fit rooftop systems, so the town orders new panels.', { publishedAt: '2026-05-02' }),
          // Longer and older than `far`: only proximity can put it first.
          art('near', 'School roof', 'New solar panels cover the roof of the school this week, say engineers who spent the whole month planning the work with teachers, parents and the caretaker.', { publishedAt: '2026-05-01' }),
        ],
        async (engine) => {
          expect(await find(engine, 'solar panels')).toEqual(['near', 'far']);
        },
      ));

      it('when a word is in one title and only in another body, then the title match ranks first', given(
        [
          art('in-body', 'Storm warning', 'The harbour harbour harbour closes at noon.', { publishedAt: '2026-05-02' }),
          art('in-title', 'Harbour closes', 'A storm warning was issued for the coast today.', { publishedAt: '2026-05-01' }),
        ],
        async (engine) => {
          expect(await find(engine, 'harbour')).toEqual(['in-title', 'in-body']);
        },
      ));

      it('when articles are equally relevant, then the newest comes first', given(
        [
          art('january', 'Lighthouse keeper', 'The lighthouse keeper retired.', { publishedAt: '2026-01-15' }),
          art('march', 'Lighthouse keeper', 'The lighthouse keeper retired.', { publishedAt: '2026-03-15' }),
          art('february', 'Lighthouse keeper', 'The lighthouse keeper retired.', { publishedAt: '2026-02-15' }),
        ],
        async (engine) => {
          expect(await find(engine, 'lighthouse')).toEqual(['march', 'february', 'january']);
        },
      ));
    });

    describe('freshness', () => {
      const now = Date.parse('2026-04-01T00:00:00Z');
      const FRESH_CORPUS = [
        // both hold the word in their title; the old one is the better match (its whole title, and thrice in its body)
        art('old-strong', 'Lighthouse', 'The lighthouse keeper left the lighthouse and its lighthouse lamp.', { publishedAt: '2025-01-01' }),
        art('new-weak', 'Lighthouse keeper hired on the north coast', 'A keeper was hired.', { publishedAt: '2026-03-31' }),
        art('other', 'Harbour news', 'Boats stayed in port.', { publishedAt: '2026-03-31' }),
      ];

      it('when freshness is not asked, then relevance alone orders the matches', given(FRESH_CORPUS, async (engine) => {
        expect(await find(engine, 'lighthouse')).toEqual(['old-strong', 'new-weak']);
      }));

      it('when freshness is asked with a short half-life, then a new match passes an old one of the same words', given(FRESH_CORPUS, async (engine) => {
        expect(await find(engine, 'lighthouse', { freshness: { halfLifeDays: 7, now } })).toEqual(['new-weak', 'old-strong']);
      }));

      it('when freshness is asked, then totals and the set of matches do not change', given(FRESH_CORPUS, async (engine) => {
        const plain = await search(engine, 'lighthouse');
        const fresh = await search(engine, 'lighthouse', { freshness: { halfLifeDays: 7, now } });
        expect(fresh.totalHits).toBe(plain.totalHits);
        expect(ids(fresh).sort()).toEqual(ids(plain).sort());
      }));

      it('when the sort is by date, then freshness changes nothing', given(FRESH_CORPUS, async (engine) => {
        const plain = await find(engine, 'lighthouse', { sort: 'oldest' });
        expect(await find(engine, 'lighthouse', { sort: 'oldest', freshness: { halfLifeDays: 7, now } })).toEqual(plain);
      }));
    });

    describe('phrases and exclusions', () => {
      it('when a phrase is quoted, then its words must be adjacent and in order', given(PHRASE_CORPUS, async (engine) => {
        expect(await find(engine, '"foreign minister"')).toEqual(['foreign-minister']);
        expect(await find(engine, '"minister foreign"')).toEqual([]);
      }));

      it('when a word is excluded, then no result holds it', given(PHRASE_CORPUS, async (engine) => {
        expect(await find(engine, 'minister -foreign')).toEqual(['minister-only']);
      }));

      it('when a phrase is excluded, then only results holding the phrase are dropped', given(PHRASE_CORPUS, async (engine) => {
        expect(await find(engine, 'tax -"tax cut"')).toEqual(['tax-apart']);
      }));

      it('when the query holds only exclusions, then everything else is returned', given(PHRASE_CORPUS, async (engine) => {
        const result = await search(engine, '-tax');
        expect(new Set(ids(result))).toEqual(new Set(['foreign-minister', 'minister-apart', 'minister-only', 'weather']));
        expect(result.totalHits).toBe(4);
        expect(new Set(await find(engine, '-"tax cut" -minister'))).toEqual(new Set(['tax-apart', 'weather']));
      }));
    });

    describe('query syntax', () => {
      const hostile = [
        'NEAR(a b)', 'title:foo', 'a OR b', '"unclosed', '*', '^x', '(', ')', 'AND', 'OR', 'NOT', 'NEAR', '"', '""',
        '-', '-"', '- -', 'a -', '{title}:x', 'x*', '**', ':', 'x:', '"a" OR "b"', "'", '\\', 'a AND', '+x', '-(a)',
        '-*', '\u0000', '😀', 'ａｎｄ', 'harbour"', '"harbour" "', `${'harbour '.repeat(40)}`, 'a"b"c', 'NEAR/3',
      ];

      it('when user text looks like FTS5 syntax, then the search never throws', given(SYNTAX_CORPUS, async (engine) => {
        for (const q of hostile) {
          for (const match of ['last', 'all'] as const) {
            const result = await search(engine, q, { match });
            expect(result.hits.length).toBeLessThanOrEqual(result.totalHits);
            for (const id of ids(result)) expect(['harbour', 'ferry', 'harbour-ferry']).toContain(id);
          }
        }
      }));

      it('when the query holds OR, AND, NOT or NEAR, then they are plain words, not operators', given(SYNTAX_CORPUS, async (engine) => {
        expect(await find(engine, 'harbour OR ferry', { match: 'all' })).toEqual(['harbour-ferry']);
        expect(await find(engine, 'harbour AND ferry', { match: 'all' })).toEqual(['harbour-ferry']);
        expect(await find(engine, 'NEAR(harbour ferry)', { match: 'all' })).toEqual(['harbour-ferry']);
        expect(await find(engine, 'ferry NOT harbour', { match: 'all' })).toEqual([]);
      }));

      it('when the query holds a column filter, then it is read as words and searches every field', given(SYNTAX_CORPUS, async (engine) => {
        // As an FTS5 column filter, `body:ferry` would find only `harbour-ferry` ("ferry" is in the other's title only).
        expect(await find(engine, 'body:ferry', { match: 'all' })).toEqual([]);
        expect(new Set(await find(engine, 'body:ferry'))).toEqual(new Set(await find(engine, 'body ferry')));
        expect(await find(engine, 'ferry:harbour', { match: 'all' })).toEqual(['harbour-ferry']);
        expect(new Set(await find(engine, 'harbour ferry:', { match: 'all' }))).toEqual(new Set(['harbour-ferry']));
        expect(new Set(await find(engine, 'ferry:'))).toEqual(new Set(['ferry', 'harbour-ferry']));
      }));

      it('when the query holds *, ^ or parentheses around words, then the words are searched as typed', given(
        SYNTAX_CORPUS,
        async (engine) => {
          const plain = new Set(await find(engine, 'harbour'));
          expect(plain).toEqual(new Set(['harbour', 'harbour-ferry']));
          expect(new Set(await find(engine, '^harbour'))).toEqual(plain);
          expect(new Set(await find(engine, 'harbour*'))).toEqual(plain);
          expect(new Set(await find(engine, '(harbour)'))).toEqual(plain);
        },
      ));

      it('when a quote is never closed, then the phrase runs to the end of the query', given(SYNTAX_CORPUS, async (engine) => {
        expect(await find(engine, '"harbour reopened')).toEqual(['harbour']);
        expect(await find(engine, '"unclosed')).toEqual([]);
      }));

      it('when the query holds only punctuation, then it lists everything like an empty query', given(SYNTAX_CORPUS, async (engine) => {
        for (const q of ['*', '(', '-', '""', '^']) {
          const result = await search(engine, q);
          expect(result.totalHits).toBe(3);
        }
      }));
    });

    describe('filters', () => {
      const filtered = async (engine: SearchEngine, q: string, filters: SearchRequest['filters']) =>
        new Set(await find(engine, q, { filters }));

      it('when several values of one field are given, then any of them passes', given(FILTER_CORPUS, async (engine) => {
        expect(await filtered(engine, '', { category: ['politics', 'sport'] })).toEqual(new Set(['pol-1', 'pol-2', 'spo-1', 'spo-2']));
        expect(await filtered(engine, '', { tags: ['budget', 'music'] })).toEqual(new Set(['pol-2', 'cul-1']));
        expect(await filtered(engine, '', { source: ['Valley Times'] })).toEqual(new Set(['pol-2', 'spo-2']));
      }));

      it('when several fields are filtered, then an article must pass every one', given(FILTER_CORPUS, async (engine) => {
        expect(await filtered(engine, '', { source: ['Coastal Courier'], category: ['sport'] })).toEqual(new Set(['spo-1']));
        expect(await filtered(engine, '', { tags: ['football'], source: ['Valley Times'] })).toEqual(new Set(['spo-2']));
        expect(await filtered(engine, '', { category: ['culture'], tags: ['football'] })).toEqual(new Set());
      }));

      it('when a date-only range is given, then both ends are inclusive and "to" covers its whole UTC day', given(
        FILTER_CORPUS,
        async (engine) => {
          expect(await filtered(engine, '', { from: '2026-03-14', to: '2026-03-14' })).toEqual(new Set(['spo-1', 'spo-2']));
          expect(await filtered(engine, '', { to: '2026-03-12' })).toEqual(new Set(['pol-1', 'pol-2']));
          expect(await filtered(engine, '', { from: '2026-03-15' })).toEqual(new Set(['cul-1']));
        },
      ));

      it('when a range is given to the millisecond, then its exact bounds are inclusive', given(FILTER_CORPUS, async (engine) => {
        expect(await filtered(engine, '', { from: '2026-03-14T23:59:59.999Z' })).toEqual(new Set(['spo-2', 'cul-1']));
        expect(await filtered(engine, '', { to: '2026-03-12T00:00:00.000Z' })).toEqual(new Set(['pol-1', 'pol-2']));
        expect(await filtered(engine, '', { from: '2026-03-12T00:00:00.001Z', to: '2026-03-14T23:59:59.998Z' })).toEqual(new Set(['spo-1']));
      }));

      it('when filters are combined with a query, then results must match both', given(FILTER_CORPUS, async (engine) => {
        expect(await filtered(engine, 'council', {})).toEqual(new Set(['pol-1', 'pol-2', 'spo-1', 'cul-1', 'bare']));
        expect(await filtered(engine, 'council', { category: ['politics'] })).toEqual(new Set(['pol-1', 'pol-2']));
        expect(await filtered(engine, 'council', { tags: ['football'] })).toEqual(new Set(['spo-1']));
        expect(await filtered(engine, 'council', { from: '2026-03-13', source: ['Coastal Courier'] })).toEqual(new Set(['spo-1', 'cul-1']));
        const result = await search(engine, 'council', { filters: { tags: ['council'] } });
        expect(ids(result)).toEqual(['pol-1']);
        expect(result.totalHits).toBe(1);
      }));

      it('when a filter matches nothing, then the result is empty', given(FILTER_CORPUS, async (engine) => {
        const result = await search(engine, 'council', { filters: { category: ['science'] } });
        expect(result.hits).toEqual([]);
        expect(result.totalHits).toBe(0);
        expect((await search(engine, '', { filters: { from: '2027-01-01' } })).totalHits).toBe(0);
      }));
    });

    describe('entities', () => {
      const vantorp = [{ kind: 'people', name: 'Ilse Vantorp' }] as const;

      it('when a query names an entity, then the article about it ranks before a newer one naming it in the title', given(
        ENTITY_CORPUS,
        async (engine) => {
          expect(ids(await engine.search(searchRequest({ q: 'Ilse Vantorp', about: vantorp })))).toEqual(['about', 'mention']);
        },
      ));

      it('when a query with no words filters on an entity, then the article about it comes first', given(ENTITY_CORPUS, async (engine) => {
        expect(ids(await engine.search(searchRequest({ q: '', filters: { people: ['Ilse Vantorp'] } })))).toEqual(['about', 'mention']);
      }));

      it('when sorted by date, then entity filters keep the date order', given(ENTITY_CORPUS, async (engine) => {
        const newest = await engine.search(searchRequest({ q: '', sort: 'newest', filters: { people: ['Ilse Vantorp'] } }));
        expect(ids(newest)).toEqual(['mention', 'about']);
      }));
    });

    describe('facets', () => {
      const ALL = ['category', 'source', 'tags'] as const;

      it('when facets are asked with an empty query, then they count every article, not only the page', given(
        FILTER_CORPUS,
        async (engine) => {
          const result = await search(engine, '', { perPage: 1, facets: ALL });
          expect(result.hits).toHaveLength(1);
          expect(result.totalHits).toBe(6);
          expect(result.facets).toEqual({
            category: { politics: 2, sport: 2, culture: 1 },
            source: { 'Coastal Courier': 3, 'Valley Times': 2 },
            tags: { election: 1, council: 2, budget: 1, football: 2, music: 1 },
          });
        },
      ));

      it('when facets are asked with a query, then they count every match', given(FILTER_CORPUS, async (engine) => {
        const expected = {
          category: { politics: 2, sport: 1, culture: 1 },
          source: { 'Coastal Courier': 3, 'Valley Times': 1 },
          tags: { election: 1, council: 1, budget: 1, football: 1, music: 1 },
        };
        expect((await search(engine, 'council', { perPage: 1, facets: ALL })).facets).toEqual(expected);
        expect((await search(engine, 'council election', { perPage: 1, facets: ALL })).facets).toEqual(expected);
      }));

      it('when facets are asked with filters, then they count only articles passing them', given(FILTER_CORPUS, async (engine) => {
        const result = await search(engine, 'council', { perPage: 1, facets: ALL, filters: { source: ['Coastal Courier'] } });
        expect(result.facets).toEqual({
          category: { politics: 1, sport: 1, culture: 1 },
          source: { 'Coastal Courier': 3 },
          tags: { election: 1, council: 1, football: 1, music: 1 },
        });
        const byTag = await search(engine, '', { facets: ['tags', 'category'], filters: { tags: ['football'] } });
        expect(byTag.facets).toEqual({ tags: { football: 2, council: 1 }, category: { sport: 2 } });
      }));

      it('when only some facets are asked, then only those are counted', given(FILTER_CORPUS, async (engine) => {
        expect(Object.keys((await search(engine, 'council', { facets: ['source'] })).facets)).toEqual(['source']);
        expect((await search(engine, 'council')).facets).toEqual({});
      }));
    });

    describe('histogram', () => {
      const sum = (r: SearchResult) => (r.histogram?.buckets ?? []).reduce((n, b) => n + b.count, 0) + (r.histogram?.undated ?? 0);

      it('when a histogram is asked with a query, then it counts every match per day, undated ones apart, adding up to totalHits', given(
        FILTER_CORPUS,
        async (engine) => {
          const result = await search(engine, 'council', { perPage: 1, histogram: 'day' });
          expect(result.hits).toHaveLength(1);
          expect(result.histogram).toEqual({
            interval: 'day',
            buckets: [
              { start: '2026-03-10', count: 1 },
              { start: '2026-03-12', count: 1 },
              { start: '2026-03-14', count: 1 },
              { start: '2026-03-15', count: 1 },
            ],
            undated: 1,
          });
          expect(sum(result)).toBe(result.totalHits);
        },
      ));

      it('when a histogram is asked with an empty query, then weeks start on Monday and months on the first', given(
        FILTER_CORPUS,
        async (engine) => {
          const weeks = await search(engine, '', { perPage: 1, histogram: 'week' });
          // 2026-03-10 is a Tuesday (week of Monday 9th); 12th and 14th/14th too; Sunday 15th closes that week
          expect(weeks.histogram).toEqual({ interval: 'week', buckets: [{ start: '2026-03-09', count: 5 }], undated: 1 });
          const months = await search(engine, '', { histogram: 'month' });
          expect(months.histogram).toEqual({ interval: 'month', buckets: [{ start: '2026-03-01', count: 5 }], undated: 1 });
          expect(sum(weeks)).toBe(weeks.totalHits);
        },
      ));

      it('when a histogram is asked with filters, then it counts only articles passing them', given(FILTER_CORPUS, async (engine) => {
        const result = await search(engine, 'council', { histogram: 'day', filters: { category: ['sport'] } });
        expect(result.histogram).toEqual({ interval: 'day', buckets: [{ start: '2026-03-14', count: 1 }], undated: 0 });
        const none = await search(engine, 'nothingmatcheshere', { histogram: 'month', match: 'all' });
        expect(none.histogram).toEqual({ interval: 'month', buckets: [], undated: 0 });
      }));

      it('when no histogram is asked, then none is answered', given(FILTER_CORPUS, async (engine) => {
        expect((await search(engine, 'council')).histogram).toBeUndefined();
        expect((await search(engine, '')).histogram).toBeUndefined();
      }));
    });

    describe('copy groups (collapse)', () => {
      // copy groups are named at write time (storage/copy-groups.ts); an engine stores the name it is given
      const grouped = (group: string | undefined, article: Article): Article => (group === undefined ? article : { ...article, copyGroup: group });
      const copies = [
        grouped('wire-1', art('wire-1', 'Ferry strike ends', 'Union leaders said the ferry strike ended on Monday.', { category: 'transport', publishedAt: '2026-05-01' })),
        grouped('wire-1', art('wire-2', 'Ferry strike ends, union says', 'Union leaders said the ferry strike ended on Monday.', { category: 'transport', publishedAt: '2026-05-02' })),
        grouped('wire-1', art('wire-3', 'Strike over', 'Union leaders said the ferry strike ended on Monday at noon.', { category: 'transport', publishedAt: '2026-05-03' })),
        grouped('other', art('other', 'Ferry timetable', 'The ferry strike changed the timetable.', { category: 'local', publishedAt: '2026-05-04' })),
        art('alone', 'Harbour fair', 'The harbour fair opens.', { publishedAt: '2026-05-05' }),
      ];
      const collapse = { collapse: true, freshness: undefined } as Partial<SearchRequest>;

      it('when a search collapses, then each copy group is one hit and totalHits, facets and histogram count groups', given(copies, async (engine) => {
        const result = await search(engine, 'ferry strike', { ...collapse, facets: ['category'], histogram: 'month' });
        expect(ids(result)).toHaveLength(2);
        expect(ids(result)).toContain('other');
        expect(ids(result).filter((id) => id.startsWith('wire-'))).toHaveLength(1);
        expect(result.totalHits).toBe(2);
        expect(result.facets).toEqual({ category: { transport: 1, local: 1 } });
        expect(result.histogram?.buckets.reduce((n, b) => n + b.count, 0)).toBe(2);
      }));

      it('when a search does not collapse, then every copy is a hit', given(copies, async (engine) => {
        const result = await search(engine, 'ferry strike', { facets: ['category'] });
        expect(ids(result).sort()).toEqual(['other', 'wire-1', 'wire-2', 'wire-3']);
        expect(result.totalHits).toBe(4);
        expect(result.facets).toEqual({ category: { transport: 3, local: 1 } });
      }));

      it('when copies rank differently, then the group is shown by its best-ranked copy', given(copies, async (engine) => {
        // only wire-3 holds "noon"; with match=last the others still match "ferry" but rank lower
        expect(await find(engine, 'ferry noon', collapse)).toEqual(['wire-3', 'other']);
      }));

      it('when a collapsed search is paged, then pages count groups', given(copies, async (engine) => {
        const first = await search(engine, 'ferry strike', { ...collapse, perPage: 1, page: 1 });
        const second = await search(engine, 'ferry strike', { ...collapse, perPage: 1, page: 2 });
        expect([first.totalHits, first.totalPages]).toEqual([2, 2]);
        expect([...ids(first), ...ids(second)].filter((id) => id.startsWith('wire-'))).toHaveLength(1);
        expect([...ids(first), ...ids(second)]).toContain('other');
      }));

      it('when one group holds many copies that all rank first, then a short page still shows other groups', given(
        [
          ...Array.from({ length: 25 }, (_, i) => grouped('big', art(`big-${String(i).padStart(2, '0')}`, 'Ferry strike ferry strike', 'Ferry strike.'))),
          grouped('small', art('small', 'Ferry news', 'A strike.')),
          art('lone', 'Ferry', 'Timetable.'),
        ],
        async (engine) => {
          const page = await search(engine, 'ferry strike', { ...collapse, perPage: 2 });
          expect(page.totalHits).toBe(3);
          expect(ids(page)).toHaveLength(2);
          expect(ids(page)[0]).toMatch(/^big-/);
          expect(ids(page)[1]).toBe('small');
          expect(ids(await search(engine, 'ferry strike', { ...collapse, perPage: 2, page: 2 }))).toEqual(['lone']);
        },
      ));

      it('when a listing without words collapses, then one article per group passing the filters is listed', given(copies, async (engine) => {
        const all = await search(engine, '', collapse);
        expect(all.totalHits).toBe(3);
        expect(ids(all).filter((id) => id.startsWith('wire-'))).toHaveLength(1);
        const late = await search(engine, '', { ...collapse, filters: { from: '2026-05-02' } });
        expect(ids(late).filter((id) => id.startsWith('wire-'))).toHaveLength(1);
        expect(late.totalHits).toBe(3);
      }));
    });

    describe('sorting', () => {
      const dated = [
        art('mid', 'Tram line', 'The tram line opens.', { publishedAt: '2026-06-15' }),
        art('old', 'Tram depot', 'The tram depot was built.', { publishedAt: '2026-06-01' }),
        art('new', 'Tram tram tram', 'Tram tram tram tram.', { publishedAt: '2026-06-30' }),
        art('newer', 'Tram strike', 'The tram drivers strike.', { publishedAt: '2026-07-01T00:00:00Z' }),
      ];

      it('when sorting newest first, then results come in descending date', given(dated, async (engine) => {
        expect(await find(engine, 'tram', { sort: 'newest' })).toEqual(['newer', 'new', 'mid', 'old']);
      }));

      it('when sorting oldest first, then results come in ascending date', given(dated, async (engine) => {
        expect(await find(engine, 'tram', { sort: 'oldest' })).toEqual(['old', 'mid', 'new', 'newer']);
      }));

      it('when the query is empty, then everything is listed newest first', given(dated, async (engine) => {
        const result = await search(engine, '');
        expect(ids(result)).toEqual(['newer', 'new', 'mid', 'old']);
        expect(result.totalHits).toBe(4);
        expect(await find(engine, '', { sort: 'oldest' })).toEqual(['old', 'mid', 'new', 'newer']);
      }));
    });

    describe('highlighting', () => {
      const hitOf = async (engine: SearchEngine, q: string, id: string) => {
        const hit = (await search(engine, q)).hits.find((h) => h.article.id === id);
        expect(hit).toBeDefined();
        return hit!.highlight;
      };

      it('when a word matches, then it is wrapped in <mark> in the title and the snippet', given(HIGHLIGHT_CORPUS, async (engine) => {
        const { title, snippet } = await hitOf(engine, 'election', 'election-night');
        expect(title).toBe('<mark>Election</mark> night in Riverton');
        expect(snippet).toContain('<mark>election</mark>');
      }));

      it('when a word matches by prefix or by typo, then the word found is marked', given(HIGHLIGHT_CORPUS, async (engine) => {
        expect((await hitOf(engine, 'elect', 'election-night')).title).toContain('<mark>Election</mark>');
        const typo = await hitOf(engine, 'prcies', 'food-prices');
        expect(typo.title).toContain('<mark>prices</mark>');
        expect(typo.snippet).toContain('<mark>prices</mark>');
      }));

      it('when a title holds HTML, then it is escaped and only <mark> tags remain', given(HIGHLIGHT_CORPUS, async (engine) => {
        const { title } = await hitOf(engine, 'jerry', 'html');
        expect(title).toContain('<mark>Jerry</mark>');
        expect(title).not.toContain('<script>');
        expect(title).toContain('&lt;script&gt;');
        expect(title).toContain('Tom &amp; ');
        expect(title).not.toContain('"');
        expect(withoutMarks(title)).not.toMatch(/[<>"]/);
      }));

      it('when a body holds HTML, then the snippet is escaped and only <mark> tags remain', given(HIGHLIGHT_CORPUS, async (engine) => {
        const { snippet } = await hitOf(engine, 'cheered', 'html');
        expect(snippet).toContain('<mark>cheered</mark>');
        expect(snippet).not.toContain('<script>');
        expect(snippet).not.toContain('<b>');
        expect(snippet).toContain('&lt;b&gt;wow&lt;/b&gt; &amp;');
        expect(withoutMarks(snippet)).not.toMatch(/[<>"]/);
      }));

      it('when a matched word is also an entity name (amp, lt, quot), then marks never split an entity', given(
        HIGHLIGHT_CORPUS,
        async (engine) => {
          const { snippet } = await hitOf(engine, 'amp lt quot', 'html');
          expect(snippet).toContain('the <mark>amp</mark> &amp; <mark>lt</mark> <mark>quot</mark> stayed');
          expect(snippet).not.toMatch(/&<mark>|<mark>;|&(?!amp;|lt;|gt;|quot;|#39;)/);
          const script = await hitOf(engine, 'script', 'html');
          expect(script.title).toContain('&lt;<mark>script</mark>&gt;');
        },
      ));

      it('when nothing is highlighted (empty query), then title and snippet are still escaped', given(HIGHLIGHT_CORPUS, async (engine) => {
        const { title, snippet } = await hitOf(engine, '', 'html');
        expect(title).not.toContain('<');
        expect(title).toContain('&lt;script&gt;');
        expect(snippet).not.toContain('<');
        expect(snippet).toContain('&lt;b&gt;');
      }));

      it('when the body is long, then the snippet is cropped around the match with an ellipsis', given(HIGHLIGHT_CORPUS, async (engine) => {
        const { snippet } = await hitOf(engine, 'avalanche', 'long');
        expect(snippet).toContain('<mark>avalanche</mark>');
        expect(snippet.startsWith('…')).toBe(true);
        expect(snippet.endsWith('…')).toBe(true);
        expect(snippet.length).toBeLessThan(LONG_BODY.length / 2);
        const opening = await hitOf(engine, 'calm', 'long');
        expect(opening.snippet.startsWith('<mark>Calm</mark> weather')).toBe(true);
        expect(opening.snippet.endsWith('…')).toBe(true);
        const plain = await hitOf(engine, '', 'long');
        expect(plain.snippet.length).toBeLessThan(LONG_BODY.length / 2);
        expect(plain.snippet.endsWith('…')).toBe(true);
      }));
    });

    describe('pagination', () => {
      const pagesOf = async (engine: SearchEngine, q: string, perPage: number, overrides: Partial<SearchRequest> = {}) => {
        const first = await engine.search(searchRequest({ q, perPage, ...overrides }));
        const all = [...ids(first)];
        for (let page = 2; page <= first.totalPages; page++) {
          const next = await engine.search(searchRequest({ q, perPage, page, ...overrides }));
          expect(next.totalHits).toBe(first.totalHits);
          expect(next.totalPages).toBe(first.totalPages);
          expect(next.page).toBe(page);
          expect(next.hits.length).toBe(page < first.totalPages ? perPage : first.totalHits - perPage * (page - 1));
          all.push(...ids(next));
        }
        return { first, all };
      };

      it('when paging through every bucket (words, typo, proximity), then pages join with no duplicate and no gap', given(BUCKET_CORPUS, async (engine) => {
        const whole = ids(await search(engine, 'river bridge'));
        expect(new Set(whole)).toEqual(new Set(BUCKET_MATCHES));
        for (const perPage of [1, 2, 3, 4, 5, 10, 11, 12]) {
          const { first, all } = await pagesOf(engine, 'river bridge', perPage);
          expect(first.totalHits).toBe(11);
          expect(first.totalPages).toBe(Math.ceil(11 / perPage));
          expect(first.perPage).toBe(perPage);
          expect(all).toEqual(whole);
        }
      }));

      it('when paging with another sort, a filter or an empty query, then pages still join exactly', given(BUCKET_CORPUS, async (engine) => {
        const cases: [string, Partial<SearchRequest>][] = [
          ['river bridge', { sort: 'newest' }],
          ['river bridge', { sort: 'oldest' }],
          ['river bridge', { filters: { from: '2026-04-02' } }],
          ['river bridge', { match: 'all' }],
          ['', {}],
          ['-bridge', {}],
        ];
        for (const [q, overrides] of cases) {
          const whole = ids(await search(engine, q, overrides));
          const { first, all } = await pagesOf(engine, q, 2, overrides);
          expect(first.totalHits).toBe(whole.length);
          expect(all).toEqual(whole);
          expect(new Set(all).size).toBe(all.length);
        }
      }));

      it('when a page lies past the end, then it is empty but keeps totalHits', given(BUCKET_CORPUS, async (engine) => {
        const result = await search(engine, 'river bridge', { perPage: 3, page: 5 });
        expect(result.hits).toEqual([]);
        expect(result.totalHits).toBe(11);
        expect(result.totalPages).toBe(4);
        expect(result.page).toBe(5);
        const empty = await search(engine, '', { perPage: 10, page: 3 });
        expect(empty.hits).toEqual([]);
        expect(empty.totalHits).toBe(BUCKET_CORPUS.length);
      }));
    });

    describe('every result (exports)', () => {
      /** allResults read to the end: the articles in order, and the size of each batch. */
      const readAll = async (engine: SearchEngine, q: string, batch: number, overrides: Partial<SearchRequest> = {}) => {
        const { page: _page, perPage: _perPage, facets: _facets, histogram: _histogram, ...whole } = searchRequest({ q, ...overrides });
        const articles: HitArticle[] = [];
        const sizes: number[] = [];
        for await (const step of engine.allResults(whole, batch)) {
          sizes.push(step.length);
          articles.push(...step);
        }
        return { articles, sizes };
      };
      /** A hit's article as an export shows it: without body and salience. */
      const exported = (result: SearchResult) => result.hits.map(({ article: { body: _body, salience: _salience, ...rest } }) => rest);

      it('when every result is read in batches, then they are the search pages end to end, in batches of at most the size asked', given(BUCKET_CORPUS, async (engine) => {
        const cases: [string, Partial<SearchRequest>][] = [
          ['river bridge', {}],
          ['river bridge', { sort: 'newest' }],
          ['river bridge', { sort: 'oldest' }],
          ['river bridge', { match: 'all' }],
          ['river bridge', { filters: { from: '2026-04-02' } }],
          ['river bridge', { freshness: { halfLifeDays: 1, now: Date.parse('2026-04-06T00:00:00Z') } }],
          ['', {}],
          ['', { sort: 'oldest' }],
          ['-bridge', {}],
        ];
        for (const [q, overrides] of cases) {
          const whole = await search(engine, q, overrides);
          expect(whole.totalHits).toBeGreaterThan(2);
          for (const batch of [2, 3, 100]) {
            const { articles, sizes } = await readAll(engine, q, batch, overrides);
            expect(articles).toEqual(exported(whole));
            expect(sizes.slice(0, -1).every((n) => n === batch)).toBe(true);
            expect(sizes.at(-1)).toBeLessThanOrEqual(batch);
          }
        }
      }));

      it('when every result of a collapsed search is read, then each copy group is there once, as the search pages show it', given(
        [
          ...['wire-1', 'wire-2', 'wire-3'].map((id, i) => ({ ...art(id, 'Ferry strike ends', `Union leaders said the ferry strike ended${i === 2 ? ' at noon' : ''}.`, { publishedAt: `2026-05-0${i + 1}` }), copyGroup: 'wire' })),
          { ...art('other', 'Ferry timetable', 'The ferry strike changed the timetable.', { publishedAt: '2026-05-04' }), copyGroup: 'other' },
          art('alone', 'Ferry fair', 'The harbour fair opens by the ferry.', { publishedAt: '2026-05-05' }),
        ],
        async (engine) => {
          for (const q of ['ferry strike', 'ferry noon', '']) {
            const collapse = { collapse: true, freshness: undefined } as Partial<SearchRequest>;
            const { articles } = await readAll(engine, q, 1, collapse);
            expect(articles).toEqual(exported(await search(engine, q, collapse)));
            expect(articles.filter((a) => a.id.startsWith('wire-'))).toHaveLength(1);
          }
        },
      ));

      it('when the articles carry entity salience, then the results read leave it out, and an entity filter orders them as search does', given(ENTITY_CORPUS, async (engine) => {
        const filters = { people: ['Ilse Vantorp'] };
        const { articles } = await readAll(engine, '', 2, { filters });
        expect(articles.map((a) => a.id)).toEqual(['about', 'mention']);
        expect(articles).toEqual(exported(await search(engine, '', { filters })));
        for (const a of articles) expect(a).not.toHaveProperty('salience');
      }));

      it('when nothing matches, then reading every result ends at once', given(BUCKET_CORPUS, async (engine) => {
        expect((await readAll(engine, 'zeppelin', 5)).articles).toEqual([]);
      }));
    });

    describe('Unicode', () => {
      it('when a query has no diacritics, then it finds words written with them', given(UNICODE_CORPUS, async (engine) => {
        expect(new Set(await find(engine, 'Zoe'))).toEqual(new Set(['zoe-accent', 'zoe-plain']));
        expect(new Set(await find(engine, 'erdogan'))).toEqual(new Set(['erdogan-accent', 'erdogan-plain']));
      }));

      it('when a query has diacritics, then it finds words written without them', given(UNICODE_CORPUS, async (engine) => {
        expect(new Set(await find(engine, 'Zoë'))).toEqual(new Set(['zoe-accent', 'zoe-plain']));
        expect(new Set(await find(engine, 'Erdoğan'))).toEqual(new Set(['erdogan-accent', 'erdogan-plain']));
        expect(new Set(await find(engine, 'ERDOĞAN spoke', { match: 'all' }))).toEqual(new Set(['erdogan-accent']));
      }));

      const decomposed = [art('nfd', 'Nai\u0308ve plan', 'A nai\u0308ve plan by Zoe\u0308.')];

      it('when text is stored in decomposed form (NFD), then it is found by either spelling', given(decomposed, async (engine) => {
        expect(await find(engine, 'naive')).toEqual(['nfd']);
        expect(await find(engine, 'naïve')).toEqual(['nfd']);
        expect(await find(engine, 'Zoë')).toEqual(['nfd']);
      }));

      itUnless('nfd-highlight')('when text is stored in decomposed form (NFD), then its matched words are marked whole', given(
        decomposed,
        async (engine) => {
          const hit = (await search(engine, 'naive zoe')).hits[0];
          expect(hit?.highlight.title).toBe('<mark>Nai\u0308ve</mark> plan');
          expect(hit?.highlight.snippet).toBe('A <mark>nai\u0308ve</mark> plan by <mark>Zoe\u0308</mark>.');
        },
      ));

      itUnless('compatibility-characters')(
        'when text holds compatibility characters (ligature ﬁ, fullwidth letters), then its words are found as plain letters',
        given([art('ligature', 'ﬁnance news', 'The ｆｅｒｒｙ timetable changed.')], async (engine) => {
          expect(await find(engine, 'finance')).toEqual(['ligature']);
          expect(await find(engine, 'ﬁnance')).toEqual(['ligature']);
          expect(await find(engine, 'ferry')).toEqual(['ligature']);
          expect(await find(engine, 'ｆｅｒｒｙ')).toEqual(['ligature']);
        }),
      );

      it('when a folded word matches, then the original spelling is marked', given(UNICODE_CORPUS, async (engine) => {
        const hit = (await search(engine, 'zoe adler')).hits.find((h) => h.article.id === 'zoe-accent');
        expect(hit?.highlight.title).toBe('<mark>Zoë</mark> <mark>Adler</mark> wins');
      }));
    });
  });
}
