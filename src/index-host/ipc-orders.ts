import { EngineUnavailableError } from '../core/errors.js';

/**
 * An export's whole order (IndexPort.rankOrder) on the cluster channel, which carries JSON: store keys as the bytes
 * of their Int32Array in base64 (5.3 characters a key, encoded and decoded natively), and a long order in chunks,
 * so that no message of the host's grows with the number of matches.
 */

/** Keys sent in one message at most (about 350 KB of base64). */
export const ORDER_CHUNK_KEYS = 65_536;
/** How long the host keeps an order whose next chunk is not asked for (ms): it is dropped when the next order comes. */
export const ORDER_KEPT_MS = 60_000;

/** The host's answer to rankOrder: the first chunk; for a longer order, a ticket for the rest and the total. */
export interface OrderPart {
  readonly keys: string;
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
  private readonly held = new Map<number, { keys: Int32Array; touched: number }>();
  private nextTicket = 0;

  constructor(
    private readonly chunkKeys = ORDER_CHUNK_KEYS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The first part of an order; the order is kept when more chunks follow. */
  first(keys: Int32Array): OrderPart {
    this.dropStale();
    if (keys.length <= this.chunkKeys) return { keys: encodeKeys(keys) };
    const ticket = ++this.nextTicket;
    this.held.set(ticket, { keys, touched: this.clock() });
    return { keys: encodeKeys(keys.subarray(0, this.chunkKeys)), ticket, total: keys.length };
  }

  /** The chunk of order `ticket` from key `from`; the order is dropped once its last chunk is sent. */
  chunk(ticket: number, from: number): string {
    const order = this.held.get(ticket);
    if (!order) throw new EngineUnavailableError('the index host no longer holds this order (asked too late): export again', { retryAfterSeconds: 1 });
    const end = Math.min(order.keys.length, from + this.chunkKeys);
    if (end >= order.keys.length) this.held.delete(ticket);
    else order.touched = this.clock();
    return encodeKeys(order.keys.subarray(from, end));
  }

  private dropStale(): void {
    const before = this.clock() - ORDER_KEPT_MS;
    for (const [ticket, order] of this.held) if (order.touched < before) this.held.delete(ticket);
  }
}

/** In a worker: the whole order from its first part, the rest asked chunk by chunk (`rest(ticket, from)`). */
export async function assembleOrder(first: OrderPart, rest: (ticket: number, from: number) => Promise<string>): Promise<Int32Array> {
  const head = decodeKeys(first.keys);
  if (first.ticket === undefined || first.total === undefined) return head;
  const keys = new Int32Array(first.total);
  keys.set(head);
  for (let at = head.length; at < keys.length; ) {
    const chunk = decodeKeys(await rest(first.ticket, at));
    if (chunk.length === 0) break; // never sent by a host that holds the order; no endless loop on a bad answer
    keys.set(chunk, at);
    at += chunk.length;
  }
  return keys;
}
