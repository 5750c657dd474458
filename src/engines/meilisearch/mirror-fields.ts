/**
 * What an API replica follows in Meilisearch (services/mirror-follower.ts): every document carries `indexedAt`, and
 * each delete or clear leaves a tombstone in a small companion index. Both are written by the outbox's deliverer
 * (outbox-delivery.ts), never by the write path, so that the local store keeps the documents exactly as committed.
 */

/** The companion index of tombstones beside the articles' index `index`. */
export const tombstoneIndex = (index: string): string => `${index}-tombstones`;

/**
 * A deleted batch of ids (`kind: 'delete'`) or a cleared index (`kind: 'clear'`, no ids), as stored in the
 * tombstone index: `key` is unique per tombstone (a stamp and a random suffix), `deletedAt` a stamp of
 * {@link IndexedAtClock} taken once Meilisearch had applied the deletion.
 */
export interface Tombstone {
  readonly key: string;
  readonly kind: 'delete' | 'clear';
  readonly ids?: readonly string[];
  readonly deletedAt: number;
}

/** Settings of the tombstone index: its stamps are filtered and sorted on, nothing is searched. */
export const TOMBSTONE_SETTINGS = {
  filterableAttributes: ['deletedAt'],
  sortableAttributes: ['deletedAt'],
} as const;

/**
 * Stamps for `indexedAt` and `deletedAt`, in microseconds since the epoch: the delivery's wall clock in ms × 1000
 * plus the document's place in its batch (a batch holds at most 500 documents), and never less than the last stamp
 * given + 1, so that one deliverer's stamps strictly increase and never tie. Stamps of two deliverers (an indexer,
 * a replica delivering its own writes) interleave by wall clock; a follower re-reads a look-back window for the
 * few that a clock skew or a send racing another puts behind its cursor.
 */
export class IndexedAtClock {
  private last = 0;

  constructor(private readonly nowMs: () => number = Date.now) {}

  /** The first of `count` consecutive stamps (the others are it + 1, + 2, …). */
  take(count: number): number {
    const first = Math.max(Math.floor(this.nowMs()) * 1000, this.last + 1);
    this.last = first + Math.max(count, 1) - 1;
    return first;
  }
}
