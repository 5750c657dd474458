import { createProgress, LOG_INTERVAL_MS } from '../../indexer/progress.js';

/** A stream that is not a terminal and keeps what is written to it. */
function logStream() {
  const lines: string[] = [];
  const stream = { isTTY: false, write: (s: string) => lines.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, lines };
}

const counts = (read: number) => ({ read, indexed: read, unchanged: 0, rejected: 0 });

describe('indexing progress when the output is not a terminal', () => {
  it('when updates come faster than the log interval, then one line is written per interval', () => {
    let now = 0;
    const { stream, lines } = logStream();
    const progress = createProgress(stream, () => now, 1000 * 1024 * 1024);
    for (let t = 500; t <= 12_000; t += 500) {
      now = t;
      progress.update(counts(t), t * 1024 * 50);
    }
    progress.stop();
    expect(lines).toHaveLength(Math.floor(12_000 / LOG_INTERVAL_MS));
  });

  it('when a line is written, then it gives the share read, counts, docs/s and an ETA from the bytes left', () => {
    let now = 0;
    const { stream, lines } = logStream();
    const progress = createProgress(stream, () => now, 100 * 1024 * 1024);
    now = 5_000;
    progress.update({ read: 10_000, indexed: 9_000, unchanged: 900, rejected: 100 }, 25 * 1024 * 1024);
    expect(lines).toEqual([
      'indexing: 25% (25.0 of 100.0 MiB), 10000 read, 9000 indexed, 900 unchanged, 100 rejected, 2000 docs/s, ETA 15 s\n',
    ]);
  });
});
