import fs from 'node:fs';
import { parse } from 'csv-parse';
import type { CsvError, Info } from 'csv-parse';
import type { SourceRecord } from '../../src/services/ingest-articles.js';
import type { ArticleField, FieldMap } from './field-map.js';
import { resolveColumns } from './field-map.js';
import type { ReadContext } from './read-context.js';
import { meteredChunks } from './read-context.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** One CSV row as a raw article: mapped cells, empty optional cells left out, `tags` split on `;`, `,` or `|`. */
function toRecord(cells: readonly string[], columns: ReadonlyMap<ArticleField, number>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, at] of columns) {
    const cell = cells[at] ?? '';
    if (cell.trim() === '' && field !== 'title' && field !== 'body') continue;
    out[field] = field === 'tags' ? cell.split(/[;,|]/) : cell;
  }
  return out;
}

/**
 * A CSV file (RFC 4180, header row first, optional UTF-8 BOM, LF or CRLF), streamed through csv-parse. Columns map to article fields
 * by name or through `map`. Each row is located as `file:line` (its first line); a row csv-parse cannot read
 * (wrong number of cells, stray quote) or whose cells are not valid UTF-8 is one rejected record, and the rows
 * after it are still read.
 */
export function readCsv(file: string, ctx: ReadContext & { map: FieldMap }): AsyncGenerator<SourceRecord> {
  return readCsvChunks(fs.createReadStream(file) as AsyncIterable<Buffer>, ctx);
}

/** A CSV document's records from a stream of bytes (an HTTP response's body, say), as {@link readCsv} reads a file. */
export async function* readCsvChunks(chunks: AsyncIterable<Buffer>, ctx: ReadContext & { map: FieldMap }): AsyncGenerator<SourceRecord> {
  const { source, label } = ctx;
  const queue: ({ row: { record: Buffer[]; info: Info } } | { skip: SourceRecord })[] = [];
  let lastSkippedLine = -1;
  let failure: Error | undefined;
  // bytes, not strings: each cell is decoded strictly (and a leading BOM dropped) by TextDecoder. csv-parse's own
  // `bom` option would switch it to strings.
  const parser = parse({ encoding: null, info: true, skip_records_with_error: true });
  parser.on('data', (row: { record: Buffer[]; info: Info }) => queue.push({ row }));
  parser.on('error', (error: Error) => (failure = error));
  parser.on('skip', (error: CsvError & { lines?: number }) => {
    const line = error.lines ?? 0;
    if (line === lastSkippedLine) return; // csv-parse may report one bad row twice
    lastSkippedLine = line;
    const message = error.message.replace(/, value is .*$/s, '');
    queue.push({ skip: { source, location: `${label}:${line}`, value: undefined, parseError: `malformed CSV row: ${message}` } });
  });
  const ended = new Promise((resolve) => parser.once('end', resolve).once('error', resolve));
  const rows = new RowReader(ctx);
  for await (const chunk of meteredChunks(chunks, ctx)) {
    parser.write(chunk); // csv-parse parses synchronously: this chunk's rows and skips are queued, in line order
    for (const item of queue.splice(0)) {
      const record = 'skip' in item ? item.skip : rows.next(item.row);
      if (record) yield record;
      if (rows.done) return;
    }
  }
  parser.end();
  await ended;
  if (failure) throw failure;
  for (const item of queue.splice(0)) {
    const record = 'skip' in item ? item.skip : rows.next(item.row);
    if (record) yield record;
    if (rows.done) return;
  }
}

/** Turns parsed rows into records: the first row is the header that resolves the columns. */
class RowReader {
  done = false;
  private columns: Map<ArticleField, number> | undefined;

  constructor(private readonly ctx: ReadContext & { map: FieldMap }) {}

  /** The record of a row; undefined for the header. */
  next(row: { record: Buffer[]; info: Info }): SourceRecord | undefined {
    const { source, label } = this.ctx;
    const location = `${label}:${row.info.lines - countNewlines(row.record)}`;
    let cells: string[];
    try {
      cells = row.record.map((b) => decoder.decode(b));
    } catch {
      this.done = this.columns === undefined; // no header, no columns: the rest cannot be read
      return { source, location, value: undefined, parseError: `the ${this.done ? 'header ' : ''}row is not valid UTF-8` };
    }
    if (this.columns !== undefined) return { source, location, value: toRecord(cells, this.columns) };
    const resolved = resolveColumns(cells, this.ctx.map);
    if (resolved.missing.length > 0) {
      this.done = true;
      return { source, location, value: undefined, parseError: `cannot map the header: ${resolved.missing.join('; ')}` };
    }
    this.columns = resolved.columns;
    return undefined;
  }
}

/** Line breaks inside a row's quoted cells (csv-parse reports the row's last line). */
const countNewlines = (cells: readonly Buffer[]): number => cells.reduce((n, b) => n + b.toString('latin1').split('\n').length - 1, 0);
