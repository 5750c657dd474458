import type { EnqueuedTaskPromise, Task } from 'meilisearch';
import { EngineError } from '../../core/errors.js';
import { toAppError } from './errors.js';

/** How long to wait for a task, and how often to ask. */
export interface TaskWait {
  /** Milliseconds before giving up on a task (it may still finish later; the write is then unknown). */
  readonly timeoutMs: number;
  /** Milliseconds between two `GET /tasks/{uid}` polls. */
  readonly intervalMs: number;
}

/**
 * Waits for a write's task and returns it only when it succeeded. The client's `waitTask` resolves for failed and
 * canceled tasks too, so the status is checked here: a failed task becomes an EngineError naming Meilisearch's
 * error code and message, never a success; a task unfinished after `timeoutMs` becomes EngineUnavailableError.
 * `tolerated` lists error codes that mean the wanted state already holds (e.g. `index_already_exists`).
 */
export async function succeeded(
  write: EnqueuedTaskPromise,
  wait: TaskWait,
  what: string,
  tolerated: readonly string[] = [],
): Promise<Task> {
  let task: Task;
  try {
    task = await write.waitTask({ timeout: wait.timeoutMs, interval: wait.intervalMs });
  } catch (error) {
    throw toAppError(error, what);
  }
  if (task.status === 'succeeded') return task;
  if (task.status === 'failed' && task.error && tolerated.includes(task.error.code)) return task;
  const reason = task.error ? `${task.error.code}: ${task.error.message}` : 'no error given';
  throw new EngineError(`Meilisearch task ${task.uid} (${what}) ${task.status}: ${reason}`, { cause: task.error ?? undefined });
}
