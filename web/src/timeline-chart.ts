import { h } from './dom.js';
import type { MonthCount } from './timeline.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 640;
const HEIGHT = 200;
const AXIS = 24; // room for the month labels under the bars, in viewBox units
const LABEL_GAP = 4;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

const MONTH_NAME = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** `2026-04` → `Apr 2026`. */
export function monthLabel(month: string): string {
  return MONTH_NAME.format(new Date(`${month}-01T00:00:00Z`));
}

function summary(months: readonly MonthCount[]): string {
  const total = months.reduce((sum, m) => sum + m.articles, 0);
  const peak = months.reduce((best, m) => (m.articles > best.articles ? m : best), months[0] ?? { month: '', articles: 0 });
  const first = months[0];
  const last = months[months.length - 1];
  if (!first || !last) return 'No articles by month.';
  return `${total} articles from ${monthLabel(first.month)} to ${monthLabel(last.month)}; most in ${monthLabel(peak.month)} (${peak.articles}).`;
}

/** Bars of articles per month as inline SVG, described for screen readers by its title and a summary. */
function chart(months: readonly MonthCount[], id: string): SVGSVGElement {
  const max = Math.max(1, ...months.map((m) => m.articles));
  const slot = WIDTH / Math.max(1, months.length);
  const barWidth = Math.max(1, slot * 0.7);
  const plot = HEIGHT - AXIS;
  const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-labelledby': `${id}-title ${id}-desc`, class: 'timeline-chart' });
  root.append(svg('title', { id: `${id}-title` }, 'Articles per month'), svg('desc', { id: `${id}-desc` }, summary(months)));
  root.append(svg('line', { x1: 0, x2: WIDTH, y1: plot, y2: plot, class: 'axis' }));
  months.forEach((m, i) => {
    const height = (m.articles / max) * (plot - 16);
    const x = i * slot + (slot - barWidth) / 2;
    const bar = svg('rect', { x, y: plot - height, width: barWidth, height, class: 'bar' });
    bar.append(svg('title', {}, `${monthLabel(m.month)}: ${m.articles}`));
    root.append(bar);
    if (m.articles > 0 && slot >= 24) root.append(svg('text', { x: x + barWidth / 2, y: plot - height - LABEL_GAP, class: 'value' }, String(m.articles)));
  });
  const labelEvery = Math.ceil(months.length / 6);
  months.forEach((m, i) => {
    if (i % labelEvery === 0) root.append(svg('text', { x: i * slot + slot / 2, y: HEIGHT - 6, class: 'label' }, monthLabel(m.month)));
  });
  return root;
}

/** The same counts as a table, for people who do not see the chart or want the figures. */
function table(months: readonly MonthCount[]): HTMLDetailsElement {
  const rows = months.map((m) => h('tr', {}, [h('th', { text: monthLabel(m.month), attrs: { scope: 'row' } }), h('td', { text: String(m.articles) })]));
  return h('details', { class: 'timeline-table' }, [
    h('summary', { text: 'Articles per month as a table' }),
    h('table', {}, [
      h('thead', {}, [h('tr', {}, [h('th', { text: 'Month', attrs: { scope: 'col' } }), h('th', { text: 'Articles', attrs: { scope: 'col' } })])]),
      h('tbody', {}, rows),
    ]),
  ]);
}

/** A figure with the monthly bar chart and its table. */
export function timelineFigure(months: readonly MonthCount[], id: string): HTMLElement {
  return h('figure', { class: 'timeline' }, [chart(months, id), h('figcaption', { text: summary(months) }), table(months)]);
}
