import { ApiError } from './api.js';
import { dailyLines, reportTable } from './analytics-charts.js';
import type { Column } from './analytics-charts.js';
import { byId, h, showMessage } from './dom.js';

/**
 * The analytics page (/analytics): the admin key, typed by the editor and kept in this page's memory only, opens
 * the two reports (GET /api/analytics/queries and /related); each list has its table, the daily counts a line
 * chart, and every table downloads as CSV.
 */

interface QueryCount { readonly query: string; readonly count: number }
interface LinkStats { readonly impressions: number; readonly clicks: number; readonly clickThrough: number }
interface QueryReport {
  readonly from: string;
  readonly to: string;
  readonly top: readonly QueryCount[];
  readonly zeroResults: readonly QueryCount[];
  readonly noClick: readonly QueryCount[];
  readonly daily: readonly { day: string; searches: number; zeroResults: number; clicks: number }[];
}
interface RelatedReport {
  readonly totals: LinkStats;
  readonly byPosition: readonly (LinkStats & { position: number })[];
  readonly byArticle: readonly (LinkStats & { articleId: string })[];
  readonly daily: readonly { day: string; impressions: number; clicks: number }[];
}

const form = byId<HTMLFormElement>('report-form');
const keyInput = byId<HTMLInputElement>('key');
const fromInput = byId<HTMLInputElement>('from');
const toInput = byId<HTMLInputElement>('to');
const status = byId('status');
const errorBox = byId('error');
const report = byId('report');

/** Characters that make a spreadsheet read a cell as a formula (as the API's own CSV exports guard against). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV line (RFC 4180 quoting); text a spreadsheet would run as a formula gets a leading `'`. */
function csvLine(cells: readonly (string | number)[]): string {
  return cells
    .map((cell) => {
      const text = typeof cell === 'number' ? String(cell) : FORMULA_START.test(cell) ? `'${cell}` : cell;
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',');
}

/** A button that downloads `rows` under `columns` as NAME-FROM-TO.csv. */
function csvButton<R>(name: string, range: { from: string; to: string }, rows: readonly R[], columns: readonly Column<R>[]): HTMLButtonElement {
  const button = h('button', { class: 'button', text: 'Download CSV', attrs: { type: 'button', 'aria-label': `Download CSV of ${name.replace(/-/g, ' ')}` } });
  button.addEventListener('click', () => {
    const text = [csvLine(columns.map((c) => c.heading)), ...rows.map((r) => csvLine(columns.map((c) => c.cell(r))))].join('\r\n');
    const link = h('a', { attrs: { href: URL.createObjectURL(new Blob([`${text}\r\n`], { type: 'text/csv' })), download: `${name}-${range.from}-${range.to}.csv` } });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  });
  return button;
}

/** GETs a report with the admin key; throws ApiError with the problem's detail when refused. */
async function fetchReport<T>(path: string, key: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { Accept: 'application/json', 'X-Api-Key': key } });
  } catch (error) {
    throw new ApiError(0, 'network', 'the service did not answer', { cause: error });
  }
  const body = (await response.json().catch(() => ({}))) as { code?: string; detail?: string };
  if (!response.ok) throw new ApiError(response.status, body.code ?? 'http_error', body.detail ?? `HTTP ${response.status}`);
  return body as T;
}

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
const times = (n: number) => `${n} ${n === 1 ? 'time' : 'times'}`;
const queryColumns: Column<QueryCount>[] = [{ heading: 'Query', cell: (r) => r.query }, { heading: 'Searches', cell: (r) => String(r.count), number: true }];
const linkColumns = <R extends LinkStats>(first: Column<R>): Column<R>[] => [
  first,
  { heading: 'Impressions', cell: (r) => String(r.impressions), number: true },
  { heading: 'Clicks', cell: (r) => String(r.clicks), number: true },
  { heading: 'Click-through', cell: (r) => percent(r.clickThrough), number: true },
];

/** Fills one section: a table (with bars), and its CSV button. */
function fill<R>(id: string, name: string, range: { from: string; to: string }, rows: readonly R[], columns: readonly Column<R>[], bar?: (r: R) => number): void {
  byId(id).replaceChildren(reportTable(rows, columns, bar), ...(rows.length > 0 ? [csvButton(name, range, rows, columns)] : []));
}

function render(queries: QueryReport, related: RelatedReport): void {
  const range = { from: queries.from, to: queries.to };
  const days = queries.daily.map((d) => d.day);
  const dailyColumns: Column<QueryReport['daily'][number]>[] = [
    { heading: 'Day', cell: (r) => r.day },
    { heading: 'Searches', cell: (r) => String(r.searches), number: true },
    { heading: 'Found nothing', cell: (r) => String(r.zeroResults), number: true },
    { heading: 'Result clicks', cell: (r) => String(r.clicks), number: true },
  ];
  const chart = dailyLines(days, [{ name: 'searches', values: queries.daily.map((d) => d.searches) }, { name: 'found nothing', values: queries.daily.map((d) => d.zeroResults) }], 'daily-chart', 'Searches per day');
  const table = h('details', {}, [h('summary', { text: 'Searches per day as a table' }), reportTable(queries.daily, dailyColumns)]);
  byId('daily').replaceChildren(h('figure', {}, [chart, table]), csvButton('searches-per-day', range, queries.daily, dailyColumns));
  fill('top', 'top-queries', range, queries.top, queryColumns, (r) => r.count);
  fill('zero', 'zero-result-queries', range, queries.zeroResults, queryColumns, (r) => r.count);
  fill('noclick', 'unclicked-queries', range, queries.noClick, queryColumns, (r) => r.count);
  fill('positions', 'related-by-position', range, related.byPosition, linkColumns({ heading: 'Position', cell: (r) => String(r.position), number: true }), (r) => r.clickThrough);
  fill('articles', 'related-by-article', range, related.byArticle, linkColumns({ heading: 'Article', cell: (r) => r.articleId }));
  const t = related.totals;
  status.textContent = `${range.from} to ${range.to}: ${queries.daily.reduce((s, d) => s + d.searches, 0)} searches; related articles shown ${times(t.impressions)}, opened ${times(t.clicks)} (${percent(t.clickThrough)}).`;
  report.hidden = false;
}

async function show(): Promise<void> {
  const params = new URLSearchParams();
  if (fromInput.value) params.set('from', fromInput.value);
  if (toInput.value) params.set('to', toInput.value);
  const query = params.toString() === '' ? '' : `?${params.toString()}`;
  showMessage(errorBox, '');
  status.textContent = 'Loading…';
  try {
    const key = keyInput.value.trim();
    const [queries, related] = await Promise.all([
      fetchReport<QueryReport>(`/api/analytics/queries${query}`, key),
      fetchReport<RelatedReport>(`/api/analytics/related${query}`, key),
    ]);
    render(queries, related);
  } catch (error) {
    status.textContent = '';
    report.hidden = true;
    const refused = error instanceof ApiError && (error.status === 401 || error.status === 403);
    showMessage(errorBox, refused ? 'The key was refused: the reports need the service\'s ADMIN_API_KEY.' : `The report cannot be shown: ${(error as Error).message}.`);
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void show();
});
