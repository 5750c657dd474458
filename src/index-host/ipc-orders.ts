import { EngineUnavailableError } from '../core/errors.js';
import type { KeyOrder } from '../core/key-order.js';

/**
 * An export's whole order (IndexPort.rankOrder) on the cluster channel, which carries JSON: store keys and their id
 * checks as the bytes of their Int32Arrays in base64 (5.3 characters a number, encoded and decoded natively), and a
 * long order in chunks, so that no message of the host's grows with the number of matches.
 */

/** Keys sent in one message at most (with their checks, about 700 KB of base64). */
export const ORDER_CHUNK_KEYS = 65_536;
/** How long the host keeps an order whose next chunk is not asked for (ms): it is dropped when the next order comes. */
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

/** In the host: the orders longer than a chunk, each kept until its last chunk is sent or it is not asked for. */
export class OrdersInFlight {
  private readonly held = new Map<number, { order: KeyOrder; touched: number }>();
  private nextTicket = 0;

  constructor(
    private readonly chunkKeys = ORDER_CHUNK_KEYS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The first part of an order; the order is kept when more chunks follow. */
  first(order: KeyOrder): OrderPart {
    this.dropStale();
    const { length } = order.keys;
    if (length <= this.chunkKeys) return encodeChunk(order, 0, length);
    const ticket = ++this.nextTicket;
    this.held.set(ticket, { order, touched: this.clock() });
    return { ...encodeChunk(order, 0, this.chunkKeys), ticket, total: length };
  }

  /** The chunk of order `ticket` from key `from`; the order is dropped once its last chunk is sent. */
  chunk(ticket: number, from: number): OrderChunk {
    const held = this.held.get(ticket);
    if (!held) throw new EngineUnavailableError('the index host no longer holds this order (asked too late): export again', { retryAfterSeconds: 1 });
    const end = Math.min(held.order.keys.length, from + this.chunkKeys);
    if (end >= held.order.keys.length) this.held.delete(ticket);
    else held.touched = this.clock();
    return encodeChunk(held.order, from, end);
  }

  private dropStale(): void {
    const before = this.clock() - ORDER_KEPT_MS;
    for (const [ticket, order] of this.held) if (order.touched < before) this.held.delete(ticket);
  }
}

function encodeChunk(order: KeyOrder, from: number, end: number): OrderChunk {
  return { keys: encodeKeys(order.keys.subarray(from, end)), checks: encodeKeys(order.checks.subarray(from, end)) };
}

/** In a worker: the whole order from its first part, the rest asked chunk by chunk (`rest(ticket, from)`). */
export async function assembleOrder(first: OrderPart, rest: (ticket: number, from: number) => Promise<OrderChunk>): Promise<KeyOrder> {
  const head = { keys: decodeKeys(first.keys), checks: decodeKeys(first.checks) };
  if (first.ticket === undefined || first.total === undefined) return head;
  const keys = new Int32Array(first.total);
  const checks = new Int32Array(first.total);
  keys.set(head.keys);
  checks.set(head.checks);
  for (let at = head.keys.length; at < keys.length; ) {
    const chunk = await rest(first.ticket, at);
    const chunkKeys = decodeKeys(chunk.keys);
    if (chunkKeys.length === 0) break; // never sent by a host that holds the order; no endless loop on a bad answer
    keys.set(chunkKeys, at);
    checks.set(decodeKeys(chunk.checks), at);
    at += chunkKeys.length;
  }
  return { keys, checks };
}
