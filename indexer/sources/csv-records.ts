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
  const queue: ({ row: Row } | { skip: SourceRecord })[] = [];
  const lines = new LineCounter();
  let lastSkippedLine = -1;
  let failure: Error | undefined;
  // bytes, not strings: each cell is decoded strictly (and a leading BOM dropped) by TextDecoder. csv-parse's own
  // `bom` option would switch it to strings.
  const parser = parse({ encoding: null, info: true, skip_records_with_error: true });
  parser.on('data', (row: { record: Buffer[]; info: Info }) => queue.push({ row: { record: row.record, line: lines.firstLineOf(row) } }));
  parser.on('error', (error: Error) => (failure = error));
  parser.on('skip', (error: CsvError & { lines?: number }) => {
    // the Parser keeps `state` public (not in its types): the record being read when the error was found
    const line = lines.firstLineOfSkipped(error, (parser as unknown as { state: PartialRecord }).state);
    if (line === lastSkippedLine) return; // csv-parse may report one bad row more than once
    lastSkippedLine = line;
    const message = error.message.replace(/, value is .*$/s, '');
    const runOn = QUOTE_ERRORS.has(error.code) && (error.lines ?? 0) > line ? `; the row begins on line ${line}: a quote left open there takes the lines after it into this row` : '';
    queue.push({ skip: { source, location: `${label}:${line}`, value: undefined, parseError: `malformed CSV row: ${message}${runOn}` } });
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

/** A parsed row: its cells' bytes and its first line. */
interface Row {
  readonly record: readonly Buffer[];
  readonly line: number;
}

/** Turns parsed rows into records: the first row is the header that resolves the columns. */
class RowReader {
  done = false;
  private columns: Map<ArticleField, number> | undefined;

  constructor(private readonly ctx: ReadContext & { map: FieldMap }) {}

  /** The record of a row; undefined for the header. */
  next(row: Row): SourceRecord | undefined {
    const { source, label } = this.ctx;
    const location = `${label}:${row.line}`;
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

/** Quote errors: after one, csv-parse may have read the lines that follow an unclosed quote as part of the row. */
const QUOTE_ERRORS: ReadonlySet<string> = new Set(['CSV_INVALID_CLOSING_QUOTE', 'CSV_QUOTE_NOT_CLOSED', 'INVALID_OPENING_QUOTE']);

/** What csv-parse (its `parser.state`) holds of the record it is reading when it reports an error. */
interface PartialRecord {
  readonly record?: readonly Uint8Array[];
  readonly field?: { readonly buf: Uint8Array; readonly length: number };
}

/**
 * The first line of each row. csv-parse reports the line a row ENDS on (`info.lines`, `error.lines`), and counts
 * each CR and each LF inside a quoted cell as a line (a CRLF there as two): the row's first line is that line less
 * the CRs and LFs in its cells, less the extra lines counted for the CRLFs inside earlier rows' cells.
 */
class LineCounter {
  private drift = 0;
  /** The first line of the last row skipped (csv-parse may report one bad row more than once). */
  private lastSkipped = -1;

  /** The first line of a row csv-parse read. */
  firstLineOf(row: { record: readonly Uint8Array[]; info: Info }): number {
    const first = row.info.lines - breaks(row.record).counted - this.drift;
    this.drift += breaks(row.record).crlf;
    return first;
  }

  /**
   * The first line of a row csv-parse skips, from the line of its error and what it had read of the row then. A
   * line break is counted once a character follows it: at the end of the input (an unclosed quote), the partial
   * row's last break is not yet counted.
   */
  firstLineOfSkipped(error: { lines?: number; code: string }, state: PartialRecord): number {
    const cells = [...(state.record ?? [])];
    if (state.field) cells.push(state.field.buf.subarray(0, state.field.length));
    const last = cells.at(-1)?.at(-1);
    const uncounted = error.code === 'CSV_QUOTE_NOT_CLOSED' && (last === 0x0a || last === 0x0d) ? 1 : 0;
    const found = breaks(cells);
    const first = Math.max(1, (error.lines ?? 0) - (found.counted - uncounted) - this.drift);
    // a skipped row's CRLFs shift the rows after it as a read row's do (once per row)
    if (first !== this.lastSkipped) this.drift += found.crlf;
    this.lastSkipped = first;
    return first;
  }
}

/** Line breaks in cells: each CR and LF as csv-parse counts them, and the CRLF pairs among them. */
function breaks(cells: readonly Uint8Array[]): { counted: number; crlf: number } {
  let counted = 0;
  let crlf = 0;
  for (const cell of cells) {
    for (let i = 0; i < cell.length; i++) {
      if (cell[i] === 0x0a) counted++;
      else if (cell[i] === 0x0d) {
        counted++;
        if (cell[i + 1] === 0x0a) crlf++;
      }
    }
  }
  return { counted, crlf };
}
