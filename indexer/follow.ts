import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../src/config.js';
import type { RunOptions } from './run-index.js';
import { runIndex } from './run-index.js';
import { createWeb } from './sources/http-web.js';
import type { RunReport } from './summary.js';

/** How a follow run reports each poll, and decides whether a poll's failure ends it. */
export interface FollowHooks {
  readonly onReport: (report: RunReport) => void;
  /** Called with a poll that threw; returns false to stop following (a usage error), true to poll again. */
  readonly onError: (error: unknown) => boolean;
  /** Aborted to stop: the poll under way finishes what it read (its current batch is written), then follow returns. */
  readonly stop: AbortSignal;
}

/** A duration as `--every` takes it: a whole number and a unit, ms, s, m or h (`30s`, `5m`); in ms. */
export function parseDuration(text: string): number {
  const m = /^(\d+)(ms|s|m|h)$/.exec(text.trim());
  const units: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
  if (m === null || Number(m[1]) === 0) throw new Error(`"${text}" is not a duration such as 30s, 5m or 1h (a whole number and ms, s, m or h)`);
  return Number(m[1]) * units[m[2]!]!;
}

/**
 * Follow mode (--every): runs the indexer over `sources` every `everyMs` (measured from the end of one poll to the
 * start of the next, so that polls never overlap) until `hooks.stop` aborts. One HTTP client and its robots.txt
 * rules serve every poll (per-host limits span polls); HTTP sources that fail back off (see readHttpSource) while
 * the others are polled as usual. `--reset` and `--reconcile` apply to the first poll only; the `--rejects` file is
 * started by the first poll and added to by the others. A poll that fails (the
 * store busy, say) is reported and the next one runs as planned.
 */
export async function follow(config: Config, sources: readonly string[], options: RunOptions & { everyMs: number }, hooks: FollowHooks): Promise<void> {
  const web = options.web ?? createWeb(options.http);
  let first = true;
  while (!hooks.stop.aborted) {
    const poll: RunOptions = { ...options, web, signal: hooks.stop, ...(first ? {} : { reset: false, reconcile: false, appendRejects: true }) };
    first = false;
    try {
      hooks.onReport(await runIndex(config, sources, poll));
    } catch (error) {
      if (!hooks.onError(error)) throw error;
    }
    if (hooks.stop.aborted) break;
    await sleep(options.everyMs, undefined, { signal: hooks.stop }).catch(() => undefined);
  }
}
