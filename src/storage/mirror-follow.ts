import type { Config } from '../config.js';
import { MeilisearchEngine } from '../engines/meilisearch/meilisearch-engine.js';
import { MirrorFollower } from '../services/mirror-follower.js';
import { openStore } from './open-store.js';

/** Where a mirror tells its failures (a pino logger fits). */
export interface MirrorLog {
  warn(detail: object, message: string): void;
}

/** A running mirror of Meilisearch into this replica's store file. */
export interface MirrorFollow {
  /** The follower itself (tests step it, or wait for it). */
  readonly follower: MirrorFollower;
  stop(): Promise<void>;
}

/**
 * Starts the replica's mirror (MEILI_MIRROR=on; undefined otherwise) in the process that hosts the indexes (the
 * API's primary): its own connection to the store file, written as the API's write thread writes (no in-memory
 * indexes), and the adapter's reads with the search key. The index host follows what it writes, like any commit.
 */
export function startMirror(config: Config, log: MirrorLog, options: { pollMs?: number; sweepMs?: number } = {}): MirrorFollow | undefined {
  if (config.MEILI_MIRROR !== 'on') return undefined;
  const store = openStore(config, 'writer');
  if (!store.mirror || !(store.engine instanceof MeilisearchEngine)) {
    void store.close();
    return undefined;
  }
  const follower = new MirrorFollower({
    source: store.engine.mirrorSource(),
    target: store.mirror,
    now: () => Date.now(),
    lookBackMs: config.MEILI_MIRROR_LOOKBACK_MS,
    ...options,
    onError: (error) => log.warn({ problem: error instanceof Error ? error.message : String(error) }, 'mirror of Meilisearch failed for now; retrying'),
  });
  follower.start();
  return {
    follower,
    stop: async () => {
      await follower.stop();
      await store.close();
    },
  };
}
