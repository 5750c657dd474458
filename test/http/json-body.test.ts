import { createHook } from 'node:async_hooks';
import zlib from 'node:zlib';
import { AppError } from '../../src/core/errors.js';
import { decodeBounded } from '../../src/http/json-body.js';

const LIMIT = 10 * 1024 * 1024;

/**
 * Counts the callbacks zlib's thread-pool work makes into the event loop while `work` runs: each is a turn the
 * decoding waits for behind whatever else its worker does. Counted by async_hooks on the ZLIB resources, so the
 * figure does not depend on the machine's speed or load.
 */
async function zlibCallbacksDuring<T>(work: () => Promise<T>): Promise<{ callbacks: number; result: PromiseSettledResult<T> }> {
  const zlibIds = new Set<number>();
  let callbacks = 0;
  const hook = createHook({
    init: (id, type) => {
      if (type === 'ZLIB') zlibIds.add(id);
    },
    before: (id) => {
      if (zlibIds.has(id)) callbacks += 1;
    },
  }).enable();
  try {
    const [result] = await Promise.allSettled([work()]);
    return { callbacks, result: result! };
  } finally {
    hook.disable();
  }
}

describe('decodeBounded, a compressed request body', () => {
  const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x61));

  it('when a gzip bomb inflates past the limit, then it is payload_too_large within a few turns of the event loop', async () => {
    const { callbacks, result } = await zlibCallbacksDuring(() => decodeBounded(bomb, 'gzip', LIMIT));
    expect(result.status).toBe('rejected');
    expect((result as PromiseRejectedResult).reason).toBeInstanceOf(AppError);
    expect(((result as PromiseRejectedResult).reason as AppError).code).toBe('payload_too_large');
    // 10 MiB at 1 MiB a call: 11 callbacks; at zlib's default 16 KiB it was 641 (each a wait behind other work).
    expect(callbacks).toBeGreaterThan(0);
    expect(callbacks).toBeLessThanOrEqual(12);
  });

  it('when the body decodes within the limit, then each encoding gives the bytes back', async () => {
    const text = Buffer.from(JSON.stringify({ text: 'volcano on Ember Isle '.repeat(50_000) }));
    for (const [encoding, packed] of [['gzip', zlib.gzipSync(text)], ['deflate', zlib.deflateSync(text)], ['br', zlib.brotliCompressSync(text)]] as const) {
      expect((await decodeBounded(packed, encoding, LIMIT)).equals(text)).toBe(true);
    }
  });

  it('when the bytes are not of their encoding, then it is invalid_request naming the encoding', async () => {
    await expect(decodeBounded(Buffer.from('not gzip at all'), 'gzip', LIMIT)).rejects.toMatchObject({
      code: 'invalid_request', message: 'the request body is not valid gzip data' });
  });
});
