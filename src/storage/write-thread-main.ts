import { parentPort } from 'node:worker_threads';
import { SavedSearches } from '../alerts/saved-searches.js';
import { loadConfig, storeFile } from '../config.js';
import { sendableError } from '../core/errors.js';
import { inProcessWriter } from '../services/article-writer.js';
import { openStore } from './open-store.js';
import type { WriteReply, WriteRequest, WriteResult } from './write-thread.js';

/**
 * The write thread of an API process (write-thread.ts): opens the store file as a writer (same configuration as the
 * process: worker threads see its environment) and makes each write it is sent through the one write path,
 * answering with the result or the error as the HTTP layer reports it; saved-search writes too, on a connection of
 * their own to the same file with the same wait.
 */
const port = parentPort;
if (!port) throw new Error('write-thread-main runs as a worker thread (storage/write-thread.ts)');
const config = loadConfig(process.env);
// This thread serves no request: a write waits for another process's (an indexer's batches, other writers) as long as
// its HTTP request may (WRITE_TIMEOUT_MS, then 503), queued rather than failed after the 5 s a serving thread waits.
// An article write queued behind others may still wait that long after its request was answered 503, and commit:
// harmless, an article write is idempotent (an upsert by id with its content hash: a retry finds it unchanged; a
// delete: a retry finds it gone, 404). A saved-search write is not (each save is a new search): it carries its
// request's deadline and waits only the time left (SavedSearches.create/delete).
const store = openStore(config, 'writer', undefined, { busyTimeoutMs: config.WRITE_TIMEOUT_MS });
const writer = inProcessWriter(store);
// saved searches (alerts) live in the store file with the embedded engine; opened at their first write
let savedSearches: SavedSearches | undefined;
const saved = (): SavedSearches => (savedSearches ??= SavedSearches.open(storeFile(config), () => Date.now(), { busyTimeoutMs: config.WRITE_TIMEOUT_MS }));

/** The write `request` asks for, made here. */
async function made(request: WriteRequest): Promise<WriteResult> {
  switch (request.op) {
    case 'ingest':
      return writer.ingest(request.records);
    case 'ingestBody':
      return writer.ingestBody(request.body);
    case 'delete':
      return writer.delete(request.ids);
    case 'createSavedSearch':
      return saved().create(request.given, request.bound);
    case 'deleteSavedSearch':
      saved().delete(request.savedSearchId, request.bound);
      return undefined;
  }
}

port.on('message', (request: WriteRequest) => {
  const work = made(request);
  work.then(
    (result) => port.postMessage({ id: request.id, ok: true, result } satisfies WriteReply),
    (error: unknown) => port.postMessage({ id: request.id, ok: false, error: sendableError(error) } satisfies WriteReply),
  );
});
