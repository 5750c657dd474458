import { randomBytes } from 'node:crypto';
import type { EnqueuedTaskPromise, Index } from 'meilisearch';
import { MeilisearchApiError } from 'meilisearch';
import type { DeliveryOutcome, EngineOperation } from '../../services/engine-outbox.js';
import { toAppError } from './errors.js';
import type { IndexedAtClock, Tombstone } from './mirror-fields.js';
import { succeeded } from './tasks.js';
import type { TombstoneRetention } from './tombstone-retention.js';
import type { TaskWait } from './tasks.js';

/** Answers to a write request that refuse this payload for good (malformed body, body too large). */
const REFUSED_PAYLOAD = new Set([400, 413]);

/** Where a delivery stamps its documents and leaves its tombstones (mirror-fields.ts). */
export interface DeliveryMarks {
  readonly clock: IndexedAtClock;
  /** The tombstone index, created with its settings when missing. */
  tombstones(): Promise<Index<Record<string, unknown>>>;
  /** Prunes the tombstone index after a tombstone is left, when due (none: every tombstone is kept). */
  readonly retention?: TombstoneRetention;
}

/**
 * Sends one outbox operation to `index` as one task and waits for it. Succeeded: `ok`. Failed or canceled task,
 * or a payload refused with 400/413: `ok: false` with Meilisearch's code and message (the deliverer sets it aside).
 * Anything else (no answer, 5xx, task timeout, a refused key) throws an AppError: the deliverer tries again later.
 * Re-sending is harmless: documents replace those of the same primary key whole, and deleting an absent id or
 * clearing an empty index changes nothing.
 *
 * For replicas that follow the index (services/mirror-follower.ts), each document sent gets `indexedAt` (a stamp
 * of `marks.clock`, taken as it is sent), and a delete or clear that succeeded leaves a tombstone afterwards (a
 * crash in between sends the operation, and so its tombstone, again).
 */
export async function deliverOperation(
  index: Index<Record<string, unknown>>,
  operation: EngineOperation,
  wait: TaskWait,
  marks: DeliveryMarks,
): Promise<DeliveryOutcome> {
  const what = describe(operation);
  let enqueued: EnqueuedTaskPromise;
  try {
    if (operation.kind === 'upsert') {
      const first = marks.clock.take(operation.documents.length);
      const stamped = operation.documents.map((doc, i) => ({ ...(doc as Record<string, unknown>), indexedAt: first + i }));
      enqueued = index.addDocuments(stamped, { primaryKey: 'id' });
    } else if (operation.kind === 'delete') enqueued = index.deleteDocuments([...operation.ids]);
    else enqueued = index.deleteAllDocuments();
    const task = await enqueued.waitTask({ timeout: wait.timeoutMs, interval: wait.intervalMs });
    if (task.status !== 'succeeded') {
      const reason = task.error ? `${task.error.code}: ${task.error.message}` : 'no error given';
      return { ok: false, error: `Meilisearch task ${task.uid} (${what}) ${task.status}: ${reason}` };
    }
  } catch (error) {
    if (error instanceof MeilisearchApiError && REFUSED_PAYLOAD.has(error.response.status)) {
      return { ok: false, error: `Meilisearch refused ${what}: ${error.cause?.code ?? error.response.status}: ${error.message}` };
    }
    throw toAppError(error, what);
  }
  if (operation.kind === 'upsert') return { ok: true };
  const tombstones = await leaveTombstone(operation, wait, marks);
  try {
    await marks.retention?.pruneIfDue(tombstones, wait);
  } catch (error) {
    // the operation and its tombstone are in: pruning is tried again after the next tombstone
    return { ok: true, warning: toAppError(error, 'pruning old tombstones').message };
  }
  return { ok: true };
}

/** Adds the tombstone of a delete or clear that Meilisearch applied (a failure throws: the operation is sent again). */
async function leaveTombstone(
  operation: Exclude<EngineOperation, { kind: 'upsert' }>,
  wait: TaskWait,
  marks: DeliveryMarks,
): Promise<Index<Record<string, unknown>>> {
  const deletedAt = marks.clock.take(1);
  const key = `${deletedAt}-${randomBytes(6).toString('hex')}`;
  const tombstone: Tombstone = operation.kind === 'delete'
    ? { key, kind: 'delete', ids: [...operation.ids], deletedAt }
    : { key, kind: 'clear', deletedAt };
  try {
    const index = await marks.tombstones();
    await succeeded(index.addDocuments([tombstone as unknown as Record<string, unknown>], { primaryKey: 'key' }), wait, 'adding a tombstone');
    return index;
  } catch (error) {
    throw toAppError(error, 'adding a tombstone');
  }
}

function describe(operation: EngineOperation): string {
  if (operation.kind === 'upsert') return `adding ${operation.documents.length} documents`;
  if (operation.kind === 'delete') return `deleting ${operation.ids.length} documents`;
  return 'deleting every document';
}
