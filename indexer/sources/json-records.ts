import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { SourceRecord } from '../../src/services/ingest-articles.js';
import { readLineChunks } from './lines.js';
import type { ReadContext } from './read-context.js';

/** JSON Lines: one record a line; blank lines are skipped; a line that is not JSON is one rejected record. */
export function readJsonLines(file: string, ctx: ReadContext): AsyncGenerator<SourceRecord> {
  return readJsonLineChunks(fsSync.createReadStream(file) as AsyncIterable<Buffer>, ctx);
}

/** JSON Lines from a stream of bytes (an HTTP response's body, say), as {@link readJsonLines} reads a file. */
export async function* readJsonLineChunks(chunks: AsyncIterable<Buffer>, ctx: ReadContext): AsyncGenerator<SourceRecord> {
  const { source } = ctx;
  for await (const line of readLineChunks(chunks, ctx.onBytes)) {
    const location = `${ctx.label}:${line.number}`;
    if (line.invalidUtf8) {
      yield { source, location, value: undefined, parseError: 'the line is not valid UTF-8' };
      continue;
    }
    if (line.text.trim() === '') continue;
    try {
      yield { source, location, value: JSON.parse(line.text) };
    } catch (error) {
      yield { source, location, value: undefined, parseError: `malformed JSON: ${(error as Error).message}` };
    }
  }
}

/** A JSON file holding an array of records (each located as `file[index]`) or a single record. */
export async function* readJsonDocument(file: string, ctx: ReadContext): AsyncGenerator<SourceRecord> {
  yield* readJsonBytes(await fs.readFile(file), ctx);
}

/** A JSON document's records from its bytes, as {@link readJsonDocument} reads a file. */
export function* readJsonBytes(bytes: Uint8Array, ctx: ReadContext): Generator<SourceRecord> {
  const { source, label } = ctx;
  ctx.onBytes?.(bytes.length);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    yield { source, location: label, value: undefined, parseError: `not a JSON document: ${(error as Error).message}` };
    return;
  }
  if (!Array.isArray(value)) {
    yield { source, location: label, value };
    return;
  }
  for (const [index, item] of value.entries()) yield { source, location: `${label}[${index}]`, value: item };
}

/** The records of a JSON (`.json`: one document) or JSON Lines (anything else) file, as the demo loader reads them. */
export function readRecords(file: string): AsyncGenerator<SourceRecord> {
  const ctx = { source: file, label: path.basename(file) };
  return file.toLowerCase().endsWith('.json') ? readJsonDocument(file, ctx) : readJsonLines(file, ctx);
}
