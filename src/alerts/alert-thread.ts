import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { Config } from '../config.js';
import { storeFile } from '../config.js';
import { startThread } from '../runtime/threads.js';

/** A message from the alert thread: something to log. */
export interface AlertLogMessage {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly detail: Record<string, unknown>;
}

/** Where the alert thread's messages are logged (a pino logger fits). */
export interface AlertLog {
  info(detail: object, message: string): void;
  warn(detail: object, message: string): void;
  error(detail: object, message: string): void;
}

/** The running alert thread. */
export interface Alerts {
  stop(): Promise<void>;
}

/** Wait before a thread that ended unexpectedly is started again (ms). */
export const RESTART_DELAY_MS = 5_000;

/** How often a service with no saved search looks for the first one (ms). */
export const FIRST_SEARCH_POLL_MS = 2_000;

/** Whether the store file holds a saved search (false while it has no table of them yet). */
function hasSavedSearch(file: string): boolean {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT EXISTS (SELECT 1 FROM saved_searches)').pluck().get() === 1;
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}

/**
 * Starts alerts (saved-search matching and webhook delivery, alert-service.ts) on a worker thread of the process
 * that hosts the in-memory indexes (the cluster primary, or the one serving process): one matcher per service,
 * following the store's change log whoever wrote, without taking time from the searches that process answers.
 * A thread that fails or ends unexpectedly is logged and started again after {@link RESTART_DELAY_MS}: its state is
 * in the store (cursor, queue), so it resumes where it stopped. The thread starts with the first saved search (looked
 * for every {@link FIRST_SEARCH_POLL_MS}): a service nobody set an alert on holds no thread and no matcher. Embedded
 * engine only (the matcher reads the `articles` table): undefined with Meilisearch.
 */
export function startAlerts(config: Config, log: AlertLog, env: NodeJS.ProcessEnv = process.env): Alerts | undefined {
  if (config.SEARCH_ENGINE !== 'sqlite') return undefined;
  let stopping = false;
  let thread: Worker | undefined;
  let restart: NodeJS.Timeout | undefined;
  const run = () => {
    thread = startThread(import.meta.url, 'alert-thread-main', { env });
    thread.on('message', (m: AlertLogMessage) => log[m.level](m.detail, m.message));
    thread.on('error', (error) => log.error({ err: error }, 'the alert thread failed'));
    thread.on('exit', (code) => {
      if (stopping) return;
      log.error({ code, restartInMs: RESTART_DELAY_MS }, 'the alert thread ended: starting another');
      restart = setTimeout(run, RESTART_DELAY_MS);
      restart.unref();
    });
    thread.unref();
  };
  const file = storeFile(config);
  const waiting = setInterval(() => {
    if (!hasSavedSearch(file)) return;
    clearInterval(waiting);
    run();
  }, FIRST_SEARCH_POLL_MS);
  waiting.unref();
  return {
    stop: async () => {
      stopping = true;
      clearInterval(waiting);
      clearTimeout(restart);
      const current = thread;
      if (!current) return;
      current.postMessage('stop');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => void current.terminate().then(() => resolve()), 5_000);
        current.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
