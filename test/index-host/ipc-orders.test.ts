import fc from 'fast-check';
import { EngineUnavailableError } from '../../src/core/errors.js';
import type { KeyOrder } from '../../src/core/key-order.js';
import { ORDER_KEPT_MS, OrdersInFlight, assembleOrder, decodeKeys, encodeKeys } from '../../src/index-host/ipc-orders.js';
import type { OrderPart } from '../../src/index-host/ipc-orders.js';
import type { IndexPort } from '../../src/index-host/index-port.js';
import { indexOverIpc, serveIndexOverIpc } from '../../src/index-host/ipc-index.js';

/** An order of these keys, each key's check its negation (any numbers: the channel does not look at them). */
const orderOf = (...keys: number[]): KeyOrder => ({ keys: Int32Array.from(keys), checks: Int32Array.from(keys, (k) => -k) });

/** An export's order on the cluster channel: base64 keys, in chunks, held by the host until read or stale. */
describe('whole orders on the cluster channel', () => {
  it('when any keys are encoded (a view at any offset too), then decoding gives them back', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 200 }), fc.nat(5), (values, skip) => {
        const keys = Int32Array.from(values);
        expect(Array.from(decodeKeys(encodeKeys(keys)))).toEqual(values);
        expect(Array.from(decodeKeys(encodeKeys(keys.subarray(Math.min(skip, keys.length)))))).toEqual(values.slice(skip));
      }),
    );
  });

  it('when an order is longer than a chunk, then the worker assembles it from the chunks and the host then drops it', async () => {
    const orders = new OrdersInFlight({ chunkKeys: 4 });
    const order = orderOf(...Array.from({ length: 10 }, (_, i) => 100 - i));
    const asked: number[] = [];
    const whole = await assembleOrder(orders.first(order), async (ticket, from) => {
      asked.push(from);
      return orders.chunk(ticket, from);
    });
    expect(whole).toEqual(order);
    expect(asked).toEqual([4, 8]);
    expect(() => orders.chunk(1, 8)).toThrow(EngineUnavailableError); // sent whole: no longer held
    const short = orderOf(1, 2, 3);
    expect(orders.first(short)).toEqual({ keys: encodeKeys(short.keys), checks: encodeKeys(short.checks) }); // short: no ticket
  });

  it(`when an order's next chunk is not asked for ${ORDER_KEPT_MS} ms, then the next order drops it`, () => {
    let now = 0;
    const orders = new OrdersInFlight({ chunkKeys: 2, clock: () => now });
    const first = orders.first(orderOf(1, 2, 3, 4, 5));
    expect(first.total).toBe(5);
    now += ORDER_KEPT_MS + 1;
    orders.first(orderOf(9));
    expect(() => orders.chunk(first.ticket!, 2)).toThrow(EngineUnavailableError);
  });

  it('when an order\'s next chunk is not asked for, then a timer drops it, with no other order coming', async () => {
    const orders = new OrdersInFlight({ chunkKeys: 2, keptMs: 30 });
    const first = orders.first(orderOf(1, 2, 3, 4, 5));
    expect(orders.size).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(orders.size).toBe(0);
    expect(() => orders.chunk(first.ticket!, 2)).toThrow(EngineUnavailableError);
  });

  it('when a sender asks for a ticket given to another, then it is not found; when a sender is gone, then its orders are dropped', () => {
    const orders = new OrdersInFlight({ chunkKeys: 2 });
    const mine = orders.first(orderOf(1, 2, 3, 4, 5), 7);
    const theirs = orders.first(orderOf(6, 7, 8), 8);
    expect(() => orders.chunk(mine.ticket!, 2, 8)).toThrow(EngineUnavailableError);
    expect(decodeKeys(orders.chunk(mine.ticket!, 2, 7).keys)).toEqual(Int32Array.of(3, 4));
    orders.dropSender(7);
    expect(() => orders.chunk(mine.ticket!, 4, 7)).toThrow(EngineUnavailableError);
    expect(decodeKeys(orders.chunk(theirs.ticket!, 2, 8).checks)).toEqual(Int32Array.of(-8));
  });

  it.each<[string, (from: number) => KeyOrder]>([
    ['empty', () => orderOf()],
    ['longer than the rest of the order', (from) => orderOf(...Array.from({ length: 10 - from + 1 }, (_, i) => i))],
    ['with fewer checks than keys', () => ({ keys: Int32Array.of(1, 2), checks: Int32Array.of(1) })],
  ])('when a chunk comes %s, then the order fails as unavailable, not short', async (_, bad) => {
    const orders = new OrdersInFlight({ chunkKeys: 4 });
    const first = orders.first(orderOf(...Array.from({ length: 10 }, (_, i) => i)));
    const sent = (order: KeyOrder) => ({ keys: encodeKeys(order.keys), checks: encodeKeys(order.checks) });
    await expect(assembleOrder(first, async (_ticket, from) => sent(bad(from)))).rejects.toBeInstanceOf(EngineUnavailableError);
  });

  it.each<[string, OrderPart]>([
    ['a whole order with fewer checks than keys', { keys: encodeKeys(Int32Array.of(1, 2)), checks: encodeKeys(Int32Array.of(1)) }],
    ['a first part with fewer checks than keys', { keys: encodeKeys(Int32Array.of(1, 2)), checks: encodeKeys(Int32Array.of(1)), ticket: 1, total: 4 }],
    ['a first part longer than its total', { keys: encodeKeys(Int32Array.of(1, 2, 3)), checks: encodeKeys(Int32Array.of(1, 2, 3)), ticket: 1, total: 2 }],
    ['a first part with a ticket and no total', { keys: encodeKeys(Int32Array.of(1, 2)), checks: encodeKeys(Int32Array.of(1, 2)), ticket: 1 }],
  ])('when the first part is %s, then the order fails as unavailable, not short', async (_, first) => {
    const rest = async () => ({ keys: encodeKeys(Int32Array.of(3, 4)), checks: encodeKeys(Int32Array.of(3, 4)) });
    await expect(assembleOrder(first, rest)).rejects.toBeInstanceOf(EngineUnavailableError);
  });
});

describe('orders a worker stopped waiting for', () => {
  type Listener = (message: unknown) => void;
  const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** A worker and a host on a channel that delivers the host's answers `replyMs` late (a busy primary or worker). */
  function channel(replyMs: number) {
    const toWorker: Listener[] = [];
    let toHost: ((message: unknown, reply: (message: unknown) => void) => void) | undefined;
    const worker = {
      send: (message: unknown) =>
        setImmediate(() => toHost?.(JSON.parse(JSON.stringify(message)), (reply) => {
          setTimeout(() => toWorker.forEach((l) => l(JSON.parse(JSON.stringify(reply)))), replyMs);
        })),
      onMessage: (l: Listener) => void toWorker.push(l),
    };
    return { worker, onCall: (l: (message: unknown, reply: (message: unknown) => void) => void) => void (toHost = l) };
  }

  it('when the host answers a long order after the worker gave up, then the worker releases it and the host keeps nothing', async () => {
    const { worker, onCall } = channel(150);
    const n = 20;
    const host = { rankOrder: async () => (await delay(100), { keys: Int32Array.from({ length: n }, (_, i) => i + 1), checks: new Int32Array(n) }) } as unknown as IndexPort;
    const server = serveIndexOverIpc(host, onCall as never, Date.now, { orderChunkKeys: 7 });
    const remote = indexOverIpc(worker, { orderTimeoutMs: 200 });
    await expect(remote.rankOrder({ q: 'x', sort: 'relevance', match: 'last', filters: {} })).rejects.toBeInstanceOf(EngineUnavailableError);
    await delay(300); // the late answer has come, and the release has reached the host
    expect(server.ordersKept).toBe(0);
  });

  it('when a chunk does not come in time, then the worker releases the rest of the order', async () => {
    const { worker, onCall } = channel(0);
    const n = 20;
    const host = { rankOrder: async () => ({ keys: Int32Array.from({ length: n }, (_, i) => i + 1), checks: new Int32Array(n) }) } as unknown as IndexPort;
    let chunks = 0;
    const server = serveIndexOverIpc(host, (listener) => {
      (onCall as (l: typeof listener) => void)((message, reply) => {
        // the host's answer to the first chunk call is held past the worker's wait
        const calls = (message as { calls?: { op: string }[] }).calls ?? [];
        if (calls.some((c) => c.op === 'orderChunk') && chunks++ === 0) listener(message, (m) => setTimeout(() => reply(m), 150));
        else listener(message, reply);
      });
    }, Date.now, { orderChunkKeys: 7 });
    const remote = indexOverIpc(worker, { timeoutMs: 100 });
    await expect(remote.rankOrder({ q: 'x', sort: 'relevance', match: 'last', filters: {} })).rejects.toBeInstanceOf(EngineUnavailableError);
    await delay(50);
    expect(server.ordersKept).toBe(0);
  });
});
