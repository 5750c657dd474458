import type { Registry } from 'prom-client';
import { registerScrapedGauges } from '../cluster/scraped-gauges.js';
import type { AlertDepth } from './saved-searches.js';

/**
 * The alert gauges, read from the store file at scrape time: `newsfind_saved_searches`,
 * `newsfind_alert_deliveries_pending` (webhook deliveries waiting for a try or a retry) and
 * `newsfind_alert_dead_letters` (deliveries that failed their last try, kept). Every worker reads the same file,
 * so the service's figure is the largest (`max`). A store that cannot be read is reported through `onError` and
 * leaves the previous values.
 */
export function registerAlertMetrics(registry: Registry, alerts: { depth(): AlertDepth }, onError: (error: unknown) => void): void {
  registerScrapedGauges(registry, () => alerts.depth(), onError, [
    ['newsfind_saved_searches', 'Saved searches (alerts)', (d) => d.savedSearches],
    ['newsfind_alert_deliveries_pending', 'Webhook deliveries of saved-search matches waiting for a try or a retry', (d) => d.pending],
    ['newsfind_alert_dead_letters', 'Webhook deliveries that failed their last try (dead letters, kept with their error)', (d) => d.dead],
  ]);
}
