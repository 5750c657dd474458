import Combobox from '@github/combobox-nav';
import { ApiError, getJson, isAbort } from './api.js';
import { h } from './dom.js';
import { entityKind } from './entities.js';
import type { EntityRef, EntityType } from './types.js';

/** Suggestions shown at most. */
const SUGGESTIONS = 6;
/** Shortest text that asks for suggestions, in characters. */
const MIN_CHARS = 2;
/** Quiet time after the last keystroke before asking, in milliseconds. */
const DEBOUNCE_MS = 150;

/** What `GET /api/entities?q=…` answers (src/http/entity-routes.ts). */
interface EntitiesResponse {
  readonly entities: readonly EntityRef[];
}

/** What `GET /api/suggest?q=…` answers (src/http/suggest-routes.ts). */
interface CompletionsResponse {
  readonly suggestions: readonly { readonly text: string; readonly type: SuggestionType; readonly articles: number }[];
}

/** A completion: an entity by its type, a phrase frequent in titles, or a title. */
export type SuggestionType = EntityType | 'phrase' | 'title';

/** One option of the list. */
interface Item {
  readonly type: SuggestionType;
  readonly name: string;
  readonly articles: number;
}

/** The search box and its listbox, where options come from, and what to do with a chosen one. */
export interface SuggestOptions {
  readonly input: HTMLInputElement;
  readonly list: HTMLElement;
  /** `suggest`: the search box's completions (`/api/suggest`); `entities`: entity autocomplete only. */
  readonly source: 'suggest' | 'entities';
  readonly onPick: (picked: { type: SuggestionType; name: string }) => void;
}

const LABELS: Record<'phrase' | 'title', string> = { phrase: 'Phrase', title: 'Headline' };

async function fetchItems(source: SuggestOptions['source'], text: string, signal: AbortSignal): Promise<readonly Item[]> {
  const params = new URLSearchParams({ q: text, limit: String(SUGGESTIONS) });
  if (source === 'entities') return (await getJson<EntitiesResponse>(`/api/entities?${params.toString()}`, signal)).entities;
  const { suggestions } = await getJson<CompletionsResponse>(`/api/suggest?${params.toString()}`, signal);
  return suggestions.map((s) => ({ type: s.type, name: s.text, articles: s.articles }));
}

function option(entity: Item, index: number, listId: string): HTMLLIElement {
  const kind = entity.type === 'phrase' || entity.type === 'title' ? LABELS[entity.type] : entityKind(entity.type)?.singular ?? entity.type;
  const count = `${entity.articles} ${entity.articles === 1 ? 'article' : 'articles'}`;
  const li = h('li', { attrs: { role: 'option', id: `${listId}-${index}`, 'data-type': entity.type, 'data-name': entity.name } }, [
    h('span', { class: 'name', text: entity.name }),
    h('span', { class: 'kind', text: `${kind} · ${count}` }),
  ]);
  // Keeps the focus in the search box when an option is clicked, so the list is not closed by the blur first.
  li.addEventListener('mousedown', (event) => event.preventDefault());
  return li;
}

/**
 * Suggestions under the search box: the API's completions (`GET /api/suggest?q=`: people, organisations, places,
 * phrases and headlines) or, from an API without them, its entity autocomplete (`GET /api/entities?q=`), as an ARIA
 * combobox whose keyboard behaviour (arrows, Enter, Escape, `aria-activedescendant`) is @github/combobox-nav's.
 * Choosing one calls `onPick`; a failed request just shows no suggestions.
 */
export function entitySuggestions({ input, list, source, onPick }: SuggestOptions): void {
  let from = source;
  const combobox = new Combobox(input, list, { tabInsertsSuggestions: false });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: AbortController | undefined;
  const close = () => {
    clearTimeout(timer);
    inFlight?.abort();
    if (list.hidden) return;
    combobox.stop();
    list.hidden = true;
    list.replaceChildren();
  };
  const show = (entities: readonly Item[]) => {
    if (entities.length === 0 || document.activeElement !== input) {
      close();
      return;
    }
    list.replaceChildren(...entities.map((e, i) => option(e, i, list.id)));
    if (list.hidden) {
      list.hidden = false;
      combobox.start();
    } else combobox.clearSelection();
  };
  const ask = async (text: string) => {
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    try {
      show(await fetchItems(from, text, controller.signal));
    } catch (error) {
      if (isAbort(error)) return;
      if (from === 'suggest' && error instanceof ApiError && error.status === 404) {
        from = 'entities'; // a service run without completions: its entity autocomplete instead
        if (inFlight === controller) void ask(text);
        return;
      }
      close();
    }
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < MIN_CHARS) {
      close();
      return;
    }
    timer = setTimeout(() => void ask(text), DEBOUNCE_MS);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !list.hidden) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener('blur', close);
  list.addEventListener('combobox-commit', (event) => {
    const target = event.target instanceof HTMLElement ? event.target : undefined;
    const type = target?.dataset.type;
    const name = target?.dataset.name;
    close();
    if (type && name && (entityKind(type) || type === 'phrase' || type === 'title')) onPick({ type: type as SuggestionType, name });
  });
}

