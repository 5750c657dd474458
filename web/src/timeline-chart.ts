import { formatMonth } from './dates.js';
import { h } from './dom.js';
import type { MonthCount } from './timeline.js';
import { peakMonths, timelineSummary } from './timeline.js';

const SVG = 'http://www.w3.org/2000/svg';
/** Width drawn before the figure is laid out, in CSS pixels; then the chart is drawn at the figure's own width. */
const INITIAL_WIDTH = 640;
const MIN_WIDTH = 240;
const HEIGHT = 200;
const AXIS = 26; // room for the month labels under the bars
const LABEL_GAP = 4;
/** Room one month label needs (`Sept 2026` at 13 px, with a gap), in CSS pixels. */
const LABEL_ROOM = 74;
/** Narrowest slot that still carries its count above the bar. */
const VALUE_ROOM = 22;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** A period shaded behind the bars (a burst): from and to in month slots (see bursts.ts, monthSpan), and what it is. */
export interface ChartBand {
  readonly from: number;
  readonly to: number;
  readonly label: string;
}
/** Narrowest band drawn, in CSS pixels (a one-day burst on a long chart stays visible). */
const MIN_BAND = 4;
/** Height of a burst's mark under the axis, in CSS pixels. */
const BAND_MARK = 5;

/** `2026-04` → `Apr 2026`. */
export const monthLabel = formatMonth;

/**
 * Bars of articles per month as inline SVG, `width` CSS pixels wide (the viewBox is in pixels, so that its 13 px
 * labels stay 13 px on a phone); described for screen readers by its title and the summary. The busiest months
 * are marked `peak`.
 */
function chart(months: readonly MonthCount[], id: string, width: number, bands: readonly ChartBand[]): SVGSVGElement {
  const max = Math.max(1, ...months.map((m) => m.articles));
  const peak = peakMonths(months).articles;
  const slot = width / Math.max(1, months.length);
  const barWidth = Math.max(1, slot * 0.7);
  const plot = HEIGHT - AXIS;
  const root = svg('svg', { viewBox: `0 0 ${width} ${HEIGHT}`, width, height: HEIGHT, role: 'img', 'aria-labelledby': `${id}-title ${id}-desc`, class: 'timeline-chart' });
  root.append(svg('title', { id: `${id}-title` }, 'Articles per month'), svg('desc', { id: `${id}-desc` }, timelineSummary(months, monthLabel)));
  root.append(svg('line', { x1: 0, x2: width, y1: plot, y2: plot, class: 'axis' }));
  months.forEach((m, i) => {
    const height = (m.articles / max) * (plot - 18);
    const x = i * slot + (slot - barWidth) / 2;
    const bar = svg('rect', { x, y: plot - height, width: barWidth, height, class: m.articles === peak && peak > 0 ? 'bar peak' : 'bar' });
    bar.append(svg('title', {}, `${monthLabel(m.month)}: ${m.articles}`));
    root.append(bar);
    if (m.articles > 0 && slot >= VALUE_ROOM) root.append(svg('text', { x: x + barWidth / 2, y: plot - height - LABEL_GAP, class: 'value' }, String(m.articles)));
  });
  // bursts over the bars (a tall bar would hide a band behind it), with a solid mark under the axis
  for (const band of bands) {
    const x = band.from * slot;
    const bandWidth = Math.max(MIN_BAND, (band.to - band.from) * slot);
    const shade = svg('rect', { x, y: 0, width: bandWidth, height: plot, class: 'burst' });
    shade.append(svg('title', {}, band.label));
    root.append(shade, svg('rect', { x, y: plot + 1, width: bandWidth, height: BAND_MARK, class: 'burst-mark' }));
  }
  const labelEvery = Math.max(1, Math.ceil(months.length / Math.max(1, Math.floor(width / LABEL_ROOM))));
  months.forEach((m, i) => {
    if (i % labelEvery !== 0) return;
    // The first and last labels are anchored inside the chart, so that a narrow chart never clips them.
    const centre = i * slot + slot / 2;
    const x = Math.min(Math.max(centre, LABEL_ROOM / 2), width - LABEL_ROOM / 2);
    root.append(svg('text', { x, y: HEIGHT - 7, class: 'label' }, monthLabel(m.month)));
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

/**
 * A figure with the monthly bar chart (periods such as bursts shaded behind the bars) and its table, the chart redrawn at the figure's width whenever that
 * changes (a phone, a rotated one, a resized window). `months` must hold at least one month with articles: with
 * none, there is nothing to draw, and the page says so in words instead (see the entity page).
 */
export function timelineFigure(months: readonly MonthCount[], id: string, bands: readonly ChartBand[] = []): HTMLElement {
  let drawn = chart(months, id, INITIAL_WIDTH, bands);
  const shaded = bands.length === 0 ? '' : ` Shaded: ${bands.length === 1 ? 'its burst' : `its ${bands.length} bursts`}.`;
  const figure = h('figure', { class: 'timeline' }, [drawn, h('figcaption', { text: timelineSummary(months, monthLabel) + shaded }), table(months)]);
  let width = INITIAL_WIDTH;
  if (typeof ResizeObserver === 'function') {
    new ResizeObserver((entries) => {
      const next = Math.max(MIN_WIDTH, Math.floor(entries[0]?.contentRect.width ?? width));
      if (next === width || entries[0]?.contentRect.width === 0) return;
      width = next;
      const redrawn = chart(months, id, width, bands);
      drawn.replaceWith(redrawn);
      drawn = redrawn;
    }).observe(figure);
  }
  return figure;
}
