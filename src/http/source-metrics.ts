import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import type { SourceState } from '../storage/source-states.js';

/**
 * Per-source gauges over the HTTP sources the indexer follows (feeds, sitemaps, pages: the `http_sources` table of
 * DATA_DIR/indexer-state.db), labelled by the source's URL and read at scrape time: when it last succeeded, how
 * many items its last answer held, its failures (in a row, and in all), and its lag — seconds since it last
 * succeeded (since its first attempt when it never did), the figure to alert on when a source goes stale. A state
 * that cannot be read is reported through `onError` and leaves the previous values.
 */
export function registerSourceMetrics(registry: Registry, sources: () => SourceState[], onError: (error: unknown) => void, now: () => number = Date.now): void {
  const gauge = (name: string, help: string, value: (s: SourceState, at: number) => number | undefined) =>
    new Gauge({
      name,
      help,
      labelNames: ['source'],
      registers: [registry],
      aggregator: 'max', // every worker reads the same state
      collect() {
        let states: SourceState[];
        try {
          states = sources();
        } catch (error) {
          onError(error);
          return;
        }
        this.reset();
        const at = now();
        for (const s of states) {
          const v = value(s, at);
          if (v !== undefined) this.set({ source: s.url }, v);
        }
      },
    });
  gauge('newsfind_source_last_success_timestamp_seconds', 'When the indexer last read this HTTP source in full (Unix time, s); absent when it never did', (s) =>
    s.lastSuccessAt === undefined ? undefined : s.lastSuccessAt / 1000);
  gauge('newsfind_source_items', "Items (articles, entries) of this HTTP source's last answer that had a body", (s) => s.items);
  gauge('newsfind_source_consecutive_failures', 'Failed reads of this HTTP source in a row (0 once it succeeds)', (s) => s.consecutiveFailures);
  gauge('newsfind_source_failures', 'Failed reads of this HTTP source in all (it only grows)', (s) => s.failuresTotal);
  gauge('newsfind_source_lag_seconds', 'Seconds since this HTTP source was last read in full (since its first attempt when never)', (s, at) => {
    const since = s.lastSuccessAt ?? s.lastAttemptAt;
    return since === undefined ? undefined : Math.max(0, (at - since) / 1000);
  });
  gauge('newsfind_source_newest_item_timestamp_seconds', "Publication date of the newest item this HTTP source delivered (Unix time, s)", (s) =>
    s.newestItemAt === undefined ? undefined : s.newestItemAt / 1000);
}
