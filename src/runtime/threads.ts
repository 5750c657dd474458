import type { WorkerOptions } from 'node:worker_threads';
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on the module `name` beside `base` (a caller's `import.meta.url`): its compiled
 * JavaScript, or its TypeScript source when the caller runs from the sources under tsx (tests, `npm run dev`);
 * tsx's loader is then registered in the thread first, since a worker thread does not inherit the module hooks
 * that `--import tsx` registered in its parent.
 */
export function startThread(base: string, name: string, options: Pick<WorkerOptions, 'env' | 'workerData'> = {}): Worker {
  const fromSources = base.endsWith('.ts');
  const entry = new URL(`./${name}${fromSources ? '.ts' : '.js'}`, base);
  if (!fromSources) return new Worker(entry, options);
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { ...options, eval: true });
}
