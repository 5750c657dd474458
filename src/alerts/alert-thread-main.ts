import { parentPort } from 'node:worker_threads';
import { loadConfig, storeFile } from '../config.js';
import { openSqliteFile } from '../storage/sqlite-file.js';
import { ALERT_SCHEMA } from './alert-schema.js';
import { AlertService } from './alert-service.js';
import type { AlertLogMessage } from './alert-thread.js';

/**
 * The alert thread (alert-thread.ts): its own connection to the store file (the primary prepared and migrated it),
 * the matcher and the webhook deliverer, polled until the parent says stop.
 */
const port = parentPort;
if (!port) throw new Error('alert-thread-main runs as a worker thread (alerts/alert-thread.ts)');
const config = loadConfig(process.env);
const say = (m: AlertLogMessage) => port.postMessage(m);
const db = openSqliteFile(storeFile(config), { what: 'store', schema: ALERT_SCHEMA });
const service = new AlertService(db, {
  clock: () => Date.now(),
  timeoutMs: config.ALERT_WEBHOOK_TIMEOUT_MS,
  maxAttempts: config.ALERT_WEBHOOK_ATTEMPTS,
  baseDelayMs: config.ALERT_RETRY_BASE_MS,
  onEvent: (event, detail) =>
    say(
      event === 'dead'
        ? { level: 'error', message: 'a webhook delivery failed its last try: kept as a dead letter', detail }
        : { level: 'warn', message: 'a webhook delivery failed; retrying with backoff', detail },
    ),
  onError: (error) => say({ level: 'warn', message: 'alert matching failed for now; retrying', detail: { problem: (error as Error).message } }),
  onSkipped: (entries) =>
    say({ level: 'error', message: 'article changes were pruned before alerts matched them: their articles alerted nobody', detail: { entries } }),
});
say({ level: 'info', message: 'alerts started', detail: { savedSearches: service.matcher.size } });
service.start();
port.on('message', (message: unknown) => {
  if (message !== 'stop') return;
  void service.stop().then(() => {
    db.close();
    process.exit(0);
  });
});
