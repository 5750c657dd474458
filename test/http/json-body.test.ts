import zlib from 'node:zlib';
import { AppError } from '../../src/core/errors.js';
import { decodeBounded } from '../../src/http/json-body.js';

const LIMIT = 10 * 1024 * 1024;

/** Counts the event loop's turns while `work` runs: what a request behind it in the same worker waits for. */
async function turnsDuring<T>(work: () => Promise<T>): Promise<{ turns: number; result: PromiseSettledResult<T> }> {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns += 1;
    setImmediate(tick);
  };
  setImmediate(tick);
  const [result] = await Promise.allSettled([work()]);
  running = false;
  return { turns, result: result! };
}

describe('decodeBounded, a compressed request body', () => {
  const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x61));

  it('when a gzip bomb inflates past the limit, then it is payload_too_large within a few turns of the event loop', async () => {
    const { turns, result } = await turnsDuring(() => decodeBounded(bomb, 'gzip', LIMIT));
    expect(result.status).toBe('rejected');
    expect((result as PromiseRejectedResult).reason).toBeInstanceOf(AppError);
    expect(((result as PromiseRejectedResult).reason as AppError).code).toBe('payload_too_large');
    // 10 MiB at 1 MiB a call: ~11 chunk callbacks; at zlib's default 16 KiB it was ~640 (each a wait behind other work).
    expect(turns).toBeLessThan(100);
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
