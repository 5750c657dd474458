import { h } from './dom.js';
import type { Filter, SearchState } from './search-state.js';
import { FACET_OF, FILTERS } from './search-state.js';

/** Values shown per facet before "show all". */
const SHOWN_VALUES = 8;

const LEGENDS: Readonly<Record<Filter, string>> = {
  category: 'Category',
  source: 'Source',
  person: 'People',
  org: 'Organisations',
  place: 'Places',
};

/** Called when a facet value is ticked (`on`) or unticked. */
export type OnToggle = (filter: Filter, value: string, on: boolean) => void;

/** A facet's values by count (ties by name), chosen ones kept even when the answer no longer counts them. */
function facetValues(counts: Readonly<Record<string, number>>, chosen: readonly string[]): [string, number][] {
  const entries = Object.entries(counts);
  for (const value of chosen) if (!(value in counts)) entries.push([value, 0]);
  return entries.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function checkbox(filter: Filter, value: string, count: number, checked: boolean, onToggle: OnToggle): HTMLLIElement {
  const box = h('input', { attrs: { type: 'checkbox', name: filter, value } });
  box.checked = checked;
  box.addEventListener('change', () => onToggle(filter, value, box.checked));
  const label = h('label', {}, [box, ' ', h('span', { text: value }), ' ', h('span', { class: 'count', text: `(${count})` })]);
  return h('li', {}, [label]);
}

function facetGroup(filter: Filter, values: [string, number][], state: SearchState, onToggle: OnToggle): HTMLFieldSetElement {
  const chosen = state.filters[filter];
  const items = values.map(([value, count]) => checkbox(filter, value, count, chosen.includes(value), onToggle));
  const list = h('ul', { class: 'facet-values' }, items.slice(0, SHOWN_VALUES));
  const group = h('fieldset', { class: 'facet' }, [h('legend', { text: LEGENDS[filter] }), list]);
  if (items.length > SHOWN_VALUES) {
    const more = h('button', { class: 'link-button', text: `Show all ${items.length}`, attrs: { type: 'button' } });
    more.addEventListener('click', () => {
      list.append(...items.slice(SHOWN_VALUES));
      more.remove();
      items[SHOWN_VALUES]?.querySelector('input')?.focus();
    });
    group.append(more);
  }
  return group;
}

/**
 * Renders the facets of an answer as groups of checkboxes. A facet the answer does not carry (entity facets
 * before the entity API exists, or with no values) is not shown, unless values of it are chosen.
 */
export function renderFacets(
  box: HTMLElement,
  facets: Readonly<Record<string, Readonly<Record<string, number>>>>,
  state: SearchState,
  onToggle: OnToggle,
): void {
  const focused = document.activeElement instanceof HTMLInputElement && box.contains(document.activeElement)
    ? { name: document.activeElement.name, value: document.activeElement.value }
    : undefined;
  const groups = FILTERS.flatMap((filter) => {
    const values = facetValues(facets[FACET_OF[filter]] ?? {}, state.filters[filter]);
    return values.length === 0 ? [] : [facetGroup(filter, values, state, onToggle)];
  });
  box.replaceChildren(...groups);
  if (focused) {
    // Keyboard users keep their place: the box they ticked is focused again in the new rendering.
    for (const input of box.querySelectorAll('input')) {
      if (input.name === focused.name && input.value === focused.value) input.focus();
    }
  }
}
