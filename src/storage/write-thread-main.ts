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
const store = openStore(loadConfig(process.env), 'writer');
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
