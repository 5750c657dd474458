import type { EnqueuedTaskPromise, Index } from 'meilisearch';
import { MeilisearchApiError } from 'meilisearch';
import type { DeliveryOutcome, EngineOperation } from '../../services/engine-outbox.js';
import { toAppError } from './errors.js';
import type { TaskWait } from './tasks.js';

/** Answers to a write request that refuse this payload for good (malformed body, body too large). */
const REFUSED_PAYLOAD = new Set([400, 413]);

/**
 * Sends one outbox operation to `index` as one task and waits for it. Succeeded: `ok`. Failed or canceled task,
 * or a payload refused with 400/413: `ok: false` with Meilisearch's code and message (the deliverer sets it aside).
 * Anything else (no answer, 5xx, task timeout, a refused key) throws an AppError: the deliverer tries again later.
 * Re-sending is harmless: documents replace those of the same primary key whole, and deleting an absent id or
 * clearing an empty index changes nothing.
 */
export async function deliverOperation(
  index: Index<Record<string, unknown>>,
  operation: EngineOperation,
  wait: TaskWait,
): Promise<DeliveryOutcome> {
  const what = describe(operation);
  let enqueued: EnqueuedTaskPromise;
  try {
    if (operation.kind === 'upsert') {
      enqueued = index.addDocuments(operation.documents as Record<string, unknown>[], { primaryKey: 'id' });
    } else if (operation.kind === 'delete') enqueued = index.deleteDocuments([...operation.ids]);
    else enqueued = index.deleteAllDocuments();
    const task = await enqueued.waitTask({ timeout: wait.timeoutMs, interval: wait.intervalMs });
    if (task.status === 'succeeded') return { ok: true };
    const reason = task.error ? `${task.error.code}: ${task.error.message}` : 'no error given';
    return { ok: false, error: `Meilisearch task ${task.uid} (${what}) ${task.status}: ${reason}` };
  } catch (error) {
    if (error instanceof MeilisearchApiError && REFUSED_PAYLOAD.has(error.response.status)) {
      return { ok: false, error: `Meilisearch refused ${what}: ${error.cause?.code ?? error.response.status}: ${error.message}` };
    }
    throw toAppError(error, what);
  }
}

function describe(operation: EngineOperation): string {
  if (operation.kind === 'upsert') return `adding ${operation.documents.length} documents`;
  if (operation.kind === 'delete') return `deleting ${operation.ids.length} documents`;
  return 'deleting every document';
}
