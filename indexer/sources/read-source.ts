import fs from 'node:fs/promises';
import path from 'node:path';
import type { SourceRecord } from '../../src/services/ingest-articles.js';
import { readCsv } from './csv-records.js';
import { readFeed } from './feed-records.js';
import type { FieldMap } from './field-map.js';
import { readJsonDocument, readJsonLines } from './json-records.js';
import { readHtmlPage, readTextPage } from './page-records.js';
import type { ReadContext } from './read-context.js';

/** The kinds of source file the indexer reads. */
export const SOURCE_FORMATS = ['jsonl', 'json', 'csv', 'feed', 'html', 'text'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

const BY_EXTENSION: Readonly<Record<string, SourceFormat>> = {
  '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.json': 'json', '.csv': 'csv', '.xml': 'feed', '.rss': 'feed',
  '.atom': 'feed', '.html': 'html', '.htm': 'html', '.txt': 'text',
};

/** The format a file's extension names, or undefined. */
export const formatOf = (file: string): SourceFormat | undefined => BY_EXTENSION[path.extname(file).toLowerCase()];

/** How to read sources: a forced format (else by extension), the CSV column map, and a byte counter. */
export interface ReadOptions {
  readonly format?: SourceFormat;
  readonly map: FieldMap;
  readonly onBytes?: (bytes: number) => void;
}

/** A file's records, read as `format`. */
export function readFile(file: string, format: SourceFormat, ctx: ReadContext & { map: FieldMap }): AsyncGenerator<SourceRecord> {
  switch (format) {
    case 'jsonl':
      return readJsonLines(file, ctx);
    case 'json':
      return readJsonDocument(file, ctx);
    case 'csv':
      return readCsv(file, ctx);
    case 'feed':
      return readFeed(file, ctx);
    case 'html':
      return readHtmlPage(file, ctx);
    case 'text':
      return readTextPage(file, ctx);
  }
}

/** The files of a folder and its sub-folders, sorted by path (so runs and locations are reproducible). */
async function folderFiles(folder: string): Promise<string[]> {
  const entries = await fs.readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && !e.name.startsWith('.')) // a dangling link is reported, not skipped
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** The files a source stands for, with their format: itself, or a folder's files of a known (or forced) format. */
export async function sourceFiles(source: string, format: SourceFormat | undefined): Promise<{ file: string; label: string; format: SourceFormat }[]> {
  const stat = await fs.stat(source);
  if (!stat.isDirectory()) return [{ file: source, label: path.basename(source), format: format ?? formatOf(source) ?? 'jsonl' }];
  const files = await folderFiles(source);
  return files.flatMap((file) => {
    const kind = format ?? formatOf(file);
    const label = path.join(path.basename(path.resolve(source)), path.relative(source, file));
    return kind === undefined ? [] : [{ file, label, format: kind }];
  });
}
