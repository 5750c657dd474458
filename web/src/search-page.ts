import { trackClicks } from './analytics-beacon.js';
import { PER_PAGE } from './search-state.js';
import { ApiError, getJson, isAbort, refusalReason } from './api.js';
import { hasEntitySearch, hasQuerySuggestions } from './capabilities.js';
import { dateFields, showDay } from './date-fields.js';
import { appendHighlight, byId, byline, h, showMessage } from './dom.js';
import { articlePath, entityKind } from './entities.js';
import { entitySuggestions } from './entity-suggest.js';
import { filterDrawer, showFilterCount } from './filter-drawer.js';
import { savePagePath } from './saved-searches.js';
import { renderFacets } from './search-facets.js';
import { renderTrends } from './search-trends.js';
import type { Filter, SearchState, Sort, Trends } from './search-state.js';
import { apiSearchPath, chosenFilters, dateRangeProblem, exportPath, parseState, stateToSearch, toggleFilter } from './search-state.js';
import type { SearchHit, SearchResponse } from './types.js';

/** Quiet time after the last keystroke before searching, in milliseconds. */
const TYPING_DEBOUNCE_MS = 150;
const BASE_FACETS = ['category', 'source'];
const ENTITY_FACETS = ['people', 'orgs', 'places'];

const form = byId<HTMLFormElement>('search-form');
const input = byId<HTMLInputElement>('q');
const sortSelect = byId<HTMLSelectElement>('sort');
const fromInput = byId<HTMLInputElement>('from');
const toInput = byId<HTMLInputElement>('to');
const status = byId('status');
const errorBox = byId('error');
const spelling = byId('spelling');
const results = byId<HTMLOListElement>('results');
const facetsBox = byId('facets');
const trendsBox = byId('trends');
const pagination = byId('pagination');
const exportLink = byId<HTMLAnchorElement>('export-csv');
const filterCount = byId('filter-count');
const saveLink = byId<HTMLAnchorElement>('save-search');
/** Exports (format=csv) are refused to the public key (src/http/read-access.ts): the link is offered without one. */
const canExport = !document.querySelector<HTMLMetaElement>('meta[name="newsfind-api-key"]')?.content.trim();

let state: SearchState = parseState(location.search);
const facets: Promise<string[]> = hasEntitySearch().then((yes) => (yes ? [...BASE_FACETS, ...ENTITY_FACETS] : BASE_FACETS));
/** Matches per month always; the significant entities where the entity API exists. */
const trends: Promise<Trends> = facets.then((asked) => ({ histogram: 'month', ...(asked.includes('people') ? { significant: ENTITY_FACETS } : {}) }));
let inFlight: AbortController | undefined;
let typingTimer: ReturnType<typeof setTimeout> | undefined;

/** Puts a state into the form controls (on load and on history navigation). */
function showState(s: SearchState): void {
  input.value = s.q;
  sortSelect.value = s.sort;
  showDay(fromInput, s.from);
  showDay(toInput, s.to);
}

/** Records the state in the address: a new history entry for deliberate choices, a replacement while typing. */
function record(mode: 'push' | 'replace'): void {
  const url = `${location.pathname}${stateToSearch(state)}`;
  if (url === `${location.pathname}${location.search}`) return;
  if (mode === 'push') history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

/** Changes the state, records it and searches at once. */
function update(next: SearchState, mode: 'push' | 'replace' = 'push'): void {
  clearTimeout(typingTimer);
  state = next;
  record(mode);
  void search();
}

function renderHit(hit: SearchHit): HTMLLIElement {
  const link = h('a', { attrs: { href: articlePath(hit.id) } });
  appendHighlight(link, hit.highlight.title);
  const snippet = h('p', { class: 'snippet' });
  appendHighlight(snippet, hit.highlight.snippet);
  const meta = h('p', { class: 'meta' }, byline(hit.source, hit.publishedAt));
  if (hit.category) meta.append(h('span', { class: 'tag', text: hit.category }));
  if (hit.copies) {
    const label = `+ ${hit.copies} ${hit.copies === 1 ? 'copy' : 'copies'}`;
    meta.append(h('span', { class: 'copies', text: label, attrs: { title: `Also published as: ${(hit.copyIds ?? []).join(', ')}` } }));
  }
  return h('li', { class: 'hit' }, [h('h3', {}, [link]), meta, snippet]);
}

function pageButton(label: string, page: number, accessibleName: string): HTMLButtonElement {
  const button = h('button', { text: label, attrs: { type: 'button', 'aria-label': accessibleName } });
  button.addEventListener('click', () => {
    update({ ...state, page });
    status.focus();
  });
  return button;
}

function renderPagination(answer: SearchResponse): void {
  pagination.replaceChildren();
  if (answer.totalPages <= 1) return;
  const items: HTMLElement[] = [];
  if (answer.page > 1) items.push(pageButton('← Previous', answer.page - 1, `Previous page, page ${answer.page - 1}`));
  items.push(h('span', { class: 'page-of', text: `Page ${answer.page} of ${answer.totalPages}` }));
  if (answer.page < answer.totalPages) items.push(pageButton('Next →', answer.page + 1, `Next page, page ${answer.page + 1}`));
  pagination.append(...items);
}

function countText(answer: SearchResponse): string {
  if (answer.totalHits === 0) return state.q.trim() === '' ? 'No articles match these filters.' : `No articles match “${state.q}”.`;
  const first = (answer.page - 1) * answer.perPage + 1;
  const last = first + answer.hits.length - 1;
  // collapsed (the API's default), copies of one text count once: results, not articles
  const what = answer.collapsed ? (answer.totalHits === 1 ? 'result' : 'results') : answer.totalHits === 1 ? 'article' : 'articles';
  return answer.hits.length === 0
    ? `${answer.totalHits} ${what}; this page is past the last one.`
    : `${answer.totalHits} ${what} — showing ${first} to ${last}.`;
}

/** "Showing results for …" with a link that searches the spelling the results are for. */
function renderSpelling(suggestion: string | undefined): void {
  spelling.replaceChildren();
  spelling.hidden = suggestion === undefined;
  if (suggestion === undefined) return;
  const next: SearchState = { ...state, q: suggestion, page: 1 };
  const link = h('a', { text: suggestion, attrs: { href: `${location.pathname}${stateToSearch(next)}` } });
  link.addEventListener('click', (event) => {
    event.preventDefault();
    input.value = suggestion;
    update(next);
  });
  spelling.append('Showing results for ', link, '.');
}

function render(answer: SearchResponse): void {
  showMessage(errorBox, '');
  status.textContent = countText(answer);
  renderSpelling(answer.suggestion);
  results.replaceChildren(...answer.hits.map(renderHit));
  renderFacets(facetsBox, answer.facets, state, (name: Filter, value: string, on: boolean) =>
    update(toggleFilter(state, name, value, on)),
  );
  if (answer.page === 1) renderTrends(trendsBox, answer, (name, value) => update(toggleFilter(state, name, value, true)));
  renderPagination(answer);
  showFilterCount(filterCount, chosenFilters(state));
  exportLink.href = exportPath(state);
  exportLink.hidden = !canExport || answer.totalHits === 0;
  // alerts are for what will be published: offered for any search with words or filters, even one with no match yet
  saveLink.href = savePagePath(stateToSearch(state));
  saveLink.hidden = state.q.trim() === '' && chosenFilters(state) === 0 && state.from === '' && state.to === '';
}

/** Shows why there are no results (the alert is announced); earlier results go, so none is taken for an answer. */
function showFailure(reason: string): void {
  status.textContent = '';
  renderSpelling(undefined);
  exportLink.hidden = true;
  saveLink.hidden = true;
  results.replaceChildren();
  pagination.replaceChildren();
  trendsBox.replaceChildren();
  trendsBox.hidden = true;
  showMessage(errorBox, `Search failed: ${reason}.`);
}

/** Searches for the current state, cancelling the request of any earlier state still under way. */
async function search(): Promise<void> {
  inFlight?.abort();
  const problem = dateRangeProblem(state);
  if (problem) {
    // Refused here rather than sent: the API would answer 400 for the same reason.
    showFailure(problem);
    return;
  }
  const controller = new AbortController();
  inFlight = controller;
  results.setAttribute('aria-busy', 'true');
  try {
    const answer = await getJson<SearchResponse>(apiSearchPath(state, await facets, await trends), controller.signal);
    if (!controller.signal.aborted) render(answer);
  } catch (error) {
    if (isAbort(error)) return;
    const reason = error instanceof ApiError && error.status === 400 ? error.message : refusalReason(error);
    showFailure(reason ?? 'the search service did not answer; try again');
  } finally {
    if (inFlight === controller) results.removeAttribute('aria-busy');
  }
}

input.addEventListener('input', () => {
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => update({ ...state, q: input.value, page: 1 }, 'replace'), TYPING_DEBOUNCE_MS);
});
form.addEventListener('submit', (event) => {
  event.preventDefault();
  update({ ...state, q: input.value, page: 1 });
});
sortSelect.addEventListener('change', () => update({ ...state, sort: sortSelect.value as Sort, page: 1 }));
const DATE_FIELDS = [{ name: 'From', input: fromInput, key: 'from' }, { name: 'To', input: toInput, key: 'to' }] as const;
dateFields(DATE_FIELDS, byId('dates-hint'), ({ key }, day) => {
  if (state[key] !== day) update({ ...state, [key]: day, page: 1 });
});
filterDrawer({
  toggle: byId<HTMLButtonElement>('drawer-toggle'),
  drawer: byId('facets-section'),
  heading: byId('facets-heading'),
  closers: [byId<HTMLButtonElement>('drawer-close'), byId<HTMLButtonElement>('drawer-done')],
  behind: () => [...document.querySelectorAll<HTMLElement>('body > *:not(main), #search-form, #results-section')],
});
void Promise.all([facets, hasQuerySuggestions()]).then(([asked, completions]) => {
  if (!completions && !asked.includes('people')) return;
  const list = byId('suggestions');
  if (completions) list.setAttribute('aria-label', 'Suggestions: people, organisations, places, phrases and headlines');
  entitySuggestions({
    input,
    list,
    source: completions ? 'suggest' : 'entities',
    onPick: ({ type, name }) => {
      const kind = entityKind(type);
      if (kind && asked.includes(kind.field)) {
        input.value = '';
        update(toggleFilter({ ...state, q: '' }, kind.filter, name, true));
        return;
      }
      // a phrase, a headline (or an entity on an API without entity filters): searched as words
      input.value = name;
      update({ ...state, q: name, page: 1 });
    },
  });
});
trackClicks(results, (articleId, position) => ({ type: 'click', source: 'search', articleId, query: state.q, position: (state.page - 1) * PER_PAGE + position }));
window.addEventListener('popstate', () => {
  state = parseState(location.search);
  showState(state);
  void search();
});

showState(state);
void search();
