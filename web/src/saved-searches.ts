/**
 * The saved-searches page's logic (/saved-searches): the draft its form edits, read from a page address (the search
 * page's "Save this search" link) and written as the body of `POST /api/saved-searches`; how a saved search is
 * described and linked; which form field an API refusal belongs to. Pure: no DOM, no network, so that it is
 * unit-tested under Node.
 */
import { formatDay } from './dates.js';
import { entityKind, entityPath } from './entities.js';
import type { EntityType, SavedSearch } from './types.js';

/** The `/api/search` parameters a saved search's query may hold, as the API lists them (SAVED_QUERY_PARAMS). */
export const QUERY_PARAMS = ['q', 'match', 'category', 'source', 'tag', 'person', 'org', 'place', 'from', 'to'] as const;
export type QueryParam = (typeof QUERY_PARAMS)[number];

/** The parameters that may be repeated (values OR'ed); the form takes several as a comma-separated list. */
export const LIST_PARAMS: readonly QueryParam[] = ['category', 'source', 'tag', 'person', 'org', 'place'];

/** The parameters the form has a field for: `match` does not apply to alerts (they require every word). */
export const FORM_PARAMS: readonly QueryParam[] = ['q', 'category', 'source', 'tag', 'person', 'org', 'place', 'from', 'to'];

/** The parameters the search page shows (search-state.ts); `match` and `tag` are matched but not shown there. */
const SEARCH_PAGE_PARAMS: readonly QueryParam[] = ['q', 'category', 'source', 'person', 'org', 'place', 'from', 'to'];

/** What the form holds: every field as typed (dates as `YYYY-MM-DD` once read, lists comma-separated). */
export interface Draft {
  readonly name: string;
  readonly follows: 'query' | 'entity';
  readonly query: Readonly<Record<QueryParam, string>>;
  readonly entityType: EntityType;
  readonly entityName: string;
  readonly webhookUrl: string;
  readonly webhookSecret: string;
}

/** The body of `POST /api/saved-searches`. */
export interface SavedSearchBody {
  readonly name: string;
  readonly query?: Record<string, string | string[]>;
  readonly entityBursts?: { readonly type: EntityType; readonly name: string };
  readonly webhook?: { readonly url: string; readonly secret: string };
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The draft an address asks for: the search page's parameters (`?q=tariffs&category=world&person=…`, repeated
 * values joined with ", "; days that are not `YYYY-MM-DD` left out), or an entity to follow
 * (`?bursts=person&entity=Zoë%20Halvorsen`); `name` names it. Nothing else is read.
 */
export function draftFromAddress(search: string): Draft {
  const params = new URLSearchParams(search);
  const query = Object.fromEntries(
    QUERY_PARAMS.map((name) => {
      const values = params.getAll(name).map((v) => v.trim()).filter((v) => v !== '');
      if (name === 'from' || name === 'to') return [name, values.find((v) => ISO_DAY.test(v)) ?? ''];
      return [name, LIST_PARAMS.includes(name) ? [...new Set(values)].join(', ') : (values[0] ?? '')];
    }),
  ) as Record<QueryParam, string>;
  const bursts = entityKind(params.get('bursts') ?? '');
  const entityName = (params.get('entity') ?? '').trim();
  return {
    name: (params.get('name') ?? '').trim(),
    follows: bursts && entityName !== '' ? 'entity' : 'query',
    query,
    entityType: bursts?.type ?? 'person',
    entityName,
    webhookUrl: '',
    webhookSecret: '',
  };
}

/** A name for a draft that has none: its words, else its first filter value, else the entity followed. */
export function suggestedName(draft: Draft): string {
  if (draft.follows === 'entity') return draft.entityName === '' ? '' : `${draft.entityName} bursts`;
  const first = [draft.query.q, ...LIST_PARAMS.map((p) => splitList(draft.query[p])[0] ?? '')].find((v) => v.trim() !== '');
  return (first ?? '').trim().slice(0, 200);
}

/** A comma-separated list as its values, trimmed, empty ones and repeats left out. */
export function splitList(text: string): string[] {
  return [...new Set(text.split(',').map((v) => v.trim()).filter((v) => v !== ''))];
}

/**
 * The `POST /api/saved-searches` body of a draft: its name (or {@link suggestedName}), then either `query` (the
 * fields filled in; a list field with several values as an array) or `entityBursts`; `webhook` when its URL or
 * secret is filled in, both as typed, so that the API says what is wrong with either.
 */
export function requestBody(draft: Draft): SavedSearchBody {
  const name = draft.name.trim() === '' ? suggestedName(draft) : draft.name.trim();
  const webhook = draft.webhookUrl.trim() !== '' || draft.webhookSecret !== '' ? { webhook: { url: draft.webhookUrl.trim(), secret: draft.webhookSecret } } : {};
  if (draft.follows === 'entity') return { name, entityBursts: { type: draft.entityType, name: draft.entityName.trim() }, ...webhook };
  const query: Record<string, string | string[]> = {};
  for (const param of QUERY_PARAMS) {
    const text = draft.query[param].trim();
    if (text === '') continue;
    const values = LIST_PARAMS.includes(param) ? splitList(text) : [text];
    query[param] = values.length === 1 ? (values[0] ?? '') : values;
  }
  return { name, query, ...webhook };
}

/** A query parameter's values as a list. */
function valuesOf(query: SavedSearch['query'], param: string): readonly string[] {
  const value = query?.[param];
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}

const LABELS: Readonly<Record<QueryParam, string>> = {
  q: 'words', match: 'match', category: 'category', source: 'source', tag: 'tag', person: 'person', org: 'organisation', place: 'place', from: 'from', to: 'to',
};

/**
 * What a saved search follows, in words: `Bursts of Zoë Halvorsen (person)`, or its query's parts
 * (`“tariffs” · category: world, sport · from 1 Mar 2026`); `Every new article` for an empty query.
 */
export function followsText(search: SavedSearch): string {
  if (search.entityBursts) {
    const kind = entityKind(search.entityBursts.type);
    return `Bursts of ${search.entityBursts.name} (${kind?.singular.toLowerCase() ?? search.entityBursts.type})`;
  }
  const parts: string[] = [];
  for (const param of QUERY_PARAMS) {
    const values = valuesOf(search.query, param);
    if (values.length === 0) continue;
    if (param === 'q') parts.push(`“${values.join(' ')}”`);
    else if (param === 'from' || param === 'to') parts.push(`${LABELS[param]} ${formatDay(values[0] ?? '') || (values[0] ?? '')}`);
    else parts.push(`${LABELS[param]}: ${values.join(', ')}`);
  }
  return parts.length === 0 ? 'Every new article' : parts.join(' · ');
}

/**
 * Where to see what a saved search follows: the search page with its query (`left` names the parameters the
 * search page does not show, `match` and `tag`, which its results then ignore), or the followed entity's page.
 */
export function seeItLink(search: SavedSearch): { href: string; label: string; left: readonly string[] } {
  if (search.entityBursts) return { href: entityPath(search.entityBursts.type, search.entityBursts.name), label: 'Entity page', left: [] };
  const params = new URLSearchParams();
  for (const param of SEARCH_PAGE_PARAMS) for (const value of valuesOf(search.query, param)) params.append(param, value);
  const left = QUERY_PARAMS.filter((p) => !SEARCH_PAGE_PARAMS.includes(p) && valuesOf(search.query, p).length > 0);
  const text = params.toString();
  return { href: text === '' ? '/' : `/?${text}`, label: 'Run on the search page', left };
}

/** The host (and port) of a webhook URL, never its path, query or credentials; '' when it cannot be read. */
export function webhookHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

/** The Atom feed of a saved search. */
export function feedPath(id: string): string {
  return `/api/saved-searches/${encodeURIComponent(id)}/feed`;
}

/** The form fields an API refusal may name, by the id of their input. */
export type FormField = 'name' | QueryParam | 'entity-type' | 'entity-name' | 'webhook-url' | 'webhook-secret' | 'follows';

/**
 * The form field a problem's `errors[].path` belongs to: `name`, `query.<param>` (`query.category.1` too),
 * `entityBursts.type|name`, `webhook.url|secret`; `follows` for the choice itself (`query`, `entityBursts`
 * alone) and for anything else, so that no refusal goes unshown.
 */
export function fieldOf(path: string): FormField {
  const [head = '', sub = ''] = path.split('.');
  if (head === 'name') return 'name';
  if (head === 'query' && (QUERY_PARAMS as readonly string[]).includes(sub)) return sub as QueryParam;
  if (head === 'entityBursts') return sub === 'type' ? 'entity-type' : 'entity-name';
  if (head === 'webhook') return sub === 'secret' ? 'webhook-secret' : 'webhook-url';
  return 'follows';
}

/** The address of the saved-searches page prefilled to follow an entity's bursts. */
export function followBurstsPath(type: EntityType, name: string): string {
  return `/saved-searches?${new URLSearchParams({ bursts: type, entity: name }).toString()}`;
}

/** The address of the saved-searches page prefilled with a search page's query string (`?q=…`, or ''). */
export function savePagePath(searchQuery: string): string {
  const params = new URLSearchParams(searchQuery);
  params.delete('page');
  params.delete('sort');
  const text = params.toString();
  return text === '' ? '/saved-searches' : `/saved-searches?${text}`;
}

/**
 * Why an admin request failed, as a sentence: `what` is `list` (showing the saved searches) or `change` (saving or
 * deleting one). 401 and 403 are the key (or a service without ADMIN_API_KEY, as its detail says); a 404 of the
 * list, a service that keeps no saved searches (they need the embedded engine).
 */
export function refusalText(status: number, detail: string, what: 'list' | 'change'): string {
  if (status === 0) return 'The service did not answer; try again.';
  if (status === 401 || status === 403) return `The key was refused (${detail}): saved searches need the service's ADMIN_API_KEY.`;
  if (status === 404 && what === 'list') return 'This service keeps no saved searches: they need the embedded engine (SEARCH_ENGINE=sqlite).';
  if (status === 429) return 'Too many requests from your address; wait a minute and try again.';
  return `The request failed: ${detail}.`;
}
