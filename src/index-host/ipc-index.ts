import { EngineUnavailableError, receivedError, sendableError } from '../core/errors.js';
import type { SentError } from '../core/errors.js';
import type { IndexPort } from './index-port.js';
import { OrdersInFlight, assembleOrder } from './ipc-orders.js';
import type { OrderChunk, OrderPart } from './ipc-orders.js';

/** Tag of the index messages on the cluster IPC channel (others carry rate-limit counts and metrics). */
export const INDEX_MESSAGE = 'newsfind:index';

/** How long a worker waits for the index host's answer before the request fails with 503 (ms). */
export const INDEX_TIMEOUT_MS = 2_000;

/**
 * How long a worker waits for an export's whole order (rankOrder; ms, default): a broad query over a million
 * articles is walked for seconds, well beyond {@link INDEX_TIMEOUT_MS}. The host stops walking once it has passed.
 * The same as REQUEST_TIMEOUT_MS's default: the export's first row waits within that limit.
 */
export const ORDER_TIMEOUT_MS = 10_000;

/** Export orders a worker remembers having given up on (see indexOverIpc): more are forgotten, oldest first. */
const GIVEN_UP_KEPT = 64;

type Op =
  | 'rank' | 'rankOrder' | 'orderChunk' | 'similarTo' | 'similarToCounts' | 'suggestEntities' | 'suggestQueries' | 'namedEntities' | 'resolveEntity'
  | 'entityCounts' | 'entityArticles' | 'significantTerms' | 'storyOf' | 'stories' | 'generation' | 'sync' | 'notify' | 'orderRelease';

/** A worker's call: `deadline` is wall-clock ms, after which the worker no longer waits (the host skips it). */
interface IndexCall {
  readonly id: number;
  readonly op: Op;
  readonly args: readonly unknown[];
  readonly deadline: number;
}

/** The host's answer to a call (`value` absent: undefined). */
type IndexReply =
  | { readonly id: number; readonly ok: true; readonly value?: unknown }
  | { readonly id: number; readonly ok: false; readonly error: SentError };

/**
 * What crosses the channel: the calls a worker made in one turn of its event loop, or the answers the host settled
 * in one turn for one sender. One message, so one write and one parse, for all the searches of a turn, where
 * a message per call cost each side a write to the channel per search.
 */
interface IndexCalls {
  readonly tag: typeof INDEX_MESSAGE;
  readonly calls: readonly IndexCall[];
}
interface IndexReplies {
  readonly tag: typeof INDEX_MESSAGE;
  readonly replies: readonly IndexReply[];
}

const isCalls = (m: unknown): m is IndexCalls => typeof m === 'object' && m !== null && (m as IndexCalls).tag === INDEX_MESSAGE && Array.isArray((m as IndexCalls).calls);
const isReplies = (m: unknown): m is IndexReplies => typeof m === 'object' && m !== null && (m as IndexReplies).tag === INDEX_MESSAGE && Array.isArray((m as IndexReplies).replies);

/**
 * Gathers the items given in one turn of the event loop and hands them over together at its end (setImmediate:
 * after the I/O callbacks of the turn, where the requests of every connection that had data were read).
 */
function perTurn<T>(flush: (items: T[]) => void): (item: T) => void {
  return gathered(flush, setImmediate);
}

/**
 * Gathers the items given before the current callback's promise jobs are done and hands them over together then
 * (process.nextTick: the answers that a message's calls settle at once). The host's answers must not wait for the
 * turn's end: its catch-up slices are also setImmediate callbacks, queued a turn earlier, so an answer flushed by
 * setImmediate waited behind a whole slice (5 ms of applying) every time the host was catching up.
 */
function perTick<T>(flush: (items: T[]) => void): (item: T) => void {
  return gathered(flush, process.nextTick);
}

function gathered<T>(flush: (items: T[]) => void, later: (callback: () => void) => unknown): (item: T) => void {
  let queued: T[] = [];
  return (item) => {
    queued.push(item);
    if (queued.length > 1) return;
    later(() => {
      const items = queued;
      queued = [];
      flush(items);
    });
  };
}

/** What the primary does with the workers' calls besides answering them. */
export interface IndexServer {
  /** Forgets what was kept for `sender` (a worker that exited): the rest of its export orders. */
  senderGone(sender: number | string): void;
  /** Export orders kept for their next chunks. */
  readonly ordersKept: number;
}

/**
 * In the cluster primary: answers the workers' index calls from `host`. `onCall` subscribes to the workers'
 * messages, each with a function that replies to its sender (cluster.on('message') and worker.send) and the
 * sender's id (default 0), under which its export orders are kept. A call whose deadline has passed is skipped:
 * its worker has already answered 503; an export's walk (rankOrder) stops when its deadline passes, and an order
 * finished after it is not kept. The answers a message's calls settle at once go back in one message, before the
 * host's next catch-up slice (see perTick).
 */
export function serveIndexOverIpc(
  host: IndexPort,
  onCall: (listener: (message: unknown, reply: (message: IndexReplies) => void, sender?: number | string) => void) => void,
  clock: () => number = Date.now,
  options: { readonly orderChunkKeys?: number; readonly orderKeptMs?: number } = {},
): IndexServer {
  // whole orders sent in chunks (ipc-orders.ts)
  const orders = new OrdersInFlight({ chunkKeys: options.orderChunkKeys, clock, keptMs: options.orderKeptMs });
  onCall((message, reply, sender = 0) => {
    if (!isCalls(message)) return;
    const answer = perTick<IndexReply>((replies) => reply({ tag: INDEX_MESSAGE, replies }));
    const now = clock();
    for (const call of message.calls) {
      if (call.op === 'notify') {
        host.notify();
        continue;
      }
      if (call.op === 'orderRelease') {
        orders.release(call.args[0] as number, sender);
        continue;
      }
      if (now > call.deadline) continue;
      run(host, call, { orders, sender, gone: () => clock() > call.deadline }).then(
        (value) => answer({ id: call.id, ok: true, ...(value === undefined ? {} : { value }) }),
        (error: unknown) => answer({ id: call.id, ok: false, error: sendableError(error) }),
      );
    }
  });
  return {
    senderGone: (sender) => orders.dropSender(sender),
    get ordersKept() {
      return orders.size;
    },
  };
}

/** A call's context: the export orders kept, its sender, and whether its caller has stopped waiting. */
interface CallContext {
  readonly orders: OrdersInFlight;
  readonly sender: number | string;
  readonly gone: () => boolean;
}

const callerGone = () => new EngineUnavailableError('the worker stopped waiting for this export\'s order', { retryAfterSeconds: 1 });

function run(host: IndexPort, call: IndexCall, context: CallContext): Promise<unknown> {
  const a = call.args as never[];
  const { orders, sender, gone } = context;
  switch (call.op) {
    case 'rank':
      return host.rank(a[0]!);
    case 'rankOrder':
      return host.rankOrder(a[0]!, gone).then((order) => {
        if (gone()) throw callerGone(); // nobody will ask for its chunks
        return orders.first(order, sender);
      });
    case 'orderChunk':
      return Promise.resolve().then(() => orders.chunk(a[0]!, a[1]!, sender));
    case 'similarTo':
      return host.similarTo(a[0]!, a[1]!);
    case 'similarToCounts':
      return host.similarToCounts(a[0]!, a[1]!);
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
  send(message: IndexCalls): void;
  onMessage(listener: (message: unknown) => void): void;
}

/**
 * In a worker: the index host of the primary, asked over IPC. Each call carries an id and a deadline
 * (`timeoutMs`, default {@link INDEX_TIMEOUT_MS}; an export's order `orderTimeoutMs`, default
 * {@link ORDER_TIMEOUT_MS}); a host that does not answer by then fails the call with an
 * EngineUnavailableError (503 engine_unavailable, Retry-After 1 s), never a hang.
 */
export function indexOverIpc(channel: WorkerChannel, options: { timeoutMs?: number; orderTimeoutMs?: number; clock?: () => number } = {}): IndexPort {
  const timeoutMs = options.timeoutMs ?? INDEX_TIMEOUT_MS;
  const orderTimeoutMs = options.orderTimeoutMs ?? ORDER_TIMEOUT_MS;
  const clock = options.clock ?? Date.now;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();
  /**
   * Export orders this worker stopped waiting for (the most recent {@link GIVEN_UP_KEPT}): one answered after all is
   * released at once, rather than kept by the host until its sweep (ipc-orders.ts ORDER_KEPT_MS).
   */
  const givenUp = new Set<number>();
  let next = 0;
  channel.onMessage((message) => {
    if (!isReplies(message)) return;
    for (const reply of message.replies) {
      const call = pending.get(reply.id);
      if (!call) {
        // answered after the deadline: an order the host kept for this worker is let go
        if (reply.ok && givenUp.delete(reply.id)) release((reply.value as OrderPart | undefined)?.ticket);
        continue;
      }
      pending.delete(reply.id);
      clearTimeout(call.timer);
      if (reply.ok) call.resolve(reply.value);
      else call.reject(receivedError(reply.error));
    }
  });
  const unreachable = (error: unknown) => new EngineUnavailableError('the index host (the cluster primary) cannot be reached', { cause: error, retryAfterSeconds: 1 });
  const send = perTurn<IndexCall>((calls) => {
    try {
      channel.send({ tag: INDEX_MESSAGE, calls });
    } catch (error) {
      for (const { id } of calls) {
        const call = pending.get(id);
        if (!call) continue;
        pending.delete(id);
        clearTimeout(call.timer);
        call.reject(unreachable(error));
      }
    }
  });
  const callWithin = <T>(waitMs: number, op: Op, ...args: unknown[]): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = ++next;
      const timer = setTimeout(() => {
        pending.delete(id);
        if (op === 'rankOrder') {
          givenUp.add(id);
          if (givenUp.size > GIVEN_UP_KEPT) givenUp.delete(givenUp.values().next().value!);
        }
        reject(new EngineUnavailableError(`the index host (the cluster primary) did not answer within ${waitMs} ms`, { retryAfterSeconds: 1 }));
      }, waitMs);
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      send({ id, op, args, deadline: clock() + waitMs });
    });
  const call = <T>(op: Op, ...args: unknown[]): Promise<T> => callWithin<T>(timeoutMs, op, ...args);
  /** Lets the host drop an order kept for this worker that it will not ask for (no answer expected). */
  const release = (ticket: number | undefined) => {
    if (ticket !== undefined) send({ id: 0, op: 'orderRelease', args: [ticket], deadline: clock() + timeoutMs });
  };
  return {
    rank: (request) => call('rank', request),
    rankOrder: async (request) => {
      const first = await callWithin<OrderPart>(orderTimeoutMs, 'rankOrder', request);
      try {
        return await assembleOrder(first, (ticket, from) => call<OrderChunk>('orderChunk', ticket, from));
      } catch (error) {
        release(first.ticket); // a chunk did not come: the rest is not asked for
        throw error;
      }
    },
    similarTo: (id, query) => call('similarTo', id, query),
    similarToCounts: (counts, query) => call('similarToCounts', counts, query),
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
    // a lost notice (channel closed) delays the change by a few ms at most: the host also polls the store
    notify: () => send({ id: 0, op: 'notify', args: [], deadline: clock() }),
  };
}
