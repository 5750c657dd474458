import { once } from 'node:events';
import type { Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import type { ExportRow } from '../services/export-search.js';

/** CSV columns of an export; list fields are joined with "; ". */
export const EXPORT_COLUMNS = ['rank', 'id', 'title', 'publishedAt', 'source', 'category', 'url', 'people', 'orgs', 'places'] as const;

const csvLine = (row: ExportRow): string => {
  const a = row.article;
  return stringify([[row.rank, a.id, a.title, a.publishedAt ?? '', a.source ?? '', a.category ?? '', a.url ?? '',
    (a.people ?? []).join('; '), (a.orgs ?? []).join('; '), (a.places ?? []).join('; ')]]);
};

const jsonLine = (row: ExportRow): string => {
  const { salience: _salience, ...article } = row.article;
  return `${JSON.stringify({ rank: row.rank, ...article })}\n`;
};

/** Rows are sent in chunks of about this many characters (one write per row would be one TCP packet each). */
const CHUNK_CHARS = 64 * 1024;

/**
 * Streams an export as CSV (RFC 4180, with a header row) or JSON Lines, honouring back-pressure: a slow client
 * holds the reader, not memory. A failure after the first byte can only cut the stream short (the status is sent).
 */
export async function sendExport(res: Response, rows: AsyncIterable<ExportRow>, format: 'csv' | 'jsonl'): Promise<void> {
  res.status(200);
  res.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="search.${format}"`);
  let pending = format === 'csv' ? stringify([[...EXPORT_COLUMNS]]) : '';
  for await (const row of rows) {
    if (res.destroyed) return;
    pending += format === 'csv' ? csvLine(row) : jsonLine(row);
    if (pending.length < CHUNK_CHARS) continue;
    const flushed = res.write(pending);
    pending = '';
    if (!flushed) await once(res, 'drain');
  }
  res.end(pending);
}
