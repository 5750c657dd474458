import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';

/** A gauge read from a snapshot: its name, help text, and its value in the snapshot. */
export type ScrapedGauge<T> = readonly [name: string, help: string, value: (snapshot: T) => number];

/**
 * Gauges whose values are read at scrape time from a snapshot that every worker reads from the same store file, so
 * the service's figure is the largest of the workers' (`max`), never a sum. `read` is called once per gauge and
 * scrape; a snapshot that cannot be read is reported through `onError` and leaves the gauge's previous value, so
 * that the other metrics are still served.
 */
export function registerScrapedGauges<T>(
  registry: Registry,
  read: () => T,
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
          this.set(value(read()));
        } catch (error) {
          onError(error);
        }
      },
    });
  }
}
