import { EngineUnavailableError, receivedError, sendableError } from '../core/errors.js';
import type { SentError } from '../core/errors.js';
import type { IndexPort } from './index-port.js';

/** Tag of the index messages on the cluster IPC channel (others carry rate-limit counts and metrics). */
export const INDEX_MESSAGE = 'newsfind:index';

/** How long a worker waits for the index host's answer before the request fails with 503 (ms). */
export const INDEX_TIMEOUT_MS = 2_000;

type Op =
  | 'rank' | 'similarTo' | 'similarToText' | 'suggestEntities' | 'suggestQueries' | 'namedEntities' | 'resolveEntity'
  | 'entityCounts' | 'entityArticles' | 'significantTerms' | 'storyOf' | 'stories' | 'generation' | 'sync' | 'notify';

/** A worker's call: `deadline` is wall-clock ms, after which the worker no longer waits (the host skips it). */
interface IndexCall {
  readonly tag: typeof INDEX_MESSAGE;
  readonly id: number;
  readonly op: Op;
  readonly args: readonly unknown[];
  readonly deadline: number;
}

/** The host's answer to a call (`value` absent: undefined). */
type IndexReply =
  | { readonly tag: typeof INDEX_MESSAGE; readonly id: number; readonly ok: true; readonly value?: unknown }
  | { readonly tag: typeof INDEX_MESSAGE; readonly id: number; readonly ok: false; readonly error: SentError };

const isCall = (m: unknown): m is IndexCall => typeof m === 'object' && m !== null && (m as IndexCall).tag === INDEX_MESSAGE && 'op' in m;
const isReply = (m: unknown): m is IndexReply => typeof m === 'object' && m !== null && (m as IndexReply).tag === INDEX_MESSAGE && 'ok' in m;

/**
 * In the cluster primary: answers the workers' index calls from `host`. `onCall` subscribes to the workers'
 * messages, each with a function that replies to its sender (cluster.on('message') and worker.send). A call
 * whose deadline has passed is skipped: its worker has already answered 503.
 */
export function serveIndexOverIpc(
  host: IndexPort,
  onCall: (listener: (message: unknown, reply: (message: IndexReply) => void) => void) => void,
  clock: () => number = Date.now,
): void {
  onCall((message, reply) => {
    if (!isCall(message)) return;
    if (message.op === 'notify') {
      host.notify();
      return;
    }
    if (clock() > message.deadline) return;
    run(host, message).then(
      (value) => reply({ tag: INDEX_MESSAGE, id: message.id, ok: true, ...(value === undefined ? {} : { value }) }),
      (error: unknown) => reply({ tag: INDEX_MESSAGE, id: message.id, ok: false, error: sendableError(error) }),
    );
  });
}

function run(host: IndexPort, call: IndexCall): Promise<unknown> {
  const a = call.args as never[];
  switch (call.op) {
    case 'rank':
      return host.rank(a[0]!);
    case 'similarTo':
      return host.similarTo(a[0]!, a[1]!);
    case 'similarToText':
      return host.similarToText(a[0]!, a[1]!, a[2]!);
    case 'suggestQueries':
      return host.suggestQueries(a[0]!, a[1]!);
    case 'suggestEntities':
      return host.suggestEntities(a[0]!, a[1] ?? undefined, a[2]!); // JSON turns an absent kind into null
    case 'namedEntities':
      return host.namedEntities(a[0]!);
    case 'resolveEntity':
      return host.resolveEntity(a[0]!, a[1]!);
    case 'entityCounts':
      return host.entityCounts();
    case 'entityArticles':
      return host.entityArticles(a[0]!);
    case 'significantTerms':
      return host.significantTerms(a[0]!, a[1]!);
    case 'storyOf':
      return host.storyOf(a[0]!, a[1]!);
    case 'stories':
      return host.stories(a[0]!);
    case 'generation':
      return host.generation();
    default:
      return host.sync();
  }
}

/** The channel a worker talks to the primary on (process.send and process.on('message')). */
export interface WorkerChannel {
  send(message: IndexCall): void;
  onMessage(listener: (message: unknown) => void): void;
}

/**
 * In a worker: the index host of the primary, asked over IPC. Each call carries an id and a deadline
 * (`timeoutMs`, default {@link INDEX_TIMEOUT_MS}); a host that does not answer by then fails the call with an
 * EngineUnavailableError (503 engine_unavailable, Retry-After 1 s), never a hang.
 */
export function indexOverIpc(channel: WorkerChannel, options: { timeoutMs?: number; clock?: () => number } = {}): IndexPort {
  const timeoutMs = options.timeoutMs ?? INDEX_TIMEOUT_MS;
  const clock = options.clock ?? Date.now;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();
  let next = 0;
  channel.onMessage((message) => {
    if (!isReply(message)) return;
    const call = pending.get(message.id);
    if (!call) return; // answered after the deadline
    pending.delete(message.id);
    clearTimeout(call.timer);
    if (message.ok) call.resolve(message.value);
    else call.reject(receivedError(message.error));
  });
  const call = <T>(op: Op, ...args: unknown[]): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = ++next;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new EngineUnavailableError(`the index host (the cluster primary) did not answer within ${timeoutMs} ms`, { retryAfterSeconds: 1 }));
      }, timeoutMs);
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      try {
        channel.send({ tag: INDEX_MESSAGE, id, op, args, deadline: clock() + timeoutMs });
      } catch (error) {
        pending.delete(id);
        clearTimeout(timer);
        reject(new EngineUnavailableError('the index host (the cluster primary) cannot be reached', { cause: error, retryAfterSeconds: 1 }));
      }
    });
  return {
    rank: (request) => call('rank', request),
    similarTo: (id, query) => call('similarTo', id, query),
    similarToText: (title, body, query) => call('similarToText', title, body, query),
    suggestEntities: (q, kind, limit) => call('suggestEntities', q, kind, limit),
    suggestQueries: (q, limit) => call('suggestQueries', q, limit),
    namedEntities: (text) => call('namedEntities', text),
    resolveEntity: (kind, text) => call('resolveEntity', kind, text),
    entityCounts: () => call('entityCounts'),
    entityArticles: (refs) => call('entityArticles', refs),
    significantTerms: (ids, limit) => call('significantTerms', ids, limit),
    storyOf: (id, limit) => call('storyOf', id, limit),
    stories: (query) => call('stories', query),
    generation: () => call('generation'),
    sync: () => call('sync'),
    namesEntities: true, // the primary's host is made by hostIndexes (storage/open-store.ts), with the entity names
    notify: () => {
      try {
        channel.send({ tag: INDEX_MESSAGE, id: 0, op: 'notify', args: [], deadline: clock() });
      } catch {
        // the host also polls the store: a lost notice delays the change by a few ms at most
      }
    },
  };
}
