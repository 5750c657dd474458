import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { SourceRecord } from '../../src/services/ingest-articles.js';
import { jsonErrorOffset, positionAt } from './json-error-position.js';
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

/**
 * A JSON file holding an array of records (each located as `file[index]`) or a single record. The file is read whole
 * and parsed at once (JSON.parse): memory grows with its size, text over V8's longest string (512 MiB) cannot be read,
 * and a syntax error anywhere rejects the whole file, named at its `file:line:column`. JSON Lines is the streamed
 * format, where a bad line costs only itself.
 */
export async function* readJsonDocument(file: string, ctx: ReadContext): AsyncGenerator<SourceRecord> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    // over 2 GiB, Node reads no file whole (ERR_FS_FILE_TOO_LARGE): refused as a text over 512 MiB is
    if ((error as { code?: unknown }).code !== 'ERR_FS_FILE_TOO_LARGE') throw error;
    yield { source: ctx.source, location: ctx.label, value: undefined, parseError: `not a JSON document: the file is more than can be read whole (${TOO_LARGE})` };
    return;
  }
  yield* readJsonBytes(bytes, ctx);
}

/** A JSON document's records from its bytes, as {@link readJsonDocument} reads a file. */
export function* readJsonBytes(bytes: Uint8Array, ctx: ReadContext): Generator<SourceRecord> {
  const { source, label } = ctx;
  ctx.onBytes?.(bytes.length);
  let text: string;
  let value: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    const tooLong = (error as { code?: unknown }).code === 'ERR_STRING_TOO_LONG';
    const reason = tooLong ? `${bytes.length} bytes are more than can be read whole (${TOO_LARGE})` : (error as Error).message;
    yield { source, location: label, value: undefined, parseError: `not a JSON document: ${reason}` };
    return;
  }
  try {
    value = JSON.parse(text);
  } catch (error) {
    yield { source, location: label, value: undefined, parseError: `not a JSON document: ${syntaxError(text, error as Error, label)}` };
    return;
  }
  if (!Array.isArray(value)) {
    yield { source, location: label, value };
    return;
  }
  for (const [index, item] of value.entries()) yield { source, location: `${label}[${index}]`, value: item };
}

const TOO_LARGE = 'a .json file is read whole, as one string of at most 512 MiB: write it as JSON Lines';

/**
 * A JSON syntax error as `<reason> at <label>:<line>:<column>`, with the hint that one such error rejects the whole
 * file. The reason is V8's, less its character position and the text it quotes.
 */
function syntaxError(text: string, error: Error, label: string): string {
  const reason = error.message.replace(/ in JSON at position \d+.*$/s, '').replace(/, (?:\.\.\.)?".*is not valid JSON$/s, '');
  const offset = jsonErrorOffset(text);
  if (offset === undefined) return reason; // V8 refused what RFC 8259 allows (too deep?): no place to name
  const { line, column } = positionAt(text, offset);
  return `${reason} at ${label}:${line}:${column} (the whole file is rejected; in JSON Lines, a bad line costs only itself)`;
}

/** The records of a JSON (`.json`: one document) or JSON Lines (anything else) file, as the demo loader reads them. */
export function readRecords(file: string): AsyncGenerator<SourceRecord> {
  const ctx = { source: file, label: path.basename(file) };
  return file.toLowerCase().endsWith('.json') ? readJsonDocument(file, ctx) : readJsonLines(file, ctx);
}
