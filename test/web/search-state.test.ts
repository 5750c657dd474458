import { apiSearchPath, chosenFilters, dateRangeProblem, emptyState, exportPath, parseState, stateToSearch, toggleFilter } from '../../web/src/search-state.js';

describe('search page state', () => {
  it('when an address is parsed and written back, then it is the same search (defaults left out)', () => {
    const search = '?q=Halvorson+electon&category=world&category=sport&person=Zo%C3%AB+Halvorsen&from=2026-01-01&to=2026-06-30&sort=newest&page=2';
    const state = parseState(search);
    expect(state).toEqual({
      q: 'Halvorson electon',
      page: 2,
      sort: 'newest',
      from: '2026-01-01',
      to: '2026-06-30',
      filters: { category: ['world', 'sport'], source: [], person: ['Zoë Halvorsen'], org: [], place: [] },
    });
    expect(stateToSearch(state)).toBe(search);
    expect(stateToSearch(emptyState())).toBe('');
  });

  it('when an address holds nonsense, then each value falls back to its default', () => {
    expect(parseState('?page=-3&sort=random&from=yesterday&to=2026-13&category=')).toEqual(emptyState());
    expect(parseState('?page=2.5').page).toBe(1);
  });

  it('when a facet value is ticked or unticked, then the filter changes and paging starts again', () => {
    const ticked = toggleFilter({ ...emptyState(), page: 3 }, 'source', 'Orvane Wire', true);
    expect(ticked.page).toBe(1);
    expect(ticked.filters.source).toEqual(['Orvane Wire']);
    expect(toggleFilter(ticked, 'source', 'Orvane Wire', false).filters.source).toEqual([]);
    expect(toggleFilter(ticked, 'source', 'Orvane Wire', true).filters.source).toEqual(['Orvane Wire']);
  });

  it('when the API address is made, then it carries the state, the page size and the facets asked for', () => {
    const state = toggleFilter({ ...parseState('?q=tariffs&to=2026-03-01&sort=oldest'), page: 2 }, 'category', 'world', true);
    const url = new URL(apiSearchPath({ ...state, page: 2 }, ['category', 'source']), 'http://x');
    expect(url.pathname).toBe('/api/search');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      q: 'tariffs',
      page: '2',
      perPage: '10',
      sort: 'oldest',
      category: 'world',
      to: '2026-03-01',
      facets: 'category,source',
    });
  });

  it('when the start date is after the end date, then the state says why it cannot be searched', () => {
    expect(dateRangeProblem(parseState('?from=2026-05-01&to=2026-01-01'))).toMatch(/after/);
    expect(dateRangeProblem(parseState('?from=2026-05-01&to=2026-05-01'))).toBeUndefined();
    expect(dateRangeProblem(parseState('?from=2026-05-01'))).toBeUndefined();
  });
});

describe('search page exports and filter count', () => {
  it('when a state is exported, then the CSV address carries its query, filters, dates, order and the page\'s collapse, but no page', () => {
    const state = toggleFilter({ ...parseState('?q=tariffs&from=2026-01-01&sort=newest'), page: 3 }, 'person', 'Zoë Halvorsen', true);
    const url = new URL(exportPath(state), 'http://x');
    expect(url.pathname).toBe('/api/search');
    expect(Object.fromEntries(url.searchParams)).toEqual({ q: 'tariffs', format: 'csv', collapse: 'true', sort: 'newest', person: 'Zoë Halvorsen', from: '2026-01-01' });
  });

  it('when filter values are chosen, then they are counted over every filter', () => {
    expect(chosenFilters(emptyState())).toBe(0);
    expect(chosenFilters(parseState('?category=world&category=sport&place=Duskland'))).toBe(3);
  });

  it('when trends are asked, then the first page asks the histogram and significant kinds and later pages do not', () => {
    const trends = { histogram: 'month', significant: ['people', 'orgs', 'places'] } as const;
    const first = new URL(apiSearchPath({ ...emptyState(), q: 'oil' }, [], trends), 'http://x').searchParams;
    expect(first.get('histogram')).toBe('month');
    expect(first.get('significant')).toBe('people,orgs,places');
    const second = new URL(apiSearchPath({ ...emptyState(), q: 'oil', page: 2 }, [], trends), 'http://x').searchParams;
    expect(second.has('histogram')).toBe(false);
    expect(second.has('significant')).toBe(false);
    expect(new URL(apiSearchPath(emptyState(), []), 'http://x').searchParams.has('histogram')).toBe(false);
  });
});
