import Combobox from '@github/combobox-nav';
import { getJson, isAbort } from './api.js';
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
interface SuggestResponse {
  readonly entities: readonly EntityRef[];
}

/** The search box and its listbox, and what to do with a chosen entity. */
export interface SuggestOptions {
  readonly input: HTMLInputElement;
  readonly list: HTMLElement;
  readonly onPick: (entity: { type: EntityType; name: string }) => void;
}

function option(entity: EntityRef, index: number, listId: string): HTMLLIElement {
  const kind = entityKind(entity.type)?.singular ?? entity.type;
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
 * Entity suggestions under the search box (the API's entity autocomplete, `GET /api/entities?q=`): people,
 * organisations and places whose names match what is typed, as an ARIA combobox whose keyboard behaviour
 * (arrows, Enter, Escape, `aria-activedescendant`) is @github/combobox-nav's. Choosing one calls `onPick`.
 * Only used when the API has entity search; a failed request just shows no suggestions.
 */
export function entitySuggestions({ input, list, onPick }: SuggestOptions): void {
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
  const show = (entities: readonly EntityRef[]) => {
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
      const params = new URLSearchParams({ q: text, limit: String(SUGGESTIONS) });
      show((await getJson<SuggestResponse>(`/api/entities?${params.toString()}`, controller.signal)).entities);
    } catch (error) {
      if (!isAbort(error)) close();
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
    if (type && name && entityKind(type)) onPick({ type: type as EntityType, name });
  });
}

