import cliProgress from 'cli-progress';
import type { IngestSummary } from '../src/services/ingest-articles.js';

/** Reports indexing progress: a live bar on a terminal, a log line every few seconds otherwise. */
export interface Progress {
  /** The counts so far and the bytes of the sources read so far. */
  update(summary: IngestSummary, bytesRead: number): void;
  stop(): void;
}

/** Seconds between log lines when the output is not a terminal. */
export const LOG_INTERVAL_MS = 5_000;

const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

/**
 * Progress on `stream`; `now` is a clock in milliseconds and `totalBytes` the size of every source file (the
 * fraction read gives the ETA: record counts are unknown before the end of a stream).
 */
export function createProgress(stream: NodeJS.WriteStream, now: () => number, totalBytes: number): Progress {
  const started = now();
  const seconds = () => Math.max((now() - started) / 1000, 1e-3);
  const rate = (s: IngestSummary) => Math.round(s.read / seconds());
  const total = Math.max(totalBytes, 1);
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: 'indexing {bar} {percentage}% | {read} read | {indexed} indexed | {unchanged} unchanged | {rejected} rejected | {rate} docs/s | ETA {eta_formatted}',
        stream,
        etaBuffer: 50,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { read: 0, indexed: 0, unchanged: 0, rejected: 0, rate: 0 });
    return {
      update: (s, bytes) => bar.update(Math.min(bytes, total), { ...s, rate: rate(s) }),
      stop: () => bar.stop(),
    };
  }
  let last = started;
  return {
    update: (s, bytes) => {
      if (now() - last < LOG_INTERVAL_MS) return;
      last = now();
      const done = Math.min(bytes / total, 1);
      const eta = done > 0 ? Math.round((seconds() * (1 - done)) / done) : undefined;
      stream.write(
        `indexing: ${Math.round(done * 100)}% (${mib(bytes)} of ${mib(totalBytes)} MiB), ${s.read} read, ${s.indexed} indexed, ` +
          `${s.unchanged} unchanged, ${s.rejected} rejected, ${rate(s)} docs/s, ETA ${eta === undefined ? '?' : `${eta} s`}\n`,
      );
    },
    stop: () => undefined,
  };
}
