import fs from 'node:fs/promises';
import path from 'node:path';
import type { SourceRecord } from '../../src/services/ingest-articles.js';
import { readLines } from './lines.js';

/** JSON Lines: one record a line; blank lines are skipped; a line that is not JSON is one rejected record. */
export async function* readJsonLines(file: string): AsyncGenerator<SourceRecord> {
  const name = path.basename(file);
  for await (const line of readLines(file)) {
    const location = `${name}:${line.number}`;
    if (line.invalidUtf8) {
      yield { location, value: undefined, parseError: 'the line is not valid UTF-8' };
      continue;
    }
    if (line.text.trim() === '') continue;
    try {
      yield { location, value: JSON.parse(line.text) };
    } catch (error) {
      yield { location, value: undefined, parseError: `malformed JSON: ${(error as Error).message}` };
    }
  }
}

/** A JSON file holding an array of records (each located as `file[index]`) or a single record. */
export async function* readJsonDocument(file: string): AsyncGenerator<SourceRecord> {
  const name = path.basename(file);
  const bytes = await fs.readFile(file);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    yield { location: name, value: undefined, parseError: `not a JSON document: ${(error as Error).message}` };
    return;
  }
  if (!Array.isArray(value)) {
    yield { location: name, value };
    return;
  }
  for (const [index, item] of value.entries()) yield { location: `${name}[${index}]`, value: item };
}

/** The records of a file, read by its kind: `.json` is one document, anything else JSON Lines. */
export function readRecords(file: string): AsyncGenerator<SourceRecord> {
  return file.toLowerCase().endsWith('.json') ? readJsonDocument(file) : readJsonLines(file);
}
