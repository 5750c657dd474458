import { h } from './dom.js';

/** Charts of the analytics page, as inline SVG in the pages' palette (web/styles/analytics.css), each with a table. */

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 640;
const HEIGHT = 200;
const AXIS = 24;
const TOP = 16;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** A series of a line chart: its name and one value per day. */
export interface Series {
  readonly name: string;
  readonly values: readonly number[];
}

/** `2026-04-03` → `3 Apr`. */
function dayLabel(day: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

/**
 * A daily line chart of one or two series (the second dashed, in the accent colour), its title and a summary for
 * screen readers, day labels under the axis (about six), and the largest value on the left.
 */
export function dailyLines(days: readonly string[], series: readonly Series[], id: string, title: string): SVGSVGElement {
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const plot = HEIGHT - AXIS;
  const x = (i: number) => (days.length <= 1 ? WIDTH / 2 : 40 + (i * (WIDTH - 60)) / (days.length - 1));
  const y = (v: number) => plot - (v / max) * (plot - TOP);
  const totals = series.map((s) => `${s.values.reduce((a, b) => a + b, 0)} ${s.name}`).join(', ');
  const summary = days.length === 0 ? 'No days.' : `${totals} from ${dayLabel(days[0]!)} to ${dayLabel(days[days.length - 1]!)}.`;
  const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-labelledby': `${id}-title ${id}-desc`, class: 'analytics-chart' });
  root.append(svg('title', { id: `${id}-title` }, title), svg('desc', { id: `${id}-desc` }, summary));
  root.append(svg('line', { x1: 36, x2: WIDTH, y1: plot, y2: plot, class: 'axis' }), svg('text', { x: 0, y: TOP + 4 }, String(max)));
  series.forEach((s, k) => {
    const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    root.append(svg('polyline', { points, class: k === 0 ? 'line' : 'line second' }));
    root.append(svg('text', { x: WIDTH - 200, y: 12 + k * 16, class: k === 0 ? '' : 'legend-second' }, `${k === 0 ? '—' : '- -'} ${s.name}`));
  });
  const every = Math.max(1, Math.ceil(days.length / 6));
  days.forEach((day, i) => {
    if (i % every === 0) root.append(svg('text', { x: x(i), y: HEIGHT - 6, 'text-anchor': 'middle' }, dayLabel(day)));
  });
  return root;
}

/** A column of a report table: its heading, how a row shows in it, and whether it is a number (right-aligned). */
export interface Column<R> {
  readonly heading: string;
  readonly cell: (row: R) => string;
  readonly number?: boolean;
}

/**
 * A table of rows; `bar`, when given, adds a last column with a bar as long as that share of the largest value
 * (hidden from screen readers: the figure is in its own column).
 */
export function reportTable<R>(rows: readonly R[], columns: readonly Column<R>[], bar?: (row: R) => number): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty', text: 'Nothing in this range.' });
  const max = Math.max(1, ...(bar ? rows.map(bar) : [1]));
  const heads = columns.map((c) => h('th', { text: c.heading, class: c.number ? 'number' : '', attrs: { scope: 'col' } }));
  if (bar) heads.push(h('th', { text: 'Share', class: 'visually-hidden', attrs: { scope: 'col' } }));
  const body = rows.map((row) => {
    const cells = columns.map((c) => h('td', { text: c.cell(row), class: c.number ? 'number' : '' }));
    if (bar) cells.push(h('td', { attrs: { 'aria-hidden': 'true' } }, [h('span', { class: 'share', attrs: { style: `width: ${((bar(row) / max) * 100).toFixed(1)}%` } })]));
    return h('tr', {}, cells);
  });
  return h('table', {}, [h('thead', {}, [h('tr', {}, heads)]), h('tbody', {}, body)]);
}
