import { adminJson, ApiError } from './api.js';
import { dateFields, showDay } from './date-fields.js';
import { parseDay } from './dates.js';
import { byId, showMessage } from './dom.js';
import { renderSavedSearch } from './saved-search-item.js';
import type { Draft, FormField, QueryParam } from './saved-searches.js';
import { draftFromAddress, fieldOf, FORM_PARAMS, QUERY_PARAMS, refusalText, requestBody, suggestedName } from './saved-searches.js';
import type { EntityType, SavedSearch, SavedSearchList } from './types.js';

/**
 * The saved-searches page (/saved-searches): the admin key, typed by the user and kept in this page's memory only,
 * lists the saved searches (GET /api/saved-searches, 100 at a time), creates one (POST; the API's refusals shown
 * next to their fields) and deletes one (DELETE, after a confirmation dialog). The address may prefill the form:
 * the search page's "Save this search" link passes its query.
 */

const PAGE_SIZE = 100;
const keyForm = byId<HTMLFormElement>('key-form');
const keyInput = byId<HTMLInputElement>('key');
const status = byId('status');
const errorBox = byId('error');
const listSection = byId('list-section');
const listHeading = byId('list-heading');
const list = byId<HTMLUListElement>('list');
const listEmpty = byId('list-empty');
const more = byId<HTMLButtonElement>('more');
const form = byId<HTMLFormElement>('create-form');
const nameInput = byId<HTMLInputElement>('name');
const queryFields = byId<HTMLFieldSetElement>('query-fields');
const entityFields = byId<HTMLFieldSetElement>('entity-fields');
const entityType = byId<HTMLSelectElement>('entity-type');
const entityName = byId<HTMLInputElement>('entity-name');
const webhookUrl = byId<HTMLInputElement>('webhook-url');
const webhookSecret = byId<HTMLInputElement>('webhook-secret');
const dialog = byId<HTMLDialogElement>('confirm');
const follows = (): 'query' | 'entity' => (form.querySelector<HTMLInputElement>('input[name="follows"]:checked')?.value === 'entity' ? 'entity' : 'query');
const queryInput = (param: QueryParam) => byId<HTMLInputElement>(param);

/** The id after which the next page of the list starts; undefined when the list is complete. */
let after: string | undefined;
/** The saved search the confirmation dialog asks about, and the button that opened it (the focus goes back there). */
let pending: { search: SavedSearch; button: HTMLButtonElement } | undefined;

function adminKey(): string | undefined {
  const key = keyInput.value.trim();
  if (key !== '') return key;
  showMessage(errorBox, 'Type the admin API key first.');
  keyInput.focus();
  return undefined;
}

function fail(error: unknown, what: 'list' | 'change'): void {
  status.textContent = '';
  const known = error instanceof ApiError ? error : new ApiError(0, 'network', String(error));
  showMessage(errorBox, refusalText(known.status, known.message, what));
}

/** Shows one page of the list (the first replaces what was shown); answers the items added. */
function showPage(answer: SavedSearchList, reset: boolean): HTMLLIElement[] {
  // a search saved here beyond the pages shown was put in the list already (see place): it is not shown twice
  const fresh = reset ? answer.savedSearches : answer.savedSearches.filter((s) => !shown(s.id));
  const items = fresh.map((s) => renderSavedSearch(s, askDelete));
  if (reset) list.replaceChildren(...items);
  else list.append(...items);
  after = answer.next;
  more.hidden = after === undefined;
  showCount();
  return items;
}

function shown(id: string): HTMLLIElement | undefined {
  return [...list.querySelectorAll<HTMLLIElement>(':scope > li')].find((li) => li.dataset['id'] === id);
}

function showCount(): void {
  listEmpty.hidden = list.children.length > 0;
  listSection.hidden = false;
  const n = list.children.length;
  status.textContent = `${n} saved ${n === 1 ? 'search' : 'searches'}${after === undefined ? '' : ' shown; more follow'}.`;
}

/**
 * Puts a search just saved into the list: in id order among those shown, or after them when its id falls past the
 * pages shown (ids are random), so that it is always in view.
 */
function place(saved: SavedSearch): HTMLLIElement {
  const item = renderSavedSearch(saved, askDelete);
  const inRange = after === undefined || saved.id <= after;
  const next = inRange ? [...list.querySelectorAll<HTMLLIElement>(':scope > li')].find((li) => (li.dataset['id'] ?? '') > saved.id) : undefined;
  list.insertBefore(item, next ?? null);
  showCount();
  return item;
}

async function load(reset: boolean): Promise<HTMLLIElement[]> {
  const key = adminKey();
  if (key === undefined) return [];
  const params = new URLSearchParams({ limit: String(PAGE_SIZE), ...(!reset && after !== undefined ? { after } : {}) });
  try {
    const answer = await adminJson<SavedSearchList>('GET', `/api/saved-searches?${params.toString()}`, key);
    showMessage(errorBox, '');
    return showPage(answer ?? { savedSearches: [] }, reset);
  } catch (error) {
    if (reset) listSection.hidden = true;
    fail(error, 'list');
    return [];
  }
}

function askDelete(search: SavedSearch, button: HTMLButtonElement): void {
  pending = { search, button };
  byId('confirm-title').textContent = `Delete “${search.name}”?`;
  dialog.returnValue = '';
  dialog.showModal();
}

async function remove(search: SavedSearch, button: HTMLButtonElement): Promise<void> {
  const key = adminKey();
  if (key === undefined) return;
  try {
    await adminJson('DELETE', `/api/saved-searches/${encodeURIComponent(search.id)}`, key);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) {
      fail(error, 'change');
      button.focus();
      return;
    }
  }
  button.closest('li')?.remove();
  showMessage(errorBox, '');
  showCount();
  status.textContent = `Deleted “${search.name}”. ${status.textContent ?? ''}`;
  listHeading.focus();
}

dialog.addEventListener('close', () => {
  const asked = pending;
  pending = undefined;
  if (!asked) return;
  if (dialog.returnValue === 'delete') void remove(asked.search, asked.button);
  else asked.button.focus();
});

/** The form as a draft (dates read in the house format; an unreadable one is sent as typed, for the API to refuse). */
function readDraft(): Draft {
  const query = Object.fromEntries(QUERY_PARAMS.map((p) => [p, ''])) as Record<QueryParam, string>;
  for (const param of FORM_PARAMS) {
    const value = queryInput(param).value;
    query[param] = param === 'from' || param === 'to' ? (parseDay(value) ?? value) : value;
  }
  return { name: nameInput.value, follows: follows(), query, entityType: entityType.value as EntityType, entityName: entityName.value, webhookUrl: webhookUrl.value, webhookSecret: webhookSecret.value };
}

function showDraft(draft: Draft): void {
  nameInput.value = draft.name === '' ? suggestedName(draft) : draft.name;
  for (const param of FORM_PARAMS) {
    if (param === 'from' || param === 'to') showDay(queryInput(param), draft.query[param]);
    else queryInput(param).value = draft.query[param];
  }
  entityType.value = draft.entityType;
  entityName.value = draft.entityName;
  const radio = form.querySelector<HTMLInputElement>(`input[name="follows"][value="${draft.follows}"]`);
  if (radio) radio.checked = true;
  showFollows();
}

function showFollows(): void {
  queryFields.hidden = follows() !== 'query';
  entityFields.hidden = follows() !== 'entity';
}

/** Marks the fields a refusal names, each with its messages; answers the first one's control. */
function markFields(issues: readonly { path: string; message: string }[]): HTMLElement | undefined {
  const byField = new Map<FormField, string[]>();
  for (const issue of issues) byField.set(fieldOf(issue.path), [...(byField.get(fieldOf(issue.path)) ?? []), issue.message]);
  let first: HTMLElement | undefined;
  for (const [field, messages] of byField) {
    showMessage(byId(`${field}-error`), messages.join(' '));
    const control = field === 'follows' ? form.querySelector<HTMLInputElement>('input[name="follows"]:checked') : document.getElementById(field);
    control?.setAttribute('aria-invalid', 'true');
    first ??= control ?? undefined;
  }
  return first;
}

function clearFields(): void {
  for (const box of form.querySelectorAll<HTMLElement>('.field-error')) showMessage(box, '');
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
}

async function create(): Promise<void> {
  clearFields();
  const key = adminKey();
  if (key === undefined) return;
  try {
    const saved = await adminJson<SavedSearch>('POST', '/api/saved-searches', key, requestBody(readDraft()));
    if (!saved) return;
    form.reset();
    showFollows();
    history.replaceState(null, '', location.pathname); // the prefilled query is saved: a reload starts afresh
    showMessage(errorBox, '');
    if (listSection.hidden) await load(true);
    const item = shown(saved.id) ?? place(saved);
    status.textContent = `Saved “${saved.name}”. ${status.textContent ?? ''}`;
    item.querySelector<HTMLElement>('h3')?.focus();
  } catch (error) {
    if (error instanceof ApiError && error.status === 400 && error.errors.length > 0) {
      status.textContent = '';
      showMessage(errorBox, 'The search was not saved: see the fields marked below.');
      markFields(error.errors)?.focus();
      return;
    }
    fail(error, 'change');
  }
}

keyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void load(true);
});
more.addEventListener('click', () => {
  void load(false).then((items) => items[0]?.querySelector<HTMLElement>('h3')?.focus());
});
form.addEventListener('submit', (event) => {
  event.preventDefault();
  void create();
});
for (const radio of form.querySelectorAll<HTMLInputElement>('input[name="follows"]')) radio.addEventListener('change', showFollows);
// each date field says in its own hint when what was typed is not a date; the day is read again on Save
for (const param of ['from', 'to'] as const) dateFields([{ name: param === 'from' ? 'Published from' : 'Published to', input: queryInput(param) }], byId(`${param}-hint`), () => {});

const draft = draftFromAddress(location.search);
showDraft(draft);
if (location.search !== '') status.textContent = 'The search is filled in below: type the admin API key, then Save.';
