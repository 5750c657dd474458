import type { Index } from 'meilisearch';
import type { Tombstone } from './mirror-fields.js';
import { succeeded } from './tasks.js';
import type { TaskWait } from './tasks.js';

/** Default time a tombstone is kept: a replica stopped for longer sweeps its whole store once when it comes back. */
export const DEFAULT_TOMBSTONE_RETENTION_DAYS = 30;
/** At most one pruning per deliverer in this time (a pruning is two tasks). */
export const PRUNE_EVERY_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * The tombstone index's retention: tombstones older than the retention are deleted, so the index holds what the
 * deletes of that period left instead of every delete ever made. A replica whose cursor is older than the cutoff
 * would miss the deletions pruned, so each pruning first leaves a **horizon** at the cutoff: a tombstone of kind
 * `clear` (no ids), which a follower settles as any clear, by checking every id it holds against Meilisearch
 * (services/mirror-follower.ts). A replica behind the cutoff thus repairs itself whole; one past it never reads the
 * horizon (it reads only tombstones after its cursor). The horizon is added before the deletion, so no reader ever
 * finds the pruned ones gone and no horizon; it is itself pruned by a later pruning, whose horizon replaces it.
 * Several deliverers may prune at once: each horizon is correct alone, and a needless one costs a sweep.
 */
export class TombstoneRetention {
  private lastPruneMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly retentionDays: number,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** The stamp (µs, as `deletedAt`) before which tombstones are pruned now. */
  cutoff(): number {
    return (Math.floor(this.nowMs()) - this.retentionDays * DAY_MS) * 1000;
  }

  /**
   * Prunes `index` when no pruning of this deliverer was done within {@link PRUNE_EVERY_MS} and a tombstone is older
   * than the cutoff (one search finds out); true when it pruned. A failure throws and is tried again next time.
   */
  async pruneIfDue(index: Index<Record<string, unknown>>, wait: TaskWait): Promise<boolean> {
    const now = this.nowMs();
    if (now - this.lastPruneMs < PRUNE_EVERY_MS) return false;
    const cutoff = this.cutoff();
    const older = await index.search('', { filter: `deletedAt < ${cutoff}`, limit: 1, attributesToRetrieve: ['key'] });
    if (older.hits.length === 0) {
      this.lastPruneMs = now; // nothing to prune: no horizon (a new replica would sweep for it)
      return false;
    }
    const horizon: Tombstone = { key: `horizon-${cutoff}`, kind: 'clear', deletedAt: cutoff };
    await succeeded(index.addDocuments([horizon as unknown as Record<string, unknown>], { primaryKey: 'key' }), wait, 'adding the tombstones\' horizon');
    await succeeded(index.deleteDocuments({ filter: `deletedAt < ${cutoff}` }), wait, 'pruning old tombstones');
    this.lastPruneMs = now;
    return true;
  }
}
