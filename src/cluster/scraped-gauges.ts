import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';

/** A gauge read from a snapshot: its name, help text, and its value in the snapshot. */
export type ScrapedGauge<T> = readonly [name: string, help: string, value: (snapshot: T) => number];

/**
 * Gauges whose values are read at scrape time from a snapshot that every worker reads from the same store file, so
 * the service's figure is the largest of the workers' (`max`), never a sum. `read` is called once per gauge and
 * scrape; a snapshot that is absent (`undefined`: nothing to report yet) leaves the gauge as it was, and one that
 * cannot be read is reported through `onError` and leaves it too, so that the other metrics are still served.
 */
export function registerScrapedGauges<T>(
  registry: Registry,
  read: () => T | undefined,
  onError: (error: unknown) => void,
  gauges: readonly ScrapedGauge<T>[],
): void {
  for (const [name, help, value] of gauges) {
    new Gauge({
      name,
      help,
      registers: [registry],
      aggregator: 'max',
      collect() {
        try {
          const snapshot = read();
          if (snapshot !== undefined) this.set(value(snapshot));
        } catch (error) {
          onError(error);
        }
      },
    });
  }
}
