/**
 * The search page's state and its two encodings: the page address (shareable: `/?q=...&category=world&page=2`)
 * and the API query. Pure: no DOM, no network, so that it is unit-tested under Node.
 */

/** Result orders the API knows. */
export const SORTS = ['relevance', 'newest', 'oldest'] as const;
export type Sort = (typeof SORTS)[number];

/** Filter parameters, each repeatable (values OR'ed), different ones AND'ed. Entity filters need the entity API. */
export const FILTERS = ['category', 'source', 'person', 'org', 'place'] as const;
export type Filter = (typeof FILTERS)[number];

/** The facet each filter's values come from. */
export const FACET_OF: Readonly<Record<Filter, string>> = {
  category: 'category',
  source: 'source',
  person: 'people',
  org: 'orgs',
  place: 'places',
};

/** Results per page. */
export const PER_PAGE = 10;

/** Everything that decides which results are shown. */
export interface SearchState {
  readonly q: string;
  /** From 1. */
  readonly page: number;
  readonly sort: Sort;
  /** YYYY-MM-DD or ''. */
  readonly from: string;
  readonly to: string;
  readonly filters: Readonly<Record<Filter, readonly string[]>>;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The state with nothing chosen. */
export function emptyState(): SearchState {
  return { q: '', page: 1, sort: 'relevance', from: '', to: '', filters: emptyFilters() };
}

function emptyFilters(): Record<Filter, string[]> {
  return { category: [], source: [], person: [], org: [], place: [] };
}

/** Reads a state from a page address's query string; anything unreadable falls back to its default. */
export function parseState(search: string): SearchState {
  const params = new URLSearchParams(search);
  const page = Number(params.get('page') ?? '1');
  const sort = params.get('sort') ?? 'relevance';
  const day = (name: string) => {
    const value = params.get(name) ?? '';
    return ISO_DAY.test(value) ? value : '';
  };
  const filters = emptyFilters();
  for (const name of FILTERS) filters[name] = [...new Set(params.getAll(name).filter((v) => v !== ''))];
  return {
    q: params.get('q') ?? '',
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    sort: (SORTS as readonly string[]).includes(sort) ? (sort as Sort) : 'relevance',
    from: day('from'),
    to: day('to'),
    filters,
  };
}

/** The page address's query string for a state (defaults left out), with its leading `?` unless empty. */
export function stateToSearch(state: SearchState): string {
  const params = new URLSearchParams();
  if (state.q !== '') params.set('q', state.q);
  for (const name of FILTERS) for (const value of state.filters[name]) params.append(name, value);
  if (state.from !== '') params.set('from', state.from);
  if (state.to !== '') params.set('to', state.to);
  if (state.sort !== 'relevance') params.set('sort', state.sort);
  if (state.page > 1) params.set('page', String(state.page));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** What the page asks besides results: a histogram interval and the significant kinds (none when empty). */
export interface Trends {
  readonly histogram?: 'day' | 'week' | 'month';
  readonly significant?: readonly string[];
}

/**
 * The `/api/search` address for a state, asking for `facets` and, on the first page only (later pages show the
 * same trends, and each costs the service a sample of the matches), `trends`.
 */
export function apiSearchPath(state: SearchState, facets: readonly string[], trends: Trends = {}): string {
  const params = new URLSearchParams({ q: state.q, page: String(state.page), perPage: String(PER_PAGE) });
  if (state.sort !== 'relevance') params.set('sort', state.sort);
  for (const name of FILTERS) for (const value of state.filters[name]) params.append(name, value);
  if (state.from !== '') params.set('from', state.from);
  if (state.to !== '') params.set('to', state.to);
  if (facets.length > 0) params.set('facets', facets.join(','));
  if (state.page === 1 && trends.histogram) params.set('histogram', trends.histogram);
  if (state.page === 1 && trends.significant && trends.significant.length > 0) params.set('significant', trends.significant.join(','));
  return `/api/search?${params.toString()}`;
}

/** The state with one filter value added or removed; back to page 1, since the results change. */
export function toggleFilter(state: SearchState, name: Filter, value: string, on: boolean): SearchState {
  const values = state.filters[name].filter((v) => v !== value);
  return { ...state, page: 1, filters: { ...state.filters, [name]: on ? [...values, value] : values } };
}

/** Why a state's date range cannot be searched (the start after the end), or undefined when it can. */
export function dateRangeProblem(state: SearchState): string | undefined {
  return state.from !== '' && state.to !== '' && state.from > state.to ? 'the “from” date is after the “to” date' : undefined;
}

/** How many filter values are chosen, over every filter (the "Filters" button shows it). */
export function chosenFilters(state: SearchState): number {
  return FILTERS.reduce((sum, name) => sum + state.filters[name].length, 0);
}

/** The `/api/search` address of a state's CSV export: every match (not paged), in the state's order and filters. */
export function exportPath(state: SearchState): string {
  // the results as the page lists them: copies of one text once (an export of the API alone lists every copy)
  const params = new URLSearchParams({ q: state.q, format: 'csv', collapse: 'true' });
  if (state.sort !== 'relevance') params.set('sort', state.sort);
  for (const name of FILTERS) for (const value of state.filters[name]) params.append(name, value);
  if (state.from !== '') params.set('from', state.from);
  if (state.to !== '') params.set('to', state.to);
  return `/api/search?${params.toString()}`;
}
