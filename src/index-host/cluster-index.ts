import cluster from 'node:cluster';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { storeFile } from '../config.js';
import { hostIndexes } from '../storage/open-store.js';
import { limitPageCache, openSqliteFile } from '../storage/sqlite-file.js';
import type { IndexPort } from './index-port.js';
import { indexOverIpc, serveIndexOverIpc } from './ipc-index.js';

/**
 * In the cluster primary, before any worker is forked: builds the service's one copy of the in-memory indexes
 * (index-host.ts) on a connection of its own to the store file, and answers the workers' calls over IPC. The
 * workers hold no index; they commit writes, and the host follows the store in the background.
 */
export function hostIndexesForWorkers(config: Config, log: Logger): void {
  const started = performance.now();
  const db = openSqliteFile(storeFile(config), { what: 'store', schema: '' }); // prepared (migrated) by the primary
  limitPageCache(db); // it reads the whole store once, then follows the change logs: no need for the driver's 16 MiB
  const host = hostIndexes(db, config);
  const server = serveIndexOverIpc(host, (listener) =>
    cluster.on('message', (worker, message) =>
      listener(
        message,
        (reply) => {
          if (worker.isConnected()) worker.send(reply);
        },
        worker.id,
      ),
    ),
  );
  cluster.on('exit', (worker) => server.senderGone(worker.id)); // its exports' orders: nobody will ask for the rest
  const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
  const { rss, heapUsed, arrayBuffers } = process.memoryUsage();
  log.info(
    { ms: Math.round(performance.now() - started), rssMiB: mib(rss), heapUsedMiB: mib(heapUsed), arrayBuffersMiB: mib(arrayBuffers) },
    'in-memory indexes loaded in the primary, for every worker',
  );
}

/**
 * In a worker: the primary's index host, asked over the cluster IPC channel. An export's order is waited for as
 * long as the request is (REQUEST_TIMEOUT_MS: its first row is read before the answer starts), other calls for
 * INDEX_TIMEOUT_MS.
 */
export function primaryIndex(config: Pick<Config, 'REQUEST_TIMEOUT_MS'>): IndexPort {
  return indexOverIpc(
    {
      send: (message) => process.send?.(message),
      onMessage: (listener) => process.on('message', listener),
    },
    { orderTimeoutMs: config.REQUEST_TIMEOUT_MS },
  );
}
