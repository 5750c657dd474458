import { h } from './dom.js';
import type { Filter } from './search-state.js';
import { fillMonths } from './timeline.js';
import { timelineFigure } from './timeline-chart.js';
import type { SearchResponse, SignificantValue } from './types.js';

/** The significant entity kinds the page shows, with the filter a click on one sets. */
const KINDS: readonly { readonly kind: 'people' | 'orgs' | 'places'; readonly filter: Filter; readonly legend: string }[] = [
  { kind: 'people', filter: 'person', legend: 'People' },
  { kind: 'orgs', filter: 'org', legend: 'Organisations' },
  { kind: 'places', filter: 'place', legend: 'Places' },
];

/** Called when a significant entity is chosen as a filter. */
export type OnPick = (filter: Filter, value: string) => void;

function entityList(legend: string, filter: Filter, values: readonly SignificantValue[], sampled: number, onPick: OnPick): HTMLElement {
  const items = values.map((v) => {
    const button = h('button', {
      class: 'link-button',
      text: v.value,
      attrs: { type: 'button', 'aria-label': `${v.value}: in ${v.count} of the ${sampled} best matches; filter by it` },
    });
    button.addEventListener('click', () => onPick(filter, v.value));
    return h('li', {}, [button, ' ', h('span', { class: 'count', text: `(${v.count})` })]);
  });
  return h('div', { class: 'significant-kind' }, [h('h4', { text: legend }), h('ul', {}, items)]);
}

/**
 * The trends of an answer: matches per month (the histogram, as the entity page draws its timeline) and the
 * people, organisations and places unusually frequent in the best matches. Hidden when the answer has neither.
 */
export function renderTrends(box: HTMLElement, answer: SearchResponse, onPick: OnPick): void {
  const parts: HTMLElement[] = [];
  const months = fillMonths((answer.histogram ?? []).map((b) => ({ month: b.start.slice(0, 7), articles: b.count })));
  if (months.length > 0) {
    const undated = answer.undated ? ` (${answer.undated} without a date)` : '';
    parts.push(h('h3', { text: `Matches per month${undated}` }), timelineFigure(months, 'search-histogram'));
  }
  const significant = answer.significant;
  if (significant) {
    const lists = KINDS.flatMap(({ kind, filter, legend }) => {
      const values = significant[kind] ?? [];
      return values.length === 0 ? [] : [entityList(legend, filter, values, significant.sampled, onPick)];
    });
    if (lists.length > 0) {
      parts.push(h('h3', { text: 'Stands out in these results' }), h('div', { class: 'significant' }, lists));
    }
  }
  box.replaceChildren(...parts);
  box.hidden = parts.length === 0;
}
