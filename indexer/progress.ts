import cliProgress from 'cli-progress';
import type { IngestSummary } from '../src/services/ingest-articles.js';

/** Reports indexing progress: a live line on a terminal, a log line every few seconds otherwise. */
export interface Progress {
  update(summary: IngestSummary): void;
  stop(): void;
}

/** Progress on `stream`; `now` is a clock in milliseconds. */
export function createProgress(stream: NodeJS.WriteStream, now: () => number): Progress {
  const started = now();
  const rate = (s: IngestSummary) => Math.round(s.read / Math.max((now() - started) / 1000, 1e-3));
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: 'indexing | {value} read | {indexed} indexed | {unchanged} unchanged | {rejected} rejected | {rate} docs/s', stream },
      cliProgress.Presets.shades_classic,
    );
    bar.start(0, 0, { indexed: 0, unchanged: 0, rejected: 0, rate: 0 });
    return {
      update: (s) => bar.update(s.read, { ...s, rate: rate(s) }),
      stop: () => bar.stop(),
    };
  }
  let last = started;
  return {
    update: (s) => {
      if (now() - last < 5_000) return;
      last = now();
      stream.write(`indexing: ${s.read} read, ${s.indexed} indexed, ${s.unchanged} unchanged, ${s.rejected} rejected, ${rate(s)} docs/s\n`);
    },
    stop: () => undefined,
  };
}
