import type { Outcome, ProbeResult } from './attack-http.js';
import type { RssSample } from './attack-api.js';
import { quantile } from './corpus.js';

/** Issue 14's latency bound: no answer slower than this (ms). */
export const SLOW_MS = 1_000;
/** Issue 14's floor for /health probes answered while four heavy requests run. */
export const HEALTH_FLOOR = 0.99;
/** Issue 14's floor for the number of hostile requests. */
export const MIN_REQUESTS = 2_000;

/** One row of the table: a case class (or the total) and how its requests ended. */
export interface Row {
  readonly cls: string;
  readonly count: number;
  readonly ok: number;
  readonly client: number;
  readonly server: number;
  readonly timeouts: number;
  readonly errors: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** p99 of the time to the status line and headers (a streamed export starts there). */
  readonly firstP99: number;
  /** Answers slower than {@link SLOW_MS}, plus timeouts and cut answers. */
  readonly slow: number;
}

/**
 * When an outcome was answered: its last byte, except for a streamed download (an export of every match), which is
 * answered when its headers arrive — its length grows with the result set, and the service bounds its duration
 * (EXPORT_TIME_LIMIT_MS) and concurrency instead.
 */
export const answeredMs = (o: Outcome): number => (o.streamed && o.kind === '2xx/3xx' ? o.firstByteMs : o.ms);

/** Whether an outcome misses the latency target: answered after 1 s, timed out, or cut off. */
export const isSlow = (o: Outcome): boolean => answeredMs(o) > SLOW_MS || o.kind === 'timeout' || o.kind === 'error';

function row(cls: string, outcomes: readonly Outcome[]): Row {
  const ms = outcomes.map((o) => o.ms);
  const count = (kind: Outcome['kind']) => outcomes.filter((o) => o.kind === kind).length;
  return {
    cls, count: outcomes.length, ok: count('2xx/3xx'), client: count('4xx'), server: count('5xx'), timeouts: count('timeout'),
    errors: count('error'), p50: quantile(ms, 0.5), p99: quantile(ms, 0.99), max: ms.length === 0 ? Number.NaN : Math.max(...ms),
    firstP99: quantile(outcomes.map((o) => o.firstByteMs), 0.99), slow: outcomes.filter(isSlow).length,
  };
}

/** One row per case class (alphabetical), then the total. */
export function summarise(outcomes: readonly Outcome[]): { rows: Row[]; total: Row } {
  const classes = [...new Set(outcomes.map((o) => o.cls))].sort();
  return { rows: classes.map((c) => row(c, outcomes.filter((o) => o.cls === c))), total: row('total', outcomes) };
}

const COLUMNS: readonly [string, number, (r: Row) => string][] = [
  ['class', 26, (r) => r.cls], ['count', 6, (r) => String(r.count)], ['2xx/3xx', 8, (r) => String(r.ok)], ['4xx', 6, (r) => String(r.client)],
  ['5xx', 5, (r) => String(r.server)], ['t/o', 4, (r) => String(r.timeouts)], ['err', 4, (r) => String(r.errors)],
  ['p50 ms', 8, (r) => r.p50.toFixed(0)], ['p99 ms', 8, (r) => r.p99.toFixed(0)], ['max ms', 8, (r) => r.max.toFixed(0)],
  ['1st-byte p99', 13, (r) => r.firstP99.toFixed(0)], ['>1 s', 6, (r) => String(r.slow)],
];

/** Prints the table: per class, count by outcome and latency quantiles, then the total. */
export function printTable(rows: readonly Row[], total: Row): void {
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(COLUMNS[i]![1]) : c.padStart(COLUMNS[i]![1]))).join(' ');
  console.log(line(COLUMNS.map(([h]) => h)));
  for (const r of rows) console.log(line(COLUMNS.map(([, , f]) => f(r))));
  console.log(line(COLUMNS.map(([, w]) => '-'.repeat(w))));
  console.log(line(COLUMNS.map(([, , f]) => f(total))));
}

/** Prints when successful exports got their first byte and their last: an export streams, a search does not. */
function printExports(outcomes: readonly Outcome[]): void {
  const done = outcomes.filter((o) => o.kind === '2xx/3xx' && /[?&]format=(csv|jsonl)/.test(o.path));
  if (done.length === 0) return;
  const q = (values: number[]) => [0.5, 0.99, 1].map((p) => quantile(values, p).toFixed(0)).join(' / ');
  console.log(`exports answered 2xx: ${done.length}; first byte p50 / p99 / max ${q(done.map((o) => o.firstByteMs))} ms; ` +
    `last byte ${q(done.map((o) => o.ms))} ms`);
}

/** Counts outcomes by `cls status` (or `cls timeout`), as `key × n` joined by commas. */
function tally(outcomes: readonly Outcome[]): string {
  const counts = new Map<string, number>();
  for (const o of outcomes) {
    const key = `${o.cls} ${o.status ?? o.kind}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} × ${n}`).join(', ') || 'none';
}

/** One outcome as a report line: its time, status (or kind), method, path and note. */
function outcomeLine(o: Outcome, ms: number = o.ms): string {
  const outcome = (o.status === undefined ? o.kind : String(o.status)).padEnd(7);
  return `  ${ms.toFixed(0).padStart(6)}  ${outcome}  ${o.cls}: ${o.method} ${o.path}${o.note ? ` (${o.note})` : ''}`;
}

/**
 * Prints the 5xx statuses by class, the exports' timing, the slowest requests, and every answer the 1 s target
 * counts against (an export by its first byte): the leads for whoever fixes them.
 */
export function printLeads(outcomes: readonly Outcome[], slowest = 12): void {
  console.log(`5xx by class and status: ${tally(outcomes.filter((o) => o.kind === '5xx'))}`);
  console.log(`the heavy four by status: ${tally(outcomes.filter((o) => o.cls.startsWith('heavy4')))}`);
  printExports(outcomes);
  console.log(`slowest ${slowest} (ms, outcome, request):`);
  for (const o of [...outcomes].sort((a, b) => b.ms - a.ms).slice(0, slowest)) console.log(outcomeLine(o));
  const counted = outcomes.filter((o) => isSlow(o) && !AUTHORISED_WORK.has(o.cls));
  console.log(`counted against the ${SLOW_MS / 1000} s target (ms to the byte it counts, outcome, class: request):`);
  for (const o of counted) console.log(outcomeLine(o, answeredMs(o)));
}

/** A sample of the API's memory, as `primary P MiB, workers W1 + W2 MiB`. */
export const formatRss = (s: RssSample): string => `primary ${s.primary} MiB, workers ${s.workers.join(' + ') || 'none'} MiB`;

/** One of issue 14's targets and whether the run met it. */
export interface Verdict {
  readonly target: string;
  readonly pass: boolean;
  readonly measured: string;
}

/**
 * Classes whose work is authorised and bounded by a documented cap rather than hostile: admin-key writes of articles
 * at the size limit (1,000,000 characters each; extraction, analysis and indexing take seconds of CPU for real text).
 * They are reported beside the 1 s target, not under it.
 */
export const AUTHORISED_WORK: ReadonlySet<string> = new Set(['write-huge']);

/** Checks the run against issue 14's targets. */
export function verdicts(run: { outcomes: readonly Outcome[]; unsent: number; probes: ProbeResult }): Verdict[] {
  const { outcomes, unsent, probes } = run;
  const server = outcomes.filter((o) => o.kind === '5xx').length;
  const slow = outcomes.filter((o) => isSlow(o) && !AUTHORISED_WORK.has(o.cls));
  const authorised = outcomes.filter((o) => isSlow(o) && AUTHORISED_WORK.has(o.cls));
  const unanswered = slow.filter((o) => o.kind !== '2xx/3xx' && o.kind !== '4xx' && o.kind !== '5xx').length;
  const share = probes.sent === 0 ? 0 : probes.answered / probes.sent;
  return [
    { target: `≥ ${MIN_REQUESTS.toLocaleString('en')} hostile requests sent, none left unsent`, pass: outcomes.length >= MIN_REQUESTS && unsent === 0,
      measured: `${outcomes.length} sent, ${unsent} unsent at the dispatch deadline` },
    { target: '0 × 5xx', pass: server === 0, measured: `${server} × 5xx` },
    { target: `no answer slower than ${SLOW_MS / 1000} s (last byte; an export's first; timeouts and cut answers count)`, pass: slow.length === 0,
      measured: `${slow.length} slower than ${SLOW_MS / 1000} s or unanswered (${unanswered} timeouts or connection errors); ` +
        `apart: ${authorised.length} admin writes of maximal size (${[...AUTHORISED_WORK].join(', ')}), slowest ` +
        `${Math.max(0, ...authorised.map((o) => o.ms)).toFixed(0)} ms` },
    { target: `/health ≥ ${HEALTH_FLOOR * 100}% of probes while four heavy requests run`, pass: probes.sent > 0 && share >= HEALTH_FLOOR,
      measured: `${probes.answered}/${probes.sent} answered within 1 s (${(share * 100).toFixed(1)}%) over ${(probes.windowMs / 1000).toFixed(1)} s` },
  ];
}

/** Prints PASS or FAIL per target; whether all passed. */
export function printVerdicts(list: readonly Verdict[]): boolean {
  for (const v of list) console.log(`${v.pass ? 'PASS' : 'FAIL'}  ${v.target}: ${v.measured}`);
  return list.every((v) => v.pass);
}
