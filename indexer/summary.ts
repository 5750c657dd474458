import type { IngestSummary } from '../src/services/ingest-articles.js';
import type { ReconcileReport } from '../src/services/reconcile.js';
import type { DryRunCounts } from './sync.js';

/** What a run did (or, with `--dry-run`, would do), as printed at the end and with `--json`. */
export type RunReport = IngestSummary & {
  /** Articles removed by `--prune` (or that would be). */
  readonly deleted: number;
  readonly seconds: number;
  readonly docsPerSecond: number;
  /** The process's peak resident memory (process.resourceUsage().maxRSS), in MiB. */
  readonly peakRssMiB: number;
  /** Only with `--dry-run`: how the would-be writes split. */
  readonly dryRun?: DryRunCounts;
  /** Only with `--reconcile`: ids found in one store and not another, healed, and orphans removed. */
  readonly reconciled?: ReconcileReport;
};

/** The report of a finished run; `seconds` is its wall time. */
export function makeReport(summary: IngestSummary, deleted: number, seconds: number, dryRun: DryRunCounts | undefined): RunReport {
  return {
    ...summary,
    deleted,
    seconds: Number(seconds.toFixed(2)),
    docsPerSecond: Math.round(summary.read / Math.max(seconds, 1e-3)),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    ...(dryRun === undefined ? {} : { dryRun }),
  };
}

/** The one-line human summary. */
export function formatReport(r: RunReport): string {
  const tail = `rejected ${r.rejected} | ${r.seconds} s, ${r.docsPerSecond} docs/s, peak RSS ${r.peakRssMiB} MiB`;
  if (r.dryRun) {
    const d = r.dryRun;
    return `dry run: read ${r.read} | would add ${d.added} | change ${d.changed} | leave ${d.unchanged} unchanged | delete ${r.deleted} | ${tail}`;
  }
  const healed = r.reconciled ? `reconciled: ${r.reconciled.healed} healed, ${r.reconciled.orphansRemoved} orphans removed | ` : '';
  return `${healed}read ${r.read} | indexed ${r.indexed} | unchanged ${r.unchanged} | deleted ${r.deleted} | ${tail}`;
}
