import { EngineError } from '../src/core/errors.js';
import type { Store } from '../src/storage/open-store.js';
import { outboxDeliverer } from '../src/storage/outbox-delivery.js';

/** The outbox delivery of one indexer run (Meilisearch mode). */
export interface RunDelivery {
  /** Waits up to `ms` for the run's operations; throws when Meilisearch refused some of them for good. */
  settle(ms: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Meilisearch mode: the outbox is delivered while the run goes (when this process holds its lease; the API's
 * primary may). `settle` waits up to `ms` for the run's operations to reach Meilisearch — those still pending
 * are reported on stderr and delivered later by whichever deliverer runs — and throws when Meilisearch refused
 * some of them for good (dead letters), so that the run fails as a refused write did.
 */
export function deliverWhileRunning(store: Store): RunDelivery | undefined {
  const deliverer = store.outbox && outboxDeliverer(store.outbox, store.engine, {
    warn: (detail, message) => void process.stderr.write(`${message}: ${(detail as { error?: string }).error}\n`),
    error: () => undefined, // counted and reported by settle
  });
  if (!store.outbox || !deliverer) return undefined;
  const outbox = store.outbox;
  const from = outbox.lastSeq();
  deliverer.start();
  return {
    settle: async (ms) => {
      const left = await deliverer.drain(ms);
      const dead = outbox.deadAfter(from);
      if (dead.count > 0) {
        const what = dead.count === 1 ? '1 operation of this run is' : `${dead.count} operations of this run are`;
        throw new EngineError(`${dead.error} (${what} set aside as dead letters in the outbox, not retried)`);
      }
      const waiting = left === 1 ? '1 operation waits' : `${left} operations wait`;
      if (left > 0) process.stderr.write(`${waiting} in the outbox for Meilisearch; the API's primary (or the next run) delivers them\n`);
    },
    stop: () => deliverer.stop(5_000), // an unfinished task is not waited for: its rows stay pending
  };
}

