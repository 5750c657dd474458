import type autocannon from 'autocannon';
import type { RssSample } from './attack-api.js';
import { formatRss } from './attack-report.js';
import type { ChildExit } from './child-processes.js';
import { quantile } from './corpus.js';
import type { IngestSample, LagKind } from './freshness-ingest.js';
import { lagLabel, samplesOf } from './freshness-ingest.js';
import type { LoadWindow } from './freshness-load.js';
import type { StoreName } from './freshness-store.js';
import type { PostOutcome, Presence } from './freshness-writers.js';
import { absent, complete } from './freshness-writers.js';

/** Lag (ms) from the commit to every process answering; Infinity when it never did within the wait. */
export const lagFromCommit = (s: IngestSample): number =>
  s.commitAt === undefined || s.visibility?.everywhereAt === undefined ? Infinity : s.visibility.everywhereAt - s.commitAt;

/** Lag (ms) from the indexer's exit to every process answering (negative: answering before the indexer ended). */
export const lagFromExit = (s: IngestSample): number =>
  s.visibility?.everywhereAt === undefined ? Infinity : s.visibility.everywhereAt - s.exit.endedAt;

/** A duration in ms for a table cell: `∞` for never. */
export const ms = (v: number): string => (Number.isFinite(v) ? v.toFixed(0) : '∞');

/** Prints rows of cells under a header, the first column left-aligned and the others right-aligned to `widths`. */
export function printRows(header: readonly string[], rows: readonly (readonly string[])[], widths: readonly number[]): void {
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' ');
  console.log(line(header));
  for (const r of rows) console.log(line(r));
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
const indexerSeconds = (s: IngestSample): number => (s.exit.endedAt - s.startedAt) / 1_000;
const seconds = (s: IngestSample): string => indexerSeconds(s).toFixed(1);

/** Table 1: lag per batch size over the repetitions (quantiles by nearest rank). */
export function printLag(samples: readonly IngestSample[], kinds: readonly LagKind[]): void {
  const rows = kinds.map((kind) => {
    const runs = samplesOf(samples, kind);
    const lags = runs.map(lagFromCommit);
    const v = runs.map((s) => s.visibility);
    const count = (f: (x: NonNullable<IngestSample['visibility']>) => number) => String(sum(v.map((x) => (x ? f(x) : 0))));
    const probeMs = v.flatMap((x) => x?.probeMs ?? []);
    return [lagLabel(kind), String(runs.length), ...[0.5, 0.99].map((p) => ms(quantile(lags, p))), ms(Math.max(...lags)),
      ms(Math.max(...runs.map(lagFromExit))), quantile(runs.map(indexerSeconds), 0.5).toFixed(1), count((x) => x.probes), ms(quantile(probeMs, 0.5)),
      count((x) => x.split), count((x) => x.failed), count((x) => x.unidentified), String(runs.filter((s) => !Number.isFinite(lagFromCommit(s))).length)];
  });
  printRows(['batch', 'runs', 'p50 ms', 'p99 ms', 'max ms', 'exit→all max', 'indexer s p50', 'probes', 'probe p50 ms', 'split', '5xx/err', 'unknown pid', 'never'],
    rows, [14, 5, 7, 7, 7, 12, 13, 7, 12, 6, 8, 11, 6]);
}

/** Table 1b: the full BBC ingest. */
export function printFullIngest(s: IngestSample): void {
  const v = s.visibility;
  printRows(['articles', 'indexer s', 'commit→all ms', 'exit→all ms', 'probes', 'probe p50 ms', 'split', '5xx/err', 'processes confirmed'], [[
    String(s.batch.articles.length), seconds(s), ms(lagFromCommit(s)), ms(lagFromExit(s)), String(v?.probes ?? 0), ms(quantile(v?.probeMs ?? [], 0.5)),
    String(v?.split ?? 0), String(v?.failed ?? 0), v ? `${v.confirmedOn} of ${v.processes}` : 'not probed (no commit)',
  ]], [9, 10, 14, 12, 7, 12, 6, 8, 20]);
}

/** Errors of a window: connection errors (timeouts included) plus non-2xx answers. */
export const loadErrors = (r: autocannon.Result): number => r.errors + r.non2xx;

/**
 * The share of the requests due at the fixed rate that were sent. The generator runs closed loop per connection:
 * while answers stall, its connections send nothing, and those requests are missing from the latency figures.
 */
export const sentShare = (r: autocannon.Result, due: number): number => r.requests.sent / due;

/** Table 2: the fixed load without and during an ingest, per kind of request; `rate` is both kinds together (req/s). */
export function printLoad(windows: { name: string; w: LoadWindow; seconds: number }[], rate: number): void {
  const rows = windows.flatMap(({ name, w, seconds }) => (['search', 'similar'] as const).map((kind) => {
    const r = w[kind];
    const due = (rate / 2) * seconds;
    return [`${name} · ${kind}`, `${r.requests.sent} of ${due}`, `${(100 * sentShare(r, due)).toFixed(0)}%`, String(r.requests.total),
      ...[r.latency.p50, r.latency.p99, r.latency.max].map((x) => x.toFixed(0)), String(r.non2xx), String(r.timeouts), String(r.errors)];
  }));
  printRows(['window · requests', 'sent of due', 'sent', 'answered', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx', 'timeouts', 'errors (incl. t/o)'],
    rows, [34, 15, 5, 9, 7, 7, 7, 8, 9, 18]);
}

/** Counts POST outcomes by status (or error), as `200 × n, 503 × m`. */
function byStatus(posts: readonly PostOutcome[]): string {
  const counts = new Map<string, number>();
  for (const p of posts) {
    const key = p.status === undefined ? (p.error ?? 'error') : p.status === 200 && !p.ok ? '200 but not indexed' : String(p.status);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${k} × ${n}`).join(', ');
}

/** Table 3: the concurrent writers and the consistency check. */
export function printWriters(r: { posts: readonly PostOutcome[]; indexer: ChildExit; overlapping: number; presence: readonly Presence[]; indexerMissing: ReadonlyMap<StoreName, number> }): void {
  const times = r.posts.map((p) => p.ms);
  console.log(`POSTs: ${r.posts.length} (${byStatus(r.posts)}); ${r.overlapping} of them started while the indexer ran; ` +
    `latency p50 ${ms(quantile(times, 0.5))} ms, p99 ${ms(quantile(times, 0.99))} ms, max ${ms(Math.max(...times))} ms`);
  console.log(`indexer during the writes: exit ${r.indexer.code ?? r.indexer.signal}${r.indexer.timedOut ? ' (killed at its time limit)' : ''}; ` +
    `its articles missing from a store: ${[...r.indexerMissing].map(([s, n]) => `${s} ${n}`).join(', ')}`);
  const partial = r.presence.filter((p) => !complete(p) && !absent(p));
  console.log(`posted articles wholly present (every store; search, page and /similar answer): ${r.presence.filter(complete).length} of ${r.presence.length}; ` +
    `wholly absent: ${r.presence.filter(absent).length}; partial: ${partial.length}`);
  for (const p of partial.slice(0, 8)) console.log(`  partial ${p.id}: ${describePresence(p)}`);
}

/** Where an article is and is not, e.g. `search store yes, similarity store no, search API yes, …`. */
const describePresence = (p: Presence): string =>
  [...[...p.stores].map(([s, ok]) => `${s} store ${ok ? 'yes' : 'no'}`), `search API ${p.search ? 'yes' : 'no'}`,
    `page ${p.get ? 'yes' : 'no'}`, `/similar ${p.similar ? 'yes' : 'no'}`].join(', ');

/** The whole service's resident memory: every process added (MiB), and the largest. */
export const rssTotal = (s: RssSample): number => s.primary + sum(s.workers);

/** Table 4: memory samples. */
export function printMemory(samples: { when: string; s: RssSample }[]): void {
  printRows(['when', 'total MiB', 'processes'], samples.map(({ when, s }) => [when, String(rssTotal(s)), formatRss(s)]), [44, 10, 50]);
}

/** A target, its limit, what was measured, and the verdict; SKIP when the run was too small to tell. */
export interface Verdict {
  readonly target: string;
  readonly limit: string;
  readonly measured: string;
  readonly verdict: 'PASS' | 'FAIL' | 'SKIP';
}

/** Prints the verdicts side by side with their limits; whether none failed. */
export function printVerdicts(list: readonly Verdict[]): boolean {
  printRows(['target', 'limit', 'measured', 'verdict'], list.map((v) => [v.target, v.limit, v.measured, v.verdict]), [52, 16, 44, 7]);
  return list.every((v) => v.verdict !== 'FAIL');
}
