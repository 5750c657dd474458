import { parentPort, workerData } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { openAnalyticsDb, pruneEvents, writeEvents } from './analytics-db.js';
import type { AnalyticsEvent } from './events.js';
import type { WriterReply, WriterRequest, WriterSettings } from './writer-protocol.js';

/**
 * The analytics writer: a worker thread of each serving process, the only code that writes the analytics file. Its
 * writes wait for other processes' writes (busy timeout) on this thread, never on the event loop that answers
 * requests. It answers each request with a {@link WriterReply}; a failed write (file busy past the timeout, full,
 * unwritable) changes nothing, and the recorder keeps the batch to try again. Retention runs here too: when the
 * thread starts, every `pruneEveryMs`, and when asked.
 */
const settings = workerData as WriterSettings;
let db: Database.Database | undefined;

/** The open file, opened (again) when needed: a failed open is retried with the next request. */
function file(): Database.Database {
  db ??= openAnalyticsDb(settings.file, { busyTimeoutMs: settings.busyTimeoutMs, maxBytes: settings.maxBytes });
  return db;
}

function failure(id: number, error: unknown): WriterReply {
  const code = (error as { code?: unknown }).code;
  // A connection whose file is gone or broken is reopened next time; one that only waited too long is kept.
  if (code !== 'SQLITE_BUSY' && code !== 'SQLITE_FULL') {
    db?.close();
    db = undefined;
  }
  return { id, ok: false, code: typeof code === 'string' ? code : 'unknown', message: error instanceof Error ? error.message : String(error) };
}

function handle(request: WriterRequest): WriterReply {
  try {
    if (request.type === 'write') {
      writeEvents(file(), request.events as AnalyticsEvent[]);
      return { id: request.id, ok: true, written: request.events.length };
    }
    const pruned = pruneEvents(file(), Date.now(), settings.retentionDays);
    return { id: request.id, ok: true, written: 0, pruned };
  } catch (error) {
    return failure(request.id, error);
  }
}

const port = parentPort;
if (port) {
  port.on('message', (request: WriterRequest) => port.postMessage(handle(request)));
  const prune = () => {
    const reply = handle({ type: 'prune', id: 0 });
    if (!reply.ok) port.postMessage(reply);
  };
  prune();
  setInterval(prune, settings.pruneEveryMs).unref();
}
