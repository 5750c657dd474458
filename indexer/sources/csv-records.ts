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
 * A CSV file (RFC 4180, header row first, optional BOM), streamed through csv-parse. Columns map to article fields
 * by name or through `map`. Each row is located as `file:line` (its first line); a row csv-parse cannot read
 * (wrong number of cells, stray quote) or whose cells are not valid UTF-8 is one rejected record, and the rows
 * after it are still read.
 */
export async function* readCsv(file: string, ctx: ReadContext & { map: FieldMap }): AsyncGenerator<SourceRecord> {
  const { source, label } = ctx;
  const skipped: SourceRecord[] = [];
  let lastSkippedLine = -1;
  const parser = parse({ encoding: null, bom: true, info: true, skip_records_with_error: true });
  parser.on('skip', (error: CsvError & { lines?: number }) => {
    const line = error.lines ?? 0;
    if (line === lastSkippedLine) return; // csv-parse may report one bad row twice
    lastSkippedLine = line;
    skipped.push({ source, location: `${label}:${line}`, value: undefined, parseError: `malformed CSV row: ${error.message}` });
  });
  const input = fs.createReadStream(file);
  input.on('error', (e) => parser.destroy(e));
  (async () => {
    for await (const chunk of meteredChunks(input as AsyncIterable<Buffer>, ctx)) {
      if (!parser.write(chunk)) await new Promise((resolve) => parser.once('drain', resolve));
    }
    parser.end();
  })().catch((e: unknown) => parser.destroy(e as Error));
  let columns: Map<ArticleField, number> | undefined;
  for await (const row of parser as AsyncIterable<{ record: Buffer[]; info: Info }>) {
    yield* skipped.splice(0);
    const location = `${label}:${row.info.lines - countNewlines(row.record)}`;
    let cells: string[];
    try {
      cells = row.record.map((b) => decoder.decode(b));
    } catch {
      yield { source, location, value: undefined, parseError: 'the row is not valid UTF-8' };
      continue;
    }
    if (columns === undefined) {
      const resolved = resolveColumns(cells, ctx.map);
      if (resolved.missing.length > 0) {
        yield { source, location, value: undefined, parseError: `cannot map the header: ${resolved.missing.join('; ')}` };
        return;
      }
      columns = resolved.columns;
      continue;
    }
    yield { source, location, value: toRecord(cells, columns) };
  }
  yield* skipped.splice(0);
}

/** Line breaks inside a row's quoted cells (csv-parse reports the row's last line). */
const countNewlines = (cells: readonly Buffer[]): number => cells.reduce((n, b) => n + b.toString('latin1').split('\n').length - 1, 0);
