import { parentPort, workerData } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { openAnalyticsReader } from './analytics-db.js';
import type { ReportReply, ReportRequest, ReportThreadSettings } from './report-protocol.js';
import { queryReport, relatedReport } from './reports.js';

/**
 * The report thread: runs the reports' SQL (reports.ts) on a worker thread of the serving process, so that a long
 * range (366 days: seconds of SQL over the daily counts) never holds the event loop that answers requests. It reads
 * the file read-only (WAL: never waits for the writer) and answers each {@link ReportRequest} in turn.
 */
const settings = workerData as ReportThreadSettings;
let db: Database.Database | undefined;

function run(request: ReportRequest, reader: Database.Database | undefined): ReportReply {
  const report = request.kind === 'queries' ? queryReport(reader, request.range) : relatedReport(reader, request.range);
  return { id: request.id, ok: true, report };
}

function handle(request: ReportRequest): ReportReply {
  try {
    db ??= openAnalyticsReader(settings.file, settings.busyTimeoutMs);
    return run(request, db);
  } catch (error) {
    // created by a writer whose first transaction (the tables) is not committed yet: nothing recorded so far
    if (error instanceof Error && /no such table/.test(error.message)) return run(request, undefined);
    const code = (error as { code?: unknown }).code;
    if (code !== 'SQLITE_BUSY') {
      db?.close();
      db = undefined;
    }
    return { id: request.id, ok: false, code: typeof code === 'string' ? code : 'unknown', message: error instanceof Error ? error.message : String(error) };
  }
}

const port = parentPort;
if (port) port.on('message', (request: ReportRequest) => port.postMessage(handle(request)));
