import { parentPort } from 'node:worker_threads';
import { loadConfig } from '../config.js';
import { sendableError } from '../core/errors.js';
import { inProcessWriter } from '../services/article-writer.js';
import { openStore } from './open-store.js';
import type { WriteReply, WriteRequest } from './write-thread.js';

/**
 * The write thread of an API process (write-thread.ts): opens the store file as a writer (same configuration as the
 * process: worker threads see its environment) and makes each write it is sent through the one write path,
 * answering with the result or the error as the HTTP layer reports it.
 */
const port = parentPort;
if (!port) throw new Error('write-thread-main runs as a worker thread (storage/write-thread.ts)');
const config = loadConfig(process.env);
// This thread serves no request: a write waits for another process's (an indexer's batches, other writers) as long as
// its HTTP request may (WRITE_TIMEOUT_MS, then 503), queued rather than failed after the 5 s a serving thread waits.
const store = openStore(config, 'writer', undefined, { busyTimeoutMs: config.WRITE_TIMEOUT_MS });
const writer = inProcessWriter(store);

port.on('message', (request: WriteRequest) => {
  const work =
    request.op === 'ingest' ? writer.ingest(request.records)
    : request.op === 'ingestBody' ? writer.ingestBody(request.body)
    : writer.delete(request.ids);
  work.then(
    (result) => port.postMessage({ id: request.id, ok: true, result } satisfies WriteReply),
    (error: unknown) => port.postMessage({ id: request.id, ok: false, error: sendableError(error) } satisfies WriteReply),
  );
});
