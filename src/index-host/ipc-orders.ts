import { EngineUnavailableError } from '../core/errors.js';
import type { KeyOrder } from '../core/key-order.js';

/**
 * An export's whole order (IndexPort.rankOrder) on the cluster channel, which carries JSON: store keys and their id
 * checks as the bytes of their Int32Arrays in base64 (5.3 characters a number, encoded and decoded natively), and a
 * long order in chunks, so that no message of the host's grows with the number of matches.
 */

/** Keys sent in one message at most (with their checks, about 700 KB of base64). */
export const ORDER_CHUNK_KEYS = 65_536;
/**
 * How long the host keeps an order whose next chunk is not asked for (ms): such orders are dropped by a timer
 * (unref'd) that runs while any order is held, and when the next order comes.
 */
export const ORDER_KEPT_MS = 60_000;

/** A chunk of an order: its keys and their id checks (core/key-order.ts), each encoded by {@link encodeKeys}. */
export interface OrderChunk {
  readonly keys: string;
  readonly checks: string;
}

/** The host's answer to rankOrder: the first chunk; for a longer order, a ticket for the rest and the total. */
export interface OrderPart extends OrderChunk {
  readonly ticket?: number;
  readonly total?: number;
}

/** Keys as base64 of their bytes (machine byte order: both ends are processes of one host). */
export function encodeKeys(keys: Int32Array): string {
  return Buffer.from(keys.buffer, keys.byteOffset, keys.byteLength).toString('base64');
}

/** The keys {@link encodeKeys} wrote, in a new array. */
export function decodeKeys(text: string): Int32Array {
  const bytes = Buffer.from(text, 'base64');
  const keys = new Int32Array(bytes.length / 4); // a copy: the decoded bytes may start at any offset of a pool
  new Uint8Array(keys.buffer).set(bytes);
  return keys;
}

/** How OrdersInFlight is made; every field has a default. */
export interface OrdersOptions {
  /** Keys per chunk (default {@link ORDER_CHUNK_KEYS}). */
  readonly chunkKeys?: number;
  /** Wall clock (ms; default Date.now). */
  readonly clock?: () => number;
  /** How long an order not asked for is kept (ms; default {@link ORDER_KEPT_MS}); also the timer's period. */
  readonly keptMs?: number;
}

/**
 * In the host: the orders longer than a chunk, each kept for its asker (`sender`, e.g. the cluster worker's id: a
 * ticket is found only by the worker it was given to) until its last chunk is sent or it is not asked for.
 */
export class OrdersInFlight {
  private readonly held = new Map<string, { order: KeyOrder; touched: number }>();
  private nextTicket = 0;
  private sweeper: NodeJS.Timeout | undefined;
  private readonly chunkKeys: number;
  private readonly clock: () => number;
  private readonly keptMs: number;

  constructor(options: OrdersOptions = {}) {
    this.chunkKeys = options.chunkKeys ?? ORDER_CHUNK_KEYS;
    this.clock = options.clock ?? Date.now;
    this.keptMs = options.keptMs ?? ORDER_KEPT_MS;
  }

  /** The first part of an order for `sender`; the order is kept when more chunks follow. */
  first(order: KeyOrder, sender: number | string = 0): OrderPart {
    this.dropStale();
    const { length } = order.keys;
    if (length <= this.chunkKeys) return encodeChunk(order, 0, length);
    const ticket = ++this.nextTicket;
    this.held.set(`${sender}:${ticket}`, { order, touched: this.clock() });
    this.sweep();
    return { ...encodeChunk(order, 0, this.chunkKeys), ticket, total: length };
  }

  /** The chunk of `sender`'s order `ticket` from key `from`; the order is dropped once its last chunk is sent. */
  chunk(ticket: number, from: number, sender: number | string = 0): OrderChunk {
    const name = `${sender}:${ticket}`;
    const held = this.held.get(name);
    if (!held) throw new EngineUnavailableError('the index host no longer holds this order (asked too late): export again', { retryAfterSeconds: 1 });
    const end = Math.min(held.order.keys.length, from + this.chunkKeys);
    if (end >= held.order.keys.length) this.held.delete(name);
    else held.touched = this.clock();
    return encodeChunk(held.order, from, end);
  }

  /** Drops `sender`'s order `ticket` (its worker stopped waiting for it), if still kept. */
  release(ticket: number, sender: number | string = 0): void {
    this.held.delete(`${sender}:${ticket}`);
  }

  /** Drops every order kept for `sender` (a worker that exited). */
  dropSender(sender: number | string): void {
    for (const name of this.held.keys()) if (name.startsWith(`${sender}:`)) this.held.delete(name);
  }

  /** Orders kept now. */
  get size(): number {
    return this.held.size;
  }

  private dropStale(): void {
    const before = this.clock() - this.keptMs;
    for (const [name, held] of this.held) if (held.touched < before) this.held.delete(name);
  }

  /** Drops stale orders every `keptMs` while any is held; the timer never keeps the process alive. */
  private sweep(): void {
    if (this.sweeper) return;
    this.sweeper = setTimeout(() => {
      this.sweeper = undefined;
      this.dropStale();
      if (this.held.size > 0) this.sweep();
    }, this.keptMs);
    this.sweeper.unref();
  }
}

function encodeChunk(order: KeyOrder, from: number, end: number): OrderChunk {
  return { keys: encodeKeys(order.keys.subarray(from, end)), checks: encodeKeys(order.checks.subarray(from, end)) };
}

/**
 * In a worker: the whole order from its first part, the rest asked chunk by chunk (`rest(ticket, from)`). Rejects
 * with EngineUnavailableError when a part's checks do not pair with its keys, or it holds more than the order (its
 * total), or a chunk after the first part is empty.
 */
export async function assembleOrder(first: OrderPart, rest: (ticket: number, from: number) => Promise<OrderChunk>): Promise<KeyOrder> {
  const head = { keys: decodeKeys(first.keys), checks: decodeKeys(first.checks) };
  const total = first.ticket === undefined ? head.keys.length : (first.total ?? -1);
  // never sent by a host that holds the order: an export silently short (or an endless loop) otherwise
  const malformed = (at: number, length: number) =>
    new EngineUnavailableError(`the index host sent a malformed part of an order (${length} keys at ${at} of ${total}): export again`, { retryAfterSeconds: 1 });
  if (head.checks.length !== head.keys.length || head.keys.length > total) throw malformed(0, head.keys.length);
  if (first.ticket === undefined) return head;
  const keys = new Int32Array(total);
  const checks = new Int32Array(total);
  keys.set(head.keys);
  checks.set(head.checks);
  for (let at = head.keys.length; at < keys.length; ) {
    const chunk = await rest(first.ticket, at);
    const chunkKeys = decodeKeys(chunk.keys);
    const chunkChecks = decodeKeys(chunk.checks);
    if (chunkKeys.length === 0 || chunkChecks.length !== chunkKeys.length || at + chunkKeys.length > keys.length) throw malformed(at, chunkKeys.length);
    keys.set(chunkKeys, at);
    checks.set(chunkChecks, at);
    at += chunkKeys.length;
  }
  return { keys, checks };
}
