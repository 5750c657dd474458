import fc from 'fast-check';
import type { Article } from '../../src/core/article.js';
import { QueryIndex } from '../../src/alerts/query-index.js';
import type { SavedQuery } from '../../src/alerts/saved-query.js';
import { compileQuery } from '../../src/alerts/saved-query.js';
import { SqliteEngine } from '../../src/engines/sqlite/sqlite-engine.js';
import type { SearchFilters } from '../../src/engines/search-engine.js';
import { makeArticle, searchRequest } from '../helpers/make-article.js';

/** Articles with words, typos, phrases, filters and dates to tell the queries apart. */
const ARTICLES: Article[] = [
  { ...makeArticle({ id: 'qin-1', title: 'Qin Gang meets the foreign minister', body: 'The foreign minister of Japan met Qin Gang in Beijing.', category: 'world', source: 'reuters', publishedAt: '2026-03-01T10:00:00Z', tags: ['diplomacy'] }), people: ['Qin Gang'], places: ['Japan', 'Beijing'] },
  { ...makeArticle({ id: 'qin-2', title: 'Minister Qin absent', body: 'Qin Gang has not been seen for weeks; the ministry said nothing.', category: 'world', source: 'bbc', publishedAt: '2026-07-20T10:00:00Z' }), people: ['Qin Gang'] },
  makeArticle({ id: 'coffee-1', title: 'Coffee prices climb', body: 'Arabica coffee futures rose as Brazilian harvest estimates fell.', category: 'markets', source: 'reuters', publishedAt: '2026-02-10T08:00:00Z', tags: ['commodities'] }),
  makeArticle({ id: 'coffee-2', title: 'Cofee exports slow', body: 'Vietnam robusta shipments slowed; coffee traders blamed the weather.', category: 'markets', source: 'bbc' }),
  makeArticle({ id: 'ferry-1', title: 'Ferry service resumes', body: 'The harbour reopened and the ferry service resumes after the storms.', category: 'local', source: 'herald', publishedAt: '2026-03-14T23:30:00Z' }),
  makeArticle({ id: 'ferry-2', title: 'Service of the ferry cut', body: 'Storms closed the harbour; the ferry to the island was cancelled.', category: 'local', source: 'herald', publishedAt: '2026-03-15T00:30:00Z' }),
  makeArticle({ id: 'budget-1', title: 'Council budget approved', body: 'The council approved the budget with new spending on schools and libraries.', category: 'politics', source: 'herald', tags: ['budget', 'council'] }),
  makeArticle({ id: 'budget-2', title: 'Budgte row in parliament', body: 'Parliament debated the government budget; the opposition walked out.', category: 'politics', source: 'bbc', tags: ['budget'] }),
  makeArticle({ id: 'covid-1', title: 'COVID-19 cases fall', body: 'Health officials reported fewer cases of covid in 2026 than in 2025.', category: 'health', source: 'reuters' }),
  makeArticle({ id: 'brown-1', title: 'Brown bears return', body: 'Brown bears were seen in the valley for the first time in decades.', category: 'science', source: 'bbc' }),
];

/** Saved queries: words, typos, phrases, exclusions, filters, dates, filters alone. */
const QUERIES: Record<string, SavedQuery> = {
  qin: { q: 'qin gang', filters: {} },
  qinTypo: { q: 'qin ganng', filters: {} },
  foreignMinister: { q: '"foreign minister"', filters: {} },
  ministerForeign: { q: '"minister foreign"', filters: {} },
  coffee: { q: 'coffee', filters: {} },
  coffeeNoVietnam: { q: 'coffee -vietnam', filters: {} },
  coffeeNotRobusta: { q: 'coffee -"robusta shipments"', filters: {} },
  coffeeReuters: { q: 'coffee', filters: { source: ['reuters'] } },
  coffeeFeb: { q: 'coffee', filters: { from: '2026-02-01', to: '2026-02-28' } },
  ferryPhrase: { q: '"ferry service"', filters: {} },
  ferryWords: { q: 'ferry service', filters: {} },
  ferryMarch14: { q: 'ferry', filters: { to: '2026-03-14' } },
  budget: { q: 'budget', filters: {} },
  budgetTypo: { q: 'budegt council', filters: {} },
  budgetTag: { q: '', filters: { tags: ['budget'] } },
  councilTagOnly: { q: '', filters: { tags: ['council'], category: ['politics'] } },
  politicsNotCouncil: { q: '-council', filters: { category: ['politics'] } },
  qinPerson: { q: '', filters: { people: ['Qin Gang'] } },
  qinPersonBeijing: { q: 'beijing', filters: { people: ['Qin Gang'] } },
  covid: { q: 'covid 2026', filters: {} },
  covidYear: { q: 'covid 2027', filters: {} },
  brwn: { q: 'brwn bears', filters: {} },
  worldOrMarkets: { q: 'the', filters: { category: ['world', 'markets'] } },
  nothing: { q: 'zeppelin', filters: {} },
};

/** The articles the keyword search returns for a query with every word required (`match=all`), as a set of ids. */
async function searched(engine: SqliteEngine, q: string, filters: SearchFilters): Promise<string[]> {
  const result = await engine.search(searchRequest({ q: `${q} `, match: 'all', filters, perPage: 100 }));
  return result.hits.map((h) => h.article.id).sort();
}

describe('the saved-query index', () => {
  const index = new QueryIndex();
  for (const [id, query] of Object.entries(QUERIES)) index.add(compileQuery(id, query)!);
  const byArticle = new Map<string, string[]>();
  for (const article of ARTICLES) {
    const at = article.publishedAt === undefined ? undefined : Date.parse(article.publishedAt);
    byArticle.set(article.id, index.match({ ...article, publishedAt: at }));
  }
  const alerted = (queryId: string) => ARTICLES.filter((a) => byArticle.get(a.id)!.includes(queryId)).map((a) => a.id).sort();

  it('when articles are matched against every saved query, then each query gets exactly the articles the search returns for it', async () => {
    const engine = SqliteEngine.open({ file: ':memory:' });
    await engine.upsert(ARTICLES);
    for (const [id, query] of Object.entries(QUERIES)) {
      expect({ id, articles: alerted(id) }).toEqual({ id, articles: await searched(engine, query.q, query.filters) });
    }
    await engine.close();
  });

  it.each([
    ['qinTypo', ['qin-1', 'qin-2']],
    ['foreignMinister', ['qin-1']],
    ['ministerForeign', []],
    ['coffeeNoVietnam', ['coffee-1']],
    ['coffeeNotRobusta', ['coffee-1']],
    ['ferryPhrase', ['ferry-1']],
    ['ferryWords', ['ferry-1', 'ferry-2']],
    ['ferryMarch14', ['ferry-1']],
    ['budgetTypo', ['budget-1']],
    ['politicsNotCouncil', ['budget-2']],
    ['qinPersonBeijing', ['qin-1']],
    ['covidYear', []],
    ['brwn', ['brown-1']],
    ['nothing', []],
  ])('when the query is %s, then it alerts %j and no other article', (id, expected) => {
    expect(alerted(id)).toEqual(expected);
  });

  it('when a query is removed or replaced, then it no longer alerts, and the others are unchanged', () => {
    const local = new QueryIndex();
    local.add(compileQuery('a', { q: 'coffee', filters: {} })!);
    local.add(compileQuery('b', { q: 'coffee', filters: { source: ['bbc'] } })!);
    const coffee2 = { ...ARTICLES.find((a) => a.id === 'coffee-2')!, publishedAt: undefined };
    expect(local.match(coffee2)).toEqual(['a', 'b']);
    local.remove('a');
    expect(local.match(coffee2)).toEqual(['b']);
    local.add(compileQuery('b', { q: 'robusta', filters: { source: ['reuters'] } })!);
    expect(local.match(coffee2)).toEqual([]);
    expect(local.size).toBe(1);
  });

  it('when a query holds nothing to index it by (no word, phrase or value filter), then it does not compile', () => {
    expect(compileQuery('x', { q: '', filters: { from: '2026-01-01' } })).toBeUndefined();
    expect(compileQuery('x', { q: '-sport', filters: {} })).toBeUndefined();
  });
});

describe('the saved-query index against the keyword search, on random corpora and queries', () => {
  const VOCABULARY = ['harbour', 'harbor', 'ferry', 'fery', 'storm', 'storms', 'council', 'budget', 'budgte', 'grain', 'qin', 'gang', 'gangs', 'brown', 'brwn', 'coffee', 'cofee', 'minister', 'ministre', 'government', 'govermnet', 'the', 'of', '2026'];
  const word = fc.constantFrom(...VOCABULARY);
  const text = (min: number, max: number) => fc.array(word, { minLength: min, maxLength: max }).map((w) => w.join(' '));
  const day = fc.integer({ min: 1, max: 31 }).map((d) => `2026-03-${String(d).padStart(2, '0')}`);
  const article = fc.record({
    title: text(1, 5),
    body: text(3, 20),
    category: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
    tags: fc.option(fc.subarray(['x', 'y'], { minLength: 1 }), { nil: undefined }),
    publishedAt: fc.option(day.map((d) => `${d}T12:00:00Z`), { nil: undefined }),
  });
  const term = fc.oneof(word, fc.tuple(word, word).map(([a, b]) => `"${a} ${b}"`), word.map((w) => `-${w}`), fc.tuple(word, word).map(([a, b]) => `-"${a} ${b}"`));
  const query = fc.record({
    q: fc.array(term, { minLength: 0, maxLength: 3 }).map((t) => t.join(' ')),
    category: fc.option(fc.constantFrom(['a'], ['b'], ['a', 'b']), { nil: undefined }),
    tags: fc.option(fc.constantFrom(['x'], ['y']), { nil: undefined }),
    from: fc.option(day, { nil: undefined }),
    to: fc.option(day, { nil: undefined }),
  });

  it('when any articles meet any saved queries, then each query alerts exactly the articles a match=all search returns', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(article, { minLength: 1, maxLength: 8 }), fc.array(query, { minLength: 1, maxLength: 8 }), async (inputs, queries) => {
        const articles = inputs.map((a, i) => makeArticle({ id: `r-${i}`, ...Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) }));
        const engine = SqliteEngine.open({ file: ':memory:' });
        try {
          await engine.upsert(articles);
          const index = new QueryIndex();
          const saved = queries.flatMap((q, i) => {
            const filters: SearchFilters = { ...(q.category ? { category: q.category } : {}), ...(q.tags ? { tags: q.tags } : {}), ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}) };
            const compiled = compileQuery(`s${i}`, { q: q.q, filters });
            if (compiled) index.add(compiled);
            return compiled ? [{ id: `s${i}`, q: q.q, filters }] : [];
          });
          const matched = new Map(articles.map((a) => [a.id, index.match({ ...a, publishedAt: a.publishedAt === undefined ? undefined : Date.parse(a.publishedAt) })]));
          for (const s of saved) {
            const alerted = articles.filter((a) => matched.get(a.id)!.includes(s.id)).map((a) => a.id).sort();
            expect({ query: s.q, filters: s.filters, articles: alerted }).toEqual({ query: s.q, filters: s.filters, articles: await searched(engine, s.q, s.filters) });
          }
        } finally {
          await engine.close();
        }
      }),
      { numRuns: 150, seed: 18 },
    );
  });
});
