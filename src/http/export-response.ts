import type { Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import { AppError } from '../core/errors.js';
import type { ExportRow } from '../services/export-search.js';

/** CSV columns of an export; list fields are joined with "; ". */
export const EXPORT_COLUMNS = ['rank', 'id', 'title', 'publishedAt', 'source', 'category', 'url', 'people', 'orgs', 'places'] as const;

/** Characters that make a spreadsheet read a cell as a formula (OWASP's CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell made safe to open in a spreadsheet: one that a spreadsheet would run as a formula (`=HYPERLINK(…)`,
 * `+1`, `-2+3`, `@SUM(…)`) gets a leading `'`, which spreadsheets show as text (OWASP's advice for CSV injection).
 */
export function csvCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

const csvLine = (row: ExportRow): string => {
  const a = row.article;
  const cells = [a.id, a.title, a.publishedAt ?? '', a.source ?? '', a.category ?? '', a.url ?? '',
    (a.people ?? []).join('; '), (a.orgs ?? []).join('; '), (a.places ?? []).join('; ')];
  return stringify([[row.rank, ...cells.map(csvCell)]]);
};

const jsonLine = (row: ExportRow): string => {
  const { salience: _salience, ...article } = row.article;
  return `${JSON.stringify({ rank: row.rank, ...article })}\n`;
};

/** Exports one process streams at once; more get a 429 `rate_limited` problem with Retry-After. */
export const MAX_CONCURRENT_EXPORTS = 2;
/** Longest an export may stream, in milliseconds (see {@link sendExport}). */
export const EXPORT_TIME_LIMIT_MS = 60_000;
/** Seconds a client refused for too many exports should wait. */
const EXPORT_RETRY_AFTER_S = 5;

/** Counts the exports one app is streaming, refusing more than {@link MAX_CONCURRENT_EXPORTS}. */
export class ExportSlots {
  private running = 0;

  constructor(private readonly max = MAX_CONCURRENT_EXPORTS) {}

  /** Runs `work` in a slot, or throws a 429 `rate_limited` problem (Retry-After set on `res`) when none is free. */
  async run(res: Response, work: () => Promise<void>): Promise<void> {
    if (this.running >= this.max) {
      res.setHeader('Retry-After', String(EXPORT_RETRY_AFTER_S));
      throw new AppError('rate_limited', `at most ${this.max} exports run at once; try again shortly`);
    }
    this.running++;
    try {
      await work();
    } finally {
      this.running--;
    }
  }
}

/** Rows are sent in chunks of about this many characters (one write per row would be one TCP packet each). */
const CHUNK_CHARS = 64 * 1024;

/**
 * Streams an export as CSV (RFC 4180, with a header row) or JSON Lines, honouring back-pressure: a slow client
 * holds the reader, not memory. The first row is read before anything is sent, so a query the engine refuses is
 * an ordinary problem answer; a failure after the first byte, or the time limit ({@link EXPORT_TIME_LIMIT_MS},
 * measured on `now`), cuts the stream short: the connection is closed before the last chunk, so the client sees an
 * incomplete download, never a file that looks whole (the failure then goes on to be logged). `rows` is given a
 * predicate that turns true once the export is abandoned before its first byte (the request's timeout answered it,
 * or its client left): the reader stops there, and so does the ranking of the order (SearchEngine.allResults).
 */
export async function sendExport(
  res: Response,
  rows: (abandoned: () => boolean) => AsyncIterable<ExportRow>,
  options: { format: 'csv' | 'jsonl'; now: () => number },
): Promise<void> {
  let sending = false;
  const iterator = rows(() => res.destroyed || (!sending && res.headersSent))[Symbol.asyncIterator]();
  const deadline = options.now() + EXPORT_TIME_LIMIT_MS;
  const { format } = options;
  let next: IteratorResult<ExportRow> | undefined;
  try {
    next = await iterator.next();
    if (res.headersSent || res.destroyed) return; // answered meanwhile (the request's timeout), or the client left
    sending = true;
    res.status(200);
    res.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="search.${format}"`);
    let pending = format === 'csv' ? stringify([[...EXPORT_COLUMNS]]) : '';
    for (; !next.done; next = await iterator.next()) {
      if (res.destroyed) return;
      pending += format === 'csv' ? csvLine(next.value) : jsonLine(next.value);
      if (pending.length < CHUNK_CHARS) continue;
      if (options.now() > deadline) {
        res.destroy();
        return;
      }
      const flushed = res.write(pending);
      pending = '';
      if (!flushed) await drainedOrClosed(res);
    }
    res.end(pending);
  } catch (error) {
    // abandoned before its first byte (answered by the request's timeout, or its client left): the reader's failure
    // that follows (the host's walk stopped) is that, not a fault to log or answer
    if (!sending && (res.headersSent || res.destroyed)) return;
    if (res.headersSent) res.destroy(); // cut short: the error handler logs it, and can send nothing more
    else res.removeHeader('Content-Disposition'); // the problem answer is no download
    throw error;
  } finally {
    if (next?.done !== true) await iterator.return?.(); // the rows' reader lets go of what it holds (the order, a statement)
  }
}

/**
 * Resolves when the response can take more, or when its connection has closed (a client that stopped reading and
 * went away never drains it: waiting for 'drain' alone held the export, and its slot, for good).
 */
function drainedOrClosed(res: Response): Promise<void> {
  if (res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
