import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import { ClusterMemoryStorePrimary, ClusterMemoryStoreWorker } from '@express-rate-limit/cluster-memory-store';
import type { AppDeps } from '../http/app-deps.js';
import { hostServiceMetrics, serviceMetricsOverIpc } from './service-metrics.js';

/**
 * What makes the figures of a service of several worker processes (WORKERS > 1) per service, not per worker:
 * the rate-limit counts and the `/metrics` figures live in, or are gathered by, the cluster primary. A service of
 * one process (WORKERS=1) needs none of this: its app keeps both in its own memory.
 *
 * The rate-limit counts are kept by `@express-rate-limit/cluster-memory-store` (one express-rate-limit MemoryStore
 * per limit in the primary; its IPC messages carry `from: 'cluster-memory-store'`), the metrics by service-metrics.ts
 * (messages tagged `newsfind:service-metrics`).
 */

/** In the primary, before any worker is forked: hosts the rate-limit counts and gathers `/metrics` for the workers. */
export function hostServiceState(): void {
  new ClusterMemoryStorePrimary().init();
  const workers = (): Worker[] => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && w.isConnected());
  hostServiceMetrics({ workers, onMessage: (listener) => cluster.on('message', listener) });
}

/**
 * In a worker: the app's dependencies that count requests and report metrics through the primary. A limit whose
 * count the primary does not confirm within 1 s lets the request through (express-rate-limit's `passOnStoreError`,
 * logged): a busy primary must not turn every request into an error.
 */
export function workerServiceDeps(): Pick<AppDeps, 'rateLimitStore' | 'serviceMetrics'> {
  return {
    rateLimitStore: (limit) => new ClusterMemoryStoreWorker({ prefix: `newsfind-${limit}` }),
    serviceMetrics: serviceMetricsOverIpc({
      send: (message) => process.send?.(message),
      onMessage: (listener) => process.on('message', listener),
    }),
  };
}
